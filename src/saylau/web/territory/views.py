"""Public pages of the territory: the regions, a unit with its sub-units and precincts, and a
precinct (address, step-free access)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from saylau.domain.territory import DistrictKind, LocalityKind, RegionKind
from saylau.web.core.access import EVERYONE, access
from saylau.web.core.i18n import localized
from saylau.web.territory import selectors
from saylau.web.territory.models import KIND_LABELS, Level, Precinct, TerritorialUnit

_KINDS = {k.value: k for k in (*RegionKind, *DistrictKind, *LocalityKind)}


def kind_label(unit: TerritorialUnit) -> str:
    kind = _KINDS.get(unit.kind)
    return str(KIND_LABELS[kind]) if kind is not None else unit.kind


def unit_row(unit: TerritorialUnit) -> dict[str, object]:
    return {"unit": unit, "name": localized(unit, "name") or unit.code, "kind": kind_label(unit)}


def precinct_row(precinct: Precinct) -> dict[str, object]:
    return {"precinct": precinct, "address": localized(precinct, "address"),
            "territory": localized(precinct.territory, "name") if precinct.territory else ""}


@access(EVERYONE)
def unit_list(request: HttpRequest) -> HttpResponse:
    regions = TerritorialUnit.objects.filter(level=Level.REGION).order_by("code")
    return render(request, "territory/unit_list.html", {"rows": [unit_row(u) for u in regions]})


@access(EVERYONE)
def unit_precincts(request: HttpRequest, unit: str) -> HttpResponse:
    found = selectors.territorial_unit_get(code=unit)
    if found is None:
        raise Http404
    ancestors: list[dict[str, object]] = []
    up = found.parent
    while up is not None:
        ancestors.insert(0, unit_row(up))
        up = up.parent
    context = {
        **unit_row(found), "ancestors": ancestors,
        "children": [unit_row(u) for u in found.children.order_by("code")],
        "precincts": [precinct_row(p) for p in selectors.precincts_in(found)],
    }
    return render(request, "territory/unit_precincts.html", context)


@access(EVERYONE)
def precinct_detail(request: HttpRequest, precinct: str) -> HttpResponse:
    found = selectors.precinct_get(code=precinct)
    if found is None:
        raise Http404
    return render(request, "territory/precinct_detail.html", precinct_row(found))
