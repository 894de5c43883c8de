"""Writes of the observers app: accreditation requests and decisions, incident reports, answers
and closing. Each is decided by `saylau.domain.observers`, written in one transaction with its
audit entry and, when the public should know, its bulletin-board event (public data only: the
organisation and the kind, never the person).

The `observer` group (core.access.OBSERVER_GROUP) is kept in step here: a user is in it iff they
hold at least one approved accreditation (`observer_group_sync`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from saylau.domain import observers as domain
from saylau.domain.commissions import CommissionLevel
from saylau.domain.election import require_aware
from saylau.domain.observers import (
    AccreditationPending,
    AccreditationStatus,
    IncidentPolicy,
    ObserverKind,
    RefusalReason,
    Resolution,
    RevocationReason,
)
from saylau.web.core.access import OBSERVER_GROUP
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.core.uploads import store_upload
from saylau.web.elections.models import Election
from saylau.web.observers.mapping import accreditation_to_domain, incident_to_domain
from saylau.web.observers.models import Incident, IncidentFile, ObserverAccreditation
from saylau.web.observers.selectors import is_accredited

UPLOAD_KINDS = ("pdf", "png", "jpeg")


def incident_policy() -> IncidentPolicy:
    """The answer deadline: `settings.INCIDENT_ANSWER_WITHIN` (a timedelta; default 5 days) and
    `settings.INCIDENT_VOTING_DAY_SAME_DAY` (default True). Reference to be confirmed: the rules
    summary gives no deadline for answering observers (kz-election-rules.md §5)."""
    return IncidentPolicy(
        answer_within=getattr(settings, "INCIDENT_ANSWER_WITHIN", timedelta(days=5)),
        voting_day_same_day=getattr(settings, "INCIDENT_VOTING_DAY_SAME_DAY", True))


def observer_group_sync(user: User) -> bool:
    """Put the user in the observer group iff they hold an approved accreditation; returns that."""
    statuses = [AccreditationStatus(s) for s in
                ObserverAccreditation.objects.filter(user=user).values_list("status", flat=True)]
    group = Group.objects.get(name=OBSERVER_GROUP)
    keep = domain.keeps_observer_role(statuses)
    if keep:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    return keep


def accreditation_request(*, user: User, election: Election, kind: ObserverKind, organisation: str,
                          now: datetime) -> ObserverAccreditation:
    """A citizen asks to observe `election` for `organisation`.

    Raises `AccreditationPending` (already requested or accredited), `ObservationInputInvalid`.
    """
    require_aware(now, "now")
    try:
        with transaction.atomic():
            existing = frozenset(AccreditationStatus(s) for s in ObserverAccreditation.objects.select_for_update()
                                 .filter(user=user, election=election).values_list("status", flat=True))
            asked = domain.request(election=election.code, kind=kind, organisation=organisation, existing=existing)
            row = ObserverAccreditation.objects.create(
                user=user, election=election, kind=kind.value, organisation=asked.organisation,
                status=asked.status.value, requested_at=now)
            audit_record(actor=user, action="observer.request", target=row, at=now,
                         data={"election": election.code, "kind": kind.value, "organisation": asked.organisation})
    except IntegrityError as clash:  # a concurrent request won the race (one live request per election)
        raise AccreditationPending(election.code, AccreditationStatus.REQUESTED) from clash
    return row


_BOARD_KIND = {
    AccreditationStatus.APPROVED: "observer.accredited",
    AccreditationStatus.REFUSED: "observer.refused",
    AccreditationStatus.REVOKED: "observer.revoked",
}
_AUDIT_ACTION = {
    AccreditationStatus.APPROVED: "observer.approve",
    AccreditationStatus.REFUSED: "observer.refuse",
    AccreditationStatus.REVOKED: "observer.revoke",
}


def accreditation_decide(*, actor: User | None, accreditation: ObserverAccreditation, target: AccreditationStatus,
                         reason: RefusalReason | RevocationReason | None = None,
                         levels: frozenset[CommissionLevel], now: datetime) -> ObserverAccreditation:
    """Approve, refuse (with a `RefusalReason`) or revoke (with a `RevocationReason`).

    `levels`: the levels of the decider's commissions whose scope covers the election (the view
    checks the scope). Raises `AccreditationStatusRefused`, `AccreditationAuthorityRefused`;
    `ValueError` for a reason of the wrong type (a programming error).
    """
    require_aware(now, "now")
    with transaction.atomic():
        row = ObserverAccreditation.objects.select_for_update(of=("self",)).select_related("election", "user").get(
            pk=accreditation.pk)
        current = accreditation_to_domain(row)
        if target is AccreditationStatus.APPROVED:
            decided = domain.approve(current, levels=levels)
        elif target is AccreditationStatus.REFUSED and isinstance(reason, RefusalReason):
            decided = domain.refuse(current, reason=reason, levels=levels)
        elif target is AccreditationStatus.REVOKED and isinstance(reason, RevocationReason):
            decided = domain.revoke(current, reason=reason, levels=levels)
        else:
            raise ValueError(f"a decision to {target.value} takes a matching reason, got {reason!r}")
        row.status, row.reason = decided.status.value, decided.reason
        row.decided_by, row.decided_at = actor, now
        row.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        observer_group_sync(row.user)
        public = {"election": row.election.code, "accreditation": row.pk, "kind": row.kind,
                  "organisation": row.organisation}
        if decided.reason:
            public["reason"] = decided.reason
        audit_record(actor=actor, action=_AUDIT_ACTION[decided.status], target=row, at=now, data=public)
        board_record(_BOARD_KIND[decided.status], at=now, data=public)
    return row


def incident_report(*, reporter: User, election: Election, title: str, description: str, precinct: str = "",
                    files: Sequence[UploadedFile] = (), now: datetime) -> Incident:
    """An accredited observer reports an incident, with attachments that passed `UploadField`.

    Raises `NotAccredited`, `ObservationInputInvalid`.
    """
    require_aware(now, "now")
    zone = ZoneInfo(settings.TIME_ZONE)
    with transaction.atomic():
        reported = domain.report(election=election.code, accredited=is_accredited(reporter, election),
                                 title=title, description=description, precinct=precinct, now=now,
                                 voting_day=election.voting_opens, zone=zone, policy=incident_policy())
        row = Incident.objects.create(
            election=election, reporter=reporter, precinct_code=reported.precinct, title=reported.title,
            description=reported.description, status=reported.status.value, created_at=now, due_at=reported.due)
        stored = [store_upload(f, kinds=UPLOAD_KINDS, at=now) for f in files]
        IncidentFile.objects.bulk_create([IncidentFile(incident=row, stored=s) for s in stored])
        audit_record(actor=reporter, action="incident.report", target=row, at=now, data={
            "election": election.code, "incident": row.pk, "title": row.title, "precinct": row.precinct_code,
            "due": row.due_at.isoformat(), "files": [s.sha256 for s in stored]})
        board_record("incident.reported", at=now, data={
            "election": election.code, "incident": row.pk, "title": row.title, "precinct": row.precinct_code})
    return row


def incident_answer(*, actor: User | None, incident: Incident, text: str, resolution: Resolution,
                    now: datetime) -> Incident:
    """The commission's answer. Raises `IncidentStatusRefused` (already answered), `ObservationInputInvalid`."""
    with transaction.atomic():
        row = Incident.objects.select_for_update(of=("self",)).select_related("election").get(pk=incident.pk)
        answered = domain.answer(incident_to_domain(row), text=text, resolution=resolution, now=now)
        overdue = now > row.due_at
        row.status, row.answer = answered.status.value, answered.answer
        row.resolution = resolution.value
        row.answered_at, row.answered_by = now, actor
        row.save(update_fields=["status", "answer", "resolution", "answered_at", "answered_by"])
        audit_record(actor=actor, action="incident.answer", target=row, at=now, data={
            "election": row.election.code, "incident": row.pk, "resolution": resolution.value, "late": overdue})
        board_record("incident.answered", at=now, data={
            "election": row.election.code, "incident": row.pk, "resolution": resolution.value, "late": overdue})
    return row


def incident_close(*, actor: User | None, incident: Incident, now: datetime) -> Incident:
    """Close an answered report. Raises `IncidentStatusRefused`."""
    with transaction.atomic():
        row = Incident.objects.select_for_update(of=("self",)).select_related("election").get(pk=incident.pk)
        closed = domain.close(incident_to_domain(row), now=now)
        row.status, row.closed_at = closed.status.value, now
        row.save(update_fields=["status", "closed_at"])
        audit_record(actor=actor, action="incident.close", target=row, at=now,
                     data={"election": row.election.code, "incident": row.pk})
        board_record("incident.closed", at=now, data={"election": row.election.code, "incident": row.pk})
    return row
