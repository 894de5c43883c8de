"""Open data of precincts (mounted on `saylau.web.api`): code, number, territory, address in the
three languages, step-free access."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from saylau.web.territory import selectors
from saylau.web.territory.models import Precinct

router = Router(tags=["precincts"])


class PrecinctOut(Schema):
    code: str
    number: int
    territory: str | None
    address_kk: str
    address_ru: str
    address_en: str
    accessible: bool

    @staticmethod
    def resolve_territory(obj: Precinct) -> str | None:
        return obj.territory.code if obj.territory is not None else None


class PrecinctErrorOut(Schema):
    detail: str


@router.get("/precincts", response=list[PrecinctOut], url_name="precincts",
            summary="Precincts by number; `territory` keeps those in a territorial unit (or below it)")
def precincts(request: HttpRequest, territory: str | None = None) -> QuerySet[Precinct]:
    if territory is None:
        return selectors.precinct_list()
    unit = selectors.territorial_unit_get(code=territory)
    if unit is None:
        return selectors.precinct_list().none()
    return selectors.precincts_in(unit)


@router.get("/precincts/{precinct}", response={200: PrecinctOut, 404: PrecinctErrorOut}, url_name="precinct",
            summary="One precinct by its code")
def precinct(request: HttpRequest, precinct: str) -> Precinct:
    found = selectors.precinct_get(code=precinct)
    if found is None:
        raise HttpError(404, f"no precinct with code {precinct!r}")
    return found
