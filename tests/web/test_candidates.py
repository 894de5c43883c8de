"""Candidates, parties and mandates on the web: services (audited, on the board), every refusal
(wrong stage, deadline, nominator not allowed, refusal without a rule, bad uploads, a foreign
party's representative, a commission member out of scope), the full nomination → registration
flow through the views, party lists and the imperative mandate, the API, and the translations
of the error codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from saylau.domain.commissions import CommissionLevel, MemberRole
from saylau.domain.election import Stage
from saylau.domain.errors import CommissionScopeRefused, DomainError, ErrorCode
from saylau.domain.nomination import (
    DuplicateNomination,
    NominationDeadlinePassed,
    NominationStatus,
    NominationStatusRefused,
    NominationWrongStage,
    NominatorNotAllowed,
    RefusalGroundsInvalid,
    RegistrationBlocked,
    Step,
    WithdrawalRefused,
)
from saylau.domain.parties import (
    MandateEndReason,
    MandateGroundNotAllowed,
    MandateNotActive,
    PartyListInvalid,
    SeatHolderRefused,
)
from saylau.domain.results import ResultsStepRefused
from saylau.web.candidates import services, views
from saylau.web.candidates.models import (
    Candidate,
    ListStatus,
    Mandate,
    PartyList,
    Vacancy,
    VacancyStatus,
)
from saylau.web.commissions.services import commission_create, membership_add
from saylau.web.core.access import PARTY_GROUP, Role
from saylau.web.core.errors import MESSAGES, error_message
from saylau.web.core.models import AuditEntry, BoardEvent
from saylau.web.elections.models import Election
from saylau.web.results.models import PartySeats
from saylau.web.territory.models import Level, TerritorialUnit
from saylau.web.territory.services import territorial_unit_create
from tests.web.candidates_world import (
    IN_NOMINATION,
    IN_REGISTRATION,
    PDF,
    PNG,
    advance,
    iin_for,
    make_party,
    mazhilis,
    pdf,
    person,
    to_nomination,
    to_registration,
)
from tests.web.conftest import CALLED, LANGUAGES, VOTE, client_for

Users = dict[Role, User | None]


def u(users: Users, role: Role) -> User:
    user = users[role]
    assert user is not None
    return user


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Set the views' clock: `at(moment)`."""
    def set_clock(moment: Any) -> None:
        monkeypatch.setattr(views, "clock", lambda: moment)

    yield set_clock


def kinds(*names: str) -> list[str]:
    return list(BoardEvent.objects.filter(kind__in=names).order_by("id").values_list("kind", flat=True))


# --- services ------------------------------------------------------------------------------------


def test_self_nomination_to_registration_is_audited_and_published(users: Users, election: Election) -> None:
    citizen, chair = u(users, Role.CITIZEN), u(users, Role.COMMISSION)
    election = to_nomination(election)
    c = services.candidate_nominate(actor=citizen, election=election, person=person(), party=None,
                                    documents=[("identity", pdf()), ("platform", pdf("p.pdf"))], now=IN_NOMINATION)
    assert (c.status, c.nominator_kind, c.user, c.filed_by) == ("nominated", "self", citizen, citizen)
    assert len(c.identity_digest) == 64 and not re.search(r"\d{12}", str(c.__dict__))  # no IIN in clear
    assert {d.kind: d.public for d in c.documents.all()} == {"identity": False, "platform": True}
    services.documents_submit(actor=citizen, candidate=c, now=IN_NOMINATION)
    election = to_registration(election)
    c = services.candidate_register(actor=chair, candidate=c, now=IN_REGISTRATION)
    assert c.status == "registered" and c.registered_at == IN_REGISTRATION
    actions = list(AuditEntry.objects.filter(object_type="candidates.candidate").values_list("action", flat=True))
    assert actions == ["candidate.nominate", "candidate.document", "candidate.document", "candidate.submit",
                       "candidate.register"]
    (event,) = BoardEvent.objects.filter(kind="candidate.registered")
    assert event.data["name"] == c.full_name and event.data["pack"] == "akim-rural-2021"
    assert "identity_digest" not in str(event.data) and c.identity_digest not in str(event.data)


