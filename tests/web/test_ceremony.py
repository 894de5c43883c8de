"""The trustees' ceremonies (web.ceremony): the 2-of-3 key ceremony through the web pages and the real
`saylau` commands, decryption by any 2 of the 3 trustees with `saylau trustee decrypt-many`, the
precinct protocols handed to the results app, a single trustee, the refusals, the board events and
the translations of the ceremony's errors."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from saylau.cli.main import main
from saylau.crypto import credentials
from saylau.crypto.group import SYSTEM_RNG, group_by_name
from saylau.crypto.trustees import verify_trustees
from saylau.domain.ceremony import (
    CeremonySetupInvalid,
    CeremonyStepRefused,
    CeremonyUploadInvalid,
    Step,
)
from saylau.domain.commissions import CommissionLevel, MemberRole
from saylau.domain.errors import DomainError
from saylau.record.ballot import make_ballot
from saylau.record.election import election_from_template
from saylau.record.workflow import ElectionDir, cast, init_archive
from saylau.web.candidates.models import Candidate
from saylau.web.ceremony import services, views
from saylau.web.ceremony.models import KeyCeremony, PrecinctRecord
from saylau.web.commissions.models import Commission, Membership
from saylau.web.commissions.services import commission_create, membership_add, membership_end
from saylau.web.core.access import Role
from saylau.web.core.errors import MESSAGES, error_message
from saylau.web.core.models import AuditEntry, BoardEvent
from saylau.web.core.publicboard import board_flush
from saylau.web.elections.models import Election
from saylau.web.results import services as results
from saylau.web.results.models import ResultProtocol
from saylau.web.territory.models import Level, Precinct, TerritorialUnit
from saylau.web.territory.services import precinct_create, territorial_unit_create
from saylau.web.voters.models import Voter
from tests.web.conftest import CALLED, VOTE, client_for, commission_tree

Users = dict[Role, User | None]
COUNTING = VOTE + timedelta(days=1)
PASSPHRASE = "trustee test passphrase"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAYLAU_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(views, "clock", lambda: COUNTING)


def kinds(kind: str) -> list[dict[str, Any]]:
    return [e.data for e in BoardEvent.objects.filter(kind=kind).order_by("id")]


def saylau(*argv: str) -> str:
    """Run a `saylau` command as a trustee would; its standard output (exit code 0 required)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    assert code == 0, (argv, out.getvalue())
    return out.getvalue()


