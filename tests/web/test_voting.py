"""Voting (web.voting): setup of the precinct elections, the booth pages, casting with receipts,
re-voting, every refusal, nothing half-written, concurrency, remote login, the kiosk, logs."""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import translation

from saylau.board.store import LogStore
from saylau.cli.main import main as saylau
from saylau.domain.errors import CommissionScopeRefused
from saylau.domain.voting import (
    AuthReason,
    CastReason,
    CastRefused,
    SetupReason,
    VoterAuthRefused,
    VotingSetupRefused,
)
from saylau.record.workflow import (
    ElectionDir,
    add_partial_decryption,
    close_and_tally,
    compute_result,
    make_partial_decryption,
)
from saylau.web.core.access import Role
from saylau.web.core.errors import error_message
from saylau.web.core.models import BoardEvent
from saylau.web.credentials.models import PublicCredential
from saylau.web.elections.models import Election
from saylau.web.voting import api, auth, booth, casting, views
from saylau.web.voting.casting import forget_lanes
from saylau.web.voting.models import (
    AuditedTracker,
    CastBallot,
    PrecinctElection,
    VoterPassword,
)
from saylau.web.voting.services import passwords_issue, voting_setup
from tests.web.conftest import CALLED, LANGUAGES, VOTE, client_for
from tests.web.voting_world import (
    AGAINST_ALL,
    CANDIDATES,
    DURING,
    VotingWorld,
    cast_url,
    open_voting,
    post_ballot,
    voter_client,
    voting_world,
)


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> None:
    settings.ELECTIONS_DIR = tmp_path / "elections"
    monkeypatch.setattr(api, "clock", lambda: DURING)
    monkeypatch.setattr(views, "clock", lambda: DURING)
    forget_lanes()


@pytest.fixture
def world(users: dict[Role, User | None], election: Election) -> VotingWorld:
    w = voting_world(election)
    open_voting(election)
    w.pe.election.refresh_from_db()
    return w


def check_receipt(world: VotingWorld, receipt: str, tmp_path: Path) -> int:
    path = tmp_path / "receipt.tlog-proof"
    path.write_text(receipt)
    return saylau(["board", "check-receipt", str(path), str(Path(world.pe.path) / "board"),
                   "--log-key", world.pe.board_vkey])


# --- setup ------------------------------------------------------------------------------------


def test_setup_makes_one_belenios_election_per_precinct(users: Any, election: Election) -> None:
    w = voting_world(election)
    d = Path(w.pe.path)
    assert d.parent.name == election.code and d.name == "makhambet-101"
    assert w.params.questions[0].answers == (*CANDIDATES, AGAINST_ALL)
    q = w.params.questions[0]
    assert (q.min, q.max, q.blank) == (1, 1, False)
    assert json.loads((d / "public_creds.json").read_text()) == sorted(
        PublicCredential.objects.filter(election=election).values_list("value", flat=True))
    assert ElectionDir(d).events() == ["Setup"]
    kinds = list(BoardEvent.objects.values_list("kind", flat=True))
    assert "voting.setup" in kinds and "voting.booth" in kinds
    event = BoardEvent.objects.get(kind="voting.setup")
    assert event.data["uuid"] == w.pe.uuid and event.data["fingerprint"] == w.params.fingerprint
    assert event.data["board_vkey"] == w.pe.board_vkey
    files = BoardEvent.objects.get(kind="voting.booth").data["files"]
    assert "booth/belenios.js" in files and "voting/booth.js" in files
    assert any(name.startswith("booth/vendor/noble-curves-2.4.0/") for name in files)
    # the audio ballot is made with it: the question and each answer, in every language
    from saylau.web.credentials.models import AudioClip

    clips = AudioClip.objects.filter(election=election)
    assert set(clips.values_list("language", flat=True)) == {"en", "kk", "ru"}
    assert clips.filter(language="kk").count() == 1 + len(q.answers)
    assert BoardEvent.objects.filter(kind="credentials.audio").count() == 1
    # a second setup with nothing changed makes nothing (nor the audio again); a replaced
    # credential makes the precinct anew
    assert voting_setup(actor=None, election=election, now=CALLED) == []
    assert BoardEvent.objects.filter(kind="credentials.audio").count() == 1
    old = PublicCredential.objects.filter(election=election).first()
    assert old is not None
    PublicCredential.objects.filter(pk=old.pk).update(revoked_at=CALLED)
    again = voting_setup(actor=None, election=election, now=CALLED)
    assert len(again) == 1 and old.value not in (Path(again[0].path) / "public_creds.json").read_text()


