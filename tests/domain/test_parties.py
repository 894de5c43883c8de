"""Parties, lists and the imperative mandate: list rules from the pack, mandate ends only on
the pack's grounds, vacancies filled by the pack's policy — never two mandates for one person,
never someone off the registered list, list order respected for next_on_list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.domain.eligibility import Outcome
from saylau.domain.errors import ErrorCode, RulePackInvalid
from saylau.domain.nomination import CandidateId, PartyId
from saylau.domain.parties import (
    ListCandidate,
    Mandate,
    MandateAwarded,
    MandateEnded,
    MandateEndReason,
    MandateGroundNotAllowed,
    MandateNotActive,
    Party,
    PartyList,
    PartyListInvalid,
    SeatHolderRefused,
    Seating,
    SeatLeftVacant,
    Vacancy,
    VacancyOpened,
    VacancyPolicy,
    award_mandate,
    check_list,
    end_mandate,
    fill_vacancy,
    list_cap,
    party_ceased,
    tie_order,
)
from saylau.domain.rulepack import RulePack, load_builtin_pack, parse_pack

KZ = timezone(timedelta(hours=5))
NOW = datetime(2023, 6, 1, 10, 0, tzinfo=KZ)
MAZHILIS = load_builtin_pack("mazhilis-2023")
P = PartyId("amanat")
NAMES = tuple(CandidateId(f"c{i}") for i in range(10))


def next_on_list_pack() -> RulePack:
    text = """schema = 1
id = "mazhilis-next"
title = "Mazhilis with next_on_list"
version = 1
extends = "mazhilis-2023"
[mandate]
vacancy_policy = { value = "next_on_list", reference = "reference to be confirmed", status = "unconfirmed" }
"""
    return parse_pack(text, file="mazhilis-next.toml", resolve=load_builtin_pack)


NEXT = next_on_list_pack()


def test_tie_order_is_registration_date() -> None:
    a = Party(PartyId("a"), "A", date(2010, 1, 1))
    b = Party(PartyId("b"), "B", date(2002, 1, 1))
    c = Party(PartyId("c"), "C", date(2010, 1, 1))
    assert [p.id for p in tie_order([a, b, c])] == ["b", "a", "c"]
    assert not replace(a, ceased_on=date(2020, 1, 1)).exists_on(date(2021, 1, 1))


def test_list_cap_rounds_as_the_pack_says() -> None:
    assert list_cap(MAZHILIS, 69) == 90  # 69 × 1.3 = 89.7, ceiling
    assert list_cap(MAZHILIS, 10) == 13
    assert list_cap(load_builtin_pack("akim-rural-2021"), 1) is None


def _entries(n: int, quota: int) -> tuple[ListCandidate, ...]:
    return tuple(ListCandidate(CandidateId(f"c{i}"), is_woman=i < quota, is_youth=False, has_disability=False,
                               is_party_member=True) for i in range(n))


def test_check_list_applies_size_quota_and_membership() -> None:
    ok = check_list(MAZHILIS, PartyList(P, _entries(13, 4)), seats=10, election_day=date(2023, 3, 19))
    assert ok.is_satisfied
    too_long = check_list(MAZHILIS, PartyList(P, _entries(14, 5)), seats=10, election_day=date(2023, 3, 19))
    assert [f.rule_id for f in too_long.unmet] == ["party_list.max_names_over_seats_share"]
    low_quota = check_list(MAZHILIS, PartyList(P, _entries(10, 2)), seats=10, election_day=date(2023, 3, 19))
    (quota,) = low_quota.unmet
    assert (quota.rule_id, quota.outcome, quota.observed) == ("party_list.quota_share", Outcome.NOT_MET, "2 of 10")


def test_a_list_refuses_a_name_twice_and_an_empty_list() -> None:
    one = ListCandidate(CandidateId("c1"), False, False, False)
    with pytest.raises(PartyListInvalid) as dup:
        PartyList(P, (one, one))
    assert dup.value.code is ErrorCode.PARTY_LIST_INVALID and dup.value.problem == "duplicate"
    with pytest.raises(PartyListInvalid):
        check_list(MAZHILIS, PartyList(P, ()), seats=1, election_day=date(2023, 3, 19))


def seating(holders: set[str] = frozenset(), unavailable: set[str] = frozenset()) -> Seating:  # type: ignore[assignment]
    return Seating(NAMES, frozenset(CandidateId(h) for h in holders), frozenset(CandidateId(u) for u in unavailable))


def test_mandate_ends_only_on_a_ground_of_the_pack() -> None:
    m = Mandate(P, NAMES[0], NOW)
    events = end_mandate(MAZHILIS, m, MandateEndReason.EXPELLED, seating=seating({"c0"}), now=NOW)
    ended, opened = events
    assert isinstance(ended, MandateEnded) and ended.ground.rule_id == "mandate.terminate_on"
    assert ended.ground.reference == 'Const. Art. 52 and Art. 24 of the Constitutional Law "On Parliament"'
    assert isinstance(opened, VacancyOpened) and opened.policy is VacancyPolicy.PARTY_NOMINATES
    assert opened.deadline == NOW + timedelta(days=10)
    narrow = parse_pack("""schema = 1
