"""Observers: accreditation requests and decisions (scoped, audited, on the board, the observer
group kept in step), the read-only portal, incident reports with attachments and the
commission's answer, the public bulletin board page, and every refusal."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from saylau.cli.main import main as saylau_main
from saylau.domain.commissions import CommissionLevel, MemberRole
from saylau.domain.election import ElectionType
from saylau.domain.errors import DomainError, ErrorCode
from saylau.domain.observers import (
    AccreditationAuthorityRefused,
    AccreditationPending,
    AccreditationStatus,
    AccreditationStatusRefused,
    IncidentStatus,
    IncidentStatusRefused,
    NotAccredited,
    ObservationInputInvalid,
    ObserverKind,
    RefusalReason,
    Resolution,
    RevocationReason,
)
from saylau.web.commissions.models import Commission
from saylau.web.commissions.services import commission_create, membership_add
from saylau.web.core.access import OBSERVER_GROUP, Role
from saylau.web.core.errors import MESSAGES, error_message
from saylau.web.core.models import AuditEntry
from saylau.web.core.publicboard import board_entries, board_flush, board_record
from saylau.web.core.services import audit_record
from saylau.web.elections.models import Election
from saylau.web.elections.services import election_create
from saylau.web.observers.models import Incident, IncidentFile, ObserverAccreditation
from saylau.web.observers.services import (
    accreditation_decide,
    accreditation_request,
    incident_answer,
    incident_report,
)
from saylau.web.territory.models import Level, TerritorialUnit
from saylau.web.territory.services import territorial_unit_create
from tests.web.conftest import CALLED, LANGUAGES, VOTE, client_for, commission_tree

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%...\n"
DISTRICT = frozenset({CommissionLevel.DISTRICT})
NOW = VOTE - timedelta(days=20)


def png(name: str = "photo.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def accredit(user: User, election: Election, *, organisation: str = "Amanat",
             kind: ObserverKind = ObserverKind.PARTY) -> ObserverAccreditation:
    row = accreditation_request(user=user, election=election, kind=kind, organisation=organisation, now=CALLED)
    return accreditation_decide(actor=None, accreditation=row, target=AccreditationStatus.APPROVED,
                                levels=DISTRICT, now=CALLED)


@pytest.fixture
def observer(users: dict[Role, User | None], election: Election) -> User:
    """The `observer` user, accredited for the election (party Amanat)."""
    user = users[Role.OBSERVER]
    assert user is not None
    accredit(user, election)
    return user


@pytest.fixture
def chair(users: dict[Role, User | None]) -> User:
    user = users[Role.COMMISSION]
    assert user is not None
    return user


@pytest.fixture
def other_election(saraishyk: TerritorialUnit) -> Election:
    """An election in another district of the region (Isatay), outside the chair's scope."""
    isatay = territorial_unit_create(actor=None, code="isatay", level=Level.DISTRICT, kind="district",
                                     parent=TerritorialUnit.objects.get(code="atyrau"), name_kk="Исатай ауданы",
                                     name_ru="Исатайский район", name_en="Isatay District", now=CALLED)
    return election_create(
        actor=None, code="akim-isatay-2025", type=ElectionType.AKIM_DISTRICT, title_kk="Исатай ауданы әкімінің сайлауы",
        territory=isatay, nomination_closes=VOTE - timedelta(days=25), registration_closes=VOTE - timedelta(days=15),
        voting_opens=VOTE, voting_closes=VOTE + timedelta(hours=13), now=CALLED)


@pytest.fixture
def outsider(other_election: Election, users: dict[Role, User | None]) -> User:
    """The chair of the Isatay district commission: a commission member out of the election's scope."""
    tree = commission_tree()
    isatay = commission_create(actor=None, code="isatay", level=CommissionLevel.DISTRICT, name_kk="Исатай ААСК",
                               territory=TerritorialUnit.objects.get(code="isatay"), parent=tree["atyrau-tec"],
                               now=CALLED)
    user = User.objects.create_user("isatay-chair", password="isatay-password-1")
    membership_add(actor=None, commission=isatay, user=user, role=MemberRole.CHAIR, start=CALLED, now=CALLED)
    return user


@pytest.fixture
def cec_member(users: dict[Role, User | None]) -> User:
    user = User.objects.create_user("cec-member", password="cec-password-1")
    membership_add(actor=None, commission=Commission.objects.get(code="cec"), user=user, role=MemberRole.MEMBER,
                   start=CALLED, now=CALLED)
    return user


