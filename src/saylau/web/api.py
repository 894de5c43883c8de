"""The open-data API (django-ninja; OpenAPI schema at /api/openapi.json, docs at /api/docs).

Read-only and public (`core.access.NAMESPACE_ACCESS["api"]`). Values are codes and the three
language variants, not translated text: clients choose their language.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import HttpError

from saylau.web.candidates.api import router as candidates_router
from saylau.web.commissions.api import router as commissions_router
from saylau.web.elections import selectors
from saylau.web.elections.models import Election
from saylau.web.results.api import router as results_router
from saylau.web.territory.api import router as precincts_router

# deepLinking off: Swagger UI would put each operation's link inside its toggle button (nested
# interactive controls, WCAG 4.1.2); see core/templates/ninja/swagger.html.
api = NinjaAPI(title="Saylau open data", version="1", urls_namespace="api",
               docs=Swagger(settings={"deepLinking": False}),
               description="Elections of the Republic of Kazakhstan, as published by Saylau.")


class ElectionOut(Schema):
    code: str
    type: str
    stage: str
    title_kk: str
    title_ru: str
    title_en: str
    territory: str | None
    pack_id: str
    nomination_closes: datetime
    registration_closes: datetime
    voting_opens: datetime
    voting_closes: datetime
    results_due: datetime | None

    @staticmethod
    def resolve_territory(obj: Election) -> str | None:
        return obj.territory.code if obj.territory is not None else None


class ErrorOut(Schema):
    """The body of an error response (django-ninja's `HttpError`)."""

    detail: str


@api.get("/elections", response=list[ElectionOut], summary="All elections, the latest voting day first")
def elections(request: HttpRequest) -> list[Election]:
    return list(selectors.election_list())


@api.get("/elections/{code}", response={200: ElectionOut, 404: ErrorOut}, summary="One election by its code")
def election(request: HttpRequest, code: str) -> Election:
    found = selectors.election_get(code=code)
    if found is None:
        raise HttpError(404, f"no election with code {code!r}")
    return found


api.add_router("/", candidates_router)
api.add_router("/", precincts_router)
api.add_router("/", commissions_router)
api.add_router("/", results_router)
