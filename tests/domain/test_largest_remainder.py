"""Party-list seats: known answers (vectors, the 2021 Mazhilis), ties, "against all",
properties, and a cross-check with the naive reference."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from saylau.domain.errors import (
    DomainError,
    ErrorCode,
    InvalidContestInput,
    LotRequired,
    NoListQualifies,
)
from saylau.domain.seats import TieBreak
from saylau.domain.seats.largest_remainder import Comparison, allocate
from saylau.errors import SaylauError
from tests.reference_seats import LOT, NO_LIST, naive_seats

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "seats" / "largest_remainder.json"
_FILE = json.loads(VECTORS.read_text())
CASES = [{**_FILE["defaults"], **c} for c in _FILE["cases"]]

MAZHILIS_2021 = {
    "Nur Otan": 5_148_074,
    "Ak Zhol": 792_828,
    "People's Party of Kazakhstan": 659_019,
    "Auyl": 383_023,
    "Adal": 258_618,
}


def _run(case: dict) -> object:
    return allocate(
        case["votes"], case["seats"], against_all=case["against_all"], threshold=Fraction(case["threshold"]),
        comparison=Comparison(case["comparison"]), tie_break=TieBreak(case["tie_break"]), order=case["order"],
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["desc"])
def test_vectors(case: dict) -> None:
    if case["want_error"]:
        with pytest.raises(DomainError) as info:
            _run(case)
        assert info.value.code == ErrorCode(case["want_error"])
        assert isinstance(info.value, SaylauError)
        return
    got = _run(case)
    assert dict(got.seats) == case["want"]
    assert list(got.seats) == list(case["votes"])  # every list, input order, 0 included
    if "want_quota" in case:
        assert got.quota == Fraction(case["want_quota"])


@pytest.mark.parametrize("case", [c for c in CASES if not c["want_error"] or c["want_error"] != "invalid_contest_input"],
                         ids=lambda c: c["desc"])
def test_vectors_agree_with_reference(case: dict) -> None:
    want = case["want"] if case["want"] is not None else {"lot_required": LOT, "no_list_qualifies": NO_LIST}[case["want_error"]]
    assert naive_seats(case["votes"], case["seats"], against_all=case["against_all"],
                       threshold=Fraction(case["threshold"]), strict=case["comparison"] == ">",
                       tie_break=case["tie_break"], order=case["order"]) == want


def test_mazhilis_2021_protocol_figures() -> None:
    """§8.1 line by line: quota, quotients, integer parts, remainders, shares, who got the extra seats."""
    a = allocate(MAZHILIS_2021, 98, threshold=Fraction(7, 100))
    assert a.denominator == 7_241_562
    assert a.qualifying == ("Nur Otan", "Ak Zhol", "People's Party of Kazakhstan")
    assert a.qualifying_votes == 6_599_921
    assert a.quota == Fraction(6_599_921, 98)
    assert round(float(a.quota), 4) == 67_346.1327
    assert a.remainder_seats == 2 and a.ties == ()
    rows = {r.party: r for r in a.lists}
    published = {  # party: (% of valid, quotient, integer, remainder, remainder seat, seats)
        "Nur Otan": ("71.09", "76.4420", 76, "0.4420", False, 76),
        "Ak Zhol": ("10.95", "11.7724", 11, "0.7724", True, 12),
        "People's Party of Kazakhstan": ("9.10", "9.7856", 9, "0.7856", True, 10),
    }
    for party, (pct, quotient, full, rem, extra, seats) in published.items():
        r = rows[party]
        assert f"{float(r.share * 100):.2f}" == pct
        assert f"{float(r.quotient):.4f}" == quotient
        assert (r.full_seats, f"{float(r.remainder):.4f}", r.remainder_seat, r.seats) == (full, rem, extra, seats)
        assert r.quotient == Fraction(MAZHILIS_2021[party] * 98, 6_599_921)  # exact, no float inside
    assert f"{float(rows['Auyl'].share * 100):.2f}" == "5.29" and not rows["Auyl"].qualifies
    assert f"{float(rows['Adal'].share * 100):.2f}" == "3.57" and rows["Adal"].quotient is None
    # The two remainders that decide the last seats are close: compare them exactly.
    assert rows["People's Party of Kazakhstan"].remainder > rows["Ak Zhol"].remainder > rows["Nur Otan"].remainder


def test_against_all_in_denominator_but_wins_nothing() -> None:
    votes = {"A": 50, "B": 6, "C": 44}
    without = allocate(votes, 10)
    with_ = allocate(votes, 10, against_all=21)
    assert without.seats["B"] == 1 and with_.seats["B"] == 0
    assert with_.denominator == 121 and with_.against_all == 21
    assert "AGAINST_ALL" not in with_.seats and sum(with_.seats.values()) == 10
    # The quota is over the qualifying lists only: "against all" is not in it.
    assert with_.quota == Fraction(94, 10)


def test_against_all_as_a_list_is_refused() -> None:
    with pytest.raises(InvalidContestInput, match="against_all="):
        allocate({"A": 10, "AGAINST_ALL": 90}, 5)


def test_every_list_below_threshold_names_the_best_list() -> None:
    with pytest.raises(NoListQualifies) as info:
        allocate({"A": 4, "B": 3}, 10, against_all=93)
    e = info.value
    assert e.code is ErrorCode.NO_LIST_QUALIFIES
    assert (e.best, e.best_votes, e.denominator) == ("A", 4, 100)
    assert "'A'" in str(e) and "5 %" in str(e)
    assert e.data["best"] == "A"


def test_tie_is_recorded_and_settled_by_registration_order() -> None:
    a = allocate({"A": 1, "B": 1, "C": 8}, 5, order={"A": 3, "B": 2, "C": 1}, threshold=Fraction(0))
    # quota 2: quotients 1/2, 1/2, 4 → one remainder seat for A or B; B was registered earlier.
    assert dict(a.seats) == {"A": 0, "B": 1, "C": 4}
    (tie,) = a.ties
    assert (tie.tied, tie.places, tie.winners, tie.rule) == (("A", "B"), 1, ("B",), TieBreak.REGISTERED_EARLIER)
    assert tie.remainder == Fraction(1, 2)


def test_tie_without_a_rule_that_separates_needs_a_lot() -> None:
    with pytest.raises(LotRequired) as info:
        allocate({"A": 1, "B": 1, "C": 8}, 5, threshold=Fraction(0))
    e = info.value
    assert e.code is ErrorCode.LOT_REQUIRED and set(e.tied) == {"A", "B"} and e.places == 1
    assert "lot" in str(e) and "registration order" in str(e)
    with pytest.raises(LotRequired, match="more_votes"):
        allocate({"A": 1, "B": 1, "C": 8}, 5, threshold=Fraction(0), tie_break=TieBreak.MORE_VOTES)


def test_three_way_tie_for_two_seats_partly_broken() -> None:
    # 3 lists of 1 vote, 4 seats: quotients 4/3 each → 1 seat each, 1 remainder seat for three
    # equal remainders; with 5 seats (quotients 5/3), 2 remainder seats for three.
    a = allocate({"A": 1, "B": 1, "C": 1}, 4, threshold=Fraction(0), order={"A": 5, "B": 4, "C": 6})
    assert dict(a.seats) == {"A": 1, "B": 2, "C": 1}
    a = allocate({"A": 1, "B": 1, "C": 1}, 5, threshold=Fraction(0), order={"A": 5, "B": 4, "C": 6})
    assert dict(a.seats) == {"A": 2, "B": 2, "C": 1}
    with pytest.raises(LotRequired) as info:  # more_votes cannot separate equal votes
        allocate({"A": 1, "B": 1, "C": 1}, 5, threshold=Fraction(0), tie_break=TieBreak.MORE_VOTES)
    assert info.value.places == 2 and len(info.value.tied) == 3


def test_input_refusals_name_the_field() -> None:
    for kwargs, field in [
        ({"votes": {"A": 1}, "seats": 0}, "seats"),
        ({"votes": {"A": 1}, "seats": True}, "seats"),
        ({"votes": {"A": -1}, "seats": 3}, "votes[A]"),
        ({"votes": {"A": 1.5}, "seats": 3}, "votes[A]"),
        ({"votes": {"": 1}, "seats": 3}, "votes key"),
        ({"votes": {"A": 1}, "seats": 3, "against_all": -2}, "against_all"),
        ({"votes": {"A": 1}, "seats": 3, "threshold": 0.05}, "threshold"),
        ({"votes": {"A": 1}, "seats": 3, "threshold": Fraction(-1, 100)}, "threshold"),
        ({"votes": {"A": 1}, "seats": 3, "order": {"A": "first"}}, "order[A]"),
    ]:
        with pytest.raises(InvalidContestInput) as info:
            allocate(**kwargs)
        assert info.value.field == field, kwargs
        assert info.value.data["field"] == field


def test_result_is_read_only() -> None:
    a = allocate({"A": 3, "B": 1}, 4)
    with pytest.raises(TypeError):
        a.seats["A"] = 0  # type: ignore[index]


# ------------------------------------------------------------------------------ properties

small_votes = st.integers(min_value=0, max_value=30)  # small counts make equal remainders common
big_votes = st.integers(min_value=0, max_value=2_000_000)
thresholds = st.sampled_from([Fraction(0), Fraction(3, 100), Fraction(5, 100), Fraction(7, 100), Fraction(1, 3)])


@st.composite
def contests(draw: st.DrawFn, ranked: bool = True) -> dict:
    n = draw(st.integers(min_value=1, max_value=7))
    counts = draw(st.lists(st.one_of(small_votes, big_votes), min_size=n, max_size=n))
    parties = [f"P{i}" for i in range(n)]
    ranks = draw(st.permutations(range(1, n + 1)))
    return {
        "votes": dict(zip(parties, counts, strict=True)),
        "seats": draw(st.integers(min_value=1, max_value=120)),
        "against_all": draw(st.one_of(st.just(0), small_votes, big_votes)),
        "threshold": draw(thresholds),
        "order": dict(zip(parties, ranks, strict=True)) if ranked else None,
    }


def _allocate_or_none(c: dict):
    try:
        return allocate(c["votes"], c["seats"], against_all=c["against_all"], threshold=c["threshold"], order=c["order"])
    except NoListQualifies:
        return None


@given(contests())
def test_seats_add_up_when_any_list_qualifies(c: dict) -> None:
    a = _allocate_or_none(c)
    qualifies = [p for p, v in c["votes"].items()
                 if v and Fraction(v, sum(c["votes"].values()) + c["against_all"]) >= c["threshold"]]
    assert (a is None) == (not qualifies)
    if a is not None:
        assert sum(a.seats.values()) == c["seats"]
        assert set(a.seats) == set(c["votes"])
        assert list(a.qualifying) == qualifies


@given(contests())
def test_each_list_gets_floor_or_ceiling_of_its_quota_share(c: dict) -> None:
    a = _allocate_or_none(c)
    assume(a is not None)
    total = sum(c["votes"][p] for p in a.qualifying)
    for p in a.qualifying:
        exact = Fraction(c["votes"][p] * c["seats"], total)
        assert math.floor(exact) <= a.seats[p] <= math.ceil(exact)


@given(contests())
def test_no_list_below_threshold_gets_a_seat(c: dict) -> None:
    a = _allocate_or_none(c)
    assume(a is not None)
    for r in a.lists:
        if not r.qualifies:
            assert r.seats == 0
            assert r.votes == 0 or r.share < c["threshold"]


@given(contests())
def test_against_all_changes_nothing_at_threshold_zero(c: dict) -> None:
    assume(any(c["votes"].values()))
    plain = allocate(c["votes"], c["seats"], threshold=Fraction(0), order=c["order"])
    more = allocate(c["votes"], c["seats"], threshold=Fraction(0), order=c["order"], against_all=c["against_all"] + 1000)
    assert plain.seats == more.seats


@given(a=st.one_of(small_votes, big_votes), b=st.one_of(small_votes, big_votes), extra=st.one_of(small_votes, big_votes),
       against=st.one_of(st.just(0), small_votes), seats=st.integers(min_value=1, max_value=120), threshold=thresholds,
       a_first=st.booleans())
def test_more_votes_never_fewer_seats_two_lists(a: int, b: int, extra: int, against: int, seats: int,
                                                threshold: Fraction, a_first: bool) -> None:
    order = {"A": 1, "B": 2} if a_first else {"A": 2, "B": 1}

    def seats_of_a(va: int) -> int:
        r = _allocate_or_none({"votes": {"A": va, "B": b}, "seats": seats, "against_all": against,
                               "threshold": threshold, "order": order})
        return 0 if r is None else r.seats["A"]

    assert seats_of_a(a + extra) >= seats_of_a(a)


@given(contests(ranked=False), st.sampled_from(list(TieBreak)), st.booleans(), st.data())
def test_agrees_with_naive_reference(c: dict, rule: TieBreak, strict: bool, data: st.DataObject) -> None:
    # Orders: none, partial, or complete, to reach every "lot" path.
    parties = list(c["votes"])
    known = data.draw(st.lists(st.sampled_from(parties), unique=True)) if parties else []
    order = {p: parties.index(p) * 7 % 11 for p in known} if known else None
    comparison = Comparison.MORE_THAN if strict else Comparison.AT_LEAST
    want = naive_seats(c["votes"], c["seats"], against_all=c["against_all"], threshold=c["threshold"],
                       strict=strict, tie_break=rule.value, order=order)
    try:
        got: object = dict(allocate(c["votes"], c["seats"], against_all=c["against_all"], threshold=c["threshold"],
                                    comparison=comparison, tie_break=rule, order=order).seats)
    except LotRequired:
        got = LOT
    except NoListQualifies:
        got = NO_LIST
    assert got == want


def test_reference_cross_check_on_seeded_random_contests() -> None:
    """A fixed-seed sweep beside Hypothesis: many small contests, where ties are frequent."""
    import random

    r = random.Random(2026)
    ties = lots = 0
    for _ in range(3000):
        n = r.randint(1, 6)
        votes = {f"L{i}": r.randint(0, 12) for i in range(n)}
        order = {p: i for i, p in enumerate(r.sample(list(votes), n))}
        seats, against = r.randint(1, 15), r.randint(0, 5)
        threshold = r.choice([Fraction(0), Fraction(5, 100), Fraction(1, 5)])
        rule = r.choice(list(TieBreak))
        want = naive_seats(votes, seats, against_all=against, threshold=threshold, tie_break=rule.value, order=order)
        try:
            a = allocate(votes, seats, against_all=against, threshold=threshold, tie_break=rule, order=order)
            got: object = dict(a.seats)
            ties += bool(a.ties)
        except LotRequired:
            got, lots = LOT, lots + 1
        except NoListQualifies:
            got = NO_LIST
        assert got == want, (votes, seats, against, threshold, rule)
    assert ties > 50 and lots > 50  # the sweep really exercises the tie paths