def test_a_refusal_cites_rules_with_references_on_the_board(users: Users, election: Election) -> None:
    citizen, chair = u(users, Role.CITIZEN), u(users, Role.COMMISSION)
    election = to_nomination(election)
    c = services.candidate_nominate(actor=citizen, election=election, person=person(), party=None,
                                    now=IN_NOMINATION)
    election = to_registration(election)
    with pytest.raises(RefusalGroundsInvalid):
        services.candidate_refuse(actor=chair, candidate=c, rule_ids=[], reason="x", now=IN_REGISTRATION)
    with pytest.raises(RefusalGroundsInvalid):
        services.candidate_refuse(actor=chair, candidate=c, rule_ids=["ballot.against_all"], reason="x",
                                  now=IN_REGISTRATION)
    c = services.candidate_refuse(actor=chair, candidate=c, rule_ids=["eligibility.education"],
                                  reason="Диплом жоқ", now=IN_REGISTRATION)
    assert c.status == "refused"
    (event,) = BoardEvent.objects.filter(kind="candidate.refused")
    assert event.data["rules"] == [{"rule_id": "eligibility.education", "reference": "reference to be confirmed",
                                    "status": "unconfirmed"}]
    assert event.data["reason"] == "Диплом жоқ"


def test_registration_is_blocked_by_an_unmet_rule(users: Users, election: Election) -> None:
    citizen, chair = u(users, Role.CITIZEN), u(users, Role.COMMISSION)
    election = to_nomination(election)
    young = person(born=date(2004, 1, 1))
    c = services.candidate_nominate(actor=citizen, election=election, person=young, party=None, now=IN_NOMINATION)
    services.documents_submit(actor=citizen, candidate=c, now=IN_NOMINATION)
    to_registration(election)
    with pytest.raises(RegistrationBlocked) as blocked:
        services.candidate_register(actor=chair, candidate=c, now=IN_REGISTRATION)
    assert blocked.value.rules == ("eligibility.min_age",)
    assert not BoardEvent.objects.filter(kind="candidate.registered").exists()


def test_refusals_of_nomination(users: Users, election: Election) -> None:
    citizen, party_user = u(users, Role.CITIZEN), u(users, Role.PARTY)
    with pytest.raises(NominationWrongStage):  # the election is still a draft
        services.candidate_nominate(actor=citizen, election=election, person=person(), party=None, now=CALLED)
    election = to_nomination(election)
    with pytest.raises(NominationDeadlinePassed):
        services.candidate_nominate(actor=citizen, election=election, person=person(), party=None,
                                    now=election.nomination_closes + timedelta(seconds=1))
    services.candidate_nominate(actor=citizen, election=election, person=person(), party=None, now=IN_NOMINATION)
    with pytest.raises(DuplicateNomination):
        services.candidate_nominate(actor=citizen, election=election, person=person(), party=None,
                                    now=IN_NOMINATION)
    other = make_party("Other", [])
    with pytest.raises(services.PartyScopeRefused):  # a representative of another party
        services.candidate_nominate(actor=party_user, election=election, person=person(serial=2000), party=other,
                                    now=IN_NOMINATION)
    assert Candidate.objects.count() == 1


def test_a_nominator_the_pack_does_not_allow_is_refused(users: Users, saraishyk: TerritorialUnit) -> None:
    from saylau.domain.election import ElectionType
    from saylau.web.elections.services import election_create

    president = election_create(
        actor=None, code="president-2025", type=ElectionType.PRESIDENTIAL, title_kk="Президент сайлауы",
        nomination_closes=VOTE - timedelta(days=25), registration_closes=VOTE - timedelta(days=15),
        voting_opens=VOTE, voting_closes=VOTE + timedelta(hours=13), now=CALLED)
    president = to_nomination(president)
    with pytest.raises(NominatorNotAllowed) as refused:
        services.candidate_nominate(actor=u(users, Role.CITIZEN), election=president, person=person(), party=None,
                                    now=IN_NOMINATION)
    assert refused.value.rule == "nomination.self_nomination"


