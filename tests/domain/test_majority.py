"""Absolute majority with a top-two runoff: the President (kz-election-rules.md §2.3, §8.2)."""

from __future__ import annotations

import pytest

from saylau.domain.errors import InvalidContestInput
from saylau.domain.seats.majority import Outcome, allocate

PRESIDENT_2022 = {
    "Kassym-Jomart Tokayev": 6_456_393,
    "Zhiguli Dairabayev": 271_641,
    "Karakat Abden": 206_206,
    "Meiram Kazhyken": 200_907,
    "Nurlan Auesbayev": 176_116,
    "Saltanat Tursynbekova": 168_731,
}
PUBLISHED_PCT = ["81.31", "3.42", "2.60", "2.53", "2.22", "2.12"]


def test_president_2022_elected_in_the_first_round() -> None:
    r = allocate(PRESIDENT_2022, against_all=460_484)
    assert r.round == 1 and r.outcome is Outcome.ELECTED and r.winner == "Kassym-Jomart Tokayev"
    assert r.runoff is None and r.denominator == 7_940_478
    # The denominator (valid ballots including "against all") reproduces every published percentage.
    assert [f"{float(c.share * 100):.2f}" for c in r.candidates] == PUBLISHED_PCT
    assert f"{float(r.against_all_share * 100):.2f}" == "5.80"
    assert r.majority == 3_970_240


def test_exactly_half_is_not_a_majority() -> None:
    r = allocate({"A": 50, "B": 30, "C": 20})
    assert r.outcome is Outcome.RUNOFF and r.runoff == ("A", "B") and r.winner is None
    assert allocate({"A": 51, "B": 30, "C": 19}).winner == "A"


def test_against_all_stays_in_the_denominator() -> None:
    r = allocate({"A": 60, "B": 30}, against_all=30)  # 60 of 120 valid ballots: not more than half
    assert r.outcome is Outcome.RUNOFF and r.runoff == ("A", "B")
    assert allocate({"A": 60, "B": 30}).outcome is Outcome.ELECTED


def test_runoff_pair_is_the_top_two_in_vote_order() -> None:
    r = allocate({"C": 10, "A": 40, "B": 35, "D": 15})
    assert r.runoff == ("A", "B")


def test_tie_for_the_second_runoff_place() -> None:
    r = allocate({"A": 40, "B": 30, "C": 30})
    assert r.outcome is Outcome.TIE and r.tied == ("B", "C") and r.runoff is None and r.winner is None
    r = allocate({"A": 30, "B": 30, "C": 30})
    assert r.outcome is Outcome.TIE and set(r.tied) == {"A", "B", "C"}
    # A tie for first between exactly two places is no problem: both go to the runoff.
    assert allocate({"A": 40, "B": 40, "C": 20}).runoff == ("A", "B")


def test_single_candidate_without_majority_is_not_elected() -> None:
    r = allocate({"A": 40}, against_all=60)
    assert r.outcome is Outcome.NOT_ELECTED and r.winner is None and r.runoff is None
    assert allocate({"A": 61}, against_all=60).winner == "A"


def test_second_round() -> None:
    r = allocate({"A": 400, "B": 500}, against_all=200, second_round=True)
    assert r.round == 2 and r.outcome is Outcome.ELECTED and r.winner == "B"  # more votes, no majority needed
    t = allocate({"A": 5, "B": 5}, second_round=True)
    assert t.outcome is Outcome.TIE and set(t.tied) == {"A", "B"}
    with pytest.raises(InvalidContestInput, match="exactly two"):
        allocate({"A": 1, "B": 2, "C": 3}, second_round=True)
