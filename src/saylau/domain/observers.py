"""Observers: accreditation per election, and incident reports the commission must answer.

Sources: kz-election-rules.md §5 ("Observers and other presences"). What it says, and how
it is encoded here:

- Who may observe (confirmed): political parties, other public associations and non-profit
  organisations of Kazakhstan; foreign states and international organisations, invited
  through the Foreign Ministry and **accredited by the CEC**; "foreign media are accredited
  too"; the media have presence rights similar to observers'. Hence the kinds
  `ObserverKind`: PARTY, PUBLIC_ASSOCIATION (public associations and non-profits),
  INTERNATIONAL (foreign states and international organisations), FOREIGN_MEDIA, MEDIA.
- Accreditation (confirmed): international observers are accredited by the CEC on the
  Foreign Ministry's submission; domestic observers carry a written mandate from their
  organisation and register with the commission chair.

Assumptions (the rules summary is silent; each must be checked against the law — reference
to be confirmed):

1. FOREIGN_MEDIA are accredited by the CEC only (read from "foreign media are accredited
   too", in the sentence about CEC accreditation).
2. PARTY, PUBLIC_ASSOCIATION and MEDIA are accredited by any commission whose jurisdiction
   covers the election, at the CEC, territorial (region) or district level. Precinct
   commissions take no accreditation decisions here: an accreditation is for a whole
   election, wider than a precinct (a precinct commission registering an observer at its
   polling station is a different, later feature).
3. An accreditation is per election (the brief). The CEC's standing accreditation of
   associations and non-profits for a calendar year (since 2023, confirmed) is not
   modelled yet. "One observer per organisation per polling station at a time" concerns
   presence in a polling room, not accreditation, and is not checked here.
4. One user holds at most one pending or active accreditation per election.
5. The refusal and revocation reason codes (`RefusalReason`, `RevocationReason`) are this
   platform's vocabulary, not the law's.
6. The commission must answer an incident report within `IncidentPolicy.answer_within`
   (default 5 days), and a report made on the voting day (or whose 5 days would run past
   it) by the end of the voting day. The rules summary gives no deadline: both values are
   settings (reference to be confirmed).

Lifecycles:

    accreditation   requested ──► approved ──► revoked
                        └───────► refused          (refused and revoked are final)

    incident        open ──► answered ──► closed   (an answer has a text and a resolution:
                                                    upheld / rejected / referred)

Time is a parameter (`now`, tz-aware) everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, tzinfo
from enum import StrEnum
from types import MappingProxyType

from saylau.domain.commissions import CommissionLevel
from saylau.domain.election import require_aware
from saylau.domain.errors import DomainError, ErrorCode

ORGANISATION_MAX = 300
TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
ANSWER_MAX = 10_000
PRECINCT_MAX = 32


class ObserverKind(StrEnum):
    PARTY = "party"
    """A political party of Kazakhstan."""
    PUBLIC_ASSOCIATION = "public_association"
    """Another public association or a non-profit organisation of Kazakhstan."""
    INTERNATIONAL = "international"
    """A foreign state or an international organisation (through the Foreign Ministry)."""
    FOREIGN_MEDIA = "foreign_media"
    MEDIA = "media"
    """Kazakhstan's media (presence rights similar to observers')."""


_DOMESTIC = frozenset({CommissionLevel.CEC, CommissionLevel.TERRITORIAL, CommissionLevel.DISTRICT})
ACCREDITING_LEVELS = MappingProxyType({
    ObserverKind.INTERNATIONAL: frozenset({CommissionLevel.CEC}),  # §5, confirmed
    ObserverKind.FOREIGN_MEDIA: frozenset({CommissionLevel.CEC}),  # assumption 1
    ObserverKind.PARTY: _DOMESTIC,  # assumption 2
    ObserverKind.PUBLIC_ASSOCIATION: _DOMESTIC,
    ObserverKind.MEDIA: _DOMESTIC,
})
"""Which commission levels may accredit each kind (given that the commission's jurisdiction
covers the election)."""


class AccreditationStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    REVOKED = "revoked"


ACCREDITATION_STEPS = MappingProxyType({
    AccreditationStatus.REQUESTED: frozenset({AccreditationStatus.APPROVED, AccreditationStatus.REFUSED}),
    AccreditationStatus.APPROVED: frozenset({AccreditationStatus.REVOKED}),
    AccreditationStatus.REFUSED: frozenset(),
    AccreditationStatus.REVOKED: frozenset(),
})

LIVE = frozenset({AccreditationStatus.REQUESTED, AccreditationStatus.APPROVED})
"""The statuses that block a new request for the same election (assumption 4)."""


class RefusalReason(StrEnum):
    NOT_ELIGIBLE = "not_eligible"
    """The organisation is not of a kind that may send observers."""
    NO_MANDATE = "no_mandate"
    """No written mandate of the organisation (seal, identity) was presented."""
    NO_SUBMISSION = "no_submission"
    """International observers or foreign media: no Foreign Ministry submission."""
    INCOMPLETE = "incomplete"
    """The request lacks required information."""


class RevocationReason(StrEnum):
    MANDATE_WITHDRAWN = "mandate_withdrawn"
    """The organisation withdrew its mandate."""
    OBSERVER_WITHDREW = "observer_withdrew"
    """The observer asked to end the accreditation."""
    INTERFERENCE = "interference"
    """The observer interfered with the commission's work."""