def test_withdrawal_by_the_candidate_and_by_the_party(users: Users, election: Election) -> None:
    citizen, party_user = u(users, Role.CITIZEN), u(users, Role.PARTY)
    party = make_party("Amanat", [party_user])
    election = to_nomination(election)
    mine = services.candidate_nominate(actor=citizen, election=election, person=person(), party=None,
                                       now=IN_NOMINATION)
    theirs = services.candidate_nominate(actor=party_user, election=election, person=person(serial=3000),
                                         party=party, now=IN_NOMINATION)
    with pytest.raises(services.PartyScopeRefused):
        services.candidate_withdraw(actor=party_user, candidate=mine, now=IN_NOMINATION)
    services.candidate_withdraw(actor=citizen, candidate=mine, now=IN_NOMINATION)
    services.candidate_withdraw(actor=party_user, candidate=theirs, now=IN_NOMINATION)
    assert [e.data["by"] for e in BoardEvent.objects.filter(kind="candidate.withdrawn").order_by("id")] == [
        "candidate", "nominator"]
    with pytest.raises(NominationStatusRefused):
        services.candidate_withdraw(actor=citizen, candidate=mine, now=IN_NOMINATION)


def test_the_party_group_follows_representation(users: Users, db: None) -> None:
    citizen = u(users, Role.CITIZEN)
    party = make_party("Ak Zhol", [citizen])
    assert citizen.groups.filter(name=PARTY_GROUP).exists()
    services.party_representatives_set(actor=None, party=party, users=[], now=CALLED)
    assert not citizen.groups.filter(name=PARTY_GROUP).exists()
    assert BoardEvent.objects.filter(kind="party.recorded").exists()


def other_district_member(saraishyk: TerritorialUnit) -> User:
    """The chair of another district's commission (Isatay District, Atyrau Region)."""
    from tests.web.conftest import commission_tree

    tree = commission_tree()
    isatay = territorial_unit_create(actor=None, code="isatay", level=Level.DISTRICT, kind="district",
                                     parent=TerritorialUnit.objects.get(code="atyrau"), name_kk="Исатай ауданы",
                                     now=CALLED)
    commission = commission_create(actor=None, code="isatay-tec", level=CommissionLevel.DISTRICT,
                                   name_kk="Исатай аудандық сайлау комиссиясы", territory=isatay,
                                   parent=tree["atyrau-tec"], now=CALLED)
    user = User.objects.create_user("isatay-chair", password="isatay-password-1")
    membership_add(actor=None, commission=commission, user=user, role=MemberRole.CHAIR, start=CALLED, now=CALLED)
    return user


def test_a_commission_member_out_of_scope_is_refused(users: Users, election: Election,
                                                     saraishyk: TerritorialUnit, at: Any) -> None:
    outsider = other_district_member(saraishyk)
    election = to_nomination(election)
    c = services.candidate_nominate(actor=u(users, Role.CITIZEN), election=election, person=person(), party=None,
                                    now=IN_NOMINATION)
    to_registration(election)
    with pytest.raises(CommissionScopeRefused):
        services.candidate_register(actor=outsider, candidate=c, now=IN_REGISTRATION)
    at(IN_REGISTRATION)
    client = client_for(outsider)
    assert client.get(f"/kk/elections/{election.code}/review/").status_code == 403
    assert client.get(f"/kk/candidates/{c.pk}/review/").status_code == 403
    assert client.post(f"/kk/candidates/{c.pk}/review/", {"decision": "register"}).status_code == 403
    assert client.post(f"/kk/elections/{election.code}/mandates/award/", {}).status_code == 403
    assert Candidate.objects.get(pk=c.pk).status == "nominated"


# --- through the views ---------------------------------------------------------------------------


def form_data(**over: object) -> dict[str, object]:
    born = date(1985, 4, 12)
    data: dict[str, object] = {
        "iin": iin_for(born, 1000), "surname": "Сейітова", "given_name": "Әлия", "patronymic": "",
        "birth_date": born.isoformat(), "citizenship": "citizen", "resident_since": "1985-04-12",
        "education": "higher", "public_service_years": "5", "state_language_exam_passed": "yes",
        "medical_exam_passed": "yes", "has_unexpunged_criminal_record": "no", "has_corruption_offence": "no",
        "declared_legally_incapable": "no", "serving_prison_sentence": "no", "biography_kk": "Өмірбаяны",
        "platform_kk": "Бағдарламасы"}
    data.update(over)
    return data


