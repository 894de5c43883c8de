"""Single winner by plurality: akims and single-member districts (kz-election-rules.md §2.4)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.domain.errors import ErrorCode, InvalidContestInput
from saylau.domain.seats.plurality import Outcome, allocate


def test_most_votes_wins_without_majority() -> None:
    r = allocate({"Aigerim": 40, "Bolat": 35, "Dana": 25}, against_all=50)
    assert r.outcome is Outcome.ELECTED and r.winner == "Aigerim" and r.tied == ()
    assert r.denominator == 150
    assert [c.share for c in r.candidates] == [Fraction(40, 150), Fraction(35, 150), Fraction(25, 150)]
    assert r.against_all_share == Fraction(1, 3)


def test_against_all_reported_never_elected() -> None:
    r = allocate({"Aigerim": 10, "Bolat": 5}, against_all=80)
    assert r.winner == "Aigerim" and r.against_all_leads
    assert all(c.candidate != "AGAINST_ALL" for c in r.candidates)
    assert allocate({"Aigerim": 10}, against_all=10).against_all_leads  # equal counts as leading
    assert not allocate({"Aigerim": 10}, against_all=0).against_all_leads


def test_tie_for_first_is_a_typed_result() -> None:
    r = allocate({"Aigerim": 30, "Bolat": 30, "Dana": 29})
    assert r.outcome is Outcome.TIE and r.winner is None and r.tied == ("Aigerim", "Bolat")


def test_single_candidate_and_no_votes() -> None:
    assert allocate({"Aigerim": 1}, against_all=99).winner == "Aigerim"
    r = allocate({"Aigerim": 0, "Bolat": 0}, against_all=3)
    assert r.outcome is Outcome.NO_VOTES and r.winner is None and r.tied == ()
    assert allocate({"Aigerim": 0}).denominator == 0


@pytest.mark.parametrize("votes, against_all", [({}, 0), ({"A": -1}, 0), ({"A": 1}, -1), ({"AGAINST_ALL": 3}, 0)])
def test_refusals(votes: dict, against_all: int) -> None:
    with pytest.raises(InvalidContestInput) as info:
        allocate(votes, against_all=against_all)
    assert info.value.code is ErrorCode.INVALID_CONTEST_INPUT
