"""Parties, party lists and the imperative mandate (kz-election-rules.md §1.3, §2.2, §3, §6).

- A `Party` is a registered political party; its registration date orders parties for the
  `registered_earlier` tie-break (`tie_order`).
- A `PartyList` is ordered; `check_list` applies the pack's `[party_list]` rules (size cap
  seats × (1 + `max_names_over_seats_share`) with `max_names_rounding`, the ≥ 30 % quota of
  women, young people and persons with disabilities) and the party-membership rule, through
  `eligibility.check_party_list`.
- The imperative mandate: a party-list mandate ends when the deputy leaves the party, is
  expelled, or the party ceases — the grounds the pack's `mandate.terminate_on` lists
  (`end_mandate` refuses any other, citing the rule). The seat then passes on by the pack's
  `mandate.vacancy_policy`:

      next_on_list                          the first candidate of the party's registered list,
                                            in list order, who holds no mandate and is not
                                            withdrawn or otherwise unavailable
      party_nominates_from_registered_list  the vacancy stays open until the party names someone
                                            from its registered list (`fill_vacancy`), within
                                            `counting_list.seat_holders_within_days` when the
                                            pack gives it

  When nobody on the list can take the seat (or the party has ceased, so it has no list to
  draw from), the pack's `mandate.list_exhausted` applies (`vacant_until_next_election`).

Everything is a pure function over values, returning the events to record (`MandateEnded`,
`VacancyOpened`, `MandateAwarded`, `SeatLeftVacant`); a refusal is a `DomainError`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from saylau.domain.election import require_aware
from saylau.domain.eligibility import ListEntry, RuleReport, check_party_list
from saylau.domain.errors import DomainError, ErrorCode, RulePackInvalid
from saylau.domain.nomination import CandidateId, Ground, PartyId
from saylau.domain.rulepack import Rule, RulePack

# --- errors ------------------------------------------------------------------------------------


class PartyListInvalid(DomainError):
    """A party list that cannot be filed: `problem` is "duplicate" (a name twice), "empty", or
    "party_ceased"; `candidate` names the entry concerned, if any."""

    code = ErrorCode.PARTY_LIST_INVALID

    def __init__(self, *, party: str, problem: str, candidate: str | None = None) -> None:
        super().__init__(f"party list of {party}: {problem}" + (f" ({candidate})" if candidate else ""),
                         {"party": party, "problem": problem, "candidate": candidate})
        self.party, self.problem, self.candidate = party, problem, candidate


class MandateGroundNotAllowed(DomainError):
    """A mandate may end only on a ground the pack's `rule` (`mandate.terminate_on`) lists."""

    code = ErrorCode.MANDATE_GROUND_NOT_ALLOWED

    def __init__(self, *, reason: str, rule: str, reference: str, status: str) -> None:
        super().__init__(f"{reason!r} is not a ground to end a mandate under {rule} ({reference}, {status})",
                         {"reason": reason, "rule": rule, "reference": reference, "status": status})
        self.reason, self.rule, self.reference, self.status = reason, rule, reference, status


class MandateNotActive(DomainError):
    """The mandate has already ended."""

    code = ErrorCode.MANDATE_NOT_ACTIVE

    def __init__(self, *, holder: str, ended_at: datetime) -> None:
        super().__init__(f"the mandate of {holder} already ended at {ended_at.isoformat()}",
                         {"holder": holder, "ended_at": ended_at.isoformat()})
        self.holder, self.ended_at = holder, ended_at


class SeatHolderRefused(DomainError):
    """`candidate` cannot take the seat: `problem` is "not_on_list" (not on the party's
    registered list), "holds_mandate", "unavailable" (withdrawn, refused, or lost a mandate of
    this party), "deadline_passed" (the party's window closed), "party_ceased", or
    "not_next_on_list" (the pack makes the list order binding and someone else is next)."""

    code = ErrorCode.SEAT_HOLDER_REFUSED

    def __init__(self, *, candidate: str, party: str, problem: str) -> None:
        super().__init__(f"{candidate} cannot take a seat of {party}: {problem}",
                         {"candidate": candidate, "party": party, "problem": problem})
        self.candidate, self.party, self.problem = candidate, party, problem