def test_full_flow_through_the_views(users: Users, election: Election, at: Any) -> None:
    citizen, chair = client_for(u(users, Role.CITIZEN)), client_for(u(users, Role.COMMISSION))
    election = to_nomination(election)
    at(IN_NOMINATION)
    page = citizen.get(f"/kk/elections/{election.code}/nominate/")
    assert page.status_code == 200 and b'name="iin"' in page.content and b"<fieldset" in page.content
    # the eligibility report before filing, every requirement listed with its rule id
    checked = citizen.post(f"/kk/elections/{election.code}/nominate/", form_data(education="", action="check"))
    assert checked.status_code == 200 and Candidate.objects.count() == 0
    assert b"eligibility.education" in checked.content and b"eligibility.min_age" in checked.content
    # bad input: every error in the summary, linked to its field
    bad = citizen.post(f"/kk/elections/{election.code}/nominate/", form_data(iin="123", action="nominate"))
    assert bad.status_code == 400
    assert b'href="#id_iin"' in bad.content and b'aria-invalid="true"' in bad.content
    filed = citizen.post(f"/kk/elections/{election.code}/nominate/",
                         {**form_data(action="nominate"), "doc_identity": pdf(), "doc_platform": pdf("p.pdf")})
    assert filed.status_code == 302
    c = Candidate.objects.get()
    assert filed["Location"].endswith(f"/candidates/{c.pk}/manage/")
    manage = citizen.get(f"/kk/candidates/{c.pk}/manage/")
    assert manage.status_code == 200 and b"eligibility.min_age" in manage.content
    added = citizen.post(f"/kk/candidates/{c.pk}/documents/",
                         {"kind": "education", "file": SimpleUploadedFile("d.png", PNG)})
    assert added.status_code == 302 and c.documents.count() == 3
    assert citizen.post(f"/kk/candidates/{c.pk}/submit/", {}).status_code == 400  # not confirmed
    assert citizen.post(f"/kk/candidates/{c.pk}/submit/", {"submit-confirm": "on"}).status_code == 302
    assert citizen.post(f"/kk/candidates/{c.pk}/documents/",
                        {"kind": "education", "file": pdf()}).status_code == 409  # after submission
    # the commission reviews in the registration stage
    to_registration(election)
    at(IN_REGISTRATION)
    queue = chair.get(f"/kk/elections/{election.code}/review/")
    assert queue.status_code == 200 and c.full_name.encode() in queue.content
    review = chair.get(f"/kk/candidates/{c.pk}/review/")
    assert review.status_code == 200 and b"eligibility.min_age" in review.content
    private = c.documents.get(kind="identity")
    assert f"/candidate-documents/{private.pk}/".encode() in review.content
    done = chair.post(f"/kk/candidates/{c.pk}/review/", {"decision": "register"})
    assert done.status_code == 302
    assert Candidate.objects.get().status == "registered" and kinds("candidate.registered") == ["candidate.registered"]
    # the public pages
    anonymous = client_for(None)
    listing = anonymous.get(f"/kk/elections/{election.code}/candidates/")
    assert listing.status_code == 200 and c.full_name.encode() in listing.content
    detail = anonymous.get(f"/kk/candidates/{c.pk}/")
    assert b"\xd0\x91\xd0\xb0\xd2\x93\xd0\xb4\xd0\xb0\xd1\x80\xd0\xbb\xd0\xb0\xd0\xbc\xd0\xb0\xd1\x81\xd1\x8b" in \
        detail.content  # the platform
    public = c.documents.get(kind="platform")
    assert f"/candidate-documents/{public.pk}/".encode() in detail.content
    assert f"/candidate-documents/{private.pk}/".encode() not in detail.content
    download = anonymous.get(f"/kk/candidate-documents/{public.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff" and b"".join(download.streaming_content) == PDF
    assert anonymous.get(f"/kk/candidate-documents/{private.pk}/").status_code == 404
    assert client_for(u(users, Role.OBSERVER)).get(f"/kk/candidate-documents/{private.pk}/").status_code == 404
    assert chair.get(f"/kk/candidate-documents/{private.pk}/").status_code == 200
    assert citizen.get(f"/kk/candidate-documents/{private.pk}/").status_code == 200
    # the election page links the candidates
    assert f"/kk/elections/{election.code}/candidates/".encode() in anonymous.get(
        f"/kk/elections/{election.code}/").content


def test_refusal_through_the_views_needs_a_rule(users: Users, election: Election, at: Any) -> None:
    chair = client_for(u(users, Role.COMMISSION))
    election = to_nomination(election)
    c = services.candidate_nominate(actor=u(users, Role.CITIZEN), election=election, person=person(), party=None,
                                    now=IN_NOMINATION)
    to_registration(election)
    at(IN_REGISTRATION)
    no_reason = chair.post(f"/kk/candidates/{c.pk}/review/", {"decision": "refuse", "rules": []})
    assert no_reason.status_code == 400
    no_rule = chair.post(f"/kk/candidates/{c.pk}/review/", {"decision": "refuse", "reason": "себеп"})
    assert no_rule.status_code == 409
    with translation.override("kk"):
        assert escape(error_message(RefusalGroundsInvalid(problem="none", pack="p"))).encode() in no_rule.content
    wrong = chair.post(f"/kk/candidates/{c.pk}/review/", {"decision": "refuse", "reason": "x",
                                                          "rules": ["counting_single.rule"]})
    assert wrong.status_code == 400  # not one of the choices
    ok = chair.post(f"/kk/candidates/{c.pk}/review/", {"decision": "refuse", "reason": "Жасы",
                                                       "rules": ["eligibility.min_age"]})
    assert ok.status_code == 302 and Candidate.objects.get().status == "refused"
    listing = client_for(None).get(f"/ru/elections/{election.code}/candidates/")
    assert b"eligibility.min_age" in listing.content  # refusals are public, with the rule


def test_view_refusals_wrong_stage_and_deadline(users: Users, election: Election, at: Any) -> None:
    citizen = client_for(u(users, Role.CITIZEN))
    at(CALLED)
    assert citizen.post(f"/kk/elections/{election.code}/nominate/",
                        form_data(action="nominate")).status_code == 409  # draft
    election = to_nomination(election)
    at(election.nomination_closes + timedelta(minutes=1))
    late = citizen.post(f"/kk/elections/{election.code}/nominate/", form_data(action="nominate"))
    assert late.status_code == 409 and Candidate.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "limit"), [
    ("x.pdf", b"MZ\x90\x00 not a pdf", None), ("x.exe", PDF, None), ("x.pdf", PDF * 100, 100), ("x.pdf", b"", None)])
