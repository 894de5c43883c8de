"""The demo of `make run`: the loader (`saylau.web.demo`, `manage.py saylau_demo`) is
reproducible and idempotent, builds the complete demo (precincts, commissions, demo accounts,
parties and their registered 2023 lists, the akim election in its campaign with registered
candidates and one refusal citing the pack's rule, an accredited observer, the roll), and the
server path (scripts/run-web.sh: secret key, migrate, demo, collectstatic, granian) serves
the pages, the API and the static files."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import stat
import subprocess
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta
from email.message import Message
from fractions import Fraction
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Model
from django.test import Client

from saylau.domain.election import ElectionType, Stage
from saylau.domain.nomination import NominationStatus
from saylau.domain.voters import where_do_i_vote
from saylau.web.candidates.models import Candidate, CandidateDocument, ListStatus, Party, PartyList
from saylau.web.commissions.models import Commission, Membership
from saylau.web.commissions.selectors import commission_may_act
from saylau.web.core.models import AuditEntry, BoardEvent, StoredFile
from saylau.web.demo import (
    AKIM_CODE,
    AMANAT_REP,
    CEC_MEMBER,
    CHAIR,
    DEMO_ACCOUNTS,
    DEMO_PARTIES,
    DEMO_PRECINCT_ROWS,
    DEMO_PRECINCTS,
    DEMO_SEED,
    KZ,
    LIST_NAMES,
    MAZHILIS_CODE,
    OBSERVER,
    advance_elections,
    akim_called,
    akim_voting_day,
    load_demo,
    load_elections,
    load_precincts,
    read_accounts,
    synthetic_roll,
)
from saylau.web.elections.models import Election, StageChange
from saylau.web.observers.models import ObserverAccreditation
from saylau.web.observers.selectors import is_accredited
from saylau.web.territory.models import Precinct, TerritorialUnit
from saylau.web.voters.models import Voter
from saylau.web.voters.services import DatabaseRoll

NOW = datetime(2026, 11, 25, 15, 30, tzinfo=KZ)
ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("kk", "ru", "en")
ROWS: tuple[type[Model], ...] = (
    TerritorialUnit, Precinct, Commission, Membership, User, Party, PartyList, Candidate, CandidateDocument,
    StoredFile, ObserverAccreditation, Election, StageChange, Voter, AuditEntry, BoardEvent)
"""Every kind of row the demo makes, with the audit log and the board's outbox."""


@pytest.fixture(autouse=True)
def _var_dir(settings: Any, tmp_path: Path) -> None:
    """Each test gets its own var/ (the demo accounts' file)."""
    settings.VAR_DIR = tmp_path / "var"


def _counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in ROWS}


def test_the_loader_builds_the_demo_once(db: None) -> None:
    first = load_demo(now=NOW)
    assert (first.units, first.elections, first.steps) == (3, 2, 8)
    assert first.voters is not None and first.voters.accepted == 2400 and first.voters.refused == 0
    assert first.notes == ()
    assert first.created == {"precincts": 4, "commissions": 7, "memberships": 21, "users": 32, "parties": 7,
                             "party lists": 7, "candidates": 7 * LIST_NAMES + 4, "documents": 26,
                             "accreditations": 1}
    counts = _counts()
    assert counts["Voter"] >= 2000 and counts["Election"] == 2

    again = load_demo(now=NOW + timedelta(minutes=5))
    assert (again.units, again.elections, again.voters, again.steps, again.accounts, again.notes) == (
        0, 0, None, 0, (), ())
    assert set(again.created.values()) == {0}
    assert _counts() == counts  # no new rows, no new audit entries, no new board events

    saraishyk = TerritorialUnit.objects.get(code="saraishyk")
    assert [saraishyk.parent.code, saraishyk.parent.parent.code] == ["makhambet", "atyrau"]  # type: ignore[union-attr]
    akim = Election.objects.get(code=AKIM_CODE)
    assert (akim.type, akim.territory, akim.stage) == (ElectionType.AKIM_RURAL, saraishyk, Stage.CAMPAIGN)
    vote = akim.voting_opens.astimezone(KZ)
    assert vote.weekday() == 6 and vote.hour == 7 and NOW + timedelta(days=7) <= vote < NOW + timedelta(days=14)
    assert akim.nomination_closes < akim.registration_closes < NOW
    mazhilis = Election.objects.get(code=MAZHILIS_CODE)
    assert (mazhilis.type, mazhilis.territory, mazhilis.stage) == (
        ElectionType.MAZHILIS_PARTY_LIST, None, Stage.COUNTING)
    assert mazhilis.voting_opens.astimezone(KZ).date() == date(2023, 3, 19)
    assert set(Voter.objects.values_list("precinct", flat=True)) == {str(p.id) for p in DEMO_PRECINCTS}


