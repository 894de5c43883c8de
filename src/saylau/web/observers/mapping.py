"""Rows <-> domain values of the observers app."""

from __future__ import annotations

from saylau.domain.observers import (
    Accreditation,
    AccreditationStatus,
    Incident,
    IncidentStatus,
    ObserverKind,
    Resolution,
)
from saylau.web.observers import models


def accreditation_to_domain(row: models.ObserverAccreditation) -> Accreditation:
    return Accreditation(election=row.election.code, kind=ObserverKind(row.kind), organisation=row.organisation,
                         status=AccreditationStatus(row.status), reason=row.reason)


def incident_to_domain(row: models.Incident) -> Incident:
    return Incident(election=row.election.code, title=row.title, description=row.description,
                    reported_at=row.created_at, due=row.due_at, precinct=row.precinct_code,
                    status=IncidentStatus(row.status), answer=row.answer,
                    resolution=Resolution(row.resolution) if row.resolution else None,
                    answered_at=row.answered_at, closed_at=row.closed_at)