id = "narrow"
title = "t"
version = 1
extends = "mazhilis-2023"
[mandate]
terminate_on = { value = ["party_ceased"], reference = "reference to be confirmed", status = "unconfirmed" }
""", file="narrow.toml", resolve=load_builtin_pack)
    with pytest.raises(MandateGroundNotAllowed) as refused:
        end_mandate(narrow, m, MandateEndReason.LEFT_PARTY, seating=seating({"c0"}), now=NOW)
    assert refused.value.rule == "mandate.terminate_on" and refused.value.code is ErrorCode.MANDATE_GROUND_NOT_ALLOWED
    with pytest.raises(MandateNotActive):
        end_mandate(MAZHILIS, replace(m, ended_at=NOW), MandateEndReason.LEFT_PARTY, seating=seating(), now=NOW)
    with pytest.raises(MandateGroundNotAllowed):  # no [mandate] in the akim pack: no ground at all
        end_mandate(load_builtin_pack("akim-rural-2021"), m, MandateEndReason.LEFT_PARTY, seating=seating(), now=NOW)


def test_next_on_list_skips_holders_and_the_unavailable() -> None:
    m = Mandate(P, NAMES[0], NOW)
    events = end_mandate(NEXT, m, MandateEndReason.LEFT_PARTY, seating=seating({"c0", "c1"}, {"c2"}), now=NOW)
    award = events[-1]
    assert isinstance(award, MandateAwarded) and award.holder == "c3"
    assert award.ground is not None and award.ground.rule_id == "mandate.vacancy_policy"


def test_a_pack_without_a_vacancy_policy_is_refused() -> None:
    no_policy = parse_pack("""schema = 1
