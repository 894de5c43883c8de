"""Results (web.results): precinct protocols from verified records, aggregation up the territory,
the outcome under the pack, the results page with its SVG chart and data table, the open data,
the signed PDF protocol, the second round, the seats a party won, and `saylau results check`."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from saylau.cli.main import main
from saylau.domain.commissions import CommissionLevel, MemberRole
from saylau.domain.election import ElectionType
from saylau.domain.errors import CommissionScopeRefused, ErrorCode
from saylau.domain.protocol import from_json, recompute_findings
from saylau.domain.results import (
    BallotMismatch,
    ControlFiguresFailed,
    RecordNotVerified,
    ResultsStepRefused,
    SeatsExceeded,
)
from saylau.web.candidates import services as candidates
from saylau.web.candidates.models import Candidate, ListStatus, Party, PartyList
from saylau.web.commissions.services import commission_create, membership_add
from saylau.web.core.access import Role
from saylau.web.core.errors import MESSAGES, error_message
from saylau.web.core.models import BoardEvent
from saylau.web.core.publicboard import board_flush, board_record
from saylau.web.elections.models import Election
from saylau.web.elections.services import election_create
from saylau.web.results import services, views
from saylau.web.results.models import (
    BallotDefinition,
    ElectionOutcome,
    PartySeats,
    ProtocolDocument,
    ResultProtocol,
)
from saylau.web.territory.models import Precinct, TerritorialUnit
from saylau.web.territory.services import precinct_create
from saylau.web.voters.models import Voter
from tests.web.candidates_world import make_party, mazhilis
from tests.web.conftest import CALLED, VOTE, client_for, commission_tree
from tests.web.results_records import make_record

Users = dict[Role, User | None]
COUNTING = VOTE + timedelta(days=1)
AGAINST = services.AGAINST_ALL_LABEL


def u(users: Users, role: Role) -> User:
    user = users[role]
    assert user is not None
    return user


def kinds(kind: str) -> list[dict[str, Any]]:
    return [e.data for e in BoardEvent.objects.filter(kind=kind).order_by("id")]


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "clock", lambda: COUNTING)


def precincts(unit: TerritorialUnit, *numbers: int, roll: int = 10) -> list[Precinct]:
    out = []
    for n in numbers:
        p = precinct_create(actor=None, code=f"p-{n}", number=n, territory=unit, address_kk=f"Мекенжай {n}", now=CALLED)
        Voter.objects.bulk_create([Voter(iin_digest=hashlib.sha256(f"{n}-{i}".encode()).hexdigest(),
                                         birth_date=date(1980, 1, 1), precinct=p.code) for i in range(roll)])
        out.append(p)
    return out


def registered(election: Election, *surnames: str) -> list[Candidate]:
    return [Candidate.objects.create(election=election, surname=s, given_name="Test", birth_date=date(1970, 1, 1),
                                     identity_digest=f"{i:064d}", nominator_kind="self", status="registered",
                                     nominated_at=CALLED, registered_at=CALLED + timedelta(days=i))
            for i, s in enumerate(surnames)]


def counting(election: Election, stage: str = "counting") -> Election:
    Election.objects.filter(pk=election.pk).update(stage=stage)
    return Election.objects.get(pk=election.pk)


def answers_of(election: Election) -> list[str]:
    from saylau.domain.results import definition_from_json

    return list(definition_from_json(BallotDefinition.objects.get(election=election).data).answers())


@pytest.fixture
def akim(users: Users, election: Election, saraishyk: TerritorialUnit) -> Election:
    """The Saraishyk akim election in counting, three registered candidates, two precincts."""
    registered(election, "Бекова", "Әлиев", "Жанов")
    precincts(saraishyk, 101, 102)
    return counting(election)


def record_upload(client: Any, election: Election, precinct: str, archive: Path, issued: int) -> Any:
    with open(archive, "rb") as f:
        return client.post(f"/kk/elections/{election.code}/results/record/",
                           {"precinct": Precinct.objects.get(code=precinct).pk, "ballots_issued": issued,
                            "issued_source": "credential letters", "record": f})


# --- the vertical slice: records → protocols → aggregate → outcome → page → signed PDF → check ---


def test_the_akim_election_from_records_to_the_signed_protocol(users: Users, akim: Election, at: None, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    chair = client_for(u(users, Role.COMMISSION))
    assert chair.get(f"/kk/elections/{akim.code}/results/manage/").status_code == 200
    assert chair.post(f"/kk/elections/{akim.code}/results/ballot/").status_code == 302
    answers = answers_of(akim)
    assert answers == ["Әлиев Test", "Бекова Test", "Жанов Test", AGAINST]  # Kazakh alphabetical order
    ballot_event = kinds("results.ballot")[0]
    assert ballot_event["rule"] == {"system": "plurality"} and ballot_event["answers"] == answers
    # two precincts' records: 101 gives 4/2/0 and 1 against all; 102 gives 1/2/1 and 0
    first = make_record(tmp_path / "p101", answers, [4, 2, 0, 1], voters=8)
    second = make_record(tmp_path / "p102", answers, [1, 2, 1, 0], voters=5)
    assert record_upload(chair, akim, "p-101", first, 8).status_code == 302
    assert record_upload(chair, akim, "p-102", second, 5).status_code == 302
    p101 = ResultProtocol.objects.get(unit="p-101")
    assert p101.data["voters_on_roll"] == 10 and p101.data["ballots_cast"] == 7 and p101.data["ballots_invalid"] == 0
    assert p101.source_sha256 == hashlib.sha256(first.read_bytes()).hexdigest()
    event = kinds("results.protocol")[0]
    assert event["sha256"] == p101.sha256 and event["protocol"]["against_all"] == 1 and "never invalid" in event["invalid_note"]
    # aggregation: the rural district sums the precincts; the outcome is the plurality winner
    assert chair.post(f"/kk/elections/{akim.code}/results/aggregate/").status_code == 302
    top = ResultProtocol.objects.get(election=akim, unit="saraishyk")
    parts = [from_json(r.data) for r in ResultProtocol.objects.filter(level="precinct")]
    assert recompute_findings(from_json(top.data), parts) == []
    assert top.data["ballots_cast"] == 11 and top.data["voters_on_roll"] == 20 and top.data["against_all"] == 1
    outcome = ElectionOutcome.objects.get(election=akim)
    winner = Candidate.objects.get(surname="Әлиев")
    assert outcome.data["outcome"] == "elected" and outcome.data["winner"] == f"candidate-{winner.pk}"
    assert kinds("results.outcome")[0]["protocol_sha256"] == top.sha256
    # the public page: turnout, the chart (role=img, title, desc, labelled bars), the table, the breakdown
    for language in ("kk", "ru", "en"):
        page = client_for(None).get(f"/{language}/elections/{akim.code}/results/")
        assert page.status_code == 200
        html = page.content.decode()
        assert '<svg' in html and 'role="img"' in html and "<title id=\"chart-votes-title\">" in html
        assert "<desc id=\"chart-votes-desc\">" in html and "Әлиев Test — 5 (45.45 %)" in html
        assert "<caption>" in html and 'scope="col"' in html and "55.00" in html  # turnout 11/20
        assert f"/{language}/elections/{akim.code}/results/unit/p-101/" in html
    english = client_for(None).get(f"/en/elections/{akim.code}/results/").content.decode()
    assert "Elected by the most votes: Әлиев Test." in english
    unit_page = client_for(None).get(f"/kk/elections/{akim.code}/results/unit/p-102/")
    assert unit_page.status_code == 200 and "/results/unit/saraishyk/" in unit_page.content.decode()
    assert client_for(None).get(f"/kk/elections/{akim.code}/results/unit/nowhere/").status_code == 404
    # downloads and the open data API
    csv_body = client_for(None).get(f"/kk/elections/{akim.code}/results/unit/saraishyk/protocol.csv")
    assert csv_body["Content-Disposition"].startswith("attachment") and b"AGAINST_ALL" in csv_body.content
    as_json = json.loads(client_for(None).get(f"/kk/elections/{akim.code}/results/unit/p-101/protocol.json").content)
    assert as_json["sha256"] == p101.sha256 and as_json["protocol"]["unit"] == "p-101"
    api = client_for(None)
    results = api.get(f"/api/elections/{akim.code}/results").json()
    assert results["unit"] == "saraishyk" and results["outcome"]["winner"] == f"candidate-{winner.pk}"
    assert {p["unit"] for p in api.get(f"/api/elections/{akim.code}/protocols").json()} == {"p-101", "p-102", "saraishyk"}
    assert api.get(f"/api/elections/{akim.code}/protocols/p-102").json()["parent_unit"] == "saraishyk"
    assert api.get(f"/api/elections/{akim.code}/protocols/none").status_code == 404
    assert api.get("/api/elections/none/results").status_code == 404

    # the signed PDF: keygen offline, register the vkey, prepare the PDF, sign offline, upload, publish
    monkeypatch.setenv("SAYLAU_PASSPHRASE", "commission passphrase")
    assert main(["commission", "keygen", "--name", "saylau.kz/makhambet", "--out", str(tmp_path / "tec")]) == 0
    vkey = (tmp_path / "tec.vkey").read_text()
    assert chair.post(f"/kk/elections/{akim.code}/results/key/", {"vkey": vkey}).status_code == 302
    assert kinds("results.signing_key")[0]["vkey"] == vkey.strip()
    assert chair.post(f"/kk/elections/{akim.code}/results/unit/saraishyk/prepare/kk/").status_code == 302
    doc = ProtocolDocument.objects.get()
    draft = chair.get(f"/kk/results/drafts/{doc.pk}/protocol.pdf")
    pdf = b"".join(draft.streaming_content)
    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == doc.pdf.sha256
    assert client_for(u(users, Role.CITIZEN)).get(f"/kk/results/drafts/{doc.pk}/protocol.pdf").status_code == 403
    (tmp_path / "protocol.pdf").write_bytes(pdf)
    assert main(["document", "sign", "--key", str(tmp_path / "tec.secret"), "--kind", "results-protocol",
                 "--election", akim.code, "--unit", "saraishyk", "--language", "kk", str(tmp_path / "protocol.pdf")]) == 0
    signature = (tmp_path / "protocol.pdf.sig").read_bytes()
    assert client_for(None).get(f"/kk/elections/{akim.code}/results/unit/saraishyk/protocol-kk.pdf").status_code == 404
    signed = chair.post(f"/kk/results/drafts/{doc.pk}/sign/",
                        {"signature": SimpleUploadedFile("protocol.pdf.sig", signature)})
    assert signed.status_code == 302
    published = kinds("results.document")[0]
    assert published["pdf_sha256"] == doc.pdf.sha256 and published["signature"] == signature.decode()
    # anyone downloads the PDF, its signature and the key, and checks them with saylau
    page = client_for(None).get(f"/kk/elections/{akim.code}/results/").content.decode()
    links = re.findall(r'href="([^"]+(?:\.pdf|\.pdf\.sig|\.vkey))"', page)
    assert len(links) == 3
    public = client_for(None)
    pdf_response = public.get(links[0])
    assert pdf_response["Content-Disposition"].startswith("attachment")
    (tmp_path / "public.pdf").write_bytes(b"".join(pdf_response.streaming_content))
    (tmp_path / "public.pdf.sig").write_bytes(public.get(links[1]).content)
    (tmp_path / "public.vkey").write_bytes(public.get(links[2]).content)
    capsys.readouterr()
    assert main(["document", "verify", "--key", str(tmp_path / "public.vkey"), str(tmp_path / "public.pdf")]) == 0
    assert "OK: signed by saylau.kz/makhambet" in capsys.readouterr().out
    # `saylau results check` recomputes everything from the board
    board_flush()
    from django.conf import settings

    board = str(settings.PUBLIC_BOARD_DIR)
    vkey_file = str(Path(board) / "log.vkey")
    assert main(["results", "check", board, "--log-key", vkey_file]) == 0
    out = capsys.readouterr().out
    assert "OK: 4 protocol(s) and outcome(s) recomputed" in out
    # a forged aggregate (the server publishing other figures) is found
    forged = dict(kinds("results.protocol")[-1])
    forged["protocol"] = {**forged["protocol"], "votes": [dict(v) for v in forged["protocol"]["votes"]]}
    forged["protocol"]["votes"][1]["votes"] += 1
    forged["protocol"]["valid"] += 1
    forged["protocol"]["ballots_cast"] += 1
    from saylau.domain.results import protocol_sha256

    forged["sha256"] = protocol_sha256(from_json(forged["protocol"]))
    board_record("results.protocol", at=COUNTING, data=forged)
    board_flush()
    assert main(["results", "check", board, "--log-key", vkey_file]) == 1
    out = capsys.readouterr().out
    assert "DIFFERS:" in out and "parts sum to" in out and "the outcome names another protocol" in out


# --- refusals ----------------------------------------------------------------------------------------


def test_records_and_protocols_are_refused_with_reasons(users: Users, akim: Election, at: None, tmp_path: Path) -> None:
    chair = u(users, Role.COMMISSION)
    p101, p102 = Precinct.objects.get(code="p-101"), Precinct.objects.get(code="p-102")
    good = make_record(tmp_path / "good", ["Әлиев Test", "Бекова Test", "Жанов Test", AGAINST], [2, 1, 0, 0])
    with pytest.raises(ResultsStepRefused) as no_ballot:
        services.precinct_protocol_record(actor=chair, election=akim, precinct=p101, record=good, ballots_issued=3,
                                          now=COUNTING)
    assert no_ballot.value.reason == "no_ballot_definition"
    services.ballot_define(actor=chair, election=akim, now=COUNTING)
    with pytest.raises(ResultsStepRefused):
        services.ballot_define(actor=chair, election=akim, now=COUNTING)
    # a record that fails verification: its archive truncated
    broken = tmp_path / "broken.bel"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(RecordNotVerified) as unverified:
        services.precinct_protocol_record(actor=chair, election=akim, precinct=p101, record=broken, ballots_issued=3,
                                          now=COUNTING)
    assert unverified.value.checks and "missing" in unverified.value.data["checks"]
    # answers that are not the ballot definition's
    other = make_record(tmp_path / "other", ["Бекова Test", "Әлиев Test", "Жанов Test", AGAINST], [1, 0, 0, 0])
    with pytest.raises(BallotMismatch):
        services.precinct_protocol_record(actor=chair, election=akim, precinct=p101, record=other, ballots_issued=3,
                                          now=COUNTING)
    # control figures: more ballots cast than issued
    with pytest.raises(ControlFiguresFailed) as control:
        services.precinct_protocol_record(actor=chair, election=akim, precinct=p101, record=good, ballots_issued=2,
                                          now=COUNTING)
    assert control.value.data["checks"] == "cast_at_most_issued"
    assert not ResultProtocol.objects.exists()
    services.precinct_protocol_record(actor=chair, election=akim, precinct=p101, record=good, ballots_issued=3,
                                      now=COUNTING)
    for precinct, reason in ((p101, "already_recorded"), (p102, "duplicate_record")):
        with pytest.raises(ResultsStepRefused) as again:
            services.precinct_protocol_record(actor=chair, election=akim, precinct=precinct, record=good,
                                              ballots_issued=3, now=COUNTING)
        assert again.value.reason == reason
    # through the views: a refusal is a translated message, never a server error
    client = client_for(chair)
    refused = record_upload(client, akim, "p-102", broken, 3)
    assert refused.status_code == 409 and "p-102" in refused.content.decode()
    not_bel = client.post(f"/kk/elections/{akim.code}/results/record/",
                          {"precinct": p102.pk, "ballots_issued": 1, "record": SimpleUploadedFile("r.txt", b"x")})
    assert not_bel.status_code == 400 and ".bel" in not_bel.content.decode()
    assert client.post(f"/kk/elections/{akim.code}/results/record/", {"ballots_issued": "-1"}).status_code == 400
    assert client.post(f"/kk/elections/{akim.code}/results/runoff/", {"voting_opens": "x"}).status_code == 400
    assert client.post(f"/kk/elections/{akim.code}/results/runoff/",
                       {"voting_opens": "2025-04-06 08:00", "voting_closes": "2025-04-06 20:00"}).status_code == 409
    assert client.post(f"/kk/elections/{akim.code}/results/key/", {"vkey": "not a key"}).status_code == 400


def test_a_member_without_scope_is_refused(users: Users, akim: Election, at: None, tmp_path: Path) -> None:
    region = TerritorialUnit.objects.get(code="atyrau")
    other_unit = TerritorialUnit.objects.create(code="isatay", level="district", kind="district", parent=region,
                                                name_kk="Исатай ауданы")
    commission = commission_create(actor=None, code="isatay", level=CommissionLevel.DISTRICT, name_kk="Исатай ААСК",
                                   territory=other_unit, parent=commission_tree()["atyrau-tec"], now=CALLED)
    outsider = User.objects.create_user("outsider", password="outsider-password-1")
    membership_add(actor=None, commission=commission, user=outsider, role=MemberRole.CHAIR, start=CALLED, now=CALLED)
    client = client_for(outsider)
    base = f"/kk/elections/{akim.code}/results"
    assert client.get(f"{base}/manage/").status_code == 403
    for action in ("ballot", "aggregate", "key", "record", "runoff"):
        assert client.post(f"{base}/{action}/").status_code == 403
    with pytest.raises(CommissionScopeRefused):
        services.ballot_define(actor=outsider, election=akim, now=COUNTING)
    # a precinct commission records only its own precinct
    chair = u(users, Role.COMMISSION)
    services.ballot_define(actor=chair, election=akim, now=COUNTING)
    p101, p102 = Precinct.objects.get(code="p-101"), Precinct.objects.get(code="p-102")
    pec = commission_create(actor=None, code="pec-101", level=CommissionLevel.PRECINCT, name_kk="№ 101 УСК",
                            precinct=p101, parent=commission_tree()["makhambet"], now=CALLED)
    secretary = User.objects.create_user("pec", password="pec-password-1")
    membership_add(actor=None, commission=pec, user=secretary, role=MemberRole.SECRETARY, start=CALLED, now=CALLED)
    record = make_record(tmp_path / "r", answers_of(akim), [1, 0, 0, 0])
    with pytest.raises(CommissionScopeRefused):
        services.precinct_protocol_record(actor=secretary, election=akim, precinct=p102, record=record,
                                          ballots_issued=1, now=COUNTING)
    services.precinct_protocol_record(actor=secretary, election=akim, precinct=p101, record=record, ballots_issued=1,
                                      now=COUNTING)
    with pytest.raises(CommissionScopeRefused):  # but takes no decision
        services.results_aggregate(actor=secretary, election=akim, now=COUNTING)


def test_signatures_by_another_key_or_over_other_bytes_are_refused(users: Users, akim: Election, at: None,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    chair = u(users, Role.COMMISSION)
    services.ballot_define(actor=chair, election=akim, now=COUNTING)
    record = make_record(tmp_path / "r", answers_of(akim), [1, 1, 0, 0])
    services.precinct_protocol_record(actor=chair, election=akim, precinct=Precinct.objects.get(code="p-101"),
                                      record=record, ballots_issued=2, now=COUNTING)
    services.results_aggregate(actor=chair, election=akim, now=COUNTING)
    top = ResultProtocol.objects.get(unit="saraishyk")
    doc = services.protocol_document_prepare(actor=chair, protocol=top, language="ru", now=COUNTING)
    assert services.protocol_document_prepare(actor=chair, protocol=top, language="ru", now=COUNTING) == doc
    client = client_for(chair)
    sign_url = f"/kk/results/drafts/{doc.pk}/sign/"

    def upload(body: bytes, name: str = "p.pdf.sig") -> Any:
        return client.post(sign_url, {"signature": SimpleUploadedFile(name, body)})

    monkeypatch.setenv("SAYLAU_PASSPHRASE", "pw")
    for name in ("tec", "other"):
        assert main(["commission", "keygen", "--name", f"saylau.kz/{name}", "--out", str(tmp_path / name)]) == 0
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"".join(client.get(f"/kk/results/drafts/{doc.pk}/protocol.pdf").streaming_content))
    # no key registered yet: refused
    sign = ["document", "sign", "--kind", "results-protocol", "--election", akim.code, "--unit", "saraishyk",
            "--language", "ru"]
    assert main([*sign, "--key", str(tmp_path / "tec.secret"), "--out", str(tmp_path / "good.sig"), str(pdf)]) == 0
    assert upload((tmp_path / "good.sig").read_bytes()).status_code == 409
    services.signing_key_register(actor=chair, commission=commission_tree()["makhambet"],
                                  vkey=(tmp_path / "tec.vkey").read_text(), now=COUNTING)
    # upload of a non-signature, a signature by another key, one over other bytes, one for another language
    assert upload(b"\x89PNG\r\n\x1a\n" + bytes(20), "p.png").status_code == 400
    assert upload(b"hello").status_code == 400
    assert main([*sign, "--key", str(tmp_path / "other.secret"), "--out", str(tmp_path / "other.sig"), str(pdf)]) == 0
    assert upload((tmp_path / "other.sig").read_bytes()).status_code == 400
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(pdf.read_bytes() + b"\n% changed")
    assert main([*sign, "--key", str(tmp_path / "tec.secret"), "--out", str(tmp_path / "changed.sig"), str(changed)]) == 0
    refused = upload((tmp_path / "changed.sig").read_bytes())
    assert refused.status_code == 400  # a form error naming the field
    wrong_language = ["document", "sign", "--kind", "results-protocol", "--election", akim.code, "--unit", "saraishyk",
                      "--language", "kk", "--key", str(tmp_path / "tec.secret"), "--out", str(tmp_path / "kk.sig"),
                      str(pdf)]
    assert main(wrong_language) == 0
    assert upload((tmp_path / "kk.sig").read_bytes()).status_code == 409
    assert not ProtocolDocument.objects.get(pk=doc.pk).signature
    assert upload((tmp_path / "good.sig").read_bytes()).status_code == 302
    assert ProtocolDocument.objects.get(pk=doc.pk).signature
    assert upload((tmp_path / "good.sig").read_bytes()).status_code == 409  # already signed


def test_the_pdf_protocol_in_three_languages(users: Users, akim: Election, at: None, tmp_path: Path) -> None:
    import weasyprint  # noqa: F401  (fails loudly when WeasyPrint or Pango cannot load)

    from saylau.web.results.pdf import render_html, render_pdf

    chair = u(users, Role.COMMISSION)
    services.ballot_define(actor=chair, election=akim, now=COUNTING)
    record = make_record(tmp_path / "r", answers_of(akim), [2, 1, 0, 1])
    row = services.precinct_protocol_record(actor=chair, election=akim, precinct=Precinct.objects.get(code="p-101"),
                                            record=record, ballots_issued=4, now=COUNTING)
    commission = commission_tree()["makhambet"]
    texts = {lang: render_html(row, lang, commission) for lang in ("kk", "ru", "en")}
    assert "Махамбет аудандық аумақтық сайлау комиссиясы" in texts["kk"]
    assert "Махамбетская районная территориальная избирательная комиссия" in texts["ru"]
    assert "Makhambet District Territorial Election Commission" in texts["en"]
    for text in texts.values():
        assert row.sha256 in text and row.source_sha256 in text
    assert texts["kk"] != texts["ru"] != texts["en"]
    pdf = render_pdf(row, "kk", commission)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2000


# --- the presidential election: absolute majority and the second round ------------------------------


def test_no_majority_calls_a_second_round_between_the_top_two(users: Users, saraishyk: TerritorialUnit,
                                                              tmp_path: Path) -> None:
    cec = User.objects.create_user("cec-chair", password="cec-password-1")
    membership_add(actor=None, commission=commission_tree()["cec"], user=cec, role=MemberRole.CHAIR, start=CALLED,
                   now=CALLED)
    president = election_create(actor=None, code="president-2025", type=ElectionType.PRESIDENTIAL,
                                title_kk="Президент сайлауы", title_en="Presidential election",
                                nomination_closes=VOTE - timedelta(days=25), registration_closes=VOTE - timedelta(days=15),
                                voting_opens=VOTE, voting_closes=VOTE + timedelta(hours=13), now=CALLED)
    a, b, c = registered(president, "Алиев", "Бекова", "Жанов")
    precincts(saraishyk, 201, 202)
    president = counting(president)
    services.ballot_define(actor=cec, election=president, now=COUNTING)
    answers = answers_of(president)
    for number, counts in ((201, [3, 2, 1, 1]), (202, [1, 2, 1, 0])):
        services.precinct_protocol_record(actor=cec, election=president, precinct=Precinct.objects.get(number=number),
                                          record=make_record(tmp_path / str(number), answers, counts),
                                          ballots_issued=sum(counts), now=COUNTING)
    outcome = services.results_aggregate(actor=cec, election=president, now=COUNTING)
    assert {r.unit: r.level for r in ResultProtocol.objects.filter(election=president)} == {
        "p-201": "precinct", "p-202": "precinct", "saraishyk": "locality", "makhambet": "district",
        "atyrau": "region", "kz": "country"}
    assert outcome.data["outcome"] == "runoff" and outcome.data["runoff"] == [f"candidate-{a.pk}", f"candidate-{b.pk}"]
    with pytest.raises(CommissionScopeRefused):  # a district commission does not cover a nationwide election
        services.runoff_create(actor=u(users, Role.COMMISSION), election=president, voting_opens=VOTE + timedelta(days=14),
                               voting_closes=VOTE + timedelta(days=14, hours=13), now=COUNTING)
    second = services.runoff_create(actor=cec, election=president, voting_opens=VOTE + timedelta(days=14),
                                    voting_closes=VOTE + timedelta(days=14, hours=13), now=COUNTING)
    assert second.code == "president-2025-round-2" and second.type == "presidential"
    assert sorted(second.candidates.values_list("surname", flat=True)) == ["Алиев", "Бекова"]
    assert kinds("results.runoff")[0]["second_round"] == second.code
    assert BoardEvent.objects.filter(kind="election.called", data__election=second.code).exists()
    with pytest.raises(ResultsStepRefused):
        services.runoff_create(actor=cec, election=president, voting_opens=VOTE + timedelta(days=14),
                               voting_closes=VOTE + timedelta(days=14, hours=13), now=COUNTING)
    page = client_for(None).get(f"/en/elections/{president.code}/results/").content.decode()
    assert "a second round between Алиев Test, Бекова Test" in page and "/en/elections/president-2025-round-2/" in page
    # the second round is counted as one: more votes wins
    second = counting(second)
    services.ballot_define(actor=cec, election=second, now=COUNTING + timedelta(days=14))
    services.precinct_protocol_record(actor=cec, election=second, precinct=Precinct.objects.get(number=201),
                                      record=make_record(tmp_path / "r2", answers_of(second), [2, 3, 1]),
                                      ballots_issued=6, now=COUNTING + timedelta(days=14))
    final = services.results_aggregate(actor=cec, election=second, now=COUNTING + timedelta(days=14))
    assert final.second_round and final.data["outcome"] == "elected" and final.data["round"] == 2
    del c


# --- party lists: seats, and no more mandates than seats ---------------------------------------------


def test_party_list_seats_bound_the_mandates(users: Users, saraishyk: TerritorialUnit, tmp_path: Path) -> None:
    cec = User.objects.create_user("cec-chair", password="cec-password-1")
    membership_add(actor=None, commission=commission_tree()["cec"], user=cec, role=MemberRole.CHAIR, start=CALLED,
                   now=CALLED)
    election = mazhilis()
    rep = u(users, Role.PARTY)
    parties = [make_party(name, [rep], registered=date(2000 + i, 1, 1)) for i, name in enumerate(("Amanat", "AkZhol", "Auyl"))]
    for i, party in enumerate(parties):
        plist = PartyList.objects.create(party=party, election=election, status=ListStatus.REGISTERED,
                                         registered_at=CALLED + timedelta(days=i))
        c = Candidate.objects.create(election=election, surname=f"Үміткер{i}", given_name="Т", birth_date=date(1980, 1, 1),
                                     identity_digest=f"{i + 50:064d}", nominator_kind="political_party", party=party,
                                     on_list=True, status="registered", nominated_at=CALLED, registered_at=CALLED)
        plist.entries.create(position=1, candidate=c)
    precincts(saraishyk, 301)
    election = counting(election)
    services.ballot_define(actor=cec, election=election, now=COUNTING)
    answers = answers_of(election)
    assert answers == ["Amanat партиясы", "AkZhol партиясы", "Auyl партиясы", AGAINST]
    services.precinct_protocol_record(actor=cec, election=election, precinct=Precinct.objects.get(number=301),
                                      record=make_record(tmp_path / "r", answers, [6, 3, 0, 1]), ballots_issued=10,
                                      now=COUNTING)
    outcome = services.results_aggregate(actor=cec, election=election, now=COUNTING)
    assert outcome.data["outcome"] == "allocated"
    seats = {s.party.short_name: s.seats for s in PartySeats.objects.filter(election=election)}
    assert seats == {"Amanat": 46, "AkZhol": 23, "Auyl": 0}
    election = counting(election, "results")
    auyl = Party.objects.get(short_name="Auyl")
    with pytest.raises(SeatsExceeded) as exceeded:
        candidates.mandate_award(actor=cec, election=election, party=auyl,
                                 candidate=Candidate.objects.get(party=auyl), now=COUNTING + timedelta(days=3))
    assert exceeded.value.data == {"party": "Auyl", "seats": 0}
    amanat = Party.objects.get(short_name="Amanat")
    candidates.mandate_award(actor=cec, election=election, party=amanat, candidate=Candidate.objects.get(party=amanat),
                             now=COUNTING + timedelta(days=3))
    page = client_for(None).get(f"/en/elections/{election.code}/results/").content.decode()
    assert "Amanat партиясы: 46 seat(s)" in page


# --- translations ------------------------------------------------------------------------------------

MINE = {ErrorCode.RESULTS_RECORD_NOT_VERIFIED, ErrorCode.RESULTS_BALLOT_MISMATCH, ErrorCode.RESULTS_CONTROL_FAILED,
        ErrorCode.RESULTS_SEATS_EXCEEDED, ErrorCode.RESULTS_STEP_REFUSED, ErrorCode.PROTOCOL_INVALID}


@pytest.mark.parametrize("code", sorted(MINE))
def test_each_results_message_is_translated(code: ErrorCode) -> None:
    from saylau.web.results.messages import STEP_REASONS

    data = {"unit": "p-1", "checks": "x", "detail": "d", "party": "P", "seats": 2, "field": "f"}
    reasons = list(STEP_REASONS) if code is ErrorCode.RESULTS_STEP_REFUSED else [""]
    for reason in reasons:
        texts = {}
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                texts[language] = MESSAGES[code]({**data, "reason": reason})
        assert texts["kk"] != texts["en"] and texts["ru"] != texts["en"], (code, reason)
        for language in ("kk", "ru"):
            words = set(re.findall(r"[A-Za-z]{3,}", texts[language]))
            assert not words, (code, reason, language, words)


def test_error_message_names_the_unit() -> None:
    with translation.override("en"):
        assert "p-7" in error_message(RecordNotVerified("p-7", ["archive.truncated"]))