def test_precincts_and_commissions(db: None) -> None:
    load_demo(now=NOW, voters=10)
    for spec in DEMO_PRECINCT_ROWS:
        row = Precinct.objects.get(code=spec.code)
        assert row.territory is not None and row.territory.code == "saraishyk"
        assert all((row.address_kk, row.address_ru, row.address_en)) and row.accessible is spec.accessible
        commission = Commission.objects.get(precinct=row)
        assert commission.level == "precinct" and commission.parent is not None
        assert commission.parent.code == "makhambet-tec"
    chain = Commission.objects.get(code="makhambet-tec")
    assert chain.parent is not None and chain.parent.code == "atyrau-tec"
    assert chain.parent.parent is not None and chain.parent.parent.code == "cec"
    assert {m.role for m in Membership.objects.filter(commission=chain)} == {"chair", "secretary", "member"}
    assert sum(e.kind == "precinct.created" for e in BoardEvent.objects.all()) == 4
    assert BoardEvent.objects.filter(kind="commission.member_added").count() == 21


def test_the_party_list_election_is_replayed_on_its_dates(db: None) -> None:
    load_demo(now=NOW, voters=10)
    mazhilis = Election.objects.get(code=MAZHILIS_CODE)
    assert [p.short_name for p in Party.objects.order_by("registered_on")] == [p.short_name for p in DEMO_PARTIES]
    for party in Party.objects.all():
        assert all((party.name_kk, party.name_ru, party.name_en)) and party.representatives.exists()
        party_list = PartyList.objects.get(party=party, election=mazhilis)
        assert party_list.status == ListStatus.REGISTERED
        assert party_list.submitted_at is not None and party_list.registered_at is not None
        assert party_list.submitted_at <= mazhilis.nomination_closes < party_list.registered_at
        assert party_list.registered_at <= mazhilis.registration_closes
        names = [e.candidate for e in party_list.entries.order_by("position")]
        assert len(names) == LIST_NAMES
        assert all(c.status == NominationStatus.REGISTERED.value and c.on_list and c.party == party for c in names)
        assert all("Demo data" in c.biography_en and c.biography_kk and c.biography_ru for c in names)
        quota = sum(c.is_woman or c.is_youth or c.has_disability for c in names)
        assert Fraction(quota, len(names)) >= Fraction(3, 10)
    assert BoardEvent.objects.filter(kind="party_list.registered").count() == len(DEMO_PARTIES)
    cec_member = User.objects.get(username=CEC_MEMBER)
    assert AuditEntry.objects.filter(action="party_list.register", actor=cec_member).count() == len(DEMO_PARTIES)


def test_the_akim_election_has_registered_candidates_and_one_refusal(db: None) -> None:
    load_demo(now=NOW, voters=10)
    akim = Election.objects.get(code=AKIM_CODE)
    candidates = Candidate.objects.filter(election=akim)
    registered = candidates.filter(status=NominationStatus.REGISTERED.value)
    refused = candidates.filter(status=NominationStatus.REFUSED.value)
    assert registered.count() >= 2 and refused.count() == 1
    assert {c.nominator_kind for c in candidates} == {"political_party", "self"}
    (no,) = refused
    assert [r["rule_id"] for r in no.refusal_rules] == ["eligibility.no_criminal_record"] and no.refusal_reason
    assert no.has_unexpunged_criminal_record is True
    for c in candidates:
        assert all(getattr(c, f"{f}_{lang}") for f in ("biography", "platform") for lang in LANGUAGES)
        assert c.documents.filter(kind="platform", public=True).exists() and c.documents.count() >= 6
        assert c.nominated_at < akim.nomination_closes
        decided = c.registered_at or c.refused_at
        assert decided is not None and akim.nomination_closes < decided <= akim.registration_closes
    chair = User.objects.get(username=CHAIR)
    refusal = AuditEntry.objects.get(action="candidate.refuse")
    assert refusal.actor == chair and refusal.data["rules"][0]["rule_id"] == "eligibility.no_criminal_record"
    assert BoardEvent.objects.filter(kind="candidate.refused").count() == 1
    assert commission_may_act(chair, akim, now=NOW)
    observer = User.objects.get(username=OBSERVER)
    assert is_accredited(observer, akim)
    assert BoardEvent.objects.filter(kind="observer.accredited").count() == 1


