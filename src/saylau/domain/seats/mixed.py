"""Mixed parallel system: a party-list tier plus a single-member-district tier (maslikhats).

Implements kz-election-rules.md §2.1: the maslikhats of oblasts, cities of republican
significance and the capital elect half their seats by party lists (the same threshold and
method as the Mazhilis: `largest_remainder`) and half in single-member districts by
plurality (`plurality`, §2.4). The system is **parallel**, not compensatory: the two tiers
are counted independently and a party's total is simply its list seats plus the districts
its nominees won. (The Mazhilis 2023–2026 uses the same composition.) The split between the
tiers is the pack's business: this module takes the list seats and the districts as given.

A district whose count does not elect anyone (a tie, or no votes) is reported in
`undecided`; its seat is in no party's total until the commission settles it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from saylau.domain.errors import InvalidContestInput

from . import largest_remainder, plurality
from .common import CandidateId, DistrictId, PartyId, TieBreak


@dataclass(frozen=True, slots=True)
class DistrictVotes:
    """One district's count: votes per candidate and who nominated each candidate."""

    votes: Mapping[CandidateId, int]
    against_all: int = 0
    nominated_by: Mapping[CandidateId, PartyId] = field(default_factory=dict)
    """The nominating party or public association; a candidate absent here is self-nominated."""


@dataclass(frozen=True, slots=True)
class MixedResult:
    list_tier: largest_remainder.Allocation
    districts: Mapping[DistrictId, plurality.PluralityResult]
    """Each district's result, in input order."""
    district_seats: Mapping[PartyId, int]
    """District seats won by each nominating party (parties with 0 included if on the list tier)."""
    seats: Mapping[PartyId, int]
    """List seats + district seats per party: every list party and every winning nominator."""
    self_nominated: Mapping[DistrictId, CandidateId]
    """Districts won by self-nominated candidates."""
    undecided: tuple[DistrictId, ...]
    """Districts whose count elected nobody (tie or no votes): the commission decides."""
    total_seats: int
    """List seats + number of districts."""


def allocate(
    list_votes: Mapping[PartyId, int],
    list_seats: int,
    districts: Mapping[DistrictId, DistrictVotes],
    *,
    list_against_all: int = 0,
    threshold: Fraction = largest_remainder.DEFAULT_THRESHOLD,
    comparison: largest_remainder.Comparison = largest_remainder.Comparison.AT_LEAST,
    tie_break: TieBreak = TieBreak.REGISTERED_EARLIER,
    order: Mapping[PartyId, int] | None = None,
) -> MixedResult:
    """Both tiers counted independently and composed into seats per party.

    Requires: the preconditions of `largest_remainder.allocate` for the list tier (the
    keyword arguments are passed to it) and of `plurality.allocate` for each district;
    at least one district; `nominated_by` only names candidates of its district.
    Raises `InvalidContestInput`, `NoListQualifies`, or `LotRequired` (list tier only).
    """
    if not districts:
        raise InvalidContestInput("districts", "{}", "at least one single-member district")
    for d, dv in districts.items():
        for c in dv.nominated_by:
            if c not in dv.votes:
                raise InvalidContestInput(f"districts[{d}].nominated_by[{c}]", c,
                                          "a candidate standing in that district")
    list_tier = largest_remainder.allocate(
        list_votes, list_seats, against_all=list_against_all, threshold=threshold,
        comparison=comparison, tie_break=tie_break, order=order,
    )
    results = {d: plurality.allocate(dv.votes, against_all=dv.against_all) for d, dv in districts.items()}

    district_seats: dict[PartyId, int] = dict.fromkeys(list_votes, 0)
    self_nominated: dict[DistrictId, CandidateId] = {}
    undecided: list[DistrictId] = []
    for d, r in results.items():
        if r.winner is None:
            undecided.append(d)
        elif (party := districts[d].nominated_by.get(r.winner)) is None:
            self_nominated[d] = r.winner
        else:
            district_seats[party] = district_seats.get(party, 0) + 1
    seats = {p: list_tier.seats.get(p, 0) + n for p, n in district_seats.items()}
    return MixedResult(
        list_tier=list_tier, districts=MappingProxyType(results),
        district_seats=MappingProxyType(district_seats), seats=MappingProxyType(seats),
        self_nominated=MappingProxyType(self_nominated), undecided=tuple(undecided),
        total_seats=list_seats + len(districts),
    )
