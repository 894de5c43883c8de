"""The database behind the tests is the one DATABASE_URL names, and what our code relies on
where PostgreSQL differs from SQLite holds there.

`make test` runs tests/web twice: on SQLite, then against a throwaway PostgreSQL server
(scripts/with-postgres.sh sets DATABASE_URL). The first test keeps the second run from
silently falling back to SQLite. The others test what SQLite cannot show:

- row locks: `election_advance` locks the election row (`select_for_update`, a no-op on
  SQLite, which locks the whole database); a concurrent step waits for the lock and then
  sees the committed stage, so two commission members cannot both take the step;
- errors inside a transaction: on PostgreSQL an error aborts the whole transaction unless a
  savepoint contains it; `DatabaseRoll.add` keeps one, so a duplicate voter does not abort an
  import running in a transaction (as the demo loader's does).
"""

from __future__ import annotations

import os
import threading
from datetime import date, timedelta

import dj_database_url
import pytest
from django.db import connection, transaction

from saylau.domain.election import Stage
from saylau.domain.errors import DuplicateVoter, TransitionReason, TransitionRefused
from saylau.domain.iin import Sex, make_iin
from saylau.domain.territory import PrecinctId
from saylau.domain.voters import Voter as DomainVoter
from saylau.web.elections.models import Election, StageChange
from saylau.web.elections.services import election_advance
from saylau.web.voters.models import Voter
from saylau.web.voters.services import DatabaseRoll
from tests.web.conftest import CALLED

DATABASE_URL = os.environ.get("DATABASE_URL", "")
postgres_only = pytest.mark.postgres_only
"""Run only in make test's second pass, on PostgreSQL (tests/web/conftest.py deselects it on SQLite)."""


def test_the_database_is_the_one_database_url_names(db: None) -> None:
    if not DATABASE_URL:
        assert connection.vendor == "sqlite"
        return
    assert connection.vendor == "postgresql"
    wanted = dj_database_url.parse(DATABASE_URL)
    assert connection.settings_dict["NAME"] == f"test_{wanted['NAME']}"  # pytest-django's test database
    assert (connection.settings_dict["HOST"], connection.settings_dict["PORT"]) == (wanted["HOST"], wanted["PORT"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_setting('server_version_num')::int")
        name, version = cursor.fetchone()
    assert name == connection.settings_dict["NAME"] and version >= 140000  # Django 5.2 needs 14+


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_concurrent_step_waits_for_the_row_lock_and_is_then_refused(election: Election) -> None:
    locked, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first_member() -> None:  # holds the row, as election_advance does, then takes the step
        try:
            with transaction.atomic():
                row = Election.objects.select_for_update().get(pk=election.pk)
                locked.set()
                release.wait(timeout=30)
                row.stage = Stage.NOMINATION.value
                row.save(update_fields=["stage"])
                StageChange.objects.create(election=row, source="draft", target="nomination", at=CALLED)
        finally:
            connection.close()

    def second_member() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '20s'")  # never hang the suite
            election_advance(actor=None, election=election, target=Stage.NOMINATION, now=CALLED)
            outcome["result"] = "advanced"
        except Exception as exc:  # noqa: BLE001 (inspected below)
            outcome["result"] = exc
        finally:
            connection.close()

    holder = threading.Thread(target=first_member)
    holder.start()
    assert locked.wait(timeout=10)
    contender = threading.Thread(target=second_member)
    contender.start()
    contender.join(timeout=1.0)
    assert contender.is_alive(), f"election_advance did not wait for the row lock: {outcome}"
    release.set()
    holder.join(timeout=10)
    contender.join(timeout=25)
    assert not holder.is_alive() and not contender.is_alive()
    refused = outcome["result"]
    assert isinstance(refused, TransitionRefused), refused
    assert refused.reason == TransitionReason.NOT_ALLOWED and refused.current == "nomination"
    assert StageChange.objects.filter(election=election).count() == 1
    assert Election.objects.get(pk=election.pk).stage == Stage.NOMINATION


def test_a_duplicate_voter_does_not_abort_the_surrounding_transaction(db: None) -> None:
    born = date(1990, 5, 17)
    iin = make_iin(born, Sex.FEMALE, 321)
    assert iin is not None
    voter = DomainVoter(iin=iin, surname="Сейітова", given_name="Айгерім", patronymic="", birth_date=born,
                        sex=Sex.FEMALE, precinct=PrecinctId("301-atyrau"))
    roll = DatabaseRoll()
    with transaction.atomic():
        roll.add(voter, row=2)
        with pytest.raises(DuplicateVoter) as duplicate:
            roll.add(voter, row=3)
        assert duplicate.value.first_row == 2
        # Without the savepoint PostgreSQL would refuse every further statement here
        # ("current transaction is aborted").
        assert Voter.objects.count() == 1
        other = make_iin(born + timedelta(days=1), Sex.MALE, 5)
        assert other is not None
        roll.add(DomainVoter(iin=other, surname="Ахметов", given_name="Ерлан", patronymic="",
                             birth_date=born + timedelta(days=1), sex=Sex.MALE,
                             precinct=PrecinctId("301-atyrau")), row=4)
    assert Voter.objects.count() == 2
