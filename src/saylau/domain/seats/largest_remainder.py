"""Party-list PR: threshold, Hare quota over the qualifying lists, largest remainders.

Implements kz-election-rules.md §2.2 (Art. 97-1 of the Constitutional Law "On Elections"),
in exact rational arithmetic:

1. The **denominator** of the threshold is every valid ballot *including "against all"*:
   `sum(votes) + against_all` (CEC practice, confirmed; it reproduces the published
   percentages). A list qualifies if it has at least one vote and `votes / denominator`
   compares with the threshold by the pack's comparison (`>=`, single source for the
   current law).
2. The **quota** (the "first electoral quotient") is the votes of the *qualifying lists
   only* divided by the number of seats; votes for sub-threshold lists and for "against
   all" are not part of it (confirmed).
3. Each qualifying list gets the integer part of `votes / quota`; the seats left go, one
   each, to the largest fractional parts. Equal fractional parts that straddle the last
   seat are settled by the pack's tie-break rule and recorded in `Allocation.ties`; if
   the rule cannot separate them, `LotRequired` is raised.

The repealed 7 % rule that admitted a runner-up when only one list passed is not
implemented (historic packs only). The rules do not say what happens when no list
passes: `NoListQualifies` is raised and the commission decides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from saylau.domain.errors import InvalidContestInput, LotRequired, NoListQualifies

from .common import PartyId, TieBreak, check_votes, share

DEFAULT_THRESHOLD = Fraction(5, 100)
"""5 % since the 2021 amendments (7 % before): kz-election-rules.md §2.2, confirmed."""


class Comparison(StrEnum):
    """How a list's share is compared with the threshold (a rule-pack parameter)."""

    AT_LEAST = ">="
    """"five and more percent" (single source for the current law): the default."""
    MORE_THAN = ">"


@dataclass(frozen=True, slots=True)
class ListResult:
    """One list's line of the results protocol."""

    party: PartyId
    votes: int
    share: Fraction
    """votes / denominator (valid ballots including "against all"); 0 if there are none."""
    qualifies: bool
    quotient: Fraction | None
    """votes / quota, the list's exact quota share; None for a list below the threshold."""
    full_seats: int
    """The integer part of the quotient (0 below the threshold)."""
    remainder: Fraction | None
    """quotient - full_seats; None below the threshold."""
    remainder_seat: bool
    """Whether the list got one more seat for its remainder."""
    seats: int


@dataclass(frozen=True, slots=True)
class Tie:
    """Equal remainders competing for fewer seats than there are lists: flagged in the protocol."""

    tied: tuple[PartyId, ...]
    remainder: Fraction
    places: int
    """How many of the tied lists get a remainder seat."""
    rule: TieBreak
    winners: tuple[PartyId, ...]


@dataclass(frozen=True, slots=True)
class Allocation:
    """Everything the results protocol of a party-list count prints."""

    seats: Mapping[PartyId, int]
    """Seats per list, every list present (0 included), in input order."""
    total_seats: int
    threshold: Fraction
    comparison: Comparison
    denominator: int
    """Valid ballots including "against all": the threshold's denominator."""
    against_all: int
    qualifying: tuple[PartyId, ...]
    qualifying_votes: int
    quota: Fraction
    """qualifying_votes / total_seats (the Hare quota over the qualifying lists only)."""
    remainder_seats: int
    """Seats given for remainders (total_seats minus the integer parts)."""
    lists: tuple[ListResult, ...]
    """One line per list, in input order."""
    tie_break: TieBreak
    ties: tuple[Tie, ...]


