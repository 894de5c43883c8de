"""Open data of candidates, parties and lists (mounted on `saylau.web.api`): public facts only —
names, nominators, statuses, the rules cited by refusals, parties and their ordered lists."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from saylau.web.candidates import selectors
from saylau.web.candidates.models import Candidate, Party
from saylau.web.elections.selectors import election_get

router = Router(tags=["candidates"])


class RuleOut(Schema):
    rule_id: str
    reference: str
    status: str


class CandidateOut(Schema):
    id: int
    surname: str
    given_name: str
    patronymic: str
    nominator: str
    party: int | None
    on_list: bool
    status: str
    biography_kk: str
    biography_ru: str
    biography_en: str
    platform_kk: str
    platform_ru: str
    platform_en: str
    registered_at: datetime | None
    refused_at: datetime | None
    refusal_rules: list[RuleOut]
    refusal_reason: str
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_nominator(obj: Candidate) -> str:
        return obj.nominator_kind

    @staticmethod
    def resolve_party(obj: Candidate) -> int | None:
        return obj.party_id


class ListEntryOut(Schema):
    position: int
    candidate: int
    name: str


class PartyListOut(Schema):
    election: str
    status: str
    entries: list[ListEntryOut]


class PartyOut(Schema):
    id: int
    short_name: str
    name_kk: str
    name_ru: str
    name_en: str
    registered_on: date
    ceased_on: date | None


class PartyDetailOut(PartyOut):
    lists: list[PartyListOut]


class NotFoundOut(Schema):
    detail: str


@router.get("/elections/{code}/candidates", response={200: list[CandidateOut], 404: NotFoundOut},
            url_name="candidates", summary="The candidates of an election, with the rules cited by refusals")
def candidates(request: HttpRequest, code: str) -> list[Candidate]:
    election = election_get(code=code)
    if election is None:
        raise HttpError(404, f"no election with code {code!r}")
    return list(selectors.candidate_list(election))


@router.get("/parties", response=list[PartyOut], url_name="parties",
            summary="Registered political parties, earliest registration first")
def parties(request: HttpRequest) -> list[Party]:
    return list(selectors.party_list())


@router.get("/parties/{party_id}", response={200: PartyDetailOut, 404: NotFoundOut}, url_name="party",
            summary="One party with its lists")
def party(request: HttpRequest, party_id: str) -> dict[str, object]:
    found = selectors.party_get(int(party_id)) if party_id.isascii() and party_id.isdigit() and len(
        party_id) < 19 else None
    if found is None:
        raise HttpError(404, f"no party with id {party_id}")
    lists = [{"election": pl.election.code, "status": pl.status,
              "entries": [{"position": e.position, "candidate": e.candidate_id, "name": e.candidate.full_name}
                          for e in selectors.list_entries(pl)]} for pl in selectors.party_lists(found)]
    return {"id": found.pk, "short_name": found.short_name, "name_kk": found.name_kk, "name_ru": found.name_ru,
            "name_en": found.name_en, "registered_on": found.registered_on, "ceased_on": found.ceased_on,
            "lists": lists}
