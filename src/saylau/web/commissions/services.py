"""Writes of commissions and memberships: checked by `saylau.domain.commissions`, audited, and
published on the bulletin board (the composition of commissions is public in Kazakhstan: the
board carries the commission, the role and the member's display name, nothing more).

Who forms which commission is unconfirmed (kz-election-rules.md §4: one consolidated text has
the CEC form the territorial commissions and the territorial commissions the okrug and
precinct ones; the CEC's own page says the maslikhats form them). Saylau models it as *the
parent commission forms its child commissions*: `commission_create` with a parent requires
the actor to be an acting member of that parent (reference to be confirmed). The actor None is
the system (setup scripts, the demo, tests). No commission size is enforced (§4: sizes
unconfirmed). The members themselves are elected or appointed outside Saylau (maslikhats,
the President, the Senate and the Mazhilis, §4); `membership_add` records the result.

Members of at least one commission at `now` (any role, advisory included) are in the
`commission` group (`core.access.COMMISSION_GROUP`), the others not: `membership_add` and
`membership_end` keep it in step; `commission_group_sync` catches up with terms that start
or end with the clock (run it periodically; scope itself never depends on the group).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group, User
from django.db import transaction

from saylau.domain.commissions import (
    CommissionLevel,
    MemberRole,
    Term,
    check_commission,
    may_act,
)
from saylau.domain.election import require_aware
from saylau.domain.errors import CommissionScopeRefused, InvalidMembership
from saylau.web.commissions.models import Commission, Membership
from saylau.web.commissions.selectors import active_q, commission_chain, term_of
from saylau.web.core.access import COMMISSION_GROUP
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.territory.models import Precinct, TerritorialUnit
from saylau.web.territory.selectors import unit_chain

SINGLE_ROLES = frozenset({MemberRole.CHAIR, MemberRole.DEPUTY_CHAIR, MemberRole.SECRETARY})
"""Roles that one person at a time holds on a commission."""


def display_name(user: User) -> str:
    """The public name of a member: the full name, else the user name."""
    return user.get_full_name().strip() or user.get_username()


@transaction.atomic
def commission_create(*, actor: User | None, code: str, level: CommissionLevel, name_kk: str,
                      name_ru: str = "", name_en: str = "", territory: TerritorialUnit | None = None,
                      precinct: Precinct | None = None, parent: Commission | None = None,
                      now: datetime) -> Commission:
    """Form a commission under `parent` (the CEC has none).

    Raises `InvalidCommission` (level, territory, precinct or parent do not fit),
    `CommissionScopeRefused` (the actor is not an acting member of `parent`), or Django's
    `ValidationError` (code, names).
    """
    require_aware(now, "now")
    if actor is not None:
        seat = parent and Membership.objects.filter(active_q(now), commission=parent, user=actor).first()
        if not seat or not may_act(MemberRole(seat.role), term_of(seat), now):
            raise CommissionScopeRefused(parent.code if parent is not None else "cec")
    commission = Commission(code=code, level=level.value, name_kk=name_kk, name_ru=name_ru, name_en=name_en,
                            territory=territory, precinct=precinct, parent=parent)
    commission.full_clean()
    chain = unit_chain(precinct.territory) if precinct is not None else unit_chain(territory)
    check_commission(code=code, level=level, unit_level=territory.level if territory is not None else None,
                     has_precinct=precinct is not None,
                     parent_level=CommissionLevel(parent.level) if parent is not None else None,
                     parent_chain=commission_chain(parent) if parent is not None else None, chain=chain)
    commission.save()
    public = {"commission": code, "level": level.value, "name_kk": name_kk, "name_ru": name_ru,
              "name_en": name_en, "territory": territory.code if territory is not None else None,
              "precinct": precinct.code if precinct is not None else None,
              "parent": parent.code if parent is not None else None}
    audit_record(actor=actor, action="commission.create", target=commission, at=now, data=public)
    board_record("commission.formed", at=now, data=public)
    return commission


def _sync_group(user: User, now: datetime) -> None:
    group = Group.objects.get(name=COMMISSION_GROUP)
    member = any(term_of(m).active_at(now) for m in Membership.objects.filter(active_q(now), user=user))
    if member:
        user.groups.add(group)
    else:
        user.groups.remove(group)


def _overlaps(a: Term, b: Term) -> bool:
    a_end = min((t for t in (a.end, a.revoked_at) if t is not None), default=None)
    b_end = min((t for t in (b.end, b.revoked_at) if t is not None), default=None)
    return (a_end is None or b.start < a_end) and (b_end is None or a.start < b_end)


@transaction.atomic
def membership_add(*, actor: User | None, commission: Commission, user: User, role: MemberRole,
                   start: datetime, end: datetime | None = None, nominated_by: str = "",
                   now: datetime) -> Membership:
    """Record that `user` sits on `commission` in `role` from `start` (until `end`, if given).

    Raises `InvalidMembership`: the term ends before it starts (`end`), the user is an
    operator (`user`: a superuser is never a member) or already sits on this commission in an
    overlapping term (`user`), or a chair, deputy chair or secretary already holds the role in
    an overlapping term (`role`). `NaiveDatetime` for times without a zone.
    """
    require_aware(now, "now")
    term = Term(start=start, end=end)
    if user.is_superuser:
        raise InvalidMembership("user", "an operator (superuser) cannot be a commission member")
    for other in Membership.objects.select_for_update().filter(commission=commission):
        if not _overlaps(term, term_of(other)):
            continue
        if other.user_id == user.pk:
            raise InvalidMembership("user", "the user already sits on this commission in that period")
        if role in SINGLE_ROLES and other.role == role.value:
            raise InvalidMembership("role", f"the commission already has a {role.value} in that period")
    membership = Membership(user=user, commission=commission, role=role.value, start=start, end=end,
                            nominated_by=nominated_by)
    membership.full_clean()
    membership.save()
    _sync_group(user, now)
    audit_record(actor=actor, action="commission.member_add", target=membership, at=now,
                 data={"commission": commission.code, "user": user.pk, "role": role.value,
                       "start": start.isoformat(), "end": end.isoformat() if end else None})
    board_record("commission.member_added", at=now, data={
        "commission": commission.code, "level": commission.level, "role": role.value,
        "member": display_name(user), "nominated_by": nominated_by,
        "start": start.isoformat(), "end": end.isoformat() if end else None})
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, now: datetime, reason: str = "") -> Membership:
    """End a membership at `now` (before its term's end): its scope is gone from `now` on.

    Raises `InvalidMembership` (`revoked_at`) when it has already ended or not started yet.
    """
    require_aware(now, "now")
    row = Membership.objects.select_for_update(of=("self",)).select_related("commission", "user").get(pk=membership.pk)
    if not term_of(row).active_at(now):
        raise InvalidMembership("revoked_at", "the membership is not active: it has ended or not started")
    row.revoked_at = now
    row.save(update_fields=["revoked_at"])
    _sync_group(row.user, now)
    audit_record(actor=actor, action="commission.member_end", target=row, at=now,
                 data={"commission": row.commission.code, "user": row.user_id, "role": row.role,
                       "reason": reason[:500]})
    board_record("commission.member_ended", at=now, data={
        "commission": row.commission.code, "level": row.commission.level, "role": row.role,
        "member": display_name(row.user)})
    return row


@transaction.atomic
def commission_group_sync(*, now: datetime) -> int:
    """Put every user in the `commission` group iff they have a membership active at `now`
    (terms start and end with the clock); returns how many users changed."""
    require_aware(now, "now")
    group = Group.objects.get(name=COMMISSION_GROUP)
    want = set(Membership.objects.filter(active_q(now), user__is_superuser=False).values_list("user_id", flat=True))
    have = set(group.user_set.values_list("pk", flat=True))
    group.user_set.add(*(want - have))
    group.user_set.remove(*(have - want))
    changed = len(want ^ have)
    if changed:
        audit_record(actor=None, action="commission.group_sync", at=now,
                     data={"added": len(want - have), "removed": len(have - want)})
    return changed