# --- parties and lists -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Party:
    id: PartyId
    name: str
    registered_on: date
    ceased_on: date | None = None

    def exists_on(self, day: date) -> bool:
        return self.registered_on <= day and (self.ceased_on is None or day < self.ceased_on)


def tie_order(parties: Iterable[Party]) -> tuple[Party, ...]:
    """Parties registered earlier first (the `registered_earlier` tie-break); then by id."""
    return tuple(sorted(parties, key=lambda p: (p.registered_on, p.id)))


@dataclass(frozen=True, slots=True)
class ListCandidate:
    candidate: CandidateId
    is_woman: bool
    is_youth: bool
    has_disability: bool
    is_party_member: bool | None = None


@dataclass(frozen=True, slots=True)
class PartyList:
    """A party's list, in order (position 1 first)."""

    party: PartyId
    entries: tuple[ListCandidate, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for entry in self.entries:
            if entry.candidate in seen:
                raise PartyListInvalid(party=self.party, problem="duplicate", candidate=entry.candidate)
            seen.add(entry.candidate)

    @property
    def order(self) -> tuple[CandidateId, ...]:
        return tuple(e.candidate for e in self.entries)


def list_cap(pack: RulePack, seats: int) -> int | None:
    """The most names a list may have for `seats`, or None when the pack sets no (known) cap.
    Without a rounding rule the cap is the floor of the exact product (a list has whole names)."""
    if seats < 1:
        raise ValueError("seats must be >= 1")
    share = pack.rule("party_list", "max_names_over_seats_share")
    if share is None or share.is_unknown:
        return None
    rounding = pack.rule("party_list", "max_names_rounding")
    exact = seats * (1 + share.as_fraction())
    if rounding is not None and rounding.is_unknown:
        return None
    return math.ceil(exact) if rounding is not None and rounding.as_str() == "ceiling" else math.floor(exact)


def check_list(pack: RulePack, party_list: PartyList, *, seats: int, election_day: date) -> RuleReport:
    """The pack's list rules applied to `party_list` (see `eligibility.check_party_list`)."""
    if not party_list.entries:
        raise PartyListInvalid(party=party_list.party, problem="empty")
    entries = [ListEntry(candidate=e.candidate, is_woman=e.is_woman, is_youth=e.is_youth,
                         has_disability=e.has_disability, is_party_member=e.is_party_member)
               for e in party_list.entries]
    return check_party_list(pack, entries, seats=seats, election_day=election_day)


def quota_share(party_list: PartyList, groups: Sequence[str] = ("women", "youth", "disabled")) -> Fraction:
    """The share of names in the quota groups (each person once); 0 for an empty list."""
    if not party_list.entries:
        return Fraction(0)
    count = sum((("women" in groups and e.is_woman) or ("youth" in groups and e.is_youth)
                 or ("disabled" in groups and e.has_disability)) for e in party_list.entries)
    return Fraction(count, len(party_list.entries))


# --- the imperative mandate --------------------------------------------------------------------


class MandateEndReason(StrEnum):
    """The values of the pack's `mandate.terminate_on`."""

    LEFT_PARTY = "left_party"
    EXPELLED = "expelled_from_party"
    PARTY_CEASED = "party_ceased"


class VacancyPolicy(StrEnum):
    NEXT_ON_LIST = "next_on_list"
    PARTY_NOMINATES = "party_nominates_from_registered_list"


@dataclass(frozen=True, slots=True)
class Mandate:
    party: PartyId
    holder: CandidateId
    started_at: datetime
    ended_at: datetime | None = None
    end_reason: MandateEndReason | None = None

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True, slots=True)
class Seating:
    """What a vacancy fill needs to know about one party's list and everyone's mandates."""

    registered_list: tuple[CandidateId, ...]
    """The party's registered list, in list order."""
    holders: frozenset[CandidateId]
    """Everyone who holds an active mandate (of any party)."""
    unavailable: frozenset[CandidateId] = frozenset()
    """Withdrawn or refused candidates, and anyone who lost a mandate of this party."""

    def can_take(self, candidate: CandidateId) -> str | None:
        """None if `candidate` may take the party's seat, else the problem."""
        if candidate not in self.registered_list:
            return "not_on_list"
        if candidate in self.holders:
            return "holds_mandate"
        if candidate in self.unavailable:
            return "unavailable"
        return None

    def next_available(self) -> CandidateId | None:
        return next((c for c in self.registered_list if self.can_take(c) is None), None)


