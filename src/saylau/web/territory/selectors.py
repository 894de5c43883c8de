"""Reads of territorial units and precincts."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from saylau.domain.territory import Territory
from saylau.web.territory.mapping import territory_from_units
from saylau.web.territory.models import Precinct, TerritorialUnit


def territorial_unit_get(*, code: str) -> TerritorialUnit | None:
    return TerritorialUnit.objects.select_related("parent").filter(code=code).first()


def territory_get() -> Territory:
    """The whole stored tree as the domain's checked `Territory`."""
    return territory_from_units(TerritorialUnit.objects.select_related("parent"))


def unit_chain(unit: TerritorialUnit | None) -> tuple[str, ...]:
    """The codes of `unit` and its ancestors, the unit first (empty for None: the whole country)."""
    chain: list[str] = []
    while unit is not None:
        chain.append(unit.code)
        unit = unit.parent
    return tuple(chain)


def precinct_get(*, code: str) -> Precinct | None:
    return Precinct.objects.select_related("territory__parent__parent").filter(code=code).first()


def precincts_in(unit: TerritorialUnit) -> QuerySet[Precinct]:
    """The precincts in `unit` or below it (a region's districts and their localities), by number."""
    return (Precinct.objects.filter(Q(territory=unit) | Q(territory__parent=unit) | Q(territory__parent__parent=unit))
            .select_related("territory").order_by("number"))


def precinct_chains(codes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The territory chain of each existing precinct among `codes` (the precinct's unit first; empty
    for a precinct abroad). Codes that name no precinct are absent."""
    rows = Precinct.objects.filter(code__in=set(codes)).select_related("territory__parent__parent")
    return {p.code: unit_chain(p.territory) for p in rows}


def precinct_list() -> QuerySet[Precinct]:
    return Precinct.objects.select_related("territory").order_by("number")
