"""Rows ↔ the domain's territorial units and precincts."""

from __future__ import annotations

from collections.abc import Iterable

from saylau.domain.errors import InvalidTerritory
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
from saylau.web.territory.models import Level, TerritorialUnit
from saylau.web.territory.models import Precinct as PrecinctRow

Unit = Region | District | Locality


def unit_to_domain(unit: TerritorialUnit) -> Unit:
    """The domain value of one row. Raises `InvalidTerritory` for a kind that its level does not have
    or a missing parent."""
    parent = unit.parent.code if unit.parent is not None else None
    try:
        if unit.level == Level.REGION:
            if parent is not None:
                raise InvalidTerritory(unit.code, "a region has no parent unit")
            return Region(RegionId(unit.code), unit.name_kk, RegionKind(unit.kind))
        if parent is None:
            raise InvalidTerritory(unit.code, f"a unit of level {unit.level!r} needs a parent unit")
        if unit.level == Level.DISTRICT:
            return District(AdminDistrictId(unit.code), unit.name_kk, DistrictKind(unit.kind), RegionId(parent))
        if unit.level == Level.LOCALITY:
            return Locality(LocalityId(unit.code), unit.name_kk, LocalityKind(unit.kind), AdminDistrictId(parent))
    except ValueError:
        raise InvalidTerritory(unit.code, f"kind {unit.kind!r} is not a kind of level {unit.level!r}") from None
    raise InvalidTerritory(unit.code, f"unknown level {unit.level!r}")


def precinct_to_domain(precinct: PrecinctRow) -> Precinct:
    """The domain value of a precinct row: its district is its unit or the unit's parent."""
    unit = precinct.territory
    if unit is None:
        return Precinct(PrecinctId(precinct.code), precinct.number, precinct.address_kk, None)
    if unit.level == Level.LOCALITY:
        district = unit.parent.code if unit.parent is not None else None
        return Precinct(PrecinctId(precinct.code), precinct.number, precinct.address_kk,
                        AdminDistrictId(district) if district else None, LocalityId(unit.code))
    if unit.level == Level.DISTRICT:
        return Precinct(PrecinctId(precinct.code), precinct.number, precinct.address_kk, AdminDistrictId(unit.code))
    raise InvalidTerritory(precinct.code, f"a precinct lies in a district or a locality, not in a {unit.level}")


def territory_from_units(units: Iterable[TerritorialUnit], *, precincts: Iterable[Precinct] = ()) -> Territory:
    """Build (and so check) the domain tree of `units` and `precincts`; raises `InvalidTerritory`."""
    values = [unit_to_domain(u) for u in units]
    return Territory.build(
        regions=[v for v in values if isinstance(v, Region)],
        districts=[v for v in values if isinstance(v, District)],
        localities=[v for v in values if isinstance(v, Locality)],
        precincts=precincts,
    )
