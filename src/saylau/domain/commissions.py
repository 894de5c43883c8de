"""Election commissions: the tree (CEC → territorial → district → precinct), members' roles
and terms, and which elections a commission's members may act on (kz-election-rules.md §4).

Plain Python: the web layer stores commissions and memberships as rows and asks this module
what they allow. Territory is given as *chains* of unit ids, a unit first and then its
ancestors up to the region (`("saraishyk", "makhambet", "atyrau")`); a nationwide election
has the empty chain.

Decisions recorded here (taken by the project, not read in the law):

- **Scope.** The CEC covers every election, nationwide ones included. A territorial
  (region) or district commission covers, for *decisions* (candidates, registration, stage
  changes), the elections whose territory is its own territory or lies below it; it does
  not take decisions on a nationwide election or on one whose territory lies above or
  beside its own. For *operations* (`decision=False`: the roll, the precincts, the polling
  day) it may act on any election held in its territory's precincts: a nationwide
  election, or one whose territory overlaps its own (contains it or lies within it). A
  precinct commission never takes decisions; it may act on operations of the elections
  held in its precinct (nationwide, or whose territory contains the precinct).
- **Terms.** A membership counts from `start` until `end` (the term's end, if set) or
  `revoked_at` (ended early), whichever comes first; it loses its scope at that instant.
  Scope is always evaluated at a given `now`.
- **Advisory vote.** A party without a member on a territorial commission may delegate a
  representative with an advisory vote (§4). Such representatives are members of the
  commission's workspace (they read it) but may not act: no decisions, no operations.
- **Who forms which commission** is not settled in the sources (§4, **unconfirmed**: one
  consolidated text has the CEC form the territorial and Mazhilis okrug commissions and the
  territorial commissions form the maslikhat okrug and precinct commissions; the CEC's own
  page says maslikhats form them). This module models it as: *a parent commission forms
  its child commissions*, and the child's territory must lie within the parent's
  (`check_commission`) — reference to be confirmed. Commission sizes are unconfirmed (§4):
  no size is enforced. The okrug (single-member district) commissions of the SMD tier are
  not a level of their own yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from saylau.domain.election import require_aware
from saylau.domain.errors import InvalidCommission, InvalidMembership


class CommissionLevel(StrEnum):
    CEC = "cec"
    TERRITORIAL = "territorial"
    """The territorial commission of a region (oblast, city of republican significance, capital)."""
    DISTRICT = "district"
    """The territorial commission of a district, a city of regional significance or a city district."""
    PRECINCT = "precinct"


class MemberRole(StrEnum):
    CHAIR = "chair"
    DEPUTY_CHAIR = "deputy_chair"
    SECRETARY = "secretary"
    MEMBER = "member"
    ADVISORY = "advisory"
    """A party's representative with an advisory vote (§4): reads the workspace, never acts."""


ACTING_ROLES = frozenset({MemberRole.CHAIR, MemberRole.DEPUTY_CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER})
"""The roles with a deciding vote: only these may act on an election."""

UNIT_LEVEL: dict[CommissionLevel, str | None] = {
    CommissionLevel.CEC: None,
    CommissionLevel.TERRITORIAL: "region",
    CommissionLevel.DISTRICT: "district",
    CommissionLevel.PRECINCT: None,
}
"""The level of the territorial unit a commission of each level is attached to (a precinct
commission is attached to a precinct instead)."""

PARENT_LEVEL: dict[CommissionLevel, frozenset[CommissionLevel]] = {
    CommissionLevel.CEC: frozenset(),
    CommissionLevel.TERRITORIAL: frozenset({CommissionLevel.CEC}),
    CommissionLevel.DISTRICT: frozenset({CommissionLevel.TERRITORIAL}),
    CommissionLevel.PRECINCT: frozenset({CommissionLevel.DISTRICT, CommissionLevel.CEC}),
}
"""Which commission forms (is the parent of) a commission of each level: the CEC forms the
territorial commissions, a territorial commission the district ones, a district commission
its precinct commissions (the CEC those abroad). Reference to be confirmed (§4)."""


