"""Voter credentials on the server (web.credentials): the roll export for the CA, the upload of the
CA's signed lists (count per precinct and channel, signature, fixed when voting opens),
replacements, the selectors of the voting server, polling-station mode (issue once, scope, log
hygiene), the audio ballot, and the translations of the refusals."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import wave
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from saylau.board.note import Signer
from saylau.crypto.group import SYSTEM_RNG
from saylau.domain.commissions import CommissionLevel, MemberRole
from saylau.domain.credentials import (
    BallotIssueRefused,
    Channel,
    CredentialCountMismatch,
    CredentialListInvalid,
    CredentialsRefused,
)
from saylau.domain.election import Stage
from saylau.domain.errors import VoterNotFound
from saylau.record import credauthority as ca
from saylau.web.commissions.models import Commission
from saylau.web.commissions.services import commission_create, membership_add
from saylau.web.core.access import Role
from saylau.web.core.errors import MESSAGES, error_message
from saylau.web.core.models import AuditEntry, BoardEvent
from saylau.web.credentials import selectors, services, views
from saylau.web.credentials.models import BallotIssue, CredentialSet, PublicCredential
from saylau.web.elections.models import Election
from saylau.web.results.models import BallotDefinition
from saylau.web.territory.models import Level, Precinct, TerritorialUnit
from saylau.web.territory.services import precinct_create, territorial_unit_create
from saylau.web.voters.services import roll_import
from tests.web.candidates_world import IN_REGISTRATION, advance, iin_for
from tests.web.conftest import CALLED, VOTE, client_for, commission_tree

BORN = date(1980, 5, 17)
IP = "203.0.113.77"


@pytest.fixture
def world(users: dict[Role, User | None], election: Election) -> dict[str, Any]:
    """Precincts 101 (three voters) and 102 (two voters, all at the polling station), the
    Makhambet chair, and a CA key registered for the election."""
    saraishyk = TerritorialUnit.objects.get(code="saraishyk")
    p101 = precinct_create(actor=None, code="makhambet-101", number=101, territory=saraishyk,
                           address_kk="Сарайшық ауылы, 1", accessible=True, now=CALLED)
    p102 = precinct_create(actor=None, code="makhambet-102", number=102, territory=saraishyk,
                           address_kk="Сарайшық ауылы, 2", accessible=False, now=CALLED)
    iins = [iin_for(BORN, 10 * i + 1) for i in range(5)]
    lines = ["iin,surname,given_name,birth_date,precinct\n"] + [
        f"{iin},Әлиев,Ерлан,{BORN.isoformat()},{'makhambet-101' if i < 3 else 'makhambet-102'}\n"
        for i, iin in enumerate(iins)]
    chair = users[Role.COMMISSION]
    assert isinstance(chair, User)
    record = roll_import(actor=chair, commission=Commission.objects.get(code="makhambet"), lines=lines,
                         file_name="roll.csv", sha256="0" * 64, size=1, now=CALLED)
    assert record.accepted == 5, list(record.errors.values_list("code", "reason"))
    signer = Signer.generate("test/ca")
    services.ca_key_register(actor=chair, election=election, vkey=signer.vkey(), now=CALLED)
    services.precinct_channel_set(actor=chair, election=election, precinct="makhambet-102", channel=Channel.STATION,
                                  now=CALLED)
    return {"chair": chair, "election": election, "p101": p101, "p102": p102, "iins": iins, "signer": signer}


def _generate(world: dict[str, Any], signer: Signer | None = None) -> ca.Generation:
    rows = services.roll_export(actor=world["chair"], election=world["election"], now=CALLED)
    text = "\n".join(",".join(r) for r in [list(ca.ROLL_HEADER), *rows]) + "\n"
    roll = ca.parse_roll_export(io.StringIO(text), world["election"].code)
    return ca.generate(roll, election=world["election"].code, uuid="h6S2PidkvfE8QM", group_name="Ed25519",
                       signer=signer or world["signer"], rng=SYSTEM_RNG)


def _bundle(world: dict[str, Any], made: ca.Generation) -> str:
    return ca.upload_bundle(world["election"].code, "Ed25519", made.lists)


def _upload(world: dict[str, Any], text: str) -> list[CredentialSet]:
    return services.credentials_upload(actor=world["chair"], election=world["election"], text=text, now=CALLED)


def _to_voting(election: Election) -> Election:
    election = advance(election, Stage.NOMINATION, at=CALLED + timedelta(days=1))
    election = advance(election, Stage.REGISTRATION, at=IN_REGISTRATION - timedelta(days=1))
    election = advance(election, Stage.CAMPAIGN, at=VOTE - timedelta(days=14))
    return advance(election, Stage.VOTING, at=VOTE + timedelta(hours=1))


def _board(kind: str) -> list[dict[str, Any]]:
    return [e.data for e in BoardEvent.objects.filter(kind=kind).order_by("pk")]


# --- the roll export and the upload ----------------------------------------------------------------


def test_roll_export_gives_references_and_counts_never_an_iin(world: dict[str, Any]) -> None:
    response = client_for(world["chair"]).post(f"/kk/elections/{world['election'].code}/credentials/roll-export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert tuple(rows[0]) == ca.ROLL_HEADER
    remote = [r for r in rows[1:] if r[2] == "remote"]
    station = [r for r in rows[1:] if r[2] == "station"]
    assert len(remote) == 3 and {r[1] for r in remote} == {"makhambet-101"}
    assert station == [[world["election"].code, "makhambet-102", "station", "2", "", ""]]
    assert len({r[4] for r in remote}) == 3
    assert not re.search(r"\d{12}", body)
    for iin in world["iins"]:
        assert iin not in body
    # a second export keeps the references
    again = services.roll_export(actor=world["chair"], election=world["election"], now=CALLED)
    assert {r[4] for r in again if r[2] == "remote"} == {r[4] for r in remote}
    audit = AuditEntry.objects.filter(action="credentials.roll_export").last()
    assert audit is not None and (audit.data["remote"], audit.data["station"]) == (3, 2)


def test_upload_stores_and_publishes_each_list(world: dict[str, Any]) -> None:
    made = _generate(world)
    upload = SimpleUploadedFile("upload.json", _bundle(world, made).encode(), content_type="application/json")
    response = client_for(world["chair"]).post(f"/kk/elections/{world['election'].code}/credentials/upload/",
                                               {"upload-file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    sets = {(s.precinct.code, s.channel): s for s in CredentialSet.objects.all()}
    assert {k: s.count for k, s in sets.items()} == {("makhambet-101", "remote"): 3, ("makhambet-102", "station"): 2}
    published = _board("credentials.published")
    assert {(e["precinct"], e["channel"], e["count"]) for e in published} == {
        ("makhambet-101", "remote", 3), ("makhambet-102", "station", 2)}
    for event in published:
        assert set(event) == {"election", "precinct", "channel", "count", "sha256", "fingerprint", "uuid", "signer"}
    refs = {letter.ref for letter in made.letters}
    everything = json.dumps([e.data for e in BoardEvent.objects.all()]) + json.dumps(
        list(AuditEntry.objects.values_list("data", flat=True)))
    assert not any(ref in everything for ref in refs)
    assert not any(iin in everything for iin in world["iins"])
    # the voting server's selectors
    election = world["election"]
    listed = selectors.public_credentials(election, "makhambet-101")
    assert listed == sorted(listed) and len(listed) == 3
    state = selectors.credential_state(election, listed[0])
    assert state is not None and (state.state, state.precinct, state.channel) == ("valid", "makhambet-101",
                                                                                  Channel.REMOTE)
    assert selectors.credential_state(election, "00" * 32) is None
    # the public list
    public = client_for(None).get(f"/en/elections/{election.code}/credentials/makhambet-101.json").json()
    assert public["credentials"] == listed and public["lists"][0]["sha256"] == sets[("makhambet-101", "remote")].sha256


def test_a_count_that_differs_from_the_roll_is_refused_naming_the_precinct(world: dict[str, Any]) -> None:
    made = _generate(world)
    # after the export, one voter of 101 is moved to the polling station: 2 remote voters, 3 credentials
    services.voter_channel_set(actor=world["chair"], election=world["election"], iin=world["iins"][0],
                               birth_date=BORN, channel=Channel.STATION, language="ru", now=CALLED)
    with pytest.raises(CredentialCountMismatch) as refused:
        _upload(world, _bundle(world, made))
    assert (refused.value.precinct, refused.value.expected, refused.value.got) == ("makhambet-101", 2, 3)
    assert not CredentialSet.objects.exists() and not PublicCredential.objects.exists()  # all or nothing
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            assert "makhambet-101" in error_message(refused.value)
    upload = SimpleUploadedFile("upload.json", _bundle(world, made).encode())
    response = client_for(world["chair"]).post(f"/ru/elections/{world['election'].code}/credentials/upload/",
                                               {"upload-file": upload})
    assert response.status_code == 409 and "makhambet-101" in response.content.decode()


def test_lists_signed_by_another_key_or_tampered_are_refused(world: dict[str, Any]) -> None:
    other = _generate(world, Signer.generate("someone/else"))
    with pytest.raises(CredentialListInvalid) as refused:
        _upload(world, _bundle(world, other))
    assert refused.value.reason == "signature"
    made = _generate(world)
    bundle = json.loads(_bundle(world, made))
    data = json.loads(bundle["lists"][0]["data"])
    data[0] = data[1]
    bundle["lists"][0]["data"] = json.dumps(data, separators=(",", ":"))
    with pytest.raises(CredentialListInvalid) as tampered:
        _upload(world, json.dumps(bundle))
    assert tampered.value.reason == "signature"
    for bad in ("not json", "{}", json.dumps({"format": ca.UPLOAD_FORMAT, "election": "other", "lists": []})):
        with pytest.raises(CredentialListInvalid):
            _upload(world, bad)
    assert not CredentialSet.objects.exists()


def test_a_list_is_uploaded_once(world: dict[str, Any]) -> None:
    made = _generate(world)
    _upload(world, _bundle(world, made))
    with pytest.raises(CredentialsRefused) as refused:
        _upload(world, _bundle(world, made))
    assert refused.value.reason == "already_uploaded"
    with pytest.raises(CredentialsRefused) as channel:
        services.voter_channel_set(actor=world["chair"], election=world["election"], iin=world["iins"][0],
                                   birth_date=BORN, channel=Channel.STATION, language="kk", now=CALLED)
    assert channel.value.reason == "channel_fixed"


def test_a_lost_letter_is_replaced_before_voting_opens_and_the_lists_are_fixed_then(world: dict[str, Any]) -> None:
    made = _generate(world)
    _upload(world, _bundle(world, made))
    ref = made.letters[0].ref
    record, letter = ca.replace(made.store, ref, signer=world["signer"], rng=SYSTEM_RNG)
    client = client_for(world["chair"])
    code = world["election"].code
    response = client.post(f"/kk/elections/{code}/credentials/replace/",
                           {"replace-file": SimpleUploadedFile("r.json", record.file_text().encode())})
    assert response.status_code == 302, response.content.decode()[:2000]
    election = world["election"]
    assert selectors.credential_state(election, record.old).state == "revoked"  # type: ignore[union-attr]
    assert selectors.credential_state(election, record.new).state == "valid"  # type: ignore[union-attr]
    assert record.old not in selectors.public_credentials(election, "makhambet-101")
    event = _board("credentials.replaced")[-1]
    assert (event["precinct"], event["valid"], event["revoked"]) == ("makhambet-101", 3, 1)
    assert ref not in json.dumps(event)
    # the same record again: the old one is revoked already
    with pytest.raises(CredentialsRefused) as again:
        services.credentials_replace(actor=world["chair"], election=election, text=record.file_text(), now=CALLED)
    assert again.value.reason == "revoked"
    # voting opens: the lists are fixed, on the board
    election = _to_voting(election)
    assert not CredentialSet.objects.filter(fixed_at__isnull=True).exists()
    fixed = _board("credentials.fixed")[-1]
    assert {(x["precinct"], x["count"]) for x in fixed["lists"]} == {("makhambet-101", 3), ("makhambet-102", 2)}
    second, _ = ca.replace(made.store, made.letters[1].ref, signer=world["signer"], rng=SYSTEM_RNG)
    with pytest.raises(CredentialsRefused) as late:
        services.credentials_replace(actor=world["chair"], election=election, text=second.file_text(), now=VOTE)
    assert late.value.reason == "fixed"
    with pytest.raises(CredentialsRefused) as upload_late:
        _upload(world | {"election": election}, _bundle(world, made))
    assert upload_late.value.reason == "fixed"
    response = client.post(f"/en/elections/{code}/credentials/replace/",
                           {"replace-file": SimpleUploadedFile("r.json", second.file_text().encode())})
    assert response.status_code == 409 and "fixed" in response.content.decode()


def test_workspace_is_scoped(world: dict[str, Any], election: Election) -> None:
    assert client_for(world["chair"]).get(f"/kk/elections/{election.code}/credentials/").status_code == 200
    outsider = _other_district_member()
    assert client_for(outsider).get(f"/kk/elections/{election.code}/credentials/").status_code == 403
    assert client_for(outsider).post(f"/kk/elections/{election.code}/credentials/roll-export/").status_code == 403


def _other_district_member() -> User:
    tree = commission_tree()
    region = TerritorialUnit.objects.get(code="atyrau")
    isatay = territorial_unit_create(actor=None, code="isatay", level=Level.DISTRICT, kind="district", parent=region,
                                     name_kk="Исатай ауданы", now=CALLED)
    commission = commission_create(actor=None, code="isatay", level=CommissionLevel.DISTRICT, name_kk="Исатай",
                                   territory=isatay, parent=tree["atyrau-tec"], now=CALLED)
    user = User.objects.create_user("isatay-member", password="x-password-1")
    membership_add(actor=None, commission=commission, user=user, role=MemberRole.MEMBER, start=CALLED,
                   nominated_by="", now=CALLED)
    return user


# --- polling-station mode ------------------------------------------------------------------------


def _station_url(election: Election, precinct: str = "makhambet-102", language: str = "kk") -> str:
    return f"/{language}/elections/{election.code}/station/{precinct}/"


@pytest.fixture
def voting(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    made = _generate(world)
    _upload(world, _bundle(world, made))
    election = _to_voting(world["election"])
    monkeypatch.setattr(views, "clock", lambda: VOTE + timedelta(hours=2, minutes=17, seconds=5))
    return world | {"election": election}


def test_a_station_voter_is_issued_one_ballot_never_two(voting: dict[str, Any]) -> None:
    election, iin = voting["election"], voting["iins"][3]
    client = client_for(voting["chair"], REMOTE_ADDR=IP)
    assert client.get(_station_url(election)).status_code == 200
    check = client.post(_station_url(election), {"iin": iin, "birth_date": BORN.isoformat(), "action": "check"})
    assert check.status_code == 200 and 'value="issue"' in check.content.decode()
    issued = client.post(_station_url(election), {"iin": iin, "birth_date": BORN.isoformat(), "action": "issue"})
    assert issued.status_code == 302
    assert selectors.station_issued_count(election, "makhambet-102") == 1
    again = client.post(_station_url(election, language="ru"), {"iin": iin, "birth_date": BORN.isoformat(),
                                                                 "action": "issue"})
    assert again.status_code == 409
    with translation.override("ru"):
        assert error_message(BallotIssueRefused("already_issued")) in again.content.decode()
    assert BallotIssue.objects.count() == 1
    # the audit keeps the member, the precinct, the count, and the hour only
    audit = AuditEntry.objects.get(action="credentials.ballot_issued")
    assert audit.data == {"election": election.code, "precinct": "makhambet-102", "issued": 1}
    assert (audit.at.minute, audit.at.second) == (0, 0)
    assert audit.object_type == "territory.precinct"


def test_station_refusals(voting: dict[str, Any]) -> None:
    election, iins = voting["election"], voting["iins"]
    client = client_for(voting["chair"])
    url = _station_url(election)
    unknown = client.post(url, {"iin": iin_for(date(1970, 1, 1), 900), "birth_date": "1970-01-01", "action": "issue"})
    wrong_date = client.post(url, {"iin": iins[3], "birth_date": "1981-05-17", "action": "issue"})
    assert unknown.status_code == wrong_date.status_code == 400
    with translation.override("kk"):
        message = error_message(VoterNotFound())
    assert message in unknown.content.decode() and message in wrong_date.content.decode()
    remote = client.post(_station_url(election, "makhambet-101"), {"iin": iins[0], "birth_date": BORN.isoformat(),
                                                                   "action": "issue"})
    assert remote.status_code == 409
    other = client.post(url, {"iin": iins[0], "birth_date": BORN.isoformat(), "action": "issue"})
    assert other.status_code == 409
    bad = client.post(url, {"iin": "123", "birth_date": "x", "action": "issue"})
    assert bad.status_code == 400
    assert not BallotIssue.objects.exists()


def test_before_voting_no_ballot_is_issued(world: dict[str, Any]) -> None:
    with pytest.raises(BallotIssueRefused) as refused:
        services.ballot_issue(actor=world["chair"], election=world["election"], precinct=world["p102"],
                              iin=world["iins"][3], birth_date=BORN, now=CALLED)
    assert refused.value.reason == "not_voting"


def test_station_scope_precinct_commission_and_outsiders(voting: dict[str, Any]) -> None:
    election = voting["election"]
    tree = commission_tree()
    precinct_commission = commission_create(
        actor=None, code="pec-102", level=CommissionLevel.PRECINCT, name_kk="№102 учаскелік комиссия",
        precinct=Precinct.objects.get(code="makhambet-102"), parent=tree["makhambet"], now=CALLED)
    member = User.objects.create_user("pec-member", password="x-password-1")
    membership_add(actor=None, commission=precinct_commission, user=member, role=MemberRole.SECRETARY, start=CALLED,
                   nominated_by="", now=CALLED)
    assert client_for(member).get(_station_url(election)).status_code == 200
    assert client_for(member).get(_station_url(election, "makhambet-101")).status_code == 403
    outsider = _other_district_member()
    assert client_for(outsider).get(_station_url(election)).status_code == 403
    assert client_for(outsider).post(_station_url(election), {"iin": voting["iins"][3], "birth_date": BORN.isoformat(),
                                                              "action": "issue"}).status_code == 403
    assert client_for(outsider).post(_station_url(election) + "publish/").status_code == 403
    assert not BallotIssue.objects.exists()


def test_control_figures_are_published_as_counts(voting: dict[str, Any]) -> None:
    election = voting["election"]
    client = client_for(voting["chair"])
    for iin in voting["iins"][3:]:
        assert client.post(_station_url(election), {"iin": iin, "birth_date": BORN.isoformat(),
                                                    "action": "issue"}).status_code == 302
    assert not BoardEvent.objects.filter(kind="credentials.station_counts").exists()  # never one per voter
    assert client.post(_station_url(election) + "publish/").status_code == 302
    assert _board("credentials.station_counts") == [{"election": election.code, "precinct": "makhambet-102",
                                                     "issued": 2, "cards": 2}]


def test_no_log_record_of_a_marking_request_holds_the_iin_or_the_address(
        voting: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    election, iin = voting["election"], voting["iins"][3]
    client = client_for(voting["chair"], REMOTE_ADDR=IP)
    caplog.set_level(logging.DEBUG)
    for action in ("check", "issue", "issue"):  # the last one is refused (409) and logged by Django
        client.post(_station_url(election), {"iin": iin, "birth_date": BORN.isoformat(), "action": action})
    client.post(_station_url(election), {"iin": "12345678901", "birth_date": "x"})  # 400
    assert caplog.records, "Django logs the refusals"
    for record in caplog.records:
        text = repr(record.__dict__) + record.getMessage()
        assert iin not in text and IP not in text, text
        assert getattr(record, "request", None) is None
    marked = [r for r in caplog.records if r.name == "django.request"]
    assert marked and all(r.created % 3600 == 0 for r in marked)


# --- the audio ballot ------------------------------------------------------------------------------


def _ballot(election: Election) -> None:
    BallotDefinition.objects.create(
        election=election, question=0, rule={"system": "plurality"}, created_at=CALLED,
        data={"election": election.code, "question": 0, "against_all_position": 2, "against_all_label": "Against all",
              "contestants": [{"id": "candidate-1", "label": "Сейітов Бауыржан", "order": 0},
                              {"id": "candidate-2", "label": "Иванова Анна", "order": 1}]})


def test_audio_ballot_in_three_languages(users: dict[Role, User | None], election: Election, settings: Any,
                                         tmp_path: Any) -> None:
    settings.SAYLAU_AUDIO_DIR = tmp_path / "audio"
    _ballot(election)
    client = client_for(users[Role.COMMISSION])
    response = client.post(f"/kk/elections/{election.code}/credentials/audio/")
    assert response.status_code == 302, response.content.decode()[:3000]
    for language in ("kk", "ru", "en"):
        manifest = selectors.audio_manifest(election, language)
        assert [m["answer_index"] for m in manifest] == [None, 0, 1, 2]
        for entry in manifest:
            path = services.audio_path(entry["sha256"])
            with wave.open(str(path)) as w:
                seconds = w.getnframes() / w.getframerate()
            assert seconds > 0.5, (language, entry)
            served = client_for(None).get(entry["url"])
            assert served.status_code == 200 and served["Content-Type"] == "audio/wav"
            assert b"".join(served.streaming_content) == path.read_bytes()  # type: ignore[attr-defined]
    with translation.override("ru"):
        assert "Против всех" in selectors.audio_manifest(election, "ru")[3]["text"]
    event = _board("credentials.audio")[-1]
    assert len(event["files"]) == 12
    assert client_for(None).get("/kk/audio/" + "0" * 64 + ".wav").status_code == 404


def test_audio_fails_loudly_without_espeak(users: dict[Role, User | None], election: Election,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _ballot(election)
    monkeypatch.setattr(services, "ESPEAK", "no-such-espeak-ng")
    with pytest.raises(CredentialsRefused) as refused:
        services.audio_generate(actor=None, election=election, now=CALLED)
    assert refused.value.reason == "audio_unavailable"
    response = client_for(users[Role.COMMISSION]).post(f"/en/elections/{election.code}/credentials/audio/")
    assert response.status_code == 409


def test_audio_needs_a_ballot(election: Election) -> None:
    with pytest.raises(CredentialsRefused) as refused:
        services.audio_generate(actor=None, election=election, now=CALLED)
    assert refused.value.reason == "no_ballot"


# --- translations ----------------------------------------------------------------------------------


def _examples() -> list[Any]:
    from saylau.web.credentials.messages import ISSUE, LIST_REASONS, REFUSED

    out: list[Any] = [CredentialsRefused("e", reason, "makhambet-101") for reason in REFUSED]
    out += [CredentialListInvalid(p, reason) for reason in LIST_REASONS for p in ("", "makhambet-101")]
    out += [CredentialCountMismatch("makhambet-101", c, 3, 2) for c in Channel]
    out += [BallotIssueRefused(reason) for reason in ISSUE]
    return out


def test_every_credentials_error_is_translated() -> None:
    for error in _examples():
        assert error.code in MESSAGES
        with translation.override("en"):
            english = error_message(error)
        for language in ("kk", "ru"):
            with translation.override(language):
                message = error_message(error).replace("makhambet-101", "")
            assert message and message != english, (language, error.code, error.data)
            assert not re.search(r"[A-Za-z]{4,}", message), message


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_pages_render_in_every_language(world: dict[str, Any], language: str) -> None:
    client = client_for(world["chair"])
    code = world["election"].code
    for url in (f"/{language}/elections/{code}/credentials/", f"/{language}/elections/{code}/station/makhambet-102/"):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200 and body.count("<h1") == 1, url
        ids = re.findall(r'\sid="([^"]+)"', body)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        assert f'lang="{language}"' in body