@dataclass(frozen=True, slots=True)
class MandateEnded:
    party: PartyId
    holder: CandidateId
    reason: MandateEndReason
    at: datetime
    ground: Ground
    """`mandate.terminate_on`, with its reference and status."""


@dataclass(frozen=True, slots=True)
class VacancyOpened:
    party: PartyId
    at: datetime
    policy: VacancyPolicy
    deadline: datetime | None
    """For `party_nominates_from_registered_list`: when the party's window closes, if the pack says."""
    ground: Ground
    """`mandate.vacancy_policy`."""


@dataclass(frozen=True, slots=True)
class MandateAwarded:
    party: PartyId
    holder: CandidateId
    at: datetime
    ground: Ground | None
    """The rule the seat passed on by (`mandate.vacancy_policy`); None for a first award after the count."""


@dataclass(frozen=True, slots=True)
class SeatLeftVacant:
    party: PartyId
    at: datetime
    outcome: str
    """The pack's `mandate.list_exhausted` (e.g. `vacant_until_next_election`)."""
    ground: Ground


MandateEvent = MandateEnded | VacancyOpened | MandateAwarded | SeatLeftVacant


@dataclass(frozen=True, slots=True)
class Vacancy:
    """An open vacancy awaiting the party's choice (from a `VacancyOpened`)."""

    party: PartyId
    opened_at: datetime
    policy: VacancyPolicy
    deadline: datetime | None


def _need(pack: RulePack, section: str, key: str) -> Rule:
    rule = pack.rule(section, key)
    if rule is None or rule.is_unknown:
        raise RulePackInvalid(pack.source, f"{section}.{key}",
                              "missing" if rule is None else "unknown, and the mandate rules need it")
    return rule


def _exhausted(pack: RulePack, party: PartyId, now: datetime) -> SeatLeftVacant:
    rule = _need(pack, "mandate", "list_exhausted")
    return SeatLeftVacant(party, now, rule.as_str(), Ground.of(rule))


def award_mandate(pack: RulePack, *, party: Party, candidate: CandidateId, seating: Seating,
                  now: datetime) -> MandateAwarded:
    """A seat the count gave the party goes to `candidate`, whom its governing body chose from
    its registered list (`counting_list.seat_holders_chosen_by`) — or, where the pack makes the
    list order binding (`counting_list.list_order_binding`), the next available name on the list.
    Raises `SeatHolderRefused`."""
    require_aware(now, "now")
    if not party.exists_on(now.date()):
        raise SeatHolderRefused(candidate=candidate, party=party.id, problem="party_ceased")
    problem = seating.can_take(candidate)
    if problem is not None:
        raise SeatHolderRefused(candidate=candidate, party=party.id, problem=problem)
    binding = pack.rule("counting_list", "list_order_binding")
    if binding is not None and not binding.is_unknown and binding.as_bool() and candidate != seating.next_available():
        raise SeatHolderRefused(candidate=candidate, party=party.id, problem="not_next_on_list")
    rule = binding if binding is not None and binding.as_bool() else pack.rule("counting_list", "seat_holders_chosen_by")
    return MandateAwarded(party.id, candidate, now, Ground.of(rule) if rule is not None else None)


