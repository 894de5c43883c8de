"""Territorial units and precincts: the tree is checked once, lookups follow it."""

from __future__ import annotations

import pytest

from saylau.domain.errors import ErrorCode, InvalidTerritory
from saylau.domain.territory import (
    AdminDistrictId,
    District,
    DistrictKind,
    Locality,
    LocalityId,
    LocalityKind,
    Precinct,
    PrecinctId,
    Region,
    RegionId,
    RegionKind,
    Territory,
)

ALMATY_OBL = Region(RegionId("19"), "Almaty oblast", RegionKind.OBLAST)
KARASAI = District(AdminDistrictId("1943"), "Karasai district", DistrictKind.DISTRICT, RegionId("19"))
KASKELEN = Locality(LocalityId("194320"), "Kaskelen", LocalityKind.TOWN, AdminDistrictId("1943"))
P1 = Precinct(PrecinctId("p-101"), 101, "School No. 1", AdminDistrictId("1943"), LocalityId("194320"))
P2 = Precinct(PrecinctId("p-102"), 102, "Culture house", AdminDistrictId("1943"))
ABROAD = Precinct(PrecinctId("p-9001"), 9001, "Embassy, Berlin", None)


def make_territory() -> Territory:
    return Territory.build(regions=[ALMATY_OBL], districts=[KARASAI], localities=[KASKELEN],
                           precincts=[P2, P1, ABROAD])


def test_lookups() -> None:
    t = make_territory()
    assert PrecinctId("p-101") in t and PrecinctId("p-999") not in t
    assert t.region_of(PrecinctId("p-101")) == ALMATY_OBL
    assert t.region_of(PrecinctId("p-9001")) is None and ABROAD.is_abroad
    assert t.precincts_in(RegionId("19")) == (P1, P2)
    assert t.precincts_in(LocalityId("194320")) == (P1,)
    assert t.precincts_in(AdminDistrictId("1943")) == (P1, P2)


def test_frozen() -> None:
    with pytest.raises(AttributeError):
        P1.number = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        make_territory().precincts[PrecinctId("x")] = P1  # type: ignore[index]


@pytest.mark.parametrize(("kwargs", "unit", "reason"), [
    (dict(districts=[District(AdminDistrictId("1943"), "K", DistrictKind.DISTRICT, RegionId("99"))]),
     "1943", "region '99' is unknown"),
    (dict(localities=[Locality(LocalityId("x"), "X", LocalityKind.VILLAGE, AdminDistrictId("0"))]),
     "x", "district '0' is unknown"),
    (dict(precincts=[Precinct(PrecinctId("p"), 1, "a", AdminDistrictId("0"))]), "p", "district '0' is unknown"),
    (dict(precincts=[Precinct(PrecinctId("p"), 1, "a", AdminDistrictId("1943"), LocalityId("nope"))]),
     "p", "locality 'nope' is unknown"),
    (dict(precincts=[P1, Precinct(PrecinctId("p-2"), 101, "a", AdminDistrictId("1943"))]),
     "p-2", "precinct number 101 is also used by 'p-101'"),
    (dict(precincts=[P1, P1]), "p-101", "the id is used twice"),
])
def test_broken_trees_are_refused_naming_the_unit(kwargs: dict, unit: str, reason: str) -> None:
    base: dict = dict(regions=[ALMATY_OBL], districts=[KARASAI], localities=[KASKELEN], precincts=[])
    base.update(kwargs)
    with pytest.raises(InvalidTerritory) as err:
        Territory.build(**base)
    assert (err.value.unit, err.value.reason) == (unit, reason)
    assert err.value.code is ErrorCode.INVALID_TERRITORY


def test_locality_must_lie_in_the_precincts_district() -> None:
    other = District(AdminDistrictId("1950"), "Other", DistrictKind.DISTRICT, RegionId("19"))
    bad = Precinct(PrecinctId("p"), 1, "a", AdminDistrictId("1950"), LocalityId("194320"))
    with pytest.raises(InvalidTerritory, match="lies in district '1943', not in '1950'"):
        Territory.build(regions=[ALMATY_OBL], districts=[KARASAI, other], localities=[KASKELEN], precincts=[bad])
