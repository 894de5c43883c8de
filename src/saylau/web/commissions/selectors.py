"""Reads of commissions and the scoping of commission members: `commission_may_act`.

Scope (decided by the project; see `saylau.domain.commissions`): the CEC covers every
election; a territorial or district commission covers for decisions the elections whose
territory is its own or lies below it (not a nationwide one), and for operations
(`decision=False`) every election held in its territory's precincts; a precinct commission
never decides and acts only on the operations of its precinct's elections. A membership
counts from its start until its term's end or its early end (`revoked_at`); scope is
evaluated at `now` (default: the current time). Representatives with an advisory vote may
read the commission workspace but never act. A superuser is an operator, never a member.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from saylau.domain.commissions import CommissionLevel, MemberRole, Term, covers, may_act, within
from saylau.web.commissions.models import Commission, Membership
from saylau.web.elections.models import Election
from saylau.web.territory.models import TerritorialUnit
from saylau.web.territory.selectors import unit_chain

AnyUser = AbstractBaseUser | AnonymousUser
_RELATED = ("commission__territory__parent__parent", "commission__precinct__territory__parent__parent")


def term_of(membership: Membership) -> Term:
    return Term(start=membership.start, end=membership.end, revoked_at=membership.revoked_at)


def active_q(now: datetime, prefix: str = "") -> Q:
    """The rows of memberships active at `now` (as `Term.active_at`)."""
    return (Q(**{f"{prefix}start__lte": now})
            & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": now}))
            & (Q(**{f"{prefix}revoked_at__isnull": True}) | Q(**{f"{prefix}revoked_at__gt": now})))


def _is_person(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and not getattr(user, "is_superuser", False))


def memberships_of(user: AnyUser, *, now: datetime | None = None) -> list[Membership]:
    """The user's memberships active at `now`, advisory ones included (none for a superuser)."""
    now = now or timezone.now()
    if not _is_person(user):
        return []
    rows = Membership.objects.filter(active_q(now), user__pk=cast(int, user.pk)).select_related(*_RELATED)
    return [m for m in rows if term_of(m).active_at(now)]


def commissions_of(user: AnyUser, *, now: datetime | None = None) -> list[Commission]:
    """The commissions of which the user is an active member at `now` (any role), by code."""
    found = {m.commission.pk: m.commission for m in memberships_of(user, now=now)}
    return sorted(found.values(), key=lambda c: c.code)


def commission_chain(commission: Commission) -> tuple[str, ...]:
    """The territory chain of a commission: its unit's, or its precinct's unit's (empty for the CEC)."""
    if commission.precinct is not None:
        return unit_chain(commission.precinct.territory)
    return unit_chain(commission.territory)


def commission_covers(commission: Commission, election: Election, *, decision: bool = True) -> bool:
    return covers(CommissionLevel(commission.level), commission_chain(commission),
                  unit_chain(election.territory), decision=decision)


def acting_membership(user: AnyUser, election: Election, *, decision: bool = True,
                      now: datetime | None = None) -> Membership | None:
    """A membership through which the user may act on `election` at `now`, or None."""
    now = now or timezone.now()
    for m in memberships_of(user, now=now):
        if may_act(MemberRole(m.role), term_of(m), now) and commission_covers(m.commission, election,
                                                                              decision=decision):
            return m
    return None


def commission_may_act(user: AnyUser, election: Election, *, decision: bool = True,
                       now: datetime | None = None) -> bool:
    """True iff the user has, at `now`, an active membership with a deciding vote of a commission
    whose scope covers `election` (for decisions, or for operations when `decision` is False)."""
    return acting_membership(user, election, decision=decision, now=now) is not None


def territory_decision_membership(user: AnyUser, unit: TerritorialUnit | None, *,
                                  now: datetime | None = None) -> Membership | None:
    """A membership through which the user may take decisions over all of `unit` (None: the whole
    country) at `now`: the CEC, or a territorial or district commission whose territory is
    `unit` or contains it."""
    now = now or timezone.now()
    area = unit_chain(unit)
    for m in memberships_of(user, now=now):
        level = CommissionLevel(m.commission.level)
        if not may_act(MemberRole(m.role), term_of(m), now) or level is CommissionLevel.PRECINCT:
            continue
        if level is CommissionLevel.CEC or (area and m.commission.territory is not None
                                              and m.commission.territory.code in area):
            return m
    return None


def decision_memberships(user: AnyUser, *, now: datetime | None = None) -> list[Membership]:
    """The user's active memberships with a deciding vote in a CEC, territorial or district commission."""
    now = now or timezone.now()
    return [m for m in memberships_of(user, now=now)
            if may_act(MemberRole(m.role), term_of(m), now) and m.commission.level != CommissionLevel.PRECINCT]


def precinct_in_scope(commission: Commission, precinct_chain: Iterable[str]) -> bool:
    """Whether a precinct (given by its unit's chain) lies in the commission's territory."""
    if commission.level == CommissionLevel.CEC:
        return True
    return bool(commission.territory_id) and within(tuple(precinct_chain), commission_chain(commission))


@dataclass(frozen=True, slots=True)
class Workload:
    election: Election
    decision: bool
    """True: the member may take decisions; False: operations only."""


def elections_for(user: AnyUser, *, now: datetime | None = None) -> list[Workload]:
    """The elections the user may act on at `now`, each with the kind of scope it has."""
    now = now or timezone.now()
    acting = [m for m in memberships_of(user, now=now) if may_act(MemberRole(m.role), term_of(m), now)]
    out = []
    for election in Election.objects.select_related("territory__parent__parent").order_by("-voting_opens", "code"):
        if any(commission_covers(m.commission, election, decision=True) for m in acting):
            out.append(Workload(election, True))
        elif any(commission_covers(m.commission, election, decision=False) for m in acting):
            out.append(Workload(election, False))
    return out


def commission_list() -> QuerySet[Commission]:
    return Commission.objects.select_related("territory", "precinct", "parent").order_by("code")


def commission_get(*, code: str) -> Commission | None:
    return commission_list().filter(code=code).first()


def commission_members(commission: Commission, *, now: datetime | None = None) -> list[Membership]:
    """The members at `now` (the published composition), chair first."""
    now = now or timezone.now()
    order = list(MemberRole)
    rows = commission.memberships.filter(active_q(now)).select_related("user")
    return sorted(rows, key=lambda m: (order.index(MemberRole(m.role)), m.start, m.pk))


def commissions_with_members(*, now: datetime | None = None) -> QuerySet[Commission]:
    """Every commission with its members active at `now` prefetched as `active_members`."""
    now = now or timezone.now()
    active = Membership.objects.filter(active_q(now)).select_related("user").order_by("start", "id")
    return commission_list().prefetch_related(Prefetch("memberships", queryset=active, to_attr="active_members"))