@dataclass(frozen=True, slots=True)
class Term:
    """A membership's period: from `start` until `end` or `revoked_at`, whichever is first."""

    start: datetime
    end: datetime | None = None
    revoked_at: datetime | None = None

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
        if self.end is not None:
            require_aware(self.end, "end")
            if self.end <= self.start:
                raise InvalidMembership("end", "the term must end after it starts")
        if self.revoked_at is not None:
            require_aware(self.revoked_at, "revoked_at")

    def active_at(self, now: datetime) -> bool:
        require_aware(now, "now")
        if now < self.start:
            return False
        return all(stop is None or now < stop for stop in (self.end, self.revoked_at))


def may_act(role: MemberRole, term: Term, now: datetime) -> bool:
    """Whether a member in `role` with `term` may act at all at `now` (scope aside)."""
    return role in ACTING_ROLES and term.active_at(now)


def check_commission(*, code: str, level: CommissionLevel, unit_level: str | None, has_precinct: bool,
                     parent_level: CommissionLevel | None, parent_chain: Sequence[str] | None,
                     chain: Sequence[str]) -> None:
    """Check a commission before it is created. Raises `InvalidCommission` naming the field.

    `unit_level` is the level of its territorial unit ("region", "district", "locality"; None
    without one), `chain` its territory chain (for a precinct commission, the precinct's
    unit's chain; empty for the CEC or a precinct abroad), `parent_level` and `parent_chain`
    those of the commission that forms it (None without a parent).
    """
    if level is CommissionLevel.CEC:
        if unit_level is not None or has_precinct:
            raise InvalidCommission(code, "territory", "the CEC covers the whole country: no territory")
        if parent_level is not None:
            raise InvalidCommission(code, "parent", "the CEC has no parent commission")
        return
    if level is CommissionLevel.PRECINCT:
        if not has_precinct:
            raise InvalidCommission(code, "precinct", "a precinct commission needs its precinct")
        if unit_level is not None:
            raise InvalidCommission(code, "territory", "a precinct commission takes its precinct's territory")
    else:
        if has_precinct:
            raise InvalidCommission(code, "precinct", "only a precinct commission has a precinct")
        if unit_level != UNIT_LEVEL[level]:
            raise InvalidCommission(code, "territory", f"a {level.value} commission needs a unit of level "
                                    f"{UNIT_LEVEL[level]!r}, got {unit_level!r}")
    if parent_level is None or parent_chain is None:
        raise InvalidCommission(code, "parent", "every commission but the CEC is formed by a parent commission")
    if parent_level not in PARENT_LEVEL[level]:
        raise InvalidCommission(code, "parent", f"a {level.value} commission is not formed by a "
                                f"{parent_level.value} commission")
    if parent_level is not CommissionLevel.CEC and (not parent_chain or parent_chain[0] not in chain):
        raise InvalidCommission(code, "parent", "the territory lies outside the parent commission's territory")


def covers(level: CommissionLevel, chain: Sequence[str], election_chain: Sequence[str], *,
           decision: bool = True) -> bool:
    """Whether a commission of `level` whose territory chain is `chain` covers an election
    whose territory chain is `election_chain` (empty: nationwide). See the module docstring."""
    if level is CommissionLevel.CEC:
        return True
    if level is CommissionLevel.PRECINCT:
        if decision:
            return False
        return not election_chain or election_chain[0] in chain
    if not chain:
        return False  # a territorial commission without a territory covers nothing
    own = chain[0]
    if decision:
        return own in election_chain
    return not election_chain or own in election_chain or election_chain[0] in chain


def within(chain: Sequence[str], area: Sequence[str]) -> bool:
    """Whether the unit of `chain` lies in the unit of `area` (or is it); the empty `area` is
    the whole country, which contains every unit."""
    return not area or area[0] in chain
