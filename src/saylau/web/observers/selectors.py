"""Reads of the observers app: accreditations, incidents (open and overdue first), the audit
log and the board events of one election, and the scope of a deciding commission member."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Case,
    CharField,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast

from saylau.domain.commissions import CommissionLevel
from saylau.domain.observers import AccreditationStatus, IncidentStatus
from saylau.web.commissions.selectors import commission_covers, decision_memberships
from saylau.web.core.models import AuditEntry, BoardEvent
from saylau.web.elections.models import Election
from saylau.web.observers.models import Incident, ObserverAccreditation

AnyUser = AbstractBaseUser | AnonymousUser
PAGE_SIZE = 50


def _uid(user: AnyUser) -> int:
    return int(user.pk or 0) if user.is_authenticated else 0


def accreditations_of(user: AnyUser) -> QuerySet[ObserverAccreditation]:
    return ObserverAccreditation.objects.filter(user_id=_uid(user)).select_related("election")


def accredited_elections(user: AnyUser) -> QuerySet[Election]:
    return Election.objects.filter(accreditations__user_id=_uid(user),
                                   accreditations__status=AccreditationStatus.APPROVED.value).distinct()


def is_accredited(user: AnyUser, election: Election) -> bool:
    return bool(user.is_authenticated) and ObserverAccreditation.objects.filter(
        user_id=_uid(user), election=election, status=AccreditationStatus.APPROVED.value).exists()


def accreditation_requests(election: Election) -> QuerySet[ObserverAccreditation]:
    """The election's accreditations, pending requests first, then the newest."""
    pending = Case(When(status=AccreditationStatus.REQUESTED.value, then=Value(0)), default=Value(1),
                   output_field=IntegerField())
    return (ObserverAccreditation.objects.filter(election=election).select_related("user")
            .annotate(pending=pending).order_by("pending", "-requested_at", "-id"))


def decider_levels(user: AnyUser, election: Election, *, now: datetime | None = None) -> frozenset[CommissionLevel]:
    """The levels of the user's commissions through which they may decide on `election`."""
    return frozenset(CommissionLevel(m.commission.level) for m in decision_memberships(user, now=now)
                     if commission_covers(m.commission, election, decision=True))


def incidents_for_commission(election: Election, *, now: datetime) -> QuerySet[Incident]:
    """The election's incidents: overdue first, then open ones by deadline, then the rest newest first."""
    rank = Case(When(status=IncidentStatus.OPEN.value, due_at__lt=now, then=Value(0)),
                When(status=IncidentStatus.OPEN.value, then=Value(1)),
                When(status=IncidentStatus.ANSWERED.value, then=Value(2)), default=Value(3),
                output_field=IntegerField())
    return (Incident.objects.filter(election=election).select_related("reporter")
            .annotate(rank=rank).order_by("rank", "due_at", "-id"))


def incidents_of_reporter(user: AnyUser, election: Election) -> QuerySet[Incident]:
    return Incident.objects.filter(election=election, reporter_id=_uid(user)).order_by("-created_at", "-id")


def incident_get(pk: int) -> Incident | None:
    return Incident.objects.select_related("election", "reporter", "answered_by").filter(pk=pk).first()


def election_audit(election: Election) -> QuerySet[AuditEntry]:
    """The audit entries of the election and its related objects (its accreditations and
    incidents), newest first."""
    def ids(model: type[ObserverAccreditation] | type[Incident]) -> Subquery:
        return Subquery(model.objects.filter(election=election).annotate(
            key=Cast("pk", output_field=CharField())).values("key"))

    related = (Q(object_type="elections.election", object_id=str(election.pk))
               | Q(object_type="observers.observeraccreditation", object_id__in=ids(ObserverAccreditation))
               | Q(object_type="observers.incident", object_id__in=ids(Incident)))
    return AuditEntry.objects.filter(related).order_by("-id")


def election_board_events(election: Election) -> QuerySet[BoardEvent]:
    """The public board events that name the election, newest first."""
    return BoardEvent.objects.filter(data__election=election.code).order_by("-id")