def test_the_public_pages_show_the_refusal_and_the_lists(db: None) -> None:
    load_demo(now=NOW, voters=10)
    client = Client()
    refused = Candidate.objects.get(election__code=AKIM_CODE, status=NominationStatus.REFUSED.value)
    amanat = Party.objects.get(short_name="AMANAT")
    for language in LANGUAGES:
        page = client.get(f"/{language}/candidates/{refused.pk}/")
        assert page.status_code == 200 and "eligibility.no_criminal_record" in page.content.decode()
        listing = client.get(f"/{language}/elections/{AKIM_CODE}/candidates/").content.decode()
        assert "eligibility.no_criminal_record" in listing
        assert all(c.full_name in listing for c in Candidate.objects.filter(election__code=AKIM_CODE))
        party = client.get(f"/{language}/parties/{amanat.pk}/")
        assert party.status_code == 200
        assert all(e.candidate.full_name in party.content.decode()
                   for e in PartyList.objects.get(party=amanat).entries.all())
        assert client.get(f"/{language}/elections/{MAZHILIS_CODE}/candidates/").status_code == 200


def test_the_demo_accounts_are_written_once_and_log_in(db: None, settings: Any) -> None:
    report = load_demo(now=NOW, voters=10)
    path = Path(settings.VAR_DIR) / "demo-accounts.txt"
    assert report.accounts_file == path and stat.S_IMODE(path.stat().st_mode) == 0o600
    listed = read_accounts(path)
    assert [a.username for a in listed] == [a.username for a in DEMO_ACCOUNTS] == list(report.accounts)
    for account in listed:
        assert len(account.password) >= 20 and account.role
        user = User.objects.get(username=account.username)
        assert account.password not in user.password and user.check_password(account.password)
        assert Client().login(username=account.username, password=account.password)
        assert account.password not in repr(account)
    secrets_seen = {a.password for a in listed}
    for entry in AuditEntry.objects.all():
        assert not any(p in json.dumps(entry.data) for p in secrets_seen)
    for event in BoardEvent.objects.all():
        assert not any(p in json.dumps(event.data) for p in secrets_seen)
    # the roles the accounts are for
    assert Party.objects.get(short_name="AMANAT").representatives.filter(username=AMANAT_REP).exists()
    assert Membership.objects.filter(user__username=CEC_MEMBER, commission__code="cec").exists()
    assert ObserverAccreditation.objects.get(user__username=OBSERVER).status == "approved"
    # a later run keeps the passwords and the file
    content, modified = path.read_bytes(), path.stat().st_mtime_ns
    again = load_demo(now=NOW + timedelta(hours=1), voters=10)
    assert again.accounts == () and path.read_bytes() == content and path.stat().st_mtime_ns == modified
    # an account made again (a new database) gets a new line; the others keep theirs
    path.write_text(path.read_text().replace(listed[-1].password, "stale"))
    User.objects.filter(username=listed[-1].username).delete()
    third = load_demo(now=NOW + timedelta(hours=2), voters=10)
    relisted = read_accounts(path)
    assert third.accounts == (listed[-1].username,) and relisted[:-1] == listed[:-1]
    assert relisted[-1].username == listed[-1].username and relisted[-1].password not in ("stale", listed[-1].password)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_roll_is_reproducible_and_found_by_where_do_i_vote(db: None) -> None:
    lines = list(synthetic_roll(count=50, seed=DEMO_SEED))
    assert lines == list(synthetic_roll(count=50, seed=DEMO_SEED)) != list(synthetic_roll(count=50, seed=1))
    load_demo(now=NOW, voters=50)
    for line in lines[1:4]:
        iin, _, _, _, born, precinct = line.split(",")
        assert where_do_i_vote(DatabaseRoll(), iin, date.fromisoformat(born)) == precinct
    iin, _, _, _, born, code = lines[1].split(",")
    place = Precinct.objects.get(code=code)
    for language in LANGUAGES:
        page = Client().post(f"/{language}/where-do-i-vote/", {"iin": iin, "birth_date": born})
        assert page.status_code == 200
        assert getattr(place, f"address_{language}") in page.content.decode()


