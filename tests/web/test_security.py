"""Security headers, CSRF and session cookies."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.test import override_settings

from saylau.web.core.access import Role
from saylau.web.core.middleware import CSP, CSP_THIRD_PARTY
from saylau.web.elections.models import Election
from tests.web.conftest import client_for

HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def test_pages_carry_the_security_headers(election: Election) -> None:
    for url in ("/kk/", f"/ru/elections/{election.code}/", "/en/accounts/login/", "/api/elections",
                "/kk/elections/missing/"):
        response = client_for(None).get(url)
        for name, value in HEADERS.items():
            assert response[name] == value, (url, name)
        assert "camera=()" in response["Permissions-Policy"]
    page = client_for(None).get("/kk/")
    assert page["Content-Security-Policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP and "frame-ancestors 'none'" in CSP


def test_only_third_party_pages_may_use_inline_styles(users: dict[Role, User | None]) -> None:
    admin = client_for(users[Role.SUPERUSER]).get("/admin/")
    assert admin.status_code == 200 and admin["Content-Security-Policy"] == CSP_THIRD_PARTY
    assert "script-src 'self';" in CSP_THIRD_PARTY


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_over_https(db: None) -> None:
    response = client_for(None).get("/kk/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_posts_need_a_csrf_token(election: Election, users: dict[Role, User | None]) -> None:
    chair = client_for(users[Role.COMMISSION], enforce_csrf_checks=True)
    response = chair.post(f"/ru/elections/{election.code}/advance/", {"target": "nomination"})
    assert response.status_code == 403
    assert "Срок действия формы истёк" in response.content.decode()
    login = client_for(None, enforce_csrf_checks=True).post(
        "/kk/accounts/login/", {"username": "aigerim", "password": "aigerim-password-1"})
    assert login.status_code == 403 and "_auth_user_id" not in login.client.session


def test_sessions_expire_and_cookies_are_closed_to_scripts(users: dict[Role, User | None]) -> None:
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    assert "saylau.web.core.middleware.SlidingSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = client_for(None)
    response = client.post("/kk/accounts/login/", {"username": "aigerim", "password": "aigerim-password-1"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # a browser-session cookie: gone when the browser closes
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_a_request_that_uses_the_session_extends_it_one_that_does_not_leaves_it(
        users: dict[Role, User | None]) -> None:
    """Sliding expiry: every page that shows who is signed in uses the session and extends it; a
    request that never reads it (the voting API) costs no session read or write."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = client_for(users[Role.COMMISSION])
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    assert client.post("/api/vote/no-such-election/audited", data=b"{}", content_type="application/json").status_code == 400
    assert Session.objects.get(session_key=key).expire_date == soon  # not read, not saved
    assert client.get("/kk/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date > soon + timedelta(minutes=20)  # extended