def allocate(
    votes: Mapping[PartyId, int],
    seats: int,
    *,
    against_all: int = 0,
    threshold: Fraction = DEFAULT_THRESHOLD,
    comparison: Comparison = Comparison.AT_LEAST,
    tie_break: TieBreak = TieBreak.REGISTERED_EARLIER,
    order: Mapping[PartyId, int] | None = None,
) -> Allocation:
    """Seats per party list by threshold, Hare quota over the qualifying lists, largest remainder.

    Requires: `votes` maps at least one list to a non-negative int (no `AGAINST_ALL` key:
    pass that count as `against_all`); `seats >= 1`; `0 <= threshold <= 1` as an exact
    `Fraction` (or int); `order`, if given, maps lists of `votes` to distinct registration
    ranks, lower meaning registered earlier (lists without one cannot win a
    `REGISTERED_EARLIER` tie).
    Raises `InvalidContestInput`, `NoListQualifies`, or `LotRequired`.
    """
    check_votes(votes, against_all)
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise InvalidContestInput("seats", seats, "an integer >= 1")
    if isinstance(threshold, bool) or not isinstance(threshold, Fraction | int) or not 0 <= threshold <= 1:
        raise InvalidContestInput("threshold", threshold, "an exact Fraction between 0 and 1")
    threshold = Fraction(threshold)
    ranks = _check_order(votes, order)

    denominator = sum(votes.values()) + against_all
    qualifying = tuple(p for p, n in votes.items() if _qualifies(n, denominator, threshold, comparison))
    if not qualifying:
        best = max(votes, key=lambda p: votes[p])
        raise NoListQualifies(threshold=f"{comparison.value} {threshold * 100} %", denominator=denominator,
                              best=best if votes[best] else None, best_votes=votes[best])

    qualifying_votes = sum(votes[p] for p in qualifying)
    quota = Fraction(qualifying_votes, seats)
    quotient = {p: votes[p] / quota for p in qualifying}
    full = {p: math.floor(q) for p, q in quotient.items()}
    remainder = {p: quotient[p] - full[p] for p in qualifying}
    rest = seats - sum(full.values())
    extra, ties = _remainder_seats(remainder, rest, votes, ranks, tie_break)

    won = {p: full.get(p, 0) + (p in extra) for p in votes}
    lists = tuple(
        ListResult(party=p, votes=n, share=share(n, denominator),
                   qualifies=p in quotient, quotient=quotient.get(p), full_seats=full.get(p, 0),
                   remainder=remainder.get(p), remainder_seat=p in extra, seats=won[p])
        for p, n in votes.items()
    )
    return Allocation(
        seats=MappingProxyType(won), total_seats=seats, threshold=threshold, comparison=comparison,
        denominator=denominator, against_all=against_all, qualifying=qualifying,
        qualifying_votes=qualifying_votes, quota=quota, remainder_seats=rest, lists=lists,
        tie_break=tie_break, ties=ties,
    )


def _qualifies(n: int, denominator: int, threshold: Fraction, comparison: Comparison) -> bool:
    # A list without votes never qualifies: at threshold 0 it would otherwise enter a quota of 0.
    if n == 0:
        return False
    part = Fraction(n, denominator)
    return part >= threshold if comparison is Comparison.AT_LEAST else part > threshold


def _check_order(votes: Mapping[PartyId, int], order: Mapping[PartyId, int] | None) -> Mapping[PartyId, int]:
    if order is None:
        return {}
    seen: dict[int, PartyId] = {}
    for p, rank in order.items():
        if p not in votes:
            raise InvalidContestInput(f"order[{p}]", rank, "a registration rank for a list that has votes")
        if isinstance(rank, bool) or not isinstance(rank, int):
            raise InvalidContestInput(f"order[{p}]", rank, "an integer registration rank")
        if rank in seen:
            raise InvalidContestInput(f"order[{p}]", rank, f"a rank distinct from that of {seen[rank]!r}")
        seen[rank] = p
    return order


def _remainder_seats(
    remainder: Mapping[PartyId, Fraction],
    rest: int,
    votes: Mapping[PartyId, int],
    ranks: Mapping[PartyId, int],
    rule: TieBreak,
) -> tuple[frozenset[PartyId], tuple[Tie, ...]]:
    """The `rest` lists with the largest remainders, and the tie settled at the cut, if any.

    Only equal remainders that straddle the cut matter: lists tied above it all get a seat,
    lists tied below it none. 0 <= rest < number of qualifying lists, since the remainders
    (each < 1) add up to `rest`.
    """
    if rest == 0:
        return frozenset(), ()
    ranked = sorted(remainder, key=lambda p: remainder[p], reverse=True)
    cut = remainder[ranked[rest - 1]]
    above = [p for p in ranked if remainder[p] > cut]
    level = [p for p in ranked if remainder[p] == cut]
    places = rest - len(above)
    if places == len(level):
        return frozenset(above + level), ()

    def key(p: PartyId) -> int | None:
        if rule is TieBreak.REGISTERED_EARLIER:
            return ranks.get(p)
        if rule is TieBreak.MORE_VOTES:
            return -votes[p]
        return None

    keys = {p: key(p) for p in level}
    known = {p: k for p, k in keys.items() if k is not None}
    if len(known) < len(level):
        raise LotRequired(tied=tuple(level), places=places, rule=rule.value,
                          what=f"equal remainders {cut} ({float(cut):.6f}) for {places} seat(s)"
                               + ("; some tied lists have no registration order" if rule is TieBreak.REGISTERED_EARLIER else ""))
    ordered = sorted(level, key=lambda p: known[p])
    if known[ordered[places - 1]] == known[ordered[places]]:
        still = tuple(p for p in ordered if known[p] == known[ordered[places]])
        raise LotRequired(tied=still, places=places - sum(known[p] < known[still[0]] for p in level),
                          rule=rule.value, what=f"equal remainders {cut} ({float(cut):.6f})")
    winners = tuple(ordered[:places])
    return frozenset(above + list(winners)), (Tie(tied=tuple(level), remainder=cut, places=places, rule=rule, winners=winners),)