def saylau_refuses(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 2
    return capsys.readouterr().err


def member(username: str, first: str, commission: str = "makhambet") -> User:
    user = User.objects.create_user(username, first_name=first, last_name="Тест")
    membership_add(actor=None, commission=Commission.objects.get(code=commission), user=user,
                   role=MemberRole.MEMBER, start=CALLED, now=CALLED)
    return user


@pytest.fixture
def trio(users: Users) -> list[User]:
    chair = users[Role.COMMISSION]
    assert chair is not None
    return [chair, member("bolat", "Болат"), member("dana", "Дана")]


def upload(client: Any, election: Election, step: str, path: Path, name: str | None = None) -> Any:
    return client.post(f"/kk/elections/{election.code}/ceremony/trustee/upload/{step}/",
                       {"file": SimpleUploadedFile(name or path.name, path.read_bytes())})


def download(client: Any, url: str, target: Path) -> Path:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Disposition"].startswith("attachment")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    target.write_bytes(body)
    return target


def counting(election: Election) -> Election:
    Election.objects.filter(pk=election.pk).update(stage="counting")
    return Election.objects.get(pk=election.pk)


def ballot(election: Election) -> list[str]:
    """Two registered candidates and the ballot definition; the answers in ballot order."""
    for i, surname in enumerate(("Бекова", "Әлиев")):
        Candidate.objects.create(election=election, surname=surname, given_name="Test", birth_date=date(1970, 1, 1),
                                 identity_digest=f"{i:064d}", nominator_kind="self", status="registered",
                                 nominated_at=CALLED, registered_at=CALLED + timedelta(days=i))
    results.ballot_define(actor=None, election=election, now=COUNTING)
    from saylau.domain.results import definition_from_json

    return list(definition_from_json(election.ballot_definition.data).answers())


def precinct_record(directory: Path, trustees_json: bytes, answers: Sequence[str], counts: Sequence[int]) -> Path:
    """A precinct's election under the ceremony's key, with `counts[i]` ballots for answer i (not tallied)."""
    group = group_by_name("Ed25519")
    directory.mkdir(parents=True)
    uuid = credentials.random_token(SYSTEM_RNG)
    private = [credentials.generate(SYSTEM_RNG) for _ in range(sum(counts))]
    public = [f"{group.encode(credentials.public_credential(group, uuid, c))},,voter{i}" for i, c in enumerate(private)]
    (directory / "public_creds.json").write_text(json.dumps(public) + "\n")
    (directory / "trustees.json").write_bytes(trustees_json)
    key = verify_trustees(group, json.loads(trustees_json)).election_key
    template = {"description": "precinct", "name": "Saylau ceremony test",
                "questions": [{"question": "Choose one", "answers": list(answers), "min": 1, "max": 1}]}
    (directory / "election.json").write_bytes(election_from_template(template, uuid=uuid, group=group, public_key=key))
    d = ElectionDir(directory)
    init_archive(d, timestamp=1_700_000_000)
    voter = 0
    for answer, n in enumerate(counts):
        for _ in range(n):
            choice = [0] * len(answers)
            choice[answer] = 1
            cast(d, make_ballot(d.election, private[voter], [choice])[0])
            voter += 1
    return directory


def precincts(unit: TerritorialUnit, *numbers: int, roll: int = 5) -> list[Precinct]:
    """Precincts with `roll` voters each on the roll."""
    out = []
    for n in numbers:
        p = precinct_create(actor=None, code=f"p-{n}", number=n, territory=unit, address_kk=f"Мекенжай {n}", now=CALLED)
        Voter.objects.bulk_create([Voter(iin_digest=hashlib.sha256(f"{n}-{i}".encode()).hexdigest(),
                                         birth_date=date(1980, 1, 1), precinct=p.code) for i in range(roll)])
        out.append(p)
    return out


def decrypt_many(tmp: Path, client: Any, election: Election, trustee: int, secret: Path, dkey: Path | None) -> Path:
    bundle = download(client, f"/kk/elections/{election.code}/ceremony/trustee/tallies.zip", tmp / f"tallies{trustee}.zip")
    out = tmp / f"trustee{trustee}.decryptions.json"
    board = Path(settings.PUBLIC_BOARD_DIR)
    saylau("trustee", "decrypt-many", "--bundle", str(bundle), "--trustee-id", str(trustee), "--secret", str(secret),
           *(["--dkey", str(dkey)] if dkey else []), "--board", str(board), "--log-key", str(board / "log.vkey"),
           "--out", str(out))
    return out


# --- the 2-of-3 ceremony, end to end ---------------------------------------------------------------


def test_two_of_three_from_the_key_ceremony_to_the_precinct_protocols(
        users: Users, trio: list[User], election: Election, saraishyk: TerritorialUnit, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code = election.code
    chair = client_for(trio[0])
    clients = [client_for(u) for u in trio]
    # the commission sets up the ceremony: 3 trustees, 2 needed
    page = chair.get(f"/kk/elections/{code}/ceremony/setup/")
    assert page.status_code == 200 and "Болат" in page.content.decode()
    assert chair.post(f"/kk/elections/{code}/ceremony/setup/",
                      {"trustees": [u.pk for u in trio], "threshold": 2}).status_code == 302
    created = kinds("ceremony.created")[0]
    assert created["threshold"] == 2 and [t["name"] for t in created["trustees"]] == [
        "Айбек Серікұлы", "Болат Тест", "Дана Тест"]
    # step 1: each trustee makes a certificate on their own computer and uploads it
    for i, client in enumerate(clients, start=1):
        workspace = client.get(f"/kk/elections/{code}/ceremony/trustee/").content.decode()
        assert f"saylau threshold cert --group Ed25519 --index {i} --size 3 --threshold 2" in workspace
        cert = tmp_path / f"trustee{i}.cert"
        cert.write_text(saylau("threshold", "cert", "--group", "Ed25519", "--index", str(i), "--size", "3",
                               "--threshold", "2", "--secret", str(tmp_path / f"trustee{i}.secret")))
        if i == 2:  # refusals: a polynomial before every certificate is in; a certificate with a bad signature
            early = upload(client, election, "polynomial", cert)
            assert early.status_code == 409 and "қадамында күтілмейді" in early.content.decode()
            forged = json.loads(cert.read_text())
            forged["signature"]["response"] = str(int(forged["signature"]["response"]) + 1)
            (tmp_path / "forged.cert").write_text(json.dumps(forged))
            refused = upload(client, election, "certificate", tmp_path / "forged.cert")
            assert refused.status_code == 409
            assert "«сертификат» қадамы" in refused.content.decode() and "қолтаңба" in refused.content.decode()
        assert upload(client, election, "certificate", cert).status_code == 302
    assert [e["trustee"] for e in kinds("ceremony.certificate")] == [1, 2, 3]
    # step 3: everyone downloads the certificate set (public) and makes a polynomial
    certs = download(client_for(None), f"/kk/elections/{code}/ceremony/certs.jsons", tmp_path / "certs.jsons")
    polys = []
    for i in (1, 2, 3):
        poly = tmp_path / f"trustee{i}.poly"
        poly.write_text(saylau("threshold", "polynomial", "--certs", str(certs), "--threshold", "2",
                               "--secret", str(tmp_path / f"trustee{i}.secret")))
        polys.append(poly)
    # a polynomial handed in by someone else than its trustee: its signatures are not that trustee's
    assert upload(clients[0], election, "polynomial", polys[1]).status_code == 409
    for client, poly in zip(clients, polys, strict=True):
        assert upload(client, election, "polynomial", poly).status_code == 302
    assert upload(clients[0], election, "polynomial", polys[0]).status_code == 409  # done already
    assert len(kinds("ceremony.routed")[0]["vinputs"]) == 3
    # step 5: each downloads its routed input and makes its verification output
    for i, client in enumerate(clients, start=1):
        vinput = download(client, f"/kk/elections/{code}/ceremony/trustee/vinput.json", tmp_path / f"trustee{i}.vinput")
        vout = tmp_path / f"trustee{i}.voutput"
        vout.write_text(saylau("threshold", "voutput", "--certs", str(certs), "--vinput", str(vinput),
                               "--secret", str(tmp_path / f"trustee{i}.secret")))
        assert upload(client, election, "voutput", vout).status_code == 302
    ceremony = KeyCeremony.objects.get(election=election)
    assert ceremony.completed_at is not None
    assert all(t.voutput is not None and "private_key" not in t.voutput for t in ceremony.trustees.all())
    trustees_json = download(client_for(None), f"/kk/elections/{code}/ceremony/trustees.json", tmp_path / "trustees.json")
    completed = kinds("ceremony.completed")[0]
    assert completed["trustees_sha256"] == hashlib.sha256(trustees_json.read_bytes()).hexdigest()
    group = group_by_name("Ed25519")
    assert completed["public_key"] == group.encode(verify_trustees(group, json.loads(trustees_json.read_bytes())).election_key)
    status = client_for(None).get(f"/en/elections/{code}/ceremony/").content.decode()
    assert completed["public_key"] in status and "Дана Тест" in status

    # the decryption ceremony: two precincts voted under this key
    election = counting(election)
    answers = ballot(election)
    p101, p102 = precincts(saraishyk, 101, 102)
    for p, counts in ((p101, [2, 1, 0]), (p102, [0, 1, 1])):
        d = precinct_record(tmp_path / p.code, trustees_json.read_bytes(), answers, counts)
        services.record_register(actor=None, election=election, precinct=p, directory=d, ballots_issued=3,
                                 issued_source="credential letters", now=COUNTING)
    assert chair.post(f"/kk/elections/{code}/ceremony/tally/").status_code == 302
    tallies = kinds("ceremony.tally")
    assert [(t["precinct"], t["num_tallied"]) for t in tallies] == [("p-101", 3), ("p-102", 2)]
    board_flush()
    # trustee 1 decrypts both precincts in one file
    first = decrypt_many(tmp_path, clients[0], election, 1, tmp_path / "trustee1.secret", tmp_path / "trustee1.voutput")
    # a partial decryption with a bad proof is refused (nothing stored)
    bad = json.loads(first.read_text())
    pd = json.loads(bad["decryptions"][0]["partial_decryption"])
    pd["decryption_proofs"][0][0]["response"] = str(int(pd["decryption_proofs"][0][0]["response"]) + 1)
    bad["decryptions"][0]["partial_decryption"] = json.dumps(pd, separators=(",", ":"))
    owned = json.loads(bad["decryptions"][0]["owned"])
    owned["payload"] = hashlib.sha256(bad["decryptions"][0]["partial_decryption"].encode()).hexdigest()
    bad["decryptions"][0]["owned"] = json.dumps(owned)
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    refused = upload(clients[0], election, "decryption", tmp_path / "bad.json")
    assert refused.status_code == 409 and "ішінара шифрын ашу" in refused.content.decode()
    # trustee 1's own file is not trustee 3's
    assert upload(clients[2], election, "decryption", first).status_code == 409
    assert upload(clients[0], election, "decryption", first).status_code == 302
    assert PrecinctRecord.objects.filter(state="tallied").count() == 2  # 1 of the 2 needed
    # trustee 3 (not 2): any 2 of the 3 decrypt
    third = decrypt_many(tmp_path, clients[2], election, 3, tmp_path / "trustee3.secret", tmp_path / "trustee3.voutput")
    assert upload(clients[2], election, "decryption", third).status_code == 302
    done = {r.precinct.code: r for r in PrecinctRecord.objects.select_related("precinct", "protocol")}
    assert {c: r.state for c, r in done.items()} == {"p-101": "decrypted", "p-102": "decrypted"}
    assert done["p-101"].result == [[2, 1, 0]] and done["p-102"].result == [[0, 1, 1]]
    assert all(r.protocol is not None and r.protocol_refusal == "" for r in done.values()), [r.protocol_refusal for r in done.values()]
    protocol = ResultProtocol.objects.get(unit="p-101")
    assert protocol.data["ballots_cast"] == 3 and protocol.data["against_all"] == 0
    result_events = kinds("ceremony.result")
    assert [(e["precinct"], e["trustees"], e["verified"]) for e in result_events] == [
        ("p-101", [1, 3], True), ("p-102", [1, 3], True)]
    assert result_events[0]["protocol_sha256"] == protocol.sha256
    assert len(kinds("results.protocol")) == 2 and len(kinds("ceremony.decryption")) == 4
    # the late trustee has nothing left to decrypt
    assert "No tally is waiting" in clients[1].get(f"/en/elections/{code}/ceremony/trustee/").content.decode()
    actions = set(AuditEntry.objects.filter(action__startswith="ceremony.").values_list("action", flat=True))
    assert actions == {"ceremony.create", "ceremony.certificate", "ceremony.polynomial", "ceremony.route",
                       "ceremony.voutput", "ceremony.complete", "ceremony.record", "ceremony.tally",
                       "ceremony.decryption", "ceremony.result"}
    # no secret ever reached the server: nothing it stored decrypts without a trustee's seed
    for entry in BoardEvent.objects.filter(kind__startswith="ceremony."):
        assert "private_key" not in json.dumps(entry.data) and "seed" not in json.dumps(entry.data)


def test_decrypt_many_refuses_a_tally_that_differs_from_the_board(
        users: Users, election: Election, saraishyk: TerritorialUnit, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    chair_user = users[Role.COMMISSION]
    assert chair_user is not None
    chair = client_for(chair_user)
    assert chair.post(f"/kk/elections/{election.code}/ceremony/setup/",
                      {"trustees": [chair_user.pk], "threshold": 1}).status_code == 302
    saylau("trustee", "generate", "--group", "Ed25519", "--out", str(tmp_path / "trustee1"))
    assert upload(chair, election, "public_key", tmp_path / "trustee1.pubkey").status_code == 302
    ceremony = KeyCeremony.objects.get(election=election)
    assert ceremony.kind == "single" and kinds("ceremony.completed")[0]["trustees_sha256"] == ceremony.trustees_sha256
    election = counting(election)
    answers = ballot(election)
    p101, p102 = precincts(saraishyk, 101, 102)
    for p, counts in ((p101, [1, 1, 0]), (p102, [0, 0, 2])):
        d = precinct_record(tmp_path / p.code, bytes(ceremony.trustees_json), answers, counts)
        services.record_register(actor=chair_user, election=election, precinct=p, directory=d, ballots_issued=2,
                                 now=COUNTING)
    services.records_tally(actor=chair_user, election=election, now=COUNTING)
    board_flush()
    bundle = download(chair, f"/kk/elections/{election.code}/ceremony/trustee/tallies.zip", tmp_path / "tallies.zip")
    # a bundle whose p-101 record is another election's (its tally is not the one on the board)
    swapped = tmp_path / "swapped.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(swapped, "w") as dst:
        for info in src.infolist():
            name, data = info.filename, src.read(info.filename)
            if name.startswith("p-101/"):
                continue
            dst.writestr(name, data)
            if name.startswith("p-102/"):
                dst.writestr(name.replace("p-102/", "p-101/"), data)
    board = Path(settings.PUBLIC_BOARD_DIR)
    common = ("--trustee-id", "1", "--secret", str(tmp_path / "trustee1.secret"), "--board", str(board),
              "--log-key", str(board / "log.vkey"))
    err = saylau_refuses(capsys, "trustee", "decrypt-many", "--bundle", str(swapped), *common,
                         "--out", str(tmp_path / "out.json"))
    assert "p-101" in err and "differs from the board" in err and not (tmp_path / "out.json").exists()
    # too few ballots for the minimum group size
    err = saylau_refuses(capsys, "trustee", "decrypt-many", "--bundle", str(bundle), *common, "--min-ballots", "3",
                         "--out", str(tmp_path / "out.json"))
    assert "fewer than the minimum group size 3" in err
    # the genuine bundle: one trustee of one decrypts both precincts
    out = tmp_path / "ok.json"
    saylau("trustee", "decrypt-many", "--bundle", str(bundle), *common, "--out", str(out))
    assert upload(chair, election, "decryption", out).status_code == 302
    assert {r.precinct.code: r.result for r in PrecinctRecord.objects.all()} == {"p-101": [[1, 1, 0]], "p-102": [[0, 0, 2]]}
    assert ResultProtocol.objects.filter(level="precinct").count() == 2


# --- refusals -------------------------------------------------------------------------------------


def _other_district() -> Commission:
    atyrau = TerritorialUnit.objects.get(code="atyrau")
    isatay = territorial_unit_create(actor=None, code="isatay", level=Level.DISTRICT, kind="district", parent=atyrau,
                                     name_kk="Исатай ауданы", now=CALLED)
    return commission_create(actor=None, code="isatay-tec", level=CommissionLevel.DISTRICT, name_kk="Исатай ТСК",
                             territory=isatay, parent=commission_tree()["atyrau-tec"], now=CALLED)


def test_setup_refusals_and_scope(users: Users, trio: list[User], election: Election, tmp_path: Path) -> None:
    code = election.code
    chair = client_for(trio[0])
    _other_district()
    outsider = member("erlan", "Ерлан", "isatay-tec")
    # the setup: a decision of a commission covering the election
    assert client_for(outsider).get(f"/kk/elections/{code}/ceremony/setup/").status_code == 403
    assert client_for(trio[1]).get(f"/kk/elections/{code}/ceremony/setup/").status_code == 200  # a member decides too
    assert "Ерлан" not in chair.get(f"/kk/elections/{code}/ceremony/setup/").content.decode()  # not eligible
    too_many = chair.post(f"/kk/elections/{code}/ceremony/setup/", {"trustees": [trio[0].pk], "threshold": 2})
    assert too_many.status_code == 400 and 'aria-invalid="true"' in too_many.content.decode()
    assert chair.post(f"/kk/elections/{code}/ceremony/setup/",
                      {"trustees": [outsider.pk], "threshold": 1}).status_code == 400
    with pytest.raises(CeremonySetupInvalid) as not_member:
        services.ceremony_create(actor=trio[0], election=election, trustees=[trio[0], outsider], threshold=1,
                                 now=COUNTING)
    assert not_member.value.reason == "not_member"
    with pytest.raises(CeremonySetupInvalid):
        services.ceremony_create(actor=None, election=election, trustees=[trio[0], trio[0]], threshold=1, now=COUNTING)
    assert chair.post(f"/kk/elections/{code}/ceremony/setup/",
                      {"trustees": [u.pk for u in trio[:2]], "threshold": 2}).status_code == 302
    again = chair.post(f"/kk/elections/{code}/ceremony/setup/", {"trustees": [trio[0].pk], "threshold": 1})
    assert again.status_code == 409 and not KeyCeremony.objects.filter(size=1).exists()
    with pytest.raises(CeremonyStepRefused):
        services.ceremony_create(actor=None, election=election, trustees=[trio[0]], threshold=1, now=COUNTING)
    # the trustee's workspace: only a trustee, and only while in scope
    assert client_for(trio[2]).get(f"/kk/elections/{code}/ceremony/trustee/").status_code == 403  # not a trustee
    assert client_for(trio[2]).post(f"/kk/elections/{code}/ceremony/trustee/upload/certificate/").status_code == 403
    assert client_for(outsider).get(f"/kk/elections/{code}/ceremony/trustee/").status_code == 403
    assert client_for(users[Role.CITIZEN]).get(f"/kk/elections/{code}/ceremony/trustee/").status_code == 403
    assert client_for(trio[1]).get(f"/kk/elections/{code}/ceremony/trustee/").status_code == 200
    assert client_for(trio[1]).post(f"/kk/elections/{code}/ceremony/trustee/upload/nonsense/").status_code == 404
    # a trustee who leaves the commission loses the workspace
    membership_end(actor=None, membership=Membership.objects.get(user=trio[1]), now=CALLED + timedelta(days=1))
    assert client_for(trio[1]).get(f"/kk/elections/{code}/ceremony/trustee/").status_code == 403
    # files that are not what the step needs
    (bad := tmp_path / "not.json").write_bytes(b"\xff\xfe")
    assert upload(chair, election, "certificate", bad).status_code == 400
    bad.write_text("[1, 2]")
    response = upload(chair, election, "certificate", bad)
    assert response.status_code == 409 and "құрылымы" in response.content.decode()
    with pytest.raises(CeremonyUploadInvalid) as wrong:
        services.trustee_upload(actor=trio[0], election=election, step=Step.CERTIFICATE, text="{", now=COUNTING)
    assert wrong.value.reason == "not_json"
    # the tally: decision scope, a completed ceremony
    assert client_for(outsider).post(f"/kk/elections/{code}/ceremony/tally/").status_code == 403
    refused = chair.post(f"/en/elections/{code}/ceremony/tally/", follow=True)
    assert "The key ceremony is not completed yet." in refused.content.decode()
    # public pages in every language, with and without a ceremony
    for language in ("kk", "ru", "en"):
        assert client_for(None).get(f"/{language}/elections/{code}/ceremony/").status_code == 200
    assert client_for(None).get(f"/kk/elections/{code}/ceremony/trustees.json").status_code == 404
    assert client_for(None).get(f"/kk/elections/{code}/ceremony/certs.jsons").status_code == 404
    assert client_for(None).get("/kk/elections/nowhere/ceremony/").status_code == 404


# --- translations ---------------------------------------------------------------------------------


def _examples() -> list[DomainError]:
    out: list[DomainError] = [CeremonySetupInvalid("trustees", r) for r in ("count", "range", "twice", "not_member")]
    out += [CeremonyStepRefused("e", r) for r in ("exists", "no_ceremony", "wrong_step", "done", "not_trustee",
                                                  "not_completed", "wrong_stage", "no_records", "record_key",
                                                  "record_twice", "record_state", "unknown")]
    out += [CeremonyUploadInvalid(step, 2, r) for step in Step
            for r in ("not_json", "shape", "signature", "proof", "context", "duplicate", "commitments",
                      "other_election", "wrong_owner", "precinct", "tally", "unknown")]
    return out


def test_every_ceremony_error_is_translated() -> None:
    for error in _examples():
        assert error.code in MESSAGES
        with translation.override("en"):
            english = error_message(error)
        for language in ("kk", "ru"):
            with translation.override(language):
                message = error_message(error)
            assert message and message != english, (language, error.code, error.data)
            assert not re.search(r"[A-Za-z]{4,}", message), message