def test_later_runs_take_the_steps_whose_date_has_come(db: None) -> None:
    load_demo(now=NOW, voters=10)
    akim = Election.objects.get(code=AKIM_CODE)
    assert akim.stage == Stage.CAMPAIGN
    after_voting = akim.voting_closes + timedelta(hours=1)
    assert load_demo(now=after_voting, voters=10).steps == 2
    assert Election.objects.get(code=AKIM_CODE).stage == Stage.COUNTING
    assert load_demo(now=after_voting, voters=10).steps == 0


def test_a_database_past_the_replayed_stages_is_left_as_it_is(db: None) -> None:
    """The elections of an older loader took their steps without candidates: the report says
    what could not be replayed, and nothing fails."""
    load_precincts(now=NOW)
    load_elections(now=NOW)
    advance_elections(now=NOW)
    report = load_demo(now=NOW, voters=10)
    assert len(report.notes) == len(DEMO_PARTIES) + 4
    assert not Candidate.objects.exists() and Party.objects.count() == len(DEMO_PARTIES)


def test_the_management_command(db: None, settings: Any) -> None:
    out = StringIO()
    call_command("saylau_demo", "--voters", "20", "--seed", "7", stdout=out)
    assert "3 territorial units and 2 elections created, voter roll 20 imported" in out.getvalue()
    assert "7 party lists" in out.getvalue()
    path = Path(settings.VAR_DIR) / "demo-accounts.txt"
    assert f"demo accounts (user name, role, password) in {path}" in out.getvalue()
    assert not any(a.password in out.getvalue() for a in read_accounts(path))
    call_command("saylau_demo", "--voters", "20", "--seed", "7", stdout=out)
    assert "voter roll complete already, 0 lifecycle steps taken" in out.getvalue()
    assert "created nothing else" in out.getvalue()
    assert Voter.objects.count() == 20


def test_the_akim_schedule_puts_now_in_the_campaign() -> None:
    start = datetime(2026, 1, 1, 0, 0, tzinfo=KZ)
    for hours in range(0, 24 * 14, 5):
        now = start + timedelta(hours=hours)
        vote = akim_voting_day(now)
        assert vote.weekday() == 6 and vote.hour == 7
        assert now + timedelta(days=7) <= vote < now + timedelta(days=14)
        called = akim_called(vote)
        assert called <= vote - timedelta(days=40)  # the pack: called at least 40 days before
        assert called + timedelta(days=6) < vote - timedelta(days=25)  # nominations before it closes
        assert vote - timedelta(days=15) < now  # registration closed: the campaign


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, Message, bytes]:
    """(status, headers — looked up case-insensitively —, body) without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.mark.sqlite_only  # make run's server path is tested once, in the SQLite pass
def test_make_run_serves_the_platform(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SAYLAU_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(SAYLAU_VAR_DIR=str(tmp_path), SAYLAU_PORT=str(port))
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(["bash", str(ROOT / "scripts" / "run-web.sh")], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                status, headers, _ = _get(base + "/")
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.2)
        assert status == 302 and headers["Location"] == "/kk/"
        assert headers["Server"].startswith("granian")

        status, _, body = _get(base + "/kk/")
        assert status == 200 and "Сарайшық ауылдық округі әкімінің сайлауы" in body.decode()
        status, _, body = _get(base + "/api/elections")
        assert status == 200
        assert {e["code"] for e in json.loads(body)} == {AKIM_CODE, MAZHILIS_CODE}
        status, _, body = _get(base + f"/kk/elections/{AKIM_CODE}/candidates/")
        assert status == 200 and "eligibility.no_criminal_record" in body.decode()
        status, headers, body = _get(base + "/static/saylau/site.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css") and body

        key = tmp_path / "secret-key"
        access = [line for line in (tmp_path / "server.log").read_text().splitlines() if line.startswith("GET /")]
        assert "GET /kk/ 200" in access  # the access log: method, path, status — no address, no time
        assert all(re.fullmatch(r"GET /\S* \d{3}", line) for line in access), access
        assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text().strip()) >= 50
        assert (tmp_path / "saylau.sqlite3").is_file() and (tmp_path / "static" / "saylau" / "site.css").is_file()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the script's group: granian, or a step before it
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    assert server.returncode == 0, (tmp_path / "server.log").read_text()
    output = (tmp_path / "server.log").read_text()
    assert "voter roll 2400 imported" in output
    accounts = tmp_path / "demo-accounts.txt"
    assert f"demo accounts (user name, role, password): {accounts}" in output
    assert stat.S_IMODE(accounts.stat().st_mode) == 0o600
    listed = read_accounts(accounts)
    assert len(listed) == len(DEMO_ACCOUNTS) and not any(a.password in output for a in listed)  # not a terminal