def test_bad_uploads_are_refused_naming_the_field(users: Users, election: Election, at: Any, settings: Any,
                                                  name: str, content: bytes, limit: int | None) -> None:
    if limit is not None:
        settings.UPLOAD_MAX_BYTES = limit
    citizen = client_for(u(users, Role.CITIZEN))
    election = to_nomination(election)
    c = services.candidate_nominate(actor=u(users, Role.CITIZEN), election=election, person=person(), party=None,
                                    now=IN_NOMINATION)
    at(IN_NOMINATION)
    response = citizen.post(f"/kk/candidates/{c.pk}/documents/",
                            {"kind": "identity", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and c.documents.count() == 0
    assert b'href="#id_file"' in response.content


def test_a_foreign_party_representative_gets_403(users: Users, election: Election, at: Any) -> None:
    party_user = u(users, Role.PARTY)
    make_party("Mine", [party_user])
    other = make_party("Other", [])
    election = to_nomination(election)
    c = services.candidate_nominate(actor=u(users, Role.CITIZEN), election=election, person=person(), party=None,
                                    now=IN_NOMINATION)
    at(IN_NOMINATION)
    client = client_for(party_user)
    assert client.get(f"/kk/candidates/{c.pk}/manage/").status_code == 403
    assert client.post(f"/kk/candidates/{c.pk}/withdraw/", {"withdraw-confirm": "on"}).status_code == 403
    assert client.get(f"/kk/elections/{election.code}/lists/{other.pk}/").status_code == 403
    nominated = client.post(f"/kk/elections/{election.code}/nominate/",
                            {**form_data(action="nominate", iin=iin_for(date(1985, 4, 12), 4000)),
                             "party": other.pk, "is_party_member": "yes"})
    assert nominated.status_code == 400  # not one of the parties offered
    assert Candidate.objects.count() == 1


def test_a_party_nominates_through_the_view(users: Users, election: Election, at: Any) -> None:
    party_user = u(users, Role.PARTY)
    party = make_party("Mine", [party_user])
    election = to_nomination(election)
    at(IN_NOMINATION)
    client = client_for(party_user)
    response = client.post(f"/kk/elections/{election.code}/nominate/",
                           {**form_data(action="nominate"), "party": party.pk, "is_party_member": "yes"})
    assert response.status_code == 302
    c = Candidate.objects.get()
    assert (c.party, c.nominator_kind, c.user, c.is_party_member) == (party, "political_party", None, True)
    assert client.get("/kk/nominations/").status_code == 200
    withdrawn = client.post(f"/kk/candidates/{c.pk}/withdraw/", {"withdraw-confirm": "on"})
    assert withdrawn.status_code == 302 and Candidate.objects.get().withdrawn_by == "nominator"


# --- party lists and the imperative mandate ------------------------------------------------------


@pytest.fixture
def cec_chair(users: Users) -> User:
    from tests.web.conftest import commission_tree

    user = User.objects.create_user("cec-chair", password="cec-password-1")
    membership_add(actor=None, commission=commission_tree()["cec"], user=user, role=MemberRole.CHAIR,
                   start=CALLED, now=CALLED)
    return user


def registered_list(users: Users, cec: User, names: int = 5) -> tuple[Election, Any, list[Candidate]]:
    party_user = u(users, Role.PARTY)
    party = make_party("Amanat", [party_user])
    election = to_nomination(mazhilis())
    people = []
    for i in range(names):
        c = services.candidate_nominate(actor=party_user, election=election,
                                        person=person(surname=f"Үміткер{i}", serial=5000 + 100 * i,
                                                      is_woman=i % 2 == 0),
                                        party=party, now=IN_NOMINATION)
        assert c.on_list
        services.documents_submit(actor=party_user, candidate=c, now=IN_NOMINATION)
        services.list_entry_add(actor=party_user, party=party, election=election, candidate=c, now=IN_NOMINATION)
        people.append(c)
    with pytest.raises(PartyListInvalid):
        services.list_entry_add(actor=party_user, party=party, election=election, candidate=people[0],
                                now=IN_NOMINATION)
    services.list_submit(actor=party_user, party=party, election=election, now=IN_NOMINATION)
    election = to_registration(election)
    for c in people:
        services.candidate_register(actor=cec, candidate=c, now=IN_REGISTRATION)
    party_list = PartyList.objects.get(party=party, election=election)
    services.list_register(actor=cec, party_list=party_list, now=IN_REGISTRATION)
    assert PartyList.objects.get(pk=party_list.pk).status == ListStatus.REGISTERED
    election = advance(election, Stage.CAMPAIGN, at=VOTE - timedelta(days=14))
    election = advance(election, Stage.VOTING, at=VOTE + timedelta(hours=1))
    election = advance(election, Stage.COUNTING, Stage.RESULTS, at=VOTE + timedelta(days=1))
    PartySeats.objects.create(election=election, party=party, seats=3)  # the published allocation
    return election, party, [Candidate.objects.get(pk=c.pk) for c in people]


def test_no_list_seat_before_the_allocation_is_published(users: Users, cec_chair: User) -> None:
    election, party, people = registered_list(users, cec_chair)
    PartySeats.objects.filter(election=election).delete()
    with pytest.raises(ResultsStepRefused) as refused:
        services.mandate_award(actor=cec_chair, election=election, party=party, candidate=people[0],
                               now=VOTE + timedelta(days=5))
    assert refused.value.reason == "no_allocation"
    assert not Mandate.objects.filter(election=election).exists()


def test_the_imperative_mandate(users: Users, cec_chair: User) -> None:
    election, party, people = registered_list(users, cec_chair)
    later = VOTE + timedelta(days=5)
    first = services.mandate_award(actor=cec_chair, election=election, party=party, candidate=people[0], now=later)
    services.mandate_award(actor=cec_chair, election=election, party=party, candidate=people[1], now=later)
    with pytest.raises(SeatHolderRefused) as twice:
        services.mandate_award(actor=cec_chair, election=election, party=party, candidate=people[1], now=later)
    assert twice.value.problem == "holds_mandate"
    # expelled: the mandate ends; the Mazhilis pack lets the party choose from its registered list
    expelled = VOTE + timedelta(days=100)
    assert services.mandate_end(actor=cec_chair, mandate=first, reason=MandateEndReason.EXPELLED,
                                act="ОСК қаулысы № 1", now=expelled) == []
    vacancy = Vacancy.objects.get()
    assert vacancy.status == VacancyStatus.AWAITING_PARTY and vacancy.deadline == expelled + timedelta(days=10)
    with pytest.raises(MandateNotActive):
        services.mandate_end(actor=cec_chair, mandate=first, reason=MandateEndReason.LEFT_PARTY, act="x",
                             now=expelled)
    for who, problem in ((people[0], "unavailable"), (people[1], "holds_mandate")):
        with pytest.raises(SeatHolderRefused) as refused:
            services.vacancy_fill(actor=cec_chair, vacancy=vacancy, candidate=who, now=expelled)
        assert refused.value.problem == problem
    filled = services.vacancy_fill(actor=cec_chair, vacancy=vacancy, candidate=people[3], now=expelled)
    assert filled.holder == people[3] and Vacancy.objects.get().status == VacancyStatus.FILLED
    assert kinds("mandate.awarded", "mandate.ended", "vacancy.opened") == [
        "mandate.awarded", "mandate.awarded", "mandate.ended", "vacancy.opened", "mandate.awarded"]
    ended = BoardEvent.objects.get(kind="mandate.ended")
    assert ended.data["rule"]["rule_id"] == "mandate.terminate_on" and ended.data["reason"] == "expelled_from_party"
    # the party ceases: every mandate ends, the seats stay vacant as the pack says
    assert services.party_cease(actor=cec_chair, election=election, party=party, on=date(2025, 9, 1), act="№ 2",
                                now=expelled + timedelta(days=30)) == 2
    assert not Mandate.objects.filter(ended_at__isnull=True).exists()
    assert list(Vacancy.objects.filter(status=VacancyStatus.VACANT).values_list("policy", flat=True)) == [
        "party_nominates_from_registered_list"] * 2
    assert kinds("seat.vacant") == ["seat.vacant", "seat.vacant"]


def test_mandates_through_the_views(users: Users, cec_chair: User, at: Any) -> None:
    election, party, people = registered_list(users, cec_chair, names=3)
    at(VOTE + timedelta(days=5))
    client = client_for(cec_chair)
    assert client.post(f"/kk/elections/{election.code}/mandates/award/", {"candidate": people[0].pk}).status_code == 302
    mandate = Mandate.objects.get()
    page = client_for(None).get(f"/kk/elections/{election.code}/mandates/")
    assert page.status_code == 200 and people[0].full_name.encode() in page.content
    assert client.post(f"/kk/mandates/{mandate.pk}/end/", {"reason": "left_party"}).status_code == 400  # no act
    assert client.post(f"/kk/mandates/{mandate.pk}/end/", {"reason": "left_party", "act": "№ 5"}).status_code == 302
    vacancy = Vacancy.objects.get()
    assert client.post(f"/kk/vacancies/{vacancy.pk}/fill/", {"candidate": people[0].pk}).status_code == 409
    assert client.post(f"/kk/vacancies/{vacancy.pk}/fill/", {"candidate": people[2].pk}).status_code == 302
    # a chair of a district commission does not cover a nationwide election
    assert client_for(u(users, Role.COMMISSION)).post(f"/kk/vacancies/{vacancy.pk}/fill/", {}).status_code == 403
    api = client_for(None)
    assert api.get(f"/api/elections/{election.code}/candidates").json()[0]["status"] == "registered"
    detail = api.get(f"/api/parties/{party.pk}").json()
    assert [e["candidate"] for e in detail["lists"][0]["entries"]] == [c.pk for c in people]
    assert api.get("/api/parties/999999").status_code == 404
    assert api.get("/api/elections/none/candidates").status_code == 404


def test_mandates_need_the_results_and_a_pack_ground(users: Users, cec_chair: User) -> None:
    party_user = u(users, Role.PARTY)
    party = make_party("Amanat", [party_user])
    election = mazhilis()
    c = Candidate.objects.create(election=election, surname="А", given_name="Б", birth_date=date(1980, 1, 1),
                                 identity_digest="1" * 64, nominator_kind="political_party", party=party,
                                 on_list=True, status="registered", nominated_at=CALLED)
    with pytest.raises(NominationWrongStage) as early:
        services.mandate_award(actor=cec_chair, election=election, party=party, candidate=c, now=CALLED)
    assert early.value.step is Step.AWARD_MANDATE
    assert MandateGroundNotAllowed.code is ErrorCode.MANDATE_GROUND_NOT_ALLOWED


# --- translations of the error codes -------------------------------------------------------------

MINE = {ErrorCode.NOMINATOR_NOT_ALLOWED, ErrorCode.NOMINATION_WRONG_STAGE, ErrorCode.NOMINATION_DEADLINE_PASSED,
        ErrorCode.NOMINATION_STATUS_REFUSED, ErrorCode.DUPLICATE_NOMINATION, ErrorCode.REFUSAL_GROUNDS_INVALID,
        ErrorCode.REGISTRATION_BLOCKED, ErrorCode.WITHDRAWAL_REFUSED, ErrorCode.PARTY_LIST_INVALID,
        ErrorCode.MANDATE_GROUND_NOT_ALLOWED, ErrorCode.MANDATE_NOT_ACTIVE, ErrorCode.SEAT_HOLDER_REFUSED}


def _examples() -> list[DomainError]:
    from saylau.domain.election import Stage as S

    return [
        NominatorNotAllowed(nominator="self", rule="nomination.self_nomination",  # type: ignore[arg-type]
                            reference="reference to be confirmed", status="confirmed", detail="d"),
        NominationWrongStage(election="e", step=Step.NOMINATE, stage=S.DRAFT, allowed=[S.NOMINATION]),
        NominationDeadlinePassed(election="e", step=Step.REGISTER, field="registration_closes",
                                 deadline=VOTE - timedelta(days=15)),
        NominationStatusRefused(candidate="1", step=Step.REGISTER, status=NominationStatus.NOMINATED),
        DuplicateNomination(election="e", existing="1"),
        RefusalGroundsInvalid(problem="none", pack="p"),
        RefusalGroundsInvalid(problem="unknown_rule", rule="x.y", pack="p"),
        RegistrationBlocked(candidate="1", rules=["eligibility.min_age"]),
        WithdrawalRefused(candidate="1"),
        *(PartyListInvalid(party="1", problem=p) for p in ("duplicate", "empty", "party_ceased",
                                                          "not_party_candidate", "not_draft", "not_submitted")),
        MandateGroundNotAllowed(reason="left_party", rule="mandate.terminate_on",
                                reference="reference to be confirmed", status="unconfirmed"),
        MandateNotActive(holder="1", ended_at=VOTE),
        *(SeatHolderRefused(candidate="1", party="1", problem=p) for p in (
            "not_on_list", "holds_mandate", "unavailable", "deadline_passed", "party_ceased", "not_open")),
    ]


def test_every_error_code_of_ours_is_translated() -> None:
    examples = _examples()
    assert {e.code for e in examples} == MINE and MINE <= set(MESSAGES)
    for error in examples:
        with translation.override("en"):
            english = error_message(error)
        for language in ("kk", "ru"):
            with translation.override(language):
                message = error_message(error)
            assert message and message != english, (language, error.code)
            plain = re.sub(r"[a-z_]+\.[a-z_]+", "", message)  # rule ids stay as the pack spells them
            assert not re.search(r"[A-Za-z]{4,}", plain), (language, message)
    assert set(LANGUAGES) == {"kk", "ru", "en"}


def test_pages_in_every_language(users: Users, election: Election) -> None:
    election = to_nomination(election)
    c = services.candidate_nominate(actor=u(users, Role.CITIZEN), election=election, person=person(), party=None,
                                    now=IN_NOMINATION)
    party = make_party("Amanat", [])
    for language in LANGUAGES:
        client = client_for(None)
        for url in (f"/{language}/elections/{election.code}/candidates/", f"/{language}/candidates/{c.pk}/",
                    f"/{language}/parties/", f"/{language}/parties/{party.pk}/",
                    f"/{language}/elections/{election.code}/mandates/"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.content.count(b"<h1") == 1
    assert Group.objects.filter(name=PARTY_GROUP).exists()