class Resolution(StrEnum):
    UPHELD = "upheld"
    REJECTED = "rejected"
    REFERRED = "referred"
    """Sent on to the higher commission (or a court)."""


class IncidentStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


INCIDENT_STEPS = MappingProxyType({
    IncidentStatus.OPEN: frozenset({IncidentStatus.ANSWERED}),
    IncidentStatus.ANSWERED: frozenset({IncidentStatus.CLOSED}),
    IncidentStatus.CLOSED: frozenset(),
})


# --- errors -----------------------------------------------------------------------------


class ObservationInputInvalid(DomainError):
    """A field of an accreditation request, an incident report or an answer refused:
    `field` names it, `problem` is `empty` or `too_long` (then `limit` is the maximum)."""

    code = ErrorCode.OBSERVATION_INPUT_INVALID

    def __init__(self, field: str, problem: str, limit: int | None = None) -> None:
        super().__init__(f"{field}: {problem}" + (f" (at most {limit} characters)" if limit else ""),
                         {"field": field, "problem": problem, "limit": limit})
        self.field, self.problem, self.limit = field, problem, limit


class AccreditationStatusRefused(DomainError):
    """An accreditation step not allowed from the current status (`current` → `target`)."""

    code = ErrorCode.ACCREDITATION_STATUS_REFUSED

    def __init__(self, current: AccreditationStatus, target: AccreditationStatus) -> None:
        super().__init__(f"accreditation: cannot go from {current.value!r} to {target.value!r}",
                         {"current": current.value, "target": target.value})
        self.current, self.target = current, target


class AccreditationAuthorityRefused(DomainError):
    """Observers of `kind` may be accredited only by commissions of `allowed` levels."""

    code = ErrorCode.ACCREDITATION_AUTHORITY_REFUSED

    def __init__(self, kind: ObserverKind, levels: frozenset[CommissionLevel]) -> None:
        allowed = sorted(v.value for v in ACCREDITING_LEVELS[kind])
        super().__init__(f"observers of kind {kind.value!r} are accredited by {', '.join(allowed)} "
                         f"commissions; the deciding member sits on {sorted(v.value for v in levels) or 'none'}",
                         {"kind": kind.value, "allowed": allowed})
        self.kind, self.allowed = kind, allowed