def end_mandate(pack: RulePack, mandate: Mandate, reason: MandateEndReason, *, seating: Seating,
                now: datetime) -> tuple[MandateEvent, ...]:
    """End `mandate` on `reason`, open the vacancy and fill it as the pack says.

    Returns `MandateEnded`, `VacancyOpened`, then `MandateAwarded` (next on the list),
    `SeatLeftVacant` (nobody left, or the party ceased), or nothing more (the party chooses:
    `fill_vacancy`). `seating` is the party's, before the end. Raises `MandateNotActive`,
    `MandateGroundNotAllowed`, or `RulePackInvalid` when a mandate rule is missing or unknown.
    """
    require_aware(now, "now")
    if mandate.ended_at is not None:
        raise MandateNotActive(holder=mandate.holder, ended_at=mandate.ended_at)
    terminate = pack.rule("mandate", "terminate_on")
    if terminate is None or terminate.is_unknown or reason.value not in terminate.as_names():
        rule_id = terminate.id if terminate is not None else "mandate.terminate_on"
        raise MandateGroundNotAllowed(
            reason=reason.value, rule=rule_id,
            reference=terminate.reference if terminate is not None else "reference to be confirmed",
            status=terminate.status.value if terminate is not None else "unconfirmed")
    policy_rule = _need(pack, "mandate", "vacancy_policy")
    policy = VacancyPolicy(policy_rule.as_str())
    ended = MandateEnded(mandate.party, mandate.holder, reason, now, Ground.of(terminate))
    after = Seating(seating.registered_list, seating.holders - {mandate.holder},
                    seating.unavailable | {mandate.holder})
    deadline = None
    if policy is VacancyPolicy.PARTY_NOMINATES:
        days = pack.rule("counting_list", "seat_holders_within_days")
        if days is not None and not days.is_unknown:
            deadline = now + timedelta(days=days.as_int())
    opened = VacancyOpened(mandate.party, now, policy, deadline, Ground.of(policy_rule))
    nxt = after.next_available()
    if reason is MandateEndReason.PARTY_CEASED or nxt is None:
        return ended, opened, _exhausted(pack, mandate.party, now)
    if policy is VacancyPolicy.NEXT_ON_LIST:
        return ended, opened, MandateAwarded(mandate.party, nxt, now, Ground.of(policy_rule))
    return ended, opened


def party_ceased(pack: RulePack, party: PartyId, mandates: Iterable[Mandate], *, seating: Seating,
                 now: datetime) -> tuple[MandateEvent, ...]:
    """The party ceased: every active mandate of it ends, and each seat is left as
    `mandate.list_exhausted` says (the party has no list to draw from any more)."""
    events: list[MandateEvent] = []
    for mandate in mandates:
        if mandate.party == party and mandate.is_active:
            events.extend(end_mandate(pack, mandate, MandateEndReason.PARTY_CEASED, seating=seating, now=now))
    return tuple(events)


def fill_vacancy(pack: RulePack, vacancy: Vacancy, *, candidate: CandidateId, seating: Seating,
                 now: datetime) -> MandateAwarded:
    """The party names `candidate` from its registered list for an open vacancy.

    Raises `SeatHolderRefused` (not on the list, holds a mandate, unavailable, or the party's
    window has closed).
    """
    require_aware(now, "now")
    if vacancy.deadline is not None and now > vacancy.deadline:
        raise SeatHolderRefused(candidate=candidate, party=vacancy.party, problem="deadline_passed")
    problem = seating.can_take(candidate)
    if problem is not None:
        raise SeatHolderRefused(candidate=candidate, party=vacancy.party, problem=problem)
    policy_rule = _need(pack, "mandate", "vacancy_policy")
    return MandateAwarded(vacancy.party, candidate, now, Ground.of(policy_rule))