id = "nopolicy"
title = "t"
version = 1
extends = "mazhilis-2023"
[mandate]
vacancy_policy = { value = "unknown", reference = "reference to be confirmed", status = "unconfirmed" }
""", file="nopolicy.toml", resolve=load_builtin_pack)
    with pytest.raises(RulePackInvalid):
        end_mandate(no_policy, Mandate(P, NAMES[0], NOW), MandateEndReason.LEFT_PARTY, seating=seating(), now=NOW)


def test_an_exhausted_list_leaves_the_seat_vacant_as_the_pack_says() -> None:
    m = Mandate(P, NAMES[0], NOW)
    everyone = {str(n) for n in NAMES}
    events = end_mandate(NEXT, m, MandateEndReason.LEFT_PARTY, seating=seating(everyone), now=NOW)
    vacant = events[-1]
    assert isinstance(vacant, SeatLeftVacant) and vacant.outcome == "vacant_until_next_election"
    assert vacant.ground.rule_id == "mandate.list_exhausted"


def test_party_ceased_ends_every_mandate_and_leaves_the_seats_vacant() -> None:
    mandates = [Mandate(P, NAMES[0], NOW), Mandate(P, NAMES[1], NOW), Mandate(PartyId("other"), NAMES[5], NOW),
                Mandate(P, NAMES[2], NOW, ended_at=NOW)]
    events = party_ceased(MAZHILIS, P, mandates, seating=seating({"c0", "c1"}), now=NOW)
    assert [type(e).__name__ for e in events] == ["MandateEnded", "VacancyOpened", "SeatLeftVacant"] * 2
    assert {e.holder for e in events if isinstance(e, MandateEnded)} == {"c0", "c1"}


def test_the_party_fills_a_vacancy_from_its_registered_list_in_time() -> None:
    v = Vacancy(P, NOW, VacancyPolicy.PARTY_NOMINATES, NOW + timedelta(days=10))
    s = seating({"c1"}, {"c0"})
    assert fill_vacancy(MAZHILIS, v, candidate=NAMES[7], seating=s, now=NOW + timedelta(days=1)).holder == "c7"
    for who, problem in (("c1", "holds_mandate"), ("c0", "unavailable"), ("stranger", "not_on_list")):
        with pytest.raises(SeatHolderRefused) as refused:
            fill_vacancy(MAZHILIS, v, candidate=CandidateId(who), seating=s, now=NOW)
        assert refused.value.problem == problem
    with pytest.raises(SeatHolderRefused) as late:
        fill_vacancy(MAZHILIS, v, candidate=NAMES[7], seating=s, now=NOW + timedelta(days=11))
    assert late.value.problem == "deadline_passed"


def test_first_award_needs_a_registered_list_candidate_and_a_living_party() -> None:
    party = Party(P, "Amanat", date(2002, 1, 1))
    award = award_mandate(MAZHILIS, party=party, candidate=NAMES[3], seating=seating(), now=NOW)
    assert award.holder == "c3" and award.ground is not None
    with pytest.raises(SeatHolderRefused):
        award_mandate(MAZHILIS, party=party, candidate=CandidateId("x"), seating=seating(), now=NOW)
    with pytest.raises(SeatHolderRefused) as ceased:
        award_mandate(MAZHILIS, party=replace(party, ceased_on=date(2023, 1, 1)), candidate=NAMES[3],
                      seating=seating(), now=NOW)
    assert ceased.value.problem == "party_ceased"


# --- properties ------------------------------------------------------------------------------------

_OPS = st.lists(st.tuples(st.sampled_from(["end", "fill"]), st.integers(0, 9),
                          st.sampled_from([MandateEndReason.LEFT_PARTY, MandateEndReason.EXPELLED])),
                max_size=30)


def _run(pack: RulePack, seats: int, ops: list[tuple[str, int, MandateEndReason]],
         withdrawn: frozenset[CandidateId]) -> None:
    """Simulate ends and party choices; check the invariants after every step."""
    active: dict[CandidateId, Mandate] = {}
    unavailable: set[CandidateId] = set(withdrawn)
    open_vacancies: list[Vacancy] = []
    registered = NAMES
    for name in registered:
        if len(active) == seats:
            break
        if name not in unavailable:
            active[name] = Mandate(P, name, NOW)
    t = NOW
    for op, index, reason in ops:
        t += timedelta(hours=1)
        s = Seating(registered, frozenset(active), frozenset(unavailable))
        if op == "end" and active:
            holder = sorted(active)[index % len(active)]
            previous = list(registered)
            events = end_mandate(pack, active.pop(holder), reason, seating=s, now=t)
            unavailable.add(holder)
            for e in events:
                if isinstance(e, MandateAwarded):
                    # next_on_list: the first on the list who may take it, in list order
                    before = [c for c in previous if c not in s.holders - {holder}
                              and c not in unavailable][:1]
                    assert [e.holder] == before
                    assert e.holder not in active and e.holder in registered and e.holder not in unavailable
                    active[e.holder] = Mandate(P, e.holder, t)
                elif isinstance(e, VacancyOpened) and not any(isinstance(x, (MandateAwarded, SeatLeftVacant))
                                                              for x in events):
                    open_vacancies.append(Vacancy(e.party, e.at, e.policy, e.deadline))
        elif op == "fill" and open_vacancies:
            vacancy = open_vacancies[0]
            choice = registered[index]
            try:
                award = fill_vacancy(pack, vacancy, candidate=choice, seating=s, now=t)
            except SeatHolderRefused:
                assert choice in active or choice in unavailable or (
                    vacancy.deadline is not None and t > vacancy.deadline)
                continue
            open_vacancies.pop(0)
            assert award.holder not in active and award.holder in registered
            active[award.holder] = Mandate(P, award.holder, t)
        assert len(active) + len(open_vacancies) <= seats
        assert set(active) <= set(registered) and not set(active) & unavailable


@settings(deadline=None, max_examples=150)
@given(seats=st.integers(1, 6), ops=_OPS, withdrawn=st.frozensets(st.sampled_from(NAMES), max_size=3))
def test_next_on_list_never_doubles_never_leaves_the_list_and_keeps_order(
        seats: int, ops: list[tuple[str, int, MandateEndReason]], withdrawn: frozenset[CandidateId]) -> None:
    _run(NEXT, seats, ops, withdrawn)


@settings(deadline=None, max_examples=150)
@given(seats=st.integers(1, 6), ops=_OPS, withdrawn=st.frozensets(st.sampled_from(NAMES), max_size=3))
def test_party_choice_never_doubles_and_never_leaves_the_list(
        seats: int, ops: list[tuple[str, int, MandateEndReason]], withdrawn: frozenset[CandidateId]) -> None:
    _run(MAZHILIS, seats, ops, withdrawn)


def test_a_binding_list_order_gives_the_seat_to_the_next_available_name() -> None:
    binding = parse_pack("""schema = 1
id = "mazhilis-ordered"
title = "Mazhilis with a binding list order"
version = 1
extends = "mazhilis-2023"
[counting_list]
list_order_binding = { value = true, reference = "reference to be confirmed", status = "unconfirmed" }
""", file="mazhilis-ordered.toml", resolve=load_builtin_pack)
    party = Party(P, "Amanat", date(2002, 1, 1))
    first = seating().next_available()
    assert first is not None
    award = award_mandate(binding, party=party, candidate=first, seating=seating(), now=NOW)
    assert award.holder == first and award.ground is not None and award.ground.rule_id == "counting_list.list_order_binding"
    with pytest.raises(SeatHolderRefused) as skipped:
        award_mandate(binding, party=party, candidate=NAMES[3], seating=seating(), now=NOW)
    assert skipped.value.problem == "not_next_on_list"
    # under the 2023 pack (not binding) the party may choose any registered name
    assert award_mandate(MAZHILIS, party=party, candidate=NAMES[3], seating=seating(), now=NOW).holder == NAMES[3]
