"""Territorial units and precincts: region → district → rural district / town, and precincts.

The administrative tree that elections are called in and that the voter roll assigns voters
to (kz-election-rules.md §1.3, §9). Regions are oblasts, cities of republican significance
and the capital; districts are districts and cities of regional significance; below a
district sit the units that elect rural akims (rural districts, villages, settlements,
towns of district significance). A precinct belongs to a district, and to one of its local
units when it has one; precincts abroad (68 in 2022) belong to no district.

`Territory.build` checks the whole tree once; after that every lookup is total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import NewType

from saylau.domain.errors import InvalidTerritory

RegionId = NewType("RegionId", str)
AdminDistrictId = NewType("AdminDistrictId", str)
"""An administrative district (audan) — not `seats.DistrictId`, a single-member electoral district."""
LocalityId = NewType("LocalityId", str)
PrecinctId = NewType("PrecinctId", str)


class RegionKind(StrEnum):
    OBLAST = "oblast"
    CITY_OF_REPUBLICAN_SIGNIFICANCE = "city_of_republican_significance"
    CAPITAL = "capital"


class DistrictKind(StrEnum):
    DISTRICT = "district"
    CITY_OF_REGIONAL_SIGNIFICANCE = "city_of_regional_significance"
    CITY_DISTRICT = "city_district"
    """A district of a city of republican significance or of the capital."""


class LocalityKind(StrEnum):
    """The units whose akims are elected directly since 2021 (§1.3)."""

    RURAL_DISTRICT = "rural_district"
    TOWN = "town"
    """A town of district significance."""
    VILLAGE = "village"
    SETTLEMENT = "settlement"


@dataclass(frozen=True, slots=True)
class Region:
    id: RegionId
    name: str
    kind: RegionKind


@dataclass(frozen=True, slots=True)
class District:
    id: AdminDistrictId
    name: str
    kind: DistrictKind
    region: RegionId


@dataclass(frozen=True, slots=True)
class Locality:
    id: LocalityId
    name: str
    kind: LocalityKind
    district: AdminDistrictId


@dataclass(frozen=True, slots=True)
class Precinct:
    """A polling station's precinct. `district` is None only for precincts abroad."""

    id: PrecinctId
    number: int
    address: str
    district: AdminDistrictId | None
    locality: LocalityId | None = None

    @property
    def is_abroad(self) -> bool:
        return self.district is None


@dataclass(frozen=True, slots=True)
class Territory:
    """A checked tree of units and precincts; build it with `Territory.build`."""

    regions: Mapping[RegionId, Region]
    districts: Mapping[AdminDistrictId, District]
    localities: Mapping[LocalityId, Locality]
    precincts: Mapping[PrecinctId, Precinct]

    @classmethod
    def build(
        cls,
        *,
        regions: Iterable[Region],
        districts: Iterable[District] = (),
        localities: Iterable[Locality] = (),
        precincts: Iterable[Precinct] = (),
    ) -> Territory:
        """Index the units and check every parent reference.

        Raises `InvalidTerritory` naming the unit for a duplicate id, an unknown parent, a
        precinct whose locality lies in another district, or a locality without its district.
        """
        regions, districts = tuple(regions), tuple(districts)
        localities, precincts = tuple(localities), tuple(precincts)
        _check_unique([r.id for r in regions] + [d.id for d in districts] + [lo.id for lo in localities])
        _check_unique([p.id for p in precincts])
        reg = {r.id: r for r in regions}
        dis = {d.id: d for d in districts}
        loc = {lo.id: lo for lo in localities}
        pre = {p.id: p for p in precincts}
        for d in dis.values():
            if d.region not in reg:
                raise InvalidTerritory(d.id, f"region {d.region!r} is unknown")
        for lo in loc.values():
            if lo.district not in dis:
                raise InvalidTerritory(lo.id, f"district {lo.district!r} is unknown")
        numbers: dict[int, PrecinctId] = {}
        for p in pre.values():
            if p.district is not None and p.district not in dis:
                raise InvalidTerritory(p.id, f"district {p.district!r} is unknown")
            if p.locality is not None:
                if p.locality not in loc:
                    raise InvalidTerritory(p.id, f"locality {p.locality!r} is unknown")
                if loc[p.locality].district != p.district:
                    raise InvalidTerritory(
                        p.id, f"locality {p.locality!r} lies in district {loc[p.locality].district!r}, "
                        f"not in {p.district!r}")
            if p.number in numbers:
                raise InvalidTerritory(p.id, f"precinct number {p.number} is also used by {numbers[p.number]!r}")
            numbers[p.number] = p.id
        return cls(MappingProxyType(reg), MappingProxyType(dis), MappingProxyType(loc), MappingProxyType(pre))

    def __contains__(self, precinct: object) -> bool:
        """`precinct_id in territory`: the precinct exists (used by the voter-roll import)."""
        return precinct in self.precincts

    def region_of(self, precinct: PrecinctId) -> Region | None:
        """The region of a precinct; None for a precinct abroad. Requires a known precinct."""
        district = self.precincts[precinct].district
        return None if district is None else self.regions[self.districts[district].region]

    def precincts_in(self, unit: RegionId | AdminDistrictId | LocalityId) -> tuple[Precinct, ...]:
        """The precincts inside a region, district or locality, in precinct-number order."""
        def inside(p: Precinct) -> bool:
            if p.district is None:
                return False
            return unit in (p.locality, p.district, self.districts[p.district].region)
        return tuple(sorted((p for p in self.precincts.values() if inside(p)), key=lambda p: p.number))


def _check_unique(ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise InvalidTerritory(i, "the id is used twice")
        seen.add(i)
