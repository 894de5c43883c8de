"""Election types and the election lifecycle: a state machine with a schedule.

An election goes draft → nomination → registration → campaign → voting → counting →
results → closed, one stage at a time and never back. The schedule (tz-aware datetimes,
DESIGN.md "time is a parameter") opens and closes the windows of the steps; a refused step
is a `TransitionRefused` that names the current stage, the target and the reason.
`transition_refusal` returns it (for a UI that greys out a button); `advance` raises it.

The types are the contests of kz-election-rules.md §2.1 and §2.4; which rule pack governs a
type on a given day is `rulepack.applicable_pack`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import NewType

from saylau.domain.errors import InvalidSchedule, NaiveDatetime, TransitionReason, TransitionRefused

ElectionId = NewType("ElectionId", str)


class ElectionType(StrEnum):
    """The kinds of contest (§2.1). Values are the `offices` names used in rule packs."""

    PRESIDENTIAL = "presidential"
    """Absolute majority, top-two runoff."""
    MAZHILIS_PARTY_LIST = "mazhilis_party_list"
    """The party-list chamber tier: 69 seats, one nationwide constituency."""
    MAZHILIS_DISTRICT = "mazhilis_district"
    """A single-member district of the Mazhilis (plurality)."""
    MASLIKHAT_MIXED = "maslikhat_mixed"
    """Oblast, city-of-republican-significance and capital maslikhats: 50 % list + 50 % districts."""
    MASLIKHAT_DISTRICT = "maslikhat_district"
    """A single-member district of a district or city maslikhat (100 % districts)."""
    AKIM_RURAL = "akim_rural"
    """Akim of a rural district, village or settlement."""
    AKIM_TOWN = "akim_town"
    """Akim of a town of district significance."""
    AKIM_DISTRICT = "akim_district"
    """Akim of a district or a city of regional significance (pilot since 2023)."""
    REFERENDUM = "referendum"
    """No rule pack yet: the rules summary does not cover referendums (§11)."""

    @property
    def is_single_winner(self) -> bool:
        return self in _SINGLE_WINNER

    @property
    def has_party_list(self) -> bool:
        return self in (ElectionType.MAZHILIS_PARTY_LIST, ElectionType.MASLIKHAT_MIXED)


_SINGLE_WINNER = frozenset({
    ElectionType.PRESIDENTIAL, ElectionType.MAZHILIS_DISTRICT, ElectionType.MASLIKHAT_DISTRICT,
    ElectionType.AKIM_RURAL, ElectionType.AKIM_TOWN, ElectionType.AKIM_DISTRICT,
})


class Stage(StrEnum):
    DRAFT = "draft"
    NOMINATION = "nomination"
    REGISTRATION = "registration"
    CAMPAIGN = "campaign"
    VOTING = "voting"
    COUNTING = "counting"
    RESULTS = "results"
    CLOSED = "closed"


TRANSITIONS = MappingProxyType({
    Stage.DRAFT: frozenset({Stage.NOMINATION}),
    Stage.NOMINATION: frozenset({Stage.REGISTRATION}),
    Stage.REGISTRATION: frozenset({Stage.CAMPAIGN}),
    Stage.CAMPAIGN: frozenset({Stage.VOTING}),
    Stage.VOTING: frozenset({Stage.COUNTING}),
    Stage.COUNTING: frozenset({Stage.RESULTS}),
    Stage.RESULTS: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
})
"""The allowed steps. A runoff is a new election (round 2), not a step back."""


def require_aware(value: datetime, field_name: str) -> None:
    """Raise `NaiveDatetime` unless `value` carries a time zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetime(field_name)


@dataclass(frozen=True, slots=True)
class Schedule:
    """The calendar of one election; every time is tz-aware.

    Order: latest_call < nomination_closes <= registration_closes <= voting_opens <
    voting_closes <= results_due. `latest_call` (the last moment the election may be
    called) and `results_due` come from the pack (`rulepack.call_deadline`,
    `rulepack.results_deadline`) where it has them.
    """

    nomination_closes: datetime
    registration_closes: datetime
    voting_opens: datetime
    voting_closes: datetime
    latest_call: datetime | None = None
    results_due: datetime | None = None

    def __post_init__(self) -> None:
        named = [("latest_call", self.latest_call), ("nomination_closes", self.nomination_closes),
                 ("registration_closes", self.registration_closes), ("voting_opens", self.voting_opens),
                 ("voting_closes", self.voting_closes), ("results_due", self.results_due)]
        present = [(n, t) for n, t in named if t is not None]
        for name, t in present:
            require_aware(t, f"schedule.{name}")
        for (a, ta), (b, tb) in zip(present, present[1:], strict=False):
            strict = (a, b) in (("latest_call", "nomination_closes"), ("voting_opens", "voting_closes"))
            if tb < ta or (strict and tb == ta):
                want = "after" if strict else "at or after"
                raise InvalidSchedule(b, f"{tb.isoformat()} must be {want} {a} ({ta.isoformat()})")