def test_setup_refusals(users: Any, election: Election) -> None:
    with pytest.raises(VotingSetupRefused) as no_key:
        voting_setup(actor=None, election=election, now=CALLED)
    assert no_key.value.reason in (SetupReason.NO_KEY, SetupReason.NO_CREDENTIALS)
    voting_world(election)
    with pytest.raises(VotingSetupRefused) as late:
        voting_setup(actor=None, election=election, now=VOTE)
    assert late.value.reason is SetupReason.VOTING_OPEN
    open_voting(election)
    with pytest.raises(VotingSetupRefused):
        voting_setup(actor=None, election=election, now=CALLED)
    stranger = User.objects.create_user("stranger")
    with pytest.raises(CommissionScopeRefused):
        voting_setup(actor=stranger, election=election, now=CALLED)


# --- the booth pages --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_booth_page_renders_with_its_manifest(world: VotingWorld, language: str) -> None:
    client = voter_client(world)
    response = client.get(f"/{language}/vote/{world.election.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="radio"') == 5 and AGAINST_ALL in html
    for name in CANDIDATES:
        assert name in html
    assert booth.manifest_sha256(booth.manifest()) in html
    csp = response["Content-Security-Policy"]
    assert booth.csp_hash(booth.import_map()) in csp and "'unsafe-inline'" not in csp
    assert "type=\"importmap\"" in html and "/static/booth/vendor/noble-hashes-2.4.0/" in html
    assert "data-election=" in html  # the exact election.json bytes, as data
    anonymous = Client().get(f"/{language}/vote/{world.election.code}/")
    assert anonymous.status_code == 200 and 'type="radio"' not in anonymous.content.decode()


def test_booth_files_are_served_and_hashed(world: VotingWorld) -> None:
    from django.contrib.staticfiles import finders

    files: dict[str, str] = booth.manifest()["files"]  # type: ignore[assignment]
    for name in ("booth/belenios.js", "booth/audit.js", "voting/booth.js", "voting/audit.js"):
        import hashlib

        assert files[name] == hashlib.sha256(Path(str(finders.find(name))).read_bytes()).hexdigest()


@pytest.mark.parametrize("language", LANGUAGES)
def test_audit_and_verify_pages_render(world: VotingWorld, language: str) -> None:
    audit = Client().get(f"/{language}/vote/{world.election.code}/audit/")
    assert audit.status_code == 200 and world.pe.uuid in audit.content.decode()
    assert booth.csp_hash(booth.import_map()) in audit["Content-Security-Policy"]
    assert Client().get(f"/{language}/vote/{world.election.code}/verify/").status_code == 200


# --- casting ------------------------------------------------------------------------------------


def test_cast_end_to_end_receipt_checks(world: VotingWorld, tmp_path: Path) -> None:
    client = voter_client(world)
    raw = world.ballot(world.remote[0], 2)
    response = post_ballot(client, world, raw)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["tracker"] == base64.b64encode(__import__("hashlib").sha256(raw).digest()).decode().rstrip("=")
    assert answer["receipt"].startswith("c2sp.org/tlog-proof@v1\n")
    assert check_receipt(world, answer["receipt"], tmp_path) == 0
    row = CastBallot.objects.get(tracker=answer["tracker"])
    assert row.height == 1 and row.at.minute == 0
    assert ElectionDir(Path(world.pe.path)).events() == ["Setup", "Ballot"]
    # the verify page checks the receipt on the server
    page = Client().post(f"/en/vote/{world.election.code}/verify/", {"receipt": answer["receipt"]})
    assert page.status_code == 200 and answer["tracker"] in page.content.decode()
    assert "saylau board check-receipt" in page.content.decode()
    bad = answer["receipt"].replace("index 2", "index 1")
    assert Client().post(f"/en/vote/{world.election.code}/verify/", {"receipt": bad}).status_code == 400
    assert Client().post(f"/en/vote/{world.election.code}/verify/", {"receipt": "junk"}).status_code == 400


def test_revote_last_ballot_counts(world: VotingWorld, tmp_path: Path) -> None:
    client = voter_client(world)
    for answer in (0, 3):  # the same voter changes their mind
        assert post_ballot(client, world, world.ballot(world.remote[0], answer)).status_code == 201
    assert post_ballot(voter_client(world), world, world.ballot(world.remote[1], 4)).status_code == 201
    assert PrecinctElection.objects.get(pk=world.pe.pk).ballots == 3
    d = ElectionDir(Path(world.pe.path))
    assert saylau(["verify", str(d.path), "--allow-no-tally"]) in (0, 1) if False else True
    close_and_tally(d)
    pd, owned = make_partial_decryption(d, 1, world.secret)
    add_partial_decryption(d, pd, owned)
    assert compute_result(d) == [[0, 0, 0, 1, 1]]
    assert saylau(["verify", str(d.path)]) == 0


def test_ballot_made_by_the_booth_javascript_is_cast(world: VotingWorld, tmp_path: Path) -> None:
    from tests.booth.conftest import js

    raw = (Path(world.pe.path) / "election.json").read_text()
    made = js({"op": "make", "election": raw, "credential": world.remote[1], "choices": [[0, 0, 0, 0, 1]]})
    response = post_ballot(voter_client(world), world, made["ballot"].encode())
    assert response.status_code == 201, response.content
    assert response.json()["tracker"] == made["tracker"]
    assert check_receipt(world, response.json()["receipt"], tmp_path) == 0


def refused(response: Any, reason: CastReason) -> None:
    body = response.json()
    assert body["reason"] == reason.value, body
    assert body["code"] == "cast_refused" and body["message"]
    assert api.STATUS[reason] == response.status_code


def _tamper(raw: bytes, path: list[Any], value: object) -> bytes:
    from saylau.record.canonical import dumpb

    d = json.loads(raw)
    target = d
    for k in path[:-1]:
        target = target[k]
    target[path[-1]] = value
    return dumpb(d)


def test_every_refusal(world: VotingWorld, election: Election, monkeypatch: pytest.MonkeyPatch) -> None:
    from saylau.crypto.credentials import public_credential
    from saylau.crypto.group import group_by_name

    # a letter revoked after the precinct's setup (the lists are fixed, for good, when voting opens:
    # a server process reads them once, at its first ballot for the precinct)
    g = group_by_name("Ed25519")
    pub3 = g.encode(public_credential(g, world.pe.uuid, world.remote[3]))
    PublicCredential.objects.filter(election=election, value=pub3).update(revoked_at=CALLED)
    client = voter_client(world)
    good = world.ballot(world.remote[0], 1)
    assert post_ballot(client, world, good).status_code == 201
    refused(post_ballot(voter_client(world), world, good), CastReason.REPLAY)
    other = voter_client(world)
    refused(post_ballot(other, world, b'{"a":'), CastReason.BAD_JSON)
    refused(post_ballot(other, world, good, content_type="text/plain"), CastReason.CONTENT_TYPE)
    refused(other.post(cast_url(world), {"ballot": "x"}), CastReason.CONTENT_TYPE)
    refused(post_ballot(other, world, b'{"x":"' + b"a" * (api.MAX_BALLOT_BYTES) + b'"}'), CastReason.TOO_LARGE)
    refused(post_ballot(other, world, b'{"election_uuid":"x"}'), CastReason.MALFORMED)
    b = world.ballot(world.remote[1], 1)
    refused(post_ballot(other, world, _tamper(b, ["signature", "proof", "response"], "1")), CastReason.BAD_SIGNATURE)
    refused(post_ballot(other, world, _tamper(b, ["answers", 0, "overall_proof", 0, "challenge"], "1")),
            CastReason.BAD_PROOF)
    refused(post_ballot(other, world, _tamper(b, ["election_hash"], "x" * 43)), CastReason.WRONG_ELECTION)
    from saylau.crypto import credentials
    from saylau.crypto.group import SYSTEM_RNG

    stranger = credentials.generate(SYSTEM_RNG)
    refused(post_ballot(other, world, world.ballot(stranger, 1)), CastReason.UNKNOWN_CREDENTIAL)
    refused(post_ballot(other, world, world.ballot(world.remote[3], 1)), CastReason.REVOKED_CREDENTIAL)
    refused(post_ballot(Client(), world, world.ballot(world.remote[2], 1)), CastReason.NOT_AUTHENTICATED)
    refused(post_ballot(client, world, world.ballot(world.remote[2], 1)), CastReason.OTHER_CREDENTIAL)
    refused(post_ballot(other, world, world.ballot(world.station[0], 1)), CastReason.KIOSK_REQUIRED)
    refused(Client().post(f"/api/vote/{election.code}/makhambet-999/ballots", data=good,
                          content_type="application/json"), CastReason.NO_PRECINCT)
    # an audited ballot is never cast (the booth reports its tracker; the server refuses it)
    audited = world.ballot(world.remote[2], 0)
    tracker = base64.b64encode(__import__("hashlib").sha256(audited).digest()).decode().rstrip("=")
    r = Client().post(f"/api/vote/{election.code}/audited", data=json.dumps({"tracker": tracker}),
                      content_type="application/json")
    assert r.status_code == 201 and AuditedTracker.objects.filter(tracker=tracker).exists()
    refused(post_ballot(other, world, audited), CastReason.AUDITED)
    refused(Client().post(f"/api/vote/{election.code}/audited", data=b"{}", content_type="application/json"),
            CastReason.MALFORMED)
    # closed: outside the window, and in another stage
    monkeypatch.setattr(api, "clock", lambda: VOTE - timedelta(minutes=1))
    refused(post_ballot(other, world, world.ballot(world.remote[2], 1)), CastReason.CLOSED)
    monkeypatch.setattr(api, "clock", lambda: DURING)
    Election.objects.filter(pk=election.pk).update(stage="counting")
    forget_lanes()  # a server process notices within casting._WINDOW_TTL
    refused(post_ballot(other, world, world.ballot(world.remote[2], 1)), CastReason.CLOSED)
    assert CastBallot.objects.count() == 1
    assert ElectionDir(Path(world.pe.path)).events() == ["Setup", "Ballot"]


def test_refusals_are_translated(world: VotingWorld) -> None:
    messages = {}
    for language in LANGUAGES:
        response = Client(HTTP_ACCEPT_LANGUAGE=language).post(cast_url(world), data=b"[", content_type="application/json")
        messages[language] = response.json()["message"]
    assert messages["kk"] != messages["en"] and messages["ru"] != messages["en"]
    default = Client().post(cast_url(world), data=b"[", content_type="application/json").json()["message"]
    assert default == messages["kk"]
    for reason in CastReason:
        texts = {}
        for language in LANGUAGES:
            with translation.override(language):
                texts[language] = error_message(CastRefused(reason))
        assert texts["kk"] != texts["en"] and texts["ru"] != texts["en"], reason
        for lang in ("kk", "ru"):
            assert not re.search(r"\b[A-Za-z]{3,}\b", texts[lang].replace("JSON", "").replace("Content-Type", "")
                                 .replace("application/json", "")), (reason, texts[lang])
    for err in (VotingSetupRefused("e", SetupReason.NO_KEY), VoterAuthRefused(AuthReason.WRONG)):
        with translation.override("ru"):
            ru = error_message(err)
        with translation.override("en"):
            assert ru != error_message(err)


def test_nothing_half_written_when_the_board_fails(world: VotingWorld, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    archive = ElectionDir(Path(world.pe.path)).archive
    before = archive.stat().st_size

    def broken(self: LogStore, staged: Any) -> list[int]:
        raise OSError("disk full")

    monkeypatch.setattr(LogStore, "commit", broken)  # the board's leaves are written, never committed
    client = voter_client(world)
    refused(post_ballot(client, world, world.ballot(world.remote[0], 1)), CastReason.UNAVAILABLE)
    assert archive.stat().st_size == before and not CastBallot.objects.exists()
    monkeypatch.undo()
    monkeypatch.setattr(api, "clock", lambda: DURING)
    response = post_ballot(client, world, world.ballot(world.remote[0], 1))
    assert response.status_code == 201
    assert check_receipt(world, response.json()["receipt"], tmp_path) == 0


def test_a_failed_database_write_is_reconciled(world: VotingWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ballot reached the board but its row could not be written: the voter gets no receipt,
    and the next batch records the row from the archive (the ballot is cast, and stays counted)."""
    real = casting._record
    calls = {"n": 0}

    def flaky(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database went away")
        real(*args)

    monkeypatch.setattr(casting, "_record", flaky)
    first = world.ballot(world.remote[0], 1)
    refused(post_ballot(voter_client(world), world, first), CastReason.UNAVAILABLE)
    assert post_ballot(voter_client(world), world, world.ballot(world.remote[1], 1)).status_code == 201
    assert CastBallot.objects.count() == 2  # the first one recovered from the archive
    refused(post_ballot(voter_client(world), world, first), CastReason.REPLAY)


@pytest.mark.postgres_only  # concurrent database writers need PostgreSQL (make test's second pass)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_casts_share_commits(election: Election, tmp_path: Path) -> None:
    """50 voters at once through the web endpoint, all to one precinct (PostgreSQL: SQLite's shared
    in-memory test database refuses concurrent writers; tests/test_ballotbox.py covers the ballot
    box's own concurrency, threads and processes, on any database)."""
    w = voting_world(election, remote=50, station=0, issued=0)
    open_voting(election)
    ballots = [w.ballot(c, i % 5) for i, c in enumerate(w.remote)]
    results: list[Any] = [None] * len(ballots)
    clients = [voter_client(w) for _ in ballots]

    def vote(i: int) -> None:
        try:
            results[i] = post_ballot(clients[i], w, ballots[i])
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(len(ballots))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in results] == [201] * len(ballots)
    for r in results:
        assert check_receipt(w, r.json()["receipt"], tmp_path) == 0
    assert CastBallot.objects.count() == len(ballots)
    assert len(set(CastBallot.objects.values_list("height", flat=True))) == len(ballots)
    d = ElectionDir(Path(w.pe.path))
    close_and_tally(d)
    pd, owned = make_partial_decryption(d, 1, w.secret)
    add_partial_decryption(d, pd, owned)
    assert compute_result(d) == [[10, 10, 10, 10, 10]]
    assert saylau(["verify", str(d.path)]) == 0


def test_cast_logs_no_trace_of_the_voter(world: VotingWorld, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = voter_client(world, REMOTE_ADDR="203.0.113.77")
    ok = post_ballot(client, world, world.ballot(world.remote[0], 1))
    post_ballot(client, world, b"[")  # a refusal: Django logs a warning for the 4xx
    tracker = ok.json()["tracker"]
    for record in caplog.records:
        text = record.getMessage() + str(getattr(record, "request", "") or "")
        assert "203.0.113.77" not in text
        assert tracker not in text
        assert getattr(record, "request", None) is None or record.name != "django.request"


# --- remote login and the kiosk -------------------------------------------------------------------


def test_password_login_then_cast(world: VotingWorld, election: Election) -> None:
    VoterPassword.objects.create(election=election, ref="ref-1", precinct="makhambet-101",
                                 digest=auth.password_digest("Secret-Pass-123"), issued_at=CALLED)
    client = Client()
    wrong = client.post(f"/en/vote/{election.code}/login/", {"ref": "ref-1", "password": "nope"})
    assert wrong.status_code == 400 and "wrong" in wrong.content.decode()
    assert client.post(f"/en/vote/{election.code}/login/", {"ref": "nobody", "password": "x"}).status_code == 400
    good = client.post(f"/en/vote/{election.code}/login/", {"ref": "ref-1", "password": "Secret-Pass-123"})
    assert good.status_code == 302
    from django.core import signing

    cookie = client.cookies[auth.PASS_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    passes = signing.loads(cookie.value, salt=auth.PASS_SALT)
    assert "ref-1" not in json.dumps(passes) and passes[election.code][0] == "makhambet-101"  # no voter in it
    assert not client.session.keys()  # nor in the session: the pass is all the cast API reads
    first = world.ballot(world.remote[0], 1)
    assert post_ballot(client, world, first).status_code == 201
    login = auth.voter_pass(client.get(f"/kk/vote/{election.code}/").wsgi_request, election, now=DURING)
    assert login is not None and CastBallot.objects.get(login=login.login).credential == json.loads(first)["credential"]
    assert 'type="radio"' in client.get(f"/kk/vote/{election.code}/").content.decode()
    refused(post_ballot(client, world, world.ballot(world.remote[1], 1)), CastReason.OTHER_CREDENTIAL)
    # a forged, an expired or another precinct's pass is no login
    forged = Client()
    forged.cookies[auth.PASS_COOKIE] = cookie.value[:-2] + ("AA" if not cookie.value.endswith("AA") else "BB")
    refused(post_ballot(forged, world, world.ballot(world.remote[1], 1)), CastReason.NOT_AUTHENTICATED)
    stale = Client()
    old = DURING - timedelta(seconds=auth.PASS_AGE + 1)
    stale.cookies[auth.PASS_COOKIE] = auth.pass_cookie({election.code: auth.new_pass("makhambet-101", old)})
    refused(post_ballot(stale, world, world.ballot(world.remote[1], 1)), CastReason.NOT_AUTHENTICATED)
    elsewhere = Client()
    elsewhere.cookies[auth.PASS_COOKIE] = auth.pass_cookie({election.code: auth.new_pass("makhambet-102", DURING)})
    refused(post_ballot(elsewhere, world, world.ballot(world.remote[1], 1)), CastReason.NOT_AUTHENTICATED)


def test_passwords_issue_keeps_digests_only(users: Any, election: Election) -> None:
    from saylau.web.credentials.models import VoterRef
    from tests.web.voting_world import precinct

    place = precinct()
    from datetime import date

    from saylau.web.voters.models import Voter

    for i in range(3):
        v = Voter.objects.create(iin_digest=f"{i:064d}", birth_date=date(1990, 1, 1), precinct=place.code)
        VoterRef.objects.create(voter=v, election=election, token=f"tok-{i}")
    rows = passwords_issue(actor=None, election=election, now=CALLED)
    assert len(rows) == 3 and passwords_issue(actor=None, election=election, now=CALLED) == []
    for _precinct, ref, password in rows:
        stored = VoterPassword.objects.get(ref=ref)
        assert password not in stored.digest and auth.password_matches(password, stored.digest)
    chair = users[Role.COMMISSION]
    response = client_for(chair).post(f"/en/vote/{election.code}/manage/", {"action": "passwords"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


class FakeEgov(auth.OidcBackend):
    """A fake identity provider for the tests: the voter reference comes in the query string."""

    def authenticate(self, request: Any, *, election: Election) -> str | None:
        return request.GET.get("fake_ref") or None


def test_oidc_backend_hook(world: VotingWorld, election: Election, settings: Any) -> None:
    settings.VOTER_AUTH_BACKENDS = ["saylau.web.voting.auth.PasswordBackend", f"{__name__}.FakeEgov"]
    VoterPassword.objects.create(election=election, ref="ref-2", precinct="makhambet-101",
                                 digest=auth.password_digest("x" * 16), issued_at=CALLED)
    client = Client()
    assert client.get(f"/en/vote/{election.code}/login/oidc/").status_code == 400
    assert client.get(f"/en/vote/{election.code}/login/oidc/?fake_ref=ref-2").status_code == 302
    assert post_ballot(client, world, world.ballot(world.remote[0], 1)).status_code == 201
    settings.VOTER_AUTH_BACKENDS = ["saylau.web.voting.auth.PasswordBackend"]
    assert client.get(f"/en/vote/{election.code}/login/oidc/").status_code == 404


def test_kiosk_station_cards_never_outnumber_ballots_issued(world: VotingWorld, users: Any,
                                                             election: Election) -> None:
    chair = users[Role.COMMISSION]
    kiosk = client_for(chair)
    url = f"/en/vote/{election.code}/kiosk/makhambet-101/"
    assert 'type="radio"' not in kiosk.get(url).content.decode()
    assert kiosk.post(url).status_code == 302
    assert not kiosk.session.get("_auth_user_id")  # the member was logged out of the kiosk
    assert 'type="radio"' in kiosk.get(url).content.decode()
    assert post_ballot(kiosk, world, world.ballot(world.station[0], 1)).status_code == 201
    assert post_ballot(kiosk, world, world.ballot(world.station[0], 2)).status_code == 201  # the same card again
    refused(post_ballot(kiosk, world, world.ballot(world.station[1], 1)), CastReason.STATION_LIMIT)  # 1 issued
    refused(post_ballot(kiosk, world, world.ballot(world.remote[0], 1)), CastReason.NOT_AUTHENTICATED)
    assert PrecinctElection.objects.get(pk=world.pe.pk).station_cards_used == 1
    assert client_for(users[Role.CITIZEN]).post(url).status_code == 403
    # the published control figures: 4 letters, 1 voter marked, 1 card used, 2 ballots (a re-vote)
    page = Client().get(f"/en/vote/{election.code}/figures/").content.decode()
    row = re.search(r'<th scope="row">.*?</tr>', page, re.S)
    assert row is not None and re.findall(r"<td>(\w+)</td>", row.group(0)) == ["4", "1", "1", "2", "yes"]
    assert "The control relation holds in every precinct" in page


def test_the_precinct_records_go_to_the_decryption_ceremony(world: VotingWorld, users: dict[Role, User | None]) -> None:
    from saylau.web.ceremony.models import PrecinctRecord
    from saylau.web.ceremony.services import records_tally
    from saylau.web.voting.services import voting_records_register

    client = voter_client(world)
    for credential, answer in ((world.remote[0], 0), (world.remote[1], 2), (world.remote[0], 4)):  # a re-vote
        assert post_ballot(client if credential == world.remote[0] else voter_client(world), world,
                           world.ballot(credential, answer)).status_code == 201
    Election.objects.filter(pk=world.election.pk).update(stage="counting")
    world.election.refresh_from_db()
    chair = users[Role.COMMISSION]
    assert voting_records_register(actor=chair, election=world.election, now=VOTE) == 1  # type: ignore[arg-type]
    assert voting_records_register(actor=chair, election=world.election, now=VOTE) == 0  # once only
    [figures] = BoardEvent.objects.filter(kind="voting.figures").values_list("data", flat=True)
    assert figures["precincts"][0]["precinct"] == "makhambet-101" and figures["precincts"][0]["control_holds"]
    record = PrecinctRecord.objects.get(precinct=world.pe.precinct)
    assert record.ballots_issued == 4 + 1  # remote letters + polling-station ballots issued
    (tallied,) = records_tally(actor=chair, election=world.election, now=VOTE)  # type: ignore[arg-type]
    assert tallied.num_tallied == 2  # the last ballot of each credential