def report(observer: User, election: Election, **over: Any) -> Incident:
    args: dict[str, Any] = {"title": "Ballot box unsealed", "description": "At 09:10 the seal was broken.",
                            "precinct": "101", "files": [png()], "now": NOW, **over}
    return incident_report(reporter=observer, election=election, **args)


def events(kind: str) -> list[dict[str, Any]]:
    board_flush()
    return [e for _i, e in board_entries(0, 10_000)[1] if e["saylau"] == kind]


# --- accreditation ------------------------------------------------------------------------


def test_a_citizen_requests_accreditation(users: dict[Role, User | None], election: Election) -> None:
    citizen = users[Role.CITIZEN]
    response = client_for(citizen).post("/kk/observers/", {
        "election": election.pk, "kind": "public_association", "organisation": "  Ар.Рух.Хақ  "})
    assert response.status_code == 302
    row = ObserverAccreditation.objects.get(user=citizen)
    assert (row.status, row.kind, row.organisation) == ("requested", "public_association", "Ар.Рух.Хақ")
    assert AuditEntry.objects.filter(action="observer.request", object_id=str(row.pk)).exists()
    page = client_for(citizen).get("/en/observers/")
    assert page.status_code == 200 and "Ар.Рух.Хақ" in page.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_with_missing_fields_names_them(users: dict[Role, User | None], election: Election,
                                                  language: str) -> None:
    response = client_for(users[Role.CITIZEN]).post(f"/{language}/observers/", {"election": "", "kind": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    errors = " ".join(re.findall(r'class="field-error" id="[^"]+">([^<]+)<', html))
    with translation.override(language):
        for label in ("Election", "Organisation", "Kind of observer"):
            assert translation.gettext(label) in errors, (label, errors)
        if language != "en":
            assert translation.gettext("“%(field)s” is required.") != "“%(field)s” is required."
    assert 'aria-describedby="id_organisation_helptext id_organisation_error"' in html
    assert not ObserverAccreditation.objects.exists()


def test_a_second_live_request_is_refused(users: dict[Role, User | None], election: Election) -> None:
    client = client_for(users[Role.CITIZEN])
    data = {"election": election.pk, "kind": "party", "organisation": "Amanat"}
    assert client.post("/en/observers/", data).status_code == 302
    response = client.post("/en/observers/", data)
    assert response.status_code == 409
    assert "You already have a request" in response.content.decode()
    assert ObserverAccreditation.objects.count() == 1


def test_the_commission_approves_and_the_user_becomes_an_observer(
        users: dict[Role, User | None], election: Election, chair: User) -> None:
    citizen = users[Role.CITIZEN]
    assert citizen is not None
    row = accreditation_request(user=citizen, election=election, kind=ObserverKind.PARTY, organisation="Amanat",
                                now=CALLED)
    page = client_for(chair).get(f"/en/observers/{election.code}/accreditations/")
    assert page.status_code == 200 and "Amanat" in page.content.decode()
    response = client_for(chair).post(f"/en/observers/accreditations/{row.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.decided_by, row.reason) == ("approved", chair, "")
    assert citizen.groups.filter(name=OBSERVER_GROUP).exists()
    (event,) = events("observer.accredited")
    assert {k: event[k] for k in ("election", "kind", "organisation", "accreditation")} == {
        "election": election.code, "kind": "party", "organisation": "Amanat", "accreditation": row.pk}
    assert citizen.get_username() not in json.dumps(event)
    assert AuditEntry.objects.filter(action="observer.approve", actor=chair, object_id=str(row.pk)).exists()


def test_a_refusal_needs_and_cites_its_reason(users: dict[Role, User | None], election: Election,
                                              chair: User) -> None:
    citizen = users[Role.CITIZEN]
    assert citizen is not None
    row = accreditation_request(user=citizen, election=election, kind=ObserverKind.MEDIA, organisation="Qazaqstan",
                                now=CALLED)
    url = f"/kk/observers/accreditations/{row.pk}/decide/"
    missing = client_for(chair).post(url, {"decision": "refuse"})
    assert missing.status_code == 400
    with translation.override("kk"):
        assert translation.gettext("Reason for refusal") in missing.content.decode()
    assert client_for(chair).post(url, {"decision": "refuse", "refusal_reason": "no_mandate"}).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.reason) == ("refused", "no_mandate")
    (event,) = events("observer.refused")
    assert event["reason"] == "no_mandate" and event["kind"] == "media"
    assert not citizen.groups.filter(name=OBSERVER_GROUP).exists()
    again = client_for(chair).post(url, {"decision": "approve"})
    assert again.status_code == 409


def test_revoking_the_last_accreditation_ends_the_observer_role(
        observer: User, election: Election, other_election: Election, chair: User, cec_member: User) -> None:
    second = accredit(observer, other_election, organisation="Amanat")
    first = ObserverAccreditation.objects.get(user=observer, election=election)
    url = f"/en/observers/accreditations/{first.pk}/decide/"
    assert client_for(chair).post(url, {"decision": "revoke"}).status_code == 400  # no reason
    assert client_for(chair).post(url, {"decision": "revoke", "revocation_reason": "interference"}).status_code == 302
    assert observer.groups.filter(name=OBSERVER_GROUP).exists()  # still accredited for the other election
    response = client_for(cec_member).post(f"/en/observers/accreditations/{second.pk}/decide/",
                                           {"decision": "revoke", "revocation_reason": "mandate_withdrawn"})
    assert response.status_code == 302
    assert not observer.groups.filter(name=OBSERVER_GROUP).exists()
    assert [e["reason"] for e in events("observer.revoked")] == ["interference", "mandate_withdrawn"]


def test_international_observers_only_by_the_cec(users: dict[Role, User | None], election: Election,
                                                 chair: User, cec_member: User) -> None:
    citizen = users[Role.CITIZEN]
    assert citizen is not None
    row = accreditation_request(user=citizen, election=election, kind=ObserverKind.INTERNATIONAL,
                                organisation="OSCE/ODIHR", now=CALLED)
    url = f"/en/observers/accreditations/{row.pk}/decide/"
    refused = client_for(chair).post(url, {"decision": "approve"})
    assert refused.status_code == 409
    assert "accredited only by the Central Election Commission" in refused.content.decode()
    assert client_for(cec_member).post(url, {"decision": "approve"}).status_code == 302
    row.refresh_from_db()
    assert row.status == "approved"


def test_a_commission_member_out_of_scope_is_refused(
        users: dict[Role, User | None], election: Election, outsider: User, observer: User) -> None:
    citizen = users[Role.CITIZEN]
    assert citizen is not None
    row = accreditation_request(user=citizen, election=election, kind=ObserverKind.PARTY, organisation="Amanat",
                                now=CALLED)
    incident = report(observer, election)
    client = client_for(outsider)
    assert client.get(f"/en/observers/{election.code}/accreditations/").status_code == 403
    assert client.post(f"/en/observers/accreditations/{row.pk}/decide/", {"decision": "approve"}).status_code == 403
    assert client.get(f"/en/observers/{election.code}/incidents/").status_code == 403
    assert client.get(f"/en/observers/incidents/{incident.pk}/").status_code == 403
    assert client.post(f"/en/observers/incidents/{incident.pk}/answer/",
                       {"resolution": "upheld", "answer": "x"}).status_code == 403
    file = incident.files.get()
    assert client.get(f"/en/observers/incidents/{incident.pk}/files/{file.pk}/").status_code == 403
    row.refresh_from_db()
    assert row.status == "requested"


def test_unknown_objects_are_404(chair: User, observer: User) -> None:
    assert client_for(chair).post("/en/observers/accreditations/999/decide/", {}).status_code == 404
    assert client_for(chair).get("/en/observers/no-such-election/accreditations/").status_code == 404
    assert client_for(observer).get("/en/observers/incidents/999/").status_code == 404


# --- the portal -----------------------------------------------------------------------------


def test_the_portal_shows_the_election_its_history_and_board_events(observer: User, election: Election) -> None:
    board_flush()
    response = client_for(observer).get(f"/en/observers/{election.code}/portal/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Stage history" in html and "Election called" in html and "Observer accredited" in html


def test_the_portal_and_incidents_refuse_observers_not_accredited_for_the_election(
        users: dict[Role, User | None], election: Election, other_election: Election, observer: User) -> None:
    other = User.objects.create_user("other-observer", password="other-password-1")
    accredit(other, other_election)
    incident = report(observer, election)
    not_accredited = User.objects.create_user("lapsed", password="lapsed-password-1")
    not_accredited.groups.add(*observer.groups.all())  # in the group, but not accredited for this election
    for user in (other, not_accredited):
        client = client_for(user)
        assert client.get(f"/en/observers/{election.code}/portal/").status_code == 403
        assert client.get(f"/en/observers/{election.code}/audit/").status_code == 403
        assert client.get(f"/en/observers/{election.code}/incidents/").status_code == 403
        assert client.get(f"/en/observers/{election.code}/incidents/new/").status_code == 403
        assert client.post(f"/en/observers/{election.code}/incidents/new/",
                           {"title": "t", "description": "d"}).status_code == 403
        assert client.get(f"/en/observers/incidents/{incident.pk}/").status_code == 403
        file = incident.files.get()
        assert client.get(f"/en/observers/incidents/{incident.pk}/files/{file.pk}/").status_code == 403
    citizen = client_for(users[Role.CITIZEN])
    assert citizen.get(f"/en/observers/{election.code}/portal/").status_code == 403
    assert citizen.get(f"/en/observers/{election.code}/incidents/new/").status_code == 403
    assert Incident.objects.count() == 1


def test_the_audit_log_is_paged_50_at_a_time(observer: User, election: Election) -> None:
    for n in range(60):
        audit_record(actor=None, action="test.entry", target=election, at=CALLED, data={"n": n})
    audit_record(actor=None, action="test.unrelated", at=CALLED)
    first = client_for(observer).get(f"/en/observers/{election.code}/audit/").content.decode()
    assert first.count("<code>test.entry</code>") == 50  # newest first: 50 of the 60 test entries
    assert "test.unrelated" not in first and "Page 1 of 2" in first
    second = client_for(observer).get(f"/en/observers/{election.code}/audit/?page=2").content.decode()
    assert "observer.approve" in second and "election.create" in second and "test.unrelated" not in second
    assert client_for(observer).get(f"/en/observers/{election.code}/audit/?page=x").status_code == 200


# --- incidents ----------------------------------------------------------------------------


def test_an_observer_reports_an_incident_with_files(observer: User, election: Election) -> None:
    response = client_for(observer).post(f"/en/observers/{election.code}/incidents/new/", {
        "title": "Ballot box unsealed", "precinct": "101", "description": "The seal was broken at 09:10.",
        "attachments": [png(), SimpleUploadedFile("protocol.pdf", PDF, content_type="application/pdf")]})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.status, incident.precinct_code, incident.reporter) == ("open", "101", observer)
    assert sorted(f.stored.media_type for f in IncidentFile.objects.filter(incident=incident)) == [
        "application/pdf", "image/png"]
    (event,) = events("incident.reported")
    assert {k: event[k] for k in ("election", "incident", "title", "precinct")} == {
        "election": election.code, "incident": incident.pk, "title": "Ballot box unsealed", "precinct": "101"}
    assert "seal was broken" not in json.dumps(event)  # the description is not public
    assert AuditEntry.objects.filter(action="incident.report", object_id=str(incident.pk)).exists()
    mine = client_for(observer).get(f"/en/observers/{election.code}/incidents/").content.decode()
    assert "Ballot box unsealed" in mine


@pytest.mark.parametrize(("name", "content", "message"), [
    ("photo.png", b"not an image at all", "only these file types are accepted"),
    ("photo.exe", PNG, "only these file types are accepted"),
    ("empty.png", b"", "file is empty"),
    ("big.png", PNG + b"\x00" * 2048, "larger than"),
])
def test_bad_uploads_are_refused(observer: User, election: Election, settings: Any, name: str, content: bytes,
                                 message: str) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    response = client_for(observer).post(f"/en/observers/{election.code}/incidents/new/", {
        "title": "t", "description": "d", "attachments": [SimpleUploadedFile(name, content)]})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Attachments" in html
    assert not Incident.objects.exists()


def test_at_most_five_files(observer: User, election: Election) -> None:
    response = client_for(observer).post(f"/en/observers/{election.code}/incidents/new/", {
        "title": "t", "description": "d", "attachments": [png(f"p{n}.png") for n in range(6)]})
    assert response.status_code == 400 and "at most 5 files" in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_incident_without_title_or_description_names_the_fields(observer: User, election: Election,
                                                                    language: str) -> None:
    response = client_for(observer).post(f"/{language}/observers/{election.code}/incidents/new/",
                                         {"title": " ", "description": "", "precinct": "x" * 40})
    assert response.status_code == 400
    html = response.content.decode()
    errors = " ".join(re.findall(r'class="field-error" id="[^"]+">([^<]+)<', html))
    with translation.override(language):
        for label in ("Title", "Description", "Precinct number or code"):
            assert translation.gettext(label) in errors, (label, errors)
    assert not Incident.objects.exists()


def test_the_commission_answers_once(observer: User, election: Election, chair: User) -> None:
    incident = report(observer, election)
    url = f"/en/observers/incidents/{incident.pk}/answer/"
    page = client_for(chair).get(f"/en/observers/incidents/{incident.pk}/")
    assert page.status_code == 200 and "Answer the report" in page.content.decode()
    missing = client_for(chair).post(url, {"resolution": "maybe"})
    assert missing.status_code == 400
    assert "“Answer” is required." in missing.content.decode()
    assert client_for(chair).post(url, {"resolution": "referred", "answer": "Sent to the TEC."}).status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.resolution, incident.answered_by) == ("answered", "referred", chair)
    twice = client_for(chair).post(url, {"resolution": "upheld", "answer": "Again."})
    assert twice.status_code == 409
    assert "already been answered" in twice.content.decode()
    incident.refresh_from_db()
    assert incident.answer == "Sent to the TEC."
    (event,) = events("incident.answered")
    assert (event["resolution"], event["incident"]) == ("referred", incident.pk)
    assert "Sent to the TEC." not in json.dumps(event)
    seen = client_for(observer).get(f"/en/observers/incidents/{incident.pk}/").content.decode()
    assert "Sent to the TEC." in seen and "Referred to the higher commission" in seen


def test_closing(observer: User, election: Election, chair: User) -> None:
    incident = report(observer, election)
    url = f"/en/observers/incidents/{incident.pk}/close/"
    assert client_for(observer).post(url).status_code == 409  # not answered yet
    incident_answer(actor=chair, incident=incident, text="Checked.", resolution=Resolution.REJECTED, now=NOW)
    colleague = User.objects.create_user("colleague", password="colleague-password-1")
    accredit(colleague, election, organisation="Nur Otan")
    assert client_for(colleague).get(f"/en/observers/incidents/{incident.pk}/").status_code == 200  # may read
    assert client_for(colleague).post(url).status_code == 403  # may not close
    assert client_for(observer).post(url).status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED.value
    assert client_for(chair).post(url).status_code == 409
    assert events("incident.closed")


def test_the_commission_sees_overdue_reports_first(observer: User, election: Election, chair: User) -> None:
    report(observer, election, title="Old report", now=VOTE - timedelta(days=400))
    answered = report(observer, election, title="Answered report", now=VOTE - timedelta(days=300))
    incident_answer(actor=chair, incident=answered, text="ok", resolution=Resolution.UPHELD,
                    now=VOTE - timedelta(days=299))
    report(observer, election, title="Fresh report", now=VOTE + timedelta(days=3650))
    html = client_for(chair).get(f"/en/observers/{election.code}/incidents/").content.decode()
    titles = re.findall(r'incidents/\d+/">([^<]+)</a>', html)
    assert titles == ["Old report", "Fresh report", "Answered report"]
    assert html.count("Overdue") == 1


def test_attachments_download_as_attachments(observer: User, election: Election, chair: User) -> None:
    incident = report(observer, election)
    file = incident.files.get()
    for user in (observer, chair):
        response = client_for(user).get(f"/en/observers/incidents/{incident.pk}/files/{file.pk}/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert client_for(observer).get(f"/en/observers/incidents/{incident.pk}/files/{file.pk + 99}/").status_code == 404


def test_the_services_refuse_what_the_domain_refuses(users: dict[Role, User | None], election: Election,
                                                     observer: User, chair: User) -> None:
    citizen = users[Role.CITIZEN]
    assert citizen is not None
    with pytest.raises(NotAccredited):
        report(citizen, election)
    with pytest.raises(AccreditationPending):
        accreditation_request(user=observer, election=election, kind=ObserverKind.PARTY, organisation="x", now=NOW)
    with pytest.raises(ObservationInputInvalid):
        accreditation_request(user=citizen, election=election, kind=ObserverKind.PARTY, organisation=" ", now=NOW)
    row = ObserverAccreditation.objects.get(user=observer)
    with pytest.raises(AccreditationStatusRefused):
        accreditation_decide(actor=chair, accreditation=row, target=AccreditationStatus.REFUSED,
                             reason=RefusalReason.INCOMPLETE, levels=DISTRICT, now=NOW)
    with pytest.raises(AccreditationAuthorityRefused):
        accreditation_decide(actor=chair, accreditation=row, target=AccreditationStatus.REVOKED,
                             reason=RevocationReason.INTERFERENCE, levels=frozenset(), now=NOW)
    incident = report(observer, election)
    incident_answer(actor=chair, incident=incident, text="a", resolution=Resolution.UPHELD, now=NOW)
    with pytest.raises(IncidentStatusRefused):
        incident_answer(actor=chair, incident=incident, text="b", resolution=Resolution.UPHELD, now=NOW)


# --- the public bulletin board page ---------------------------------------------------------


def test_the_board_page_lists_events_newest_first_with_checkpoint_and_key(
        client: Client, observer: User, election: Election) -> None:
    for n in range(55):
        board_record("test.event", at=CALLED, data={"n": n})
    board_flush()
    html = client.get("/en/board/").content.decode()
    assert "Public bulletin board" in html and "Page 1 of 2" in html
    assert html.index("&quot;n&quot;: 54") < html.index("&quot;n&quot;: 53")
    assert "Observer accredited" not in html  # on page 2 now
    vkey = (Path(settings.PUBLIC_BOARD_DIR) / "log.vkey").read_text().strip()
    assert vkey in html and "saylau board verify" in html and "— saylau.local/public" in html
    second = client.get("/en/board/?page=2").content.decode()
    assert "Election called" in second and "Observer accredited" in second
    assert client.get("/en/board/?page=abc").status_code == 200
    assert "Page 2 of 2" in client.get("/en/board/?page=999").content.decode()


def test_the_board_page_works_before_the_first_event(client: Client, db: None) -> None:
    response = client.get("/kk/board/")
    assert response.status_code == 200


def test_the_command_shown_on_the_board_page_verifies_the_public_board(
        observer: User, election: Election, capsys: pytest.CaptureFixture[str]) -> None:
    board_flush()
    vkey = (Path(settings.PUBLIC_BOARD_DIR) / "log.vkey").read_text().strip()
    assert saylau_main(["board", "verify", str(settings.PUBLIC_BOARD_DIR), "--log-key", vkey]) == 0
    assert "OK: every entry is in the signed tree" in capsys.readouterr().out


def test_the_navigation_links_the_board(client: Client, db: None) -> None:
    assert 'href="/en/board/"' in client.get("/en/").content.decode()


# --- translations -------------------------------------------------------------------------


def _examples() -> list[DomainError]:
    return [ObservationInputInvalid("organisation", "empty"), ObservationInputInvalid("title", "too_long", 200),
            AccreditationStatusRefused(AccreditationStatus.REFUSED, AccreditationStatus.APPROVED),
            AccreditationAuthorityRefused(ObserverKind.INTERNATIONAL, DISTRICT),
            AccreditationAuthorityRefused(ObserverKind.PARTY, frozenset({CommissionLevel.PRECINCT})),
            AccreditationPending("e", AccreditationStatus.APPROVED), NotAccredited("e"),
            IncidentStatusRefused(IncidentStatus.ANSWERED, IncidentStatus.ANSWERED),
            IncidentStatusRefused(IncidentStatus.OPEN, IncidentStatus.CLOSED),
            IncidentStatusRefused(IncidentStatus.CLOSED, IncidentStatus.ANSWERED)]


def test_every_observers_error_code_is_translated() -> None:
    ours = {ErrorCode.OBSERVATION_INPUT_INVALID, ErrorCode.ACCREDITATION_STATUS_REFUSED,
            ErrorCode.ACCREDITATION_AUTHORITY_REFUSED, ErrorCode.ACCREDITATION_PENDING, ErrorCode.NOT_ACCREDITED,
            ErrorCode.INCIDENT_STATUS_REFUSED}
    assert ours <= set(MESSAGES)
    assert {e.code for e in _examples()} == ours
    for error in _examples():
        with translation.override("en"):
            english = error_message(error)
        assert "code" not in english
        for language in ("kk", "ru"):
            with translation.override(language):
                message = error_message(error)
            assert message and message != english, (language, error.code)
            assert not re.search(r"[A-Za-z]{4,}", message), message
