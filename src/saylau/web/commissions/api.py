"""Open data of election commissions (mounted on `saylau.web.api`): the tree and the published
composition (each member's public name, role, nominating organisation and term)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from saylau.web.commissions import selectors
from saylau.web.commissions.models import Commission, Membership
from saylau.web.commissions.services import display_name

router = Router(tags=["commissions"])


class MemberOut(Schema):
    name: str
    role: str
    nominated_by: str
    start: datetime
    end: datetime | None

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return display_name(obj.user)


class CommissionOut(Schema):
    code: str
    level: str
    name_kk: str
    name_ru: str
    name_en: str
    territory: str | None
    precinct: str | None
    parent: str | None
    members: list[MemberOut]

    @staticmethod
    def resolve_territory(obj: Commission) -> str | None:
        return obj.territory.code if obj.territory is not None else None

    @staticmethod
    def resolve_precinct(obj: Commission) -> str | None:
        return obj.precinct.code if obj.precinct is not None else None

    @staticmethod
    def resolve_parent(obj: Commission) -> str | None:
        return obj.parent.code if obj.parent is not None else None

    @staticmethod
    def resolve_members(obj: Commission) -> list[Membership]:
        return list(getattr(obj, "active_members", []))


class CommissionErrorOut(Schema):
    detail: str


@router.get("/commissions", response=list[CommissionOut], url_name="commissions",
            summary="Every election commission with its current members")
def commissions(request: HttpRequest) -> list[Commission]:
    return list(selectors.commissions_with_members())


@router.get("/commissions/{commission}", response={200: CommissionOut, 404: CommissionErrorOut}, url_name="commission",
            summary="One election commission by its code, with its current members")
def commission(request: HttpRequest, commission: str) -> Commission:
    found = selectors.commissions_with_members().filter(code=commission).first()
    if found is None:
        raise HttpError(404, f"no commission with code {commission!r}")
    return found
