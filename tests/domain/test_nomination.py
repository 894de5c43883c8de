"""The nomination lifecycle: who may nominate (per pack, citing the rule), the stage and deadline
windows, registration against the eligibility report, refusals that must cite pack rules,
withdrawal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.domain.election import Election, ElectionId, ElectionType, Schedule, Stage
from saylau.domain.eligibility import (
    CandidateProfile,
    Citizenship,
    Education,
    Outcome,
    check_eligibility,
)
from saylau.domain.errors import ErrorCode
from saylau.domain.nomination import (
    CandidateId,
    DocumentsSubmitted,
    DuplicateNomination,
    Ground,
    Nominated,
    NominationDeadlinePassed,
    NominationStatus,
    NominationStatusRefused,
    NominationWrongStage,
    NominatorKind,
    NominatorNotAllowed,
    PartyId,
    RefusalGroundsInvalid,
    Refused,
    Registered,
    RegistrationBlocked,
    WithdrawalRefused,
    Withdrawn,
    WithdrawnBy,
    grounds_of,
    nominate,
    nomination_findings,
    refusal_rules,
    refuse,
    register,
    submit_documents,
    withdraw,
)
from saylau.domain.rulepack import Status, load_builtin_pack

KZ = timezone(timedelta(hours=5))
VOTE = datetime(2025, 3, 16, 7, 0, tzinfo=KZ)
SCHEDULE = Schedule(nomination_closes=VOTE - timedelta(days=25), registration_closes=VOTE - timedelta(days=15),
                    voting_opens=VOTE, voting_closes=VOTE + timedelta(hours=13))
IN_NOMINATION = VOTE - timedelta(days=40)
IN_REGISTRATION = VOTE - timedelta(days=20)
AKIM = load_builtin_pack("akim-rural-2021")
PRESIDENT = load_builtin_pack("president-2022")
MAZHILIS = load_builtin_pack("mazhilis-2023")
ALIYA = CandidateId("c-aliya")
AMANAT = PartyId("p-amanat")

GOOD = CandidateProfile(
    birth_date=date(1980, 5, 17), citizenship=Citizenship.CITIZEN, resident_since=date(1980, 5, 17),
    education=Education.HIGHER, public_service_years=10, state_language_exam_passed=True,
    has_unexpunged_criminal_record=False, has_corruption_offence=False, declared_legally_incapable=False,
    serving_prison_sentence=False, medical_exam_passed=True)


def election(stage: Stage, type_: ElectionType = ElectionType.AKIM_RURAL, pack: str = "akim-rural-2021") -> Election:
    return Election(id=ElectionId("akim-saraishyk-2025"), type=type_, title="t", schedule=SCHEDULE,
                    pack_id=pack, stage=stage)


def self_nominated() -> tuple[Election, object]:
    e = election(Stage.NOMINATION)
    n, _ = nominate(election=e, pack=AKIM, candidate=ALIYA, nominator=NominatorKind.SELF, now=IN_NOMINATION)
    return e, n


def test_the_whole_path_self_nomination_to_registration() -> None:
    e = election(Stage.NOMINATION)
    n, nominated = nominate(election=e, pack=AKIM, candidate=ALIYA, nominator=NominatorKind.SELF,
                            person="h1", now=IN_NOMINATION)
    assert isinstance(nominated, Nominated) and n.status is NominationStatus.NOMINATED
    assert [g.rule_id for g in nominated.grounds] == ["nomination.self_nomination"]
    n, submitted = submit_documents(n, election=e, now=IN_NOMINATION + timedelta(days=1))
    assert isinstance(submitted, DocumentsSubmitted) and n.status is NominationStatus.DOCUMENTS_SUBMITTED
    reg = election(Stage.REGISTRATION)
    report = check_eligibility(GOOD, AKIM, election_day=VOTE.date())
    n, registered = register(n, election=reg, pack=AKIM, report=report, now=IN_REGISTRATION)
    assert isinstance(registered, Registered) and n.status is NominationStatus.REGISTERED
    assert registered.assumed == () and registered.pack_id == "akim-rural-2021"


def test_a_party_may_nominate_where_the_pack_lists_parties() -> None:
    e = election(Stage.NOMINATION)
    n, ev = nominate(election=e, pack=AKIM, candidate=ALIYA, nominator=NominatorKind.POLITICAL_PARTY,
                     party=AMANAT, now=IN_NOMINATION)
    assert n.party == AMANAT
    assert [g.rule_id for g in ev.grounds] == ["nomination.nominators", "nomination.one_candidate_per_party"]


@pytest.mark.parametrize(("pack", "kind", "on_list", "rule"), [
    ("president-2022", NominatorKind.SELF, False, "nomination.self_nomination"),
    ("akim-rural-2021", NominatorKind.PUBLIC_ASSOCIATION, False, "nomination.nominators"),
    ("mazhilis-2023", NominatorKind.SELF, True, "nomination.list_nominators"),
    ("mazhilis-2023", NominatorKind.PUBLIC_ASSOCIATION, True, "nomination.list_nominators"),
    ("president-2022", NominatorKind.PUBLIC_ASSOCIATION, False, "nomination.nominators"),
])
def test_a_nominator_the_pack_does_not_allow_is_refused_citing_the_rule(
        pack: str, kind: NominatorKind, on_list: bool, rule: str) -> None:
    rp = load_builtin_pack(pack)
    with pytest.raises(NominatorNotAllowed) as refused:
        nominate(election=election(Stage.NOMINATION), pack=rp, candidate=ALIYA, nominator=kind,
                 on_list=on_list, now=IN_NOMINATION)
    assert refused.value.code is ErrorCode.NOMINATOR_NOT_ALLOWED
    assert refused.value.rule == rule
    assert refused.value.reference == rp.rules[rule].reference  # type: ignore[index]
    assert refused.value.data["status"] == rp.rules[rule].status.value  # type: ignore[index]


def test_a_party_counts_as_a_republican_public_association_for_the_president() -> None:
    _, ev = nominate(election=election(Stage.NOMINATION, ElectionType.PRESIDENTIAL, "president-2022"),
                     pack=PRESIDENT, candidate=ALIYA, nominator=NominatorKind.POLITICAL_PARTY, party=AMANAT,
                     now=IN_NOMINATION)
    assert ev.grounds[0].rule_id == "nomination.nominators"


def test_one_candidate_per_party_and_one_nomination_per_person() -> None:
    e = election(Stage.NOMINATION)
    first, _ = nominate(election=e, pack=AKIM, candidate=ALIYA, nominator=NominatorKind.POLITICAL_PARTY,
                        party=AMANAT, person="h1", now=IN_NOMINATION)
    with pytest.raises(NominatorNotAllowed) as limited:
        nominate(election=e, pack=AKIM, candidate=CandidateId("c-2"), nominator=NominatorKind.POLITICAL_PARTY,
                 party=AMANAT, person="h2", existing=[first], now=IN_NOMINATION)
    assert limited.value.rule == "nomination.one_candidate_per_party"
    with pytest.raises(DuplicateNomination):
        nominate(election=e, pack=AKIM, candidate=CandidateId("c-3"), nominator=NominatorKind.SELF,
                 person="h1", existing=[first], now=IN_NOMINATION)
    # a withdrawn nomination no longer counts
    gone = replace(first, status=NominationStatus.WITHDRAWN)
    nominate(election=e, pack=AKIM, candidate=CandidateId("c-2"), nominator=NominatorKind.POLITICAL_PARTY,
             party=AMANAT, person="h1", existing=[gone], now=IN_NOMINATION)


@pytest.mark.parametrize("stage", [s for s in Stage if s is not Stage.NOMINATION])
def test_nominating_outside_the_nomination_stage_is_refused(stage: Stage) -> None:
    with pytest.raises(NominationWrongStage) as wrong:
        nominate(election=election(stage), pack=AKIM, candidate=ALIYA, nominator=NominatorKind.SELF,
                 now=IN_NOMINATION)
    assert wrong.value.code is ErrorCode.NOMINATION_WRONG_STAGE
    assert wrong.value.data["allowed"] == ["nomination"]


def test_nominating_after_nomination_closes_is_refused() -> None:
    with pytest.raises(NominationDeadlinePassed) as late:
        nominate(election=election(Stage.NOMINATION), pack=AKIM, candidate=ALIYA, nominator=NominatorKind.SELF,
                 now=SCHEDULE.nomination_closes + timedelta(seconds=1))
    assert late.value.field == "nomination_closes"
    # exactly at the deadline is still in time
    nominate(election=election(Stage.NOMINATION), pack=AKIM, candidate=ALIYA, nominator=NominatorKind.SELF,
             now=SCHEDULE.nomination_closes)


def test_decisions_only_in_registration_and_before_registration_closes() -> None:
    e, n = self_nominated()
    n, _ = submit_documents(n, election=e, now=IN_NOMINATION)  # type: ignore[arg-type]
    report = check_eligibility(GOOD, AKIM, election_day=VOTE.date())
    with pytest.raises(NominationWrongStage):
        register(n, election=e, pack=AKIM, report=report, now=IN_NOMINATION)
    with pytest.raises(NominationWrongStage):
        refuse(n, election=e, pack=AKIM, rule_ids=["eligibility.min_age"], reason="", now=IN_NOMINATION)
    reg = election(Stage.REGISTRATION)
    late = SCHEDULE.registration_closes + timedelta(minutes=1)
    with pytest.raises(NominationDeadlinePassed) as passed:
        register(n, election=reg, pack=AKIM, report=report, now=late)
    assert passed.value.field == "registration_closes"
    with pytest.raises(NominationDeadlinePassed):
        refuse(n, election=reg, pack=AKIM, rule_ids=["eligibility.min_age"], reason="", now=late)


def test_documents_only_once_and_registration_only_after_documents() -> None:
    e, n = self_nominated()
    reg = election(Stage.REGISTRATION)
    report = check_eligibility(GOOD, AKIM, election_day=VOTE.date())
    with pytest.raises(NominationStatusRefused) as early:
        register(n, election=reg, pack=AKIM, report=report, now=IN_REGISTRATION)  # type: ignore[arg-type]
    assert early.value.data == {"candidate": ALIYA, "step": "register", "status": "nominated"}
    n, _ = submit_documents(n, election=e, now=IN_NOMINATION)  # type: ignore[arg-type]
    with pytest.raises(NominationStatusRefused):
        submit_documents(n, election=e, now=IN_NOMINATION)


def test_registration_is_blocked_by_an_unmet_rule_and_records_assumptions() -> None:
    e, n = self_nominated()
    n, _ = submit_documents(n, election=e, now=IN_NOMINATION)  # type: ignore[arg-type]
    reg = election(Stage.REGISTRATION)
    young = check_eligibility(replace(GOOD, birth_date=date(2005, 1, 1)), AKIM, election_day=VOTE.date())
    with pytest.raises(RegistrationBlocked) as blocked:
        register(n, election=reg, pack=AKIM, report=young, now=IN_REGISTRATION)
    assert blocked.value.rules == ("eligibility.min_age",)
    unknown = check_eligibility(replace(GOOD, has_corruption_offence=None), AKIM, election_day=VOTE.date())
    _, registered = register(n, election=reg, pack=AKIM, report=unknown, now=IN_REGISTRATION)
    assert [g.rule_id for g in registered.assumed] == ["eligibility.no_corruption_offence"]


def test_a_refusal_cites_rules_of_the_pack_with_reference_and_status() -> None:
    e, n = self_nominated()
    reg = election(Stage.REGISTRATION)
    n2, refused = refuse(n, election=reg, pack=AKIM, rule_ids=["eligibility.min_age", "eligibility.education",  # type: ignore[arg-type]
                                                                  "eligibility.min_age"],
                         reason=" too young ", now=IN_REGISTRATION)
    assert isinstance(refused, Refused) and n2.status is NominationStatus.REFUSED
    assert refused.grounds == (
        Ground(AKIM.rules["eligibility.min_age"].id, "reference to be confirmed", Status.CONFIRMED),  # type: ignore[index]
        Ground(AKIM.rules["eligibility.education"].id, "reference to be confirmed", Status.UNCONFIRMED))  # type: ignore[index]
    assert refused.reason == "too young"


@pytest.mark.parametrize(("rules", "problem"), [
    ([], "none"), (["eligibility.no_such_rule"], "unknown_rule"), (["counting_single.rule"], "unknown_rule"),
    (["eligibility.public_service_years"], "unknown_rule"),  # not in the akim pack
])
def test_a_refusal_without_a_valid_rule_is_refused(rules: list[str], problem: str) -> None:
    _, n = self_nominated()
    with pytest.raises(RefusalGroundsInvalid) as bad:
        refuse(n, election=election(Stage.REGISTRATION), pack=AKIM, rule_ids=rules, reason="x",  # type: ignore[arg-type]
               now=IN_REGISTRATION)
    assert bad.value.code is ErrorCode.REFUSAL_GROUNDS_INVALID and bad.value.problem == problem


def test_refusable_rules_are_the_eligibility_and_nomination_sections() -> None:
    ids = {r.id for r in refusal_rules(AKIM)}
    assert "eligibility.min_age" in ids and "nomination.signatures_share" in ids
    assert not any(i.startswith(("counting", "ballot", "calendar")) for i in ids)


def test_withdrawal_by_candidate_or_nominator_before_voting() -> None:
    e = election(Stage.NOMINATION)
    party_n, _ = nominate(election=e, pack=AKIM, candidate=ALIYA, nominator=NominatorKind.POLITICAL_PARTY,
                          party=AMANAT, now=IN_NOMINATION)
    gone, ev = withdraw(party_n, election=e, by=WithdrawnBy.NOMINATOR, now=IN_NOMINATION)
    assert isinstance(ev, Withdrawn) and gone.status is NominationStatus.WITHDRAWN and ev.by is WithdrawnBy.NOMINATOR
    with pytest.raises(NominationStatusRefused):
        withdraw(gone, election=e, by=WithdrawnBy.CANDIDATE, now=IN_NOMINATION)
    _, self_n = self_nominated()
    with pytest.raises(WithdrawalRefused):
        withdraw(self_n, election=e, by=WithdrawnBy.NOMINATOR, now=IN_NOMINATION)  # type: ignore[arg-type]
    campaign = election(Stage.CAMPAIGN)
    withdraw(self_n, election=campaign, by=WithdrawnBy.CANDIDATE, now=VOTE - timedelta(hours=1))  # type: ignore[arg-type]
    with pytest.raises(NominationDeadlinePassed) as late:
        withdraw(self_n, election=campaign, by=WithdrawnBy.CANDIDATE, now=VOTE + timedelta(minutes=1))  # type: ignore[arg-type]
    assert late.value.field == "voting_opens"
    with pytest.raises(NominationWrongStage):
        withdraw(self_n, election=election(Stage.VOTING), by=WithdrawnBy.CANDIDATE, now=VOTE - timedelta(hours=1))  # type: ignore[arg-type]


def test_party_membership_findings() -> None:
    e = election(Stage.NOMINATION)
    n, _ = nominate(election=e, pack=AKIM, candidate=ALIYA, nominator=NominatorKind.POLITICAL_PARTY,
                    party=AMANAT, now=IN_NOMINATION)
    (f,) = nomination_findings(n, AKIM, is_party_member=False)
    assert (f.rule_id, f.outcome) == ("nomination.nominee_party_member", Outcome.NOT_MET)
    assert nomination_findings(n, AKIM, is_party_member=None)[0].outcome is Outcome.EVIDENCE_MISSING
    _, self_n = self_nominated()
    assert nomination_findings(self_n, AKIM, is_party_member=None) == ()  # type: ignore[arg-type]
    listed, _ = nominate(election=election(Stage.NOMINATION, ElectionType.MAZHILIS_PARTY_LIST, "mazhilis-2023"),
                         pack=MAZHILIS, candidate=ALIYA, nominator=NominatorKind.POLITICAL_PARTY, party=AMANAT,
                         on_list=True, now=IN_NOMINATION)
    assert nomination_findings(listed, MAZHILIS, is_party_member=True)[0].rule_id == \
        "nomination.list_candidates_party_members"


@settings(deadline=None, max_examples=200)
@given(ids=st.lists(st.sampled_from([r.id for r in refusal_rules(AKIM)] + ["eligibility.x", "ballot.against_all"]),
                    max_size=5))
def test_every_accepted_refusal_ground_is_a_pack_rule(ids: list[str]) -> None:
    try:
        grounds = grounds_of(AKIM, ids)
    except RefusalGroundsInvalid:
        assert not ids or any(i not in {r.id for r in refusal_rules(AKIM)} for i in ids)
        return
    assert grounds and len({g.rule_id for g in grounds}) == len(grounds)
    for g in grounds:
        rule = AKIM.rules[g.rule_id]
        assert (g.reference, g.status) == (rule.reference, rule.status)


@settings(deadline=None, max_examples=200)
@given(offset=st.integers(min_value=-60 * 24 * 60, max_value=60 * 24 * 60),
       stage=st.sampled_from(list(Stage)))
def test_nominate_succeeds_exactly_in_its_window(offset: int, stage: Stage) -> None:
    now = SCHEDULE.nomination_closes + timedelta(minutes=offset)
    ok = stage is Stage.NOMINATION and now <= SCHEDULE.nomination_closes
    try:
        nominate(election=election(stage), pack=AKIM, candidate=ALIYA, nominator=NominatorKind.SELF, now=now)
    except (NominationWrongStage, NominationDeadlinePassed):
        assert not ok
    else:
        assert ok
