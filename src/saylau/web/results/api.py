"""Open data of results (mounted on `saylau.web.api`): every published protocol with its SHA-256,
the ballot definition, the outcome and the seats, and the signed PDF documents' hashes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from saylau.web.elections import selectors as elections
from saylau.web.elections.models import Election
from saylau.web.results import selectors
from saylau.web.results.models import ResultProtocol

router = Router(tags=["results"])


class DocumentOut(Schema):
    language: str
    pdf_sha256: str
    size: int
    commission: str
    key_name: str
    vkey: str
    signature: str


class ProtocolOut(Schema):
    unit: str
    level: str
    parent_unit: str
    sha256: str
    record_sha256: str | None
    protocol: dict[str, Any]
    documents: list[DocumentOut]


class ResultsOut(Schema):
    election: str
    unit: str
    ballot: dict[str, Any] | None
    rule: dict[str, Any] | None
    protocol: ProtocolOut | None
    outcome: dict[str, Any] | None
    runoff_election: str | None


class ErrorOut(Schema):
    detail: str


def _election(code: str) -> Election:
    found = elections.election_get(code=code)
    if found is None:
        raise HttpError(404, f"no election with code {code!r}")
    return found


def _protocol(row: ResultProtocol) -> dict[str, Any]:
    return {"unit": row.unit, "level": row.level, "parent_unit": row.parent_unit, "sha256": row.sha256,
            "record_sha256": row.source_sha256 or None, "protocol": row.data,
            "documents": [{"language": d.language, "pdf_sha256": d.pdf.sha256, "size": d.pdf.size,
                           "commission": d.commission.code, "key_name": d.key.name if d.key else "",
                           "vkey": d.key.vkey if d.key else "", "signature": d.signature}
                          for d in selectors.documents_of(row)]}


@router.get("/elections/{code}/results", response={200: ResultsOut, 404: ErrorOut},
            summary="The results of an election: its top protocol, ballot definition and outcome")
def results(request: HttpRequest, code: str) -> dict[str, Any]:
    election = _election(code)
    unit = selectors.top_unit(election)
    ballot = selectors.ballot_get(election)
    row = selectors.protocol_get(election, unit)
    outcome = selectors.outcome_get(election)
    return {"election": election.code, "unit": unit, "ballot": ballot.data if ballot else None,
            "rule": ballot.rule if ballot else None, "protocol": _protocol(row) if row else None,
            "outcome": outcome.data if outcome else None,
            "runoff_election": outcome.runoff_election.code if outcome and outcome.runoff_election else None}


@router.get("/elections/{code}/protocols", response={200: list[ProtocolOut], 404: ErrorOut},
            summary="Every published results protocol of an election (precincts up to the top unit)")
def protocols(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    return [_protocol(r) for r in selectors.protocols_of(_election(code)).filter(published=True)]


@router.get("/elections/{code}/protocols/{unit}", response={200: ProtocolOut, 404: ErrorOut},
            summary="One results protocol, with its signed PDF documents")
def protocol(request: HttpRequest, code: str, unit: str) -> dict[str, Any]:
    row = selectors.protocol_get(_election(code), unit)
    if row is None or not row.published:
        raise HttpError(404, f"no protocol for unit {unit!r}")
    return _protocol(row)
