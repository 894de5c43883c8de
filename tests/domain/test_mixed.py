"""Mixed parallel composition: list tier + district tier (maslikhats, kz-election-rules.md §2.1)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from saylau.domain.errors import InvalidContestInput, NoListQualifies
from saylau.domain.seats.mixed import DistrictVotes, allocate
from saylau.domain.seats.plurality import Outcome

LIST_VOTES = {"Amanat": 600, "Ak Zhol": 200, "Respublica": 150, "Auyl": 30}


def districts() -> dict[str, DistrictVotes]:
    return {
        "D1": DistrictVotes({"Aigerim": 60, "Bolat": 40}, against_all=5, nominated_by={"Aigerim": "Amanat", "Bolat": "Ak Zhol"}),
        "D2": DistrictVotes({"Dana": 70, "Erlan": 20}, nominated_by={"Erlan": "Amanat"}),  # Dana self-nominated
        "D3": DistrictVotes({"Gulnar": 50, "Kairat": 50}, nominated_by={"Gulnar": "Amanat", "Kairat": "Respublica"}),
        "D4": DistrictVotes({"Marat": 45, "Nurlan": 44}, nominated_by={"Marat": "Nur Public Association", "Nurlan": "Amanat"}),
    }


def test_parallel_composition() -> None:
    r = allocate(LIST_VOTES, 4, districts())
    # List tier: Auyl 30/980 < 5 %; quota 950/4 → 2.526, 0.842, 0.632: integer parts 2, 0, 0,
    # and the 2 remainder seats go to Ak Zhol and Respublica.
    assert dict(r.list_tier.seats) == {"Amanat": 2, "Ak Zhol": 1, "Respublica": 1, "Auyl": 0}
    assert r.districts["D1"].winner == "Aigerim" and r.districts["D3"].outcome is Outcome.TIE
    assert dict(r.district_seats) == {"Amanat": 1, "Ak Zhol": 0, "Respublica": 0, "Auyl": 0, "Nur Public Association": 1}
    assert dict(r.self_nominated) == {"D2": "Dana"}
    assert r.undecided == ("D3",)
    assert dict(r.seats) == {"Amanat": 3, "Ak Zhol": 1, "Respublica": 1, "Auyl": 0, "Nur Public Association": 1}
    assert r.total_seats == 8
    assert sum(r.seats.values()) + len(r.self_nominated) + len(r.undecided) == r.total_seats


def test_list_tier_parameters_are_passed_on() -> None:
    r = allocate(LIST_VOTES, 4, districts(), threshold=Fraction(3, 100))
    assert r.list_tier.seats["Auyl"] == 0 and "Auyl" in r.list_tier.qualifying
    with pytest.raises(NoListQualifies):
        allocate(LIST_VOTES, 4, districts(), threshold=Fraction(9, 10))


def test_refusals() -> None:
    with pytest.raises(InvalidContestInput, match="districts"):
        allocate(LIST_VOTES, 4, {})
    bad = {"D1": DistrictVotes({"Aigerim": 1}, nominated_by={"Zhanna": "Amanat"})}
    with pytest.raises(InvalidContestInput, match=r"districts\[D1\]\.nominated_by\[Zhanna\]"):
        allocate(LIST_VOTES, 4, bad)
