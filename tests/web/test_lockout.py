"""Login lockout: N failures within the window lock the account (or the client) with one
message whether the account exists or not; the window passing unlocks; the lockout is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from saylau.web.core import forms as core_forms
from saylau.web.core.access import Role
from saylau.web.core.models import Attempt, AuditEntry
from saylau.web.core.services import login_failed, login_retry_after
from tests.web.conftest import CALLED, LANGUAGES, client_for

LOCKED = {
    "kk": "Кіру әрекеттері тым көп рет сәтсіз болды.",
    "ru": "Слишком много неудачных попыток входа.",
    "en": "Too many failed attempts to log in.",
}
WRONG = {"kk": "Пайдаланушы аты немесе құпиясөз қате.", "ru": "Неверное имя пользователя или пароль.",
         "en": "The user name or password is incorrect."}
N = settings.LOGIN_FAILURES_PER_ACCOUNT
WINDOW = settings.LOGIN_FAILURE_WINDOW


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list:
    """The login form's clock, set by the test: [now]."""
    now = [CALLED]
    monkeypatch.setattr(core_forms, "clock", lambda: now[0])
    return now


def _login(client: Client, username: str, password: str, language: str = "kk") -> str:
    response = client.post(f"/{language}/accounts/login/", {"username": username, "password": password})
    return "ok" if response.status_code == 302 else response.content.decode()


def test_n_failures_lock_the_account_even_with_the_right_password(
        users: dict[Role, User | None], clock: list) -> None:
    client = Client()
    for _ in range(N):
        assert LOCKED["kk"] not in _login(client, "aigerim", "wrong")
    assert LOCKED["kk"] in _login(client, "aigerim", "aigerim-password-1")
    assert LOCKED["kk"] in _login(Client(REMOTE_ADDR="10.0.0.9"), "AIGERIM", "aigerim-password-1")  # any case
    assert _login(client, "chair", "chair-password-1") == "ok"  # another account is not locked


def test_success_after_the_window(users: dict[Role, User | None], clock: list) -> None:
    client = Client()
    for _ in range(N):
        _login(client, "aigerim", "wrong")
    clock[0] += WINDOW - timedelta(seconds=1)
    assert LOCKED["kk"] in _login(client, "aigerim", "aigerim-password-1")
    clock[0] += timedelta(seconds=1)
    assert _login(client, "aigerim", "aigerim-password-1") == "ok"


def test_a_success_forgets_the_accounts_failures(users: dict[Role, User | None], clock: list) -> None:
    client = Client()
    for _ in range(N - 1):
        _login(client, "aigerim", "wrong")
    assert _login(client, "aigerim", "aigerim-password-1") == "ok"
    for _ in range(N - 1):
        assert LOCKED["kk"] not in _login(Client(), "aigerim", "wrong")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_message_whether_the_account_exists_or_not(
        language: str, users: dict[Role, User | None], clock: list) -> None:
    pages = {}
    for name in ("aigerim", "nobody-by-this-name"):
        client = Client()
        for _ in range(N):
            assert WRONG[language] in _login(client, name, "wrong", language)
        pages[name] = _login(client, name, "wrong", language)
        assert LOCKED[language] in pages[name]
        assert WRONG[language] not in pages[name]
    alerts = {name: re.findall(r'<div class="errors" role="alert">.*?</div>', page, flags=re.S)
              for name, page in pages.items()}
    assert alerts["aigerim"] == alerts["nobody-by-this-name"] and len(alerts["aigerim"]) == 1


def test_many_failures_from_one_client_lock_the_client(users: dict[Role, User | None], clock: list) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(settings.LOGIN_FAILURES_PER_CLIENT):
        _login(client, f"guess-{i}", "wrong")
    assert LOCKED["kk"] in _login(client, "aigerim", "aigerim-password-1")
    assert _login(Client(REMOTE_ADDR="203.0.113.8"), "aigerim", "aigerim-password-1") == "ok"


def test_the_lockout_is_audited_once_and_keys_are_not_stored_in_clear(db: None) -> None:
    for i in range(N + 2):
        login_failed(username="Aigerim", client="198.51.100.1", now=CALLED + timedelta(seconds=i))
    entries = list(AuditEntry.objects.filter(action="auth.lockout"))
    assert len(entries) == 1
    assert entries[0].data["scope"] == "account" and entries[0].data["username"] == "Aigerim"
    assert entries[0].data["client"] == "198.51.100.1"
    keys = set(Attempt.objects.values_list("key", flat=True))
    assert all(len(k) == 64 and "igerim" not in k and "198.51" not in k for k in keys)


def test_the_service_takes_the_time_as_a_parameter(db: None) -> None:
    for i in range(N):
        login_failed(username="x", client="c", now=CALLED + timedelta(minutes=i))
    assert login_retry_after(username="x", client="other", now=CALLED + timedelta(minutes=N)) == (
        (WINDOW - timedelta(minutes=N)).total_seconds())
    assert login_retry_after(username="x", client="other", now=CALLED + WINDOW) is None
    assert login_retry_after(username="y", client="c", now=CALLED + timedelta(minutes=N)) is None


def test_a_forced_login_is_untouched(users: dict[Role, User | None]) -> None:
    assert client_for(users[Role.CITIZEN]).get("/kk/accounts/profile/").status_code == 200


def test_the_admin_login_shares_the_lockout(users: dict[Role, User | None], clock: list) -> None:
    client = Client()
    for _ in range(N):
        _login(client, "operator", "wrong")
    page = client.post("/admin/login/", {"username": "operator", "password": "operator-password-1"})
    assert page.status_code == 200 and LOCKED["kk"] in page.content.decode()
    clock[0] += WINDOW
    ok = client.post("/admin/login/", {"username": "operator", "password": "operator-password-1"})
    assert ok.status_code == 302
