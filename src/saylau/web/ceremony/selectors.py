"""Reads of the trustees' ceremonies: the ceremony of an election, each trustee's progress, the
public files (certificates, `trustees.json`), who may be a trustee, what a trustee must do next."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.utils import timezone

from saylau.domain.ceremony import CeremonyKind, Step, current_step, steps_of
from saylau.domain.commissions import MemberRole, may_act
from saylau.web.ceremony.models import KeyCeremony, PrecinctRecord, Trustee
from saylau.web.commissions.models import Membership
from saylau.web.commissions.selectors import active_q, commission_covers, term_of
from saylau.web.elections.models import Election


def display_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def ceremony_of(election: Election) -> KeyCeremony | None:
    return KeyCeremony.objects.filter(election=election).first()


def done_counts(ceremony: KeyCeremony) -> dict[Step, int]:
    rows = Trustee.objects.filter(ceremony=ceremony)
    return {step: rows.filter(**{f"{step.value}__isnull": False}).count()
            for step in steps_of(CeremonyKind(ceremony.kind))}


def step_of(ceremony: KeyCeremony) -> Step:
    return current_step(CeremonyKind(ceremony.kind), done_counts(ceremony), ceremony.size)


def trustees_of(ceremony: KeyCeremony) -> list[Trustee]:
    return list(ceremony.trustees.order_by("index"))


def trustee_of(ceremony: KeyCeremony, user: AbstractBaseUser | AnonymousUser) -> Trustee | None:
    if not user.is_authenticated:
        return None
    return ceremony.trustees.filter(user__pk=user.pk).first()


def progress(trustee: Trustee) -> list[tuple[Step, datetime | None]]:
    """Each step of the trustee's ceremony with when the trustee did it (None: not yet)."""
    return [(s, getattr(trustee, f"{s.value}_at")) for s in steps_of(CeremonyKind(trustee.ceremony.kind))]


def certificates(ceremony: KeyCeremony) -> list[dict[str, object]] | None:
    """The n certificates in trustee order once all are in (None before)."""
    certs = [t.certificate for t in trustees_of(ceremony)]
    if ceremony.kind != CeremonyKind.PEDERSEN or any(c is None for c in certs):
        return None
    return [c for c in certs if c is not None]


def eligible_trustees(election: Election, *, now: datetime | None = None) -> list[User]:
    """Users who may be trustees: active members with a deciding vote of a commission covering the
    election (its operations), by name."""
    now = now or timezone.now()
    found: dict[int, User] = {}
    rows = (Membership.objects.filter(active_q(now)).select_related(
        "user", "commission__territory__parent__parent", "commission__precinct__territory__parent__parent"))
    for m in rows:
        if (m.user.is_active and not m.user.is_superuser and may_act(MemberRole(m.role), term_of(m), now)
                and commission_covers(m.commission, election, decision=False)):
            found[m.user.pk] = m.user
    return sorted(found.values(), key=lambda u: (u.last_name, u.first_name, u.username))


def records_of(ceremony: KeyCeremony) -> list[PrecinctRecord]:
    return list(PrecinctRecord.objects.filter(ceremony=ceremony).select_related("precinct", "protocol")
                .prefetch_related("decryptions__trustee").order_by("precinct__number", "pk"))


def records_to_decrypt(trustee: Trustee) -> list[PrecinctRecord]:
    """Tallied records not yet decrypted, whose partial decryption by `trustee` is missing."""
    return list(PrecinctRecord.objects.filter(ceremony=trustee.ceremony, state="tallied")
                .exclude(decryptions__trustee=trustee).select_related("precinct").order_by("precinct__number", "pk"))