class AccreditationPending(DomainError):
    """The user already has a pending or active accreditation for this election."""

    code = ErrorCode.ACCREDITATION_PENDING

    def __init__(self, election: str, status: AccreditationStatus) -> None:
        super().__init__(f"election {election}: an accreditation is already {status.value}",
                         {"election": election, "status": status.value})
        self.election, self.status = election, status


class NotAccredited(DomainError):
    """Only an observer accredited for the election may report an incident in it."""

    code = ErrorCode.NOT_ACCREDITED

    def __init__(self, election: str) -> None:
        super().__init__(f"not an accredited observer of election {election}", {"election": election})
        self.election = election


class IncidentStatusRefused(DomainError):
    """An incident step not allowed from its status (answering twice, closing an open report)."""

    code = ErrorCode.INCIDENT_STATUS_REFUSED

    def __init__(self, current: IncidentStatus, target: IncidentStatus) -> None:
        super().__init__(f"incident: cannot go from {current.value!r} to {target.value!r}",
                         {"current": current.value, "target": target.value})
        self.current, self.target = current, target


# --- accreditation ------------------------------------------------------------------------


def _text(field: str, value: str, limit: int, *, required: bool = True) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        raise ObservationInputInvalid(field, "empty")
    if len(cleaned) > limit:
        raise ObservationInputInvalid(field, "too_long", limit)
    return cleaned


@dataclass(frozen=True, slots=True)
class Accreditation:
    """One person's accreditation for one election, on behalf of an organisation."""

    election: str
    kind: ObserverKind
    organisation: str
    status: AccreditationStatus = AccreditationStatus.REQUESTED
    reason: str = ""
    """The refusal or revocation reason code; empty otherwise."""

    def __post_init__(self) -> None:
        _text("organisation", self.organisation, ORGANISATION_MAX)

    @property
    def is_active(self) -> bool:
        return self.status is AccreditationStatus.APPROVED


def may_accredit(kind: ObserverKind, levels: frozenset[CommissionLevel]) -> bool:
    """Whether a member of commissions at `levels` (each covering the election) may decide on
    observers of `kind`."""
    return bool(ACCREDITING_LEVELS[kind] & levels)


def request(*, election: str, kind: ObserverKind, organisation: str,
            existing: frozenset[AccreditationStatus] = frozenset()) -> Accreditation:
    """A new request. `existing`: the statuses of the user's other accreditations for the
    election; a pending or active one refuses the request (`AccreditationPending`)."""
    for status in (AccreditationStatus.APPROVED, AccreditationStatus.REQUESTED):
        if status in existing:
            raise AccreditationPending(election, status)
    return Accreditation(election=election, kind=kind, organisation=organisation.strip())


def _step(accreditation: Accreditation, target: AccreditationStatus) -> None:
    if target not in ACCREDITATION_STEPS[accreditation.status]:
        raise AccreditationStatusRefused(accreditation.status, target)


def _authority(accreditation: Accreditation, levels: frozenset[CommissionLevel]) -> None:
    if not may_accredit(accreditation.kind, levels):
        raise AccreditationAuthorityRefused(accreditation.kind, levels)


def approve(accreditation: Accreditation, *, levels: frozenset[CommissionLevel]) -> Accreditation:
    """Approve a request; `levels` are the levels of the decider's commissions covering the election."""
    _step(accreditation, AccreditationStatus.APPROVED)
    _authority(accreditation, levels)
    return replace(accreditation, status=AccreditationStatus.APPROVED, reason="")


def refuse(accreditation: Accreditation, *, reason: RefusalReason,
           levels: frozenset[CommissionLevel]) -> Accreditation:
    """Refuse a request, citing `reason`."""
    _step(accreditation, AccreditationStatus.REFUSED)
    _authority(accreditation, levels)
    return replace(accreditation, status=AccreditationStatus.REFUSED, reason=reason.value)