@dataclass(frozen=True, slots=True)
class StageChange:
    source: Stage
    target: Stage
    at: datetime


@dataclass(frozen=True, slots=True)
class Election:
    """One election (one round). Immutable: `advance` returns the next state."""

    id: ElectionId
    type: ElectionType
    title: str
    schedule: Schedule
    pack_id: str
    """The rule pack in force (`rulepack.RulePack.id`), fixed when the election is created."""
    stage: Stage = Stage.DRAFT
    history: tuple[StageChange, ...] = field(default=())


def window(schedule: Schedule, source: Stage, target: Stage) -> tuple[datetime | None, datetime | None]:
    """(not_before, not_after) of the step source → target; None where the schedule sets no bound."""
    match (source, target):
        case (Stage.DRAFT, Stage.NOMINATION):
            # The election is called; after nomination closes there is nothing left to call.
            return None, schedule.latest_call or schedule.nomination_closes
        case (Stage.NOMINATION, Stage.REGISTRATION):
            return schedule.nomination_closes, schedule.voting_opens
        case (Stage.REGISTRATION, Stage.CAMPAIGN):
            return schedule.registration_closes, schedule.voting_opens
        case (Stage.CAMPAIGN, Stage.VOTING):
            return schedule.voting_opens, schedule.voting_closes
        case (Stage.VOTING, Stage.COUNTING):
            return schedule.voting_closes, None
        case _:
            # counting → results and results → closed: whenever the commission is done;
            # a late result is flagged by `is_overdue`, never refused.
            return None, None


def transition_refusal(election: Election, target: Stage, *, now: datetime) -> TransitionRefused | None:
    """Why `election` may not move to `target` at `now`, or None if it may. Requires aware `now`."""
    require_aware(now, "now")
    current = election.stage

    def refuse(reason: TransitionReason, detail: str, *, not_before: datetime | None = None,
               not_after: datetime | None = None) -> TransitionRefused:
        return TransitionRefused(
            election=election.id, current=current.value, target=target.value, reason=reason, detail=detail,
            not_before=not_before.isoformat() if not_before else None,
            not_after=not_after.isoformat() if not_after else None)

    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none (closed)"
        return refuse(TransitionReason.NOT_ALLOWED, f"the allowed next stage is {allowed}")
    if election.history and now < election.history[-1].at:
        last = election.history[-1].at
        return refuse(TransitionReason.CLOCK_BEHIND,
                      f"now ({now.isoformat()}) is before the last transition ({last.isoformat()})")
    not_before, not_after = window(election.schedule, current, target)
    if not_before is not None and now < not_before:
        return refuse(TransitionReason.TOO_EARLY, f"the schedule opens it at {not_before.isoformat()}, "
                      f"now is {now.isoformat()}", not_before=not_before)
    if not_after is not None and now > not_after:
        return refuse(TransitionReason.TOO_LATE, f"the schedule closed it at {not_after.isoformat()}, "
                      f"now is {now.isoformat()}", not_after=not_after)
    return None


def can_advance(election: Election, target: Stage, *, now: datetime) -> bool:
    return transition_refusal(election, target, now=now) is None


def advance(election: Election, target: Stage, *, now: datetime) -> Election:
    """The election in stage `target`, the step recorded at `now`. Raises `TransitionRefused`."""
    refusal = transition_refusal(election, target, now=now)
    if refusal is not None:
        raise refusal
    change = StageChange(source=election.stage, target=target, at=now)
    return replace(election, stage=target, history=(*election.history, change))


def is_overdue(election: Election, *, now: datetime) -> bool:
    """True when `schedule.results_due` has passed and the results are not yet established."""
    require_aware(now, "now")
    due = election.schedule.results_due
    return due is not None and election.stage not in (Stage.RESULTS, Stage.CLOSED) and now > due
