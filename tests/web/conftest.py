"""Django for the web tests: settings from the environment, a throwaway database.

The environment is set before Django is imported: a test-only secret key, HTTP (no
redirect to https; `test_security.py` checks the HTTPS settings in a subprocess), and a
temporary var/ directory. pytest-django creates the test database (in memory for SQLite;
with DATABASE_URL=postgres://… the same tests run against PostgreSQL).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

_VAR = tempfile.mkdtemp(prefix="saylau-web-tests-")
atexit.register(shutil.rmtree, _VAR, ignore_errors=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saylau.web.settings")
os.environ.setdefault("SAYLAU_SECRET_KEY", "tests-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SAYLAU_HTTPS", "0")
os.environ.setdefault("SAYLAU_VAR_DIR", _VAR)

import django  # noqa: E402  (after the environment above)

django.setup()

from django.conf import settings  # noqa: E402

# Fast hashing: the tests create users in many tests (never do this outside tests).
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from django.contrib.auth.models import Group, User  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import translation  # noqa: E402

from saylau.domain.commissions import CommissionLevel, MemberRole  # noqa: E402
from saylau.domain.election import ElectionType  # noqa: E402
from saylau.web.commissions.models import Commission  # noqa: E402
from saylau.web.commissions.services import commission_create, membership_add  # noqa: E402
from saylau.web.core.access import COMMISSION_GROUP, OBSERVER_GROUP, PARTY_GROUP, Role  # noqa: E402
from saylau.web.elections.models import Election  # noqa: E402
from saylau.web.elections.services import election_create  # noqa: E402
from saylau.web.territory.models import Level, TerritorialUnit  # noqa: E402
from saylau.web.territory.services import territorial_unit_create  # noqa: E402

KZ = timezone(timedelta(hours=5))
VOTE = datetime(2025, 3, 16, 7, 0, tzinfo=KZ)
"""Voting day of the test election (a Sunday)."""
CALLED = VOTE - timedelta(days=60)
"""When the test election was created."""
LANGUAGES = ("kk", "ru", "en")


def pytest_itemcollected(item: pytest.Item) -> None:
    """A transactional test must also roll back by serialisation: its flush then leaves the
    tables empty (no post_migrate re-creation), and the next such test reloads the migrations'
    data (role groups, content types) without clashing with rows a plain flush re-created."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
        raise pytest.UsageError(f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test` runs tests/web twice, on SQLite then on PostgreSQL: a test marked
    `postgres_only` runs only in the second pass and one marked `sqlite_only` only in the first.
    They are deselected (and counted as such), never skipped: each runs in one of the passes."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    other = "sqlite_only" if on_postgres else "postgres_only"
    dropped = [item for item in items if item.get_closest_marker(other)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.get_closest_marker(other)]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language, whatever the previous one activated."""
    with translation.override("kk"):
        yield


@pytest.fixture(autouse=True)
def _public_board(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets its own public bulletin board (core.publicboard)."""
    where = tmp_path_factory.mktemp("public-board")
    settings.PUBLIC_BOARD_DIR = where / "board"
    settings.PUBLIC_BOARD_SKEY = where / "board-log.skey"


@pytest.fixture
def users(saraishyk: TerritorialUnit) -> dict[Role, User | None]:
    """One user per role (None for the anonymous visitor). The commission member ("chair") chairs
    the Makhambet district territorial commission (CEC → Atyrau → Makhambet), whose scope covers
    the `election` fixture (Saraishyk lies in Makhambet District)."""
    citizen = User.objects.create_user("aigerim", password="aigerim-password-1")
    chair = User.objects.create_user("chair", password="chair-password-1", first_name="Айбек",
                                     last_name="Серікұлы")
    makhambet = commission_tree()["makhambet"]
    membership_add(actor=None, commission=makhambet, user=chair, role=MemberRole.CHAIR, start=CALLED,
                   nominated_by="", now=CALLED)
    assert chair.groups.filter(name=COMMISSION_GROUP).exists()
    party = User.objects.create_user("party", password="party-password-1")
    party.groups.add(Group.objects.get(name=PARTY_GROUP))
    observer = User.objects.create_user("observer", password="observer-password-1")
    observer.groups.add(Group.objects.get(name=OBSERVER_GROUP))
    admin = User.objects.create_superuser("operator", password="operator-password-1")
    return {Role.ANONYMOUS: None, Role.CITIZEN: citizen, Role.PARTY: party, Role.OBSERVER: observer,
            Role.COMMISSION: chair, Role.SUPERUSER: admin}


def commission_tree() -> dict[str, Commission]:
    """The CEC, the Atyrau region's and the Makhambet district's territorial commissions (needs the
    `saraishyk` units); created once per test, returned by code."""
    existing = {c.code: c for c in Commission.objects.filter(code__in=("cec", "atyrau-tec", "makhambet"))}
    if len(existing) == 3:
        return existing
    cec = commission_create(actor=None, code="cec", level=CommissionLevel.CEC, name_kk="Орталық сайлау комиссиясы",
                            name_ru="Центральная избирательная комиссия", name_en="Central Election Commission",
                            now=CALLED)
    atyrau = commission_create(actor=None, code="atyrau-tec", level=CommissionLevel.TERRITORIAL,
                               name_kk="Атырау облыстық аумақтық сайлау комиссиясы",
                               name_ru="Атырауская областная территориальная избирательная комиссия",
                               name_en="Atyrau Region Territorial Election Commission",
                               territory=TerritorialUnit.objects.get(code="atyrau"), parent=cec, now=CALLED)
    makhambet = commission_create(actor=None, code="makhambet", level=CommissionLevel.DISTRICT,
                                  name_kk="Махамбет аудандық аумақтық сайлау комиссиясы",
                                  name_ru="Махамбетская районная территориальная избирательная комиссия",
                                  name_en="Makhambet District Territorial Election Commission",
                                  territory=TerritorialUnit.objects.get(code="makhambet"), parent=atyrau, now=CALLED)
    return {"cec": cec, "atyrau-tec": atyrau, "makhambet": makhambet}


def client_for(user: User | None, **kwargs: object) -> Client:
    client = Client(**kwargs)  # type: ignore[arg-type]
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def saraishyk(db: None) -> TerritorialUnit:
    """Saraishyk rural district, Makhambet district, Atyrau region."""
    region = territorial_unit_create(actor=None, code="atyrau", level=Level.REGION, kind="oblast",
                                     name_kk="Атырау облысы", name_ru="Атырауская область",
                                     name_en="Atyrau Region", now=CALLED)
    district = territorial_unit_create(actor=None, code="makhambet", level=Level.DISTRICT, kind="district",
                                       parent=region, name_kk="Махамбет ауданы",
                                       name_ru="Махамбетский район", name_en="Makhambet District", now=CALLED)
    return territorial_unit_create(actor=None, code="saraishyk", level=Level.LOCALITY, kind="rural_district",
                                   parent=district, name_kk="Сарайшық ауылдық округі",
                                   name_ru="Сарайшыкский сельский округ", name_en="Saraishyk Rural District",
                                   now=CALLED)


@pytest.fixture
def election(saraishyk: TerritorialUnit) -> Election:
    """An akim election in draft, called 60 days before a voting day in March 2025."""
    return election_create(
        actor=None, code="akim-saraishyk-2025", type=ElectionType.AKIM_RURAL,
        title_kk="Сарайшық ауылдық округі әкімінің сайлауы",
        title_ru="Выборы акима Сарайшыкского сельского округа",
        title_en="Election of the akim of Saraishyk Rural District",
        territory=saraishyk,
        nomination_closes=VOTE - timedelta(days=25), registration_closes=VOTE - timedelta(days=15),
        voting_opens=VOTE, voting_closes=VOTE + timedelta(hours=13), now=CALLED)