def revoke(accreditation: Accreditation, *, reason: RevocationReason,
           levels: frozenset[CommissionLevel]) -> Accreditation:
    """Revoke an approved accreditation, citing `reason`."""
    _step(accreditation, AccreditationStatus.REVOKED)
    _authority(accreditation, levels)
    return replace(accreditation, status=AccreditationStatus.REVOKED, reason=reason.value)


def keeps_observer_role(statuses: list[AccreditationStatus]) -> bool:
    """Whether a user with accreditations of these statuses (any elections) is an observer:
    at least one is active."""
    return AccreditationStatus.APPROVED in statuses


# --- incidents ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IncidentPolicy:
    """When the commission must answer an incident report. Reference to be confirmed: the
    rules summary (kz-election-rules.md §5) gives no deadline; these are settings."""

    answer_within: timedelta = timedelta(days=5)
    voting_day_same_day: bool = True
    """A report made on the voting day, or whose deadline would pass the voting day, is due by
    the end of the voting day."""


def answer_due(reported_at: datetime, *, voting_day: datetime | None, zone: tzinfo,
               policy: IncidentPolicy = IncidentPolicy()) -> datetime:
    """The latest moment for the commission's answer to a report made at `reported_at`.

    `voting_day` is any moment of the voting day (e.g. the opening of voting), `zone` the
    time zone that defines "the end of the day" (the country's).
    """
    require_aware(reported_at, "reported_at")
    due = reported_at + policy.answer_within
    if voting_day is not None and policy.voting_day_same_day:
        require_aware(voting_day, "voting_day")
        day = voting_day.astimezone(zone).date()
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        if reported_at < end <= due:
            due = end
    return due


@dataclass(frozen=True, slots=True)
class Incident:
    """A report by an accredited observer, addressed to the commission."""

    election: str
    title: str
    description: str
    reported_at: datetime
    due: datetime
    precinct: str = ""
    status: IncidentStatus = IncidentStatus.OPEN
    answer: str = ""
    resolution: Resolution | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.reported_at, "reported_at")
        require_aware(self.due, "due")
        _text("title", self.title, TITLE_MAX)
        _text("description", self.description, DESCRIPTION_MAX)
        _text("precinct", self.precinct, PRECINCT_MAX, required=False)

    def is_overdue(self, *, now: datetime) -> bool:
        """Still unanswered after its deadline."""
        require_aware(now, "now")
        return self.status is IncidentStatus.OPEN and now > self.due


def report(*, election: str, accredited: bool, title: str, description: str, precinct: str = "",
           now: datetime, voting_day: datetime | None, zone: tzinfo,
           policy: IncidentPolicy = IncidentPolicy()) -> Incident:
    """A new incident report; `accredited`: whether the reporter is accredited for the election."""
    if not accredited:
        raise NotAccredited(election)
    return Incident(election=election, title=title.strip(), description=description.strip(),
                    precinct=precinct.strip(), reported_at=now,
                    due=answer_due(now, voting_day=voting_day, zone=zone, policy=policy))


def answer(incident: Incident, *, text: str, resolution: Resolution, now: datetime) -> Incident:
    """The commission's answer: a text and a resolution. Only an open report can be answered."""
    require_aware(now, "now")
    if incident.status is not IncidentStatus.OPEN:
        raise IncidentStatusRefused(incident.status, IncidentStatus.ANSWERED)
    cleaned = _text("answer", text, ANSWER_MAX)
    return replace(incident, status=IncidentStatus.ANSWERED, answer=cleaned, resolution=resolution,
                   answered_at=now)


def close(incident: Incident, *, now: datetime) -> Incident:
    """Close an answered report (nothing more to say on it)."""
    require_aware(now, "now")
    if incident.status is not IncidentStatus.ANSWERED:
        raise IncidentStatusRefused(incident.status, IncidentStatus.CLOSED)
    return replace(incident, status=IncidentStatus.CLOSED, closed_at=now)
