"""Reads of territorial units."""

from __future__ import annotations

from saylau.domain.territory import Territory
from saylau.web.territory.mapping import territory_from_units
from saylau.web.territory.models import TerritorialUnit


def territorial_unit_get(*, code: str) -> TerritorialUnit | None:
    return TerritorialUnit.objects.select_related("parent").filter(code=code).first()


def territory_get() -> Territory:
    """The whole stored tree as the domain's checked `Territory`."""
    return territory_from_units(TerritorialUnit.objects.select_related("parent"))
