"""Naive reference for party-list seats: integers only, and brute force over remainder seats.

Written independently of `saylau.domain.seats.largest_remainder` and as plainly as
possible: no Fraction, no sorting by remainder. Every set of `rest` qualifying lists is
tried, and a set is a largest-remainder outcome if no list outside it has a larger
remainder than a list inside it. More than one such set means a tie, settled by the
tie-break key (lower is better) or reported as "lot".
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

LOT = "lot"
NO_LIST = "no_list"


def naive_seats(
    votes: dict[str, int],
    seats: int,
    *,
    against_all: int = 0,
    threshold: Fraction = Fraction(5, 100),
    strict: bool = False,
    tie_break: str = "registered_earlier",
    order: dict[str, int] | None = None,
) -> dict[str, int] | str:
    """Seats per list, or LOT (a tie the rule cannot break), or NO_LIST (nobody qualifies)."""
    den = sum(votes.values()) + against_all
    tn, td = threshold.numerator, threshold.denominator
    qualifying = []
    for party, v in votes.items():
        # v / den >= tn / td  <=>  v * td >= tn * den   (den > 0 whenever v > 0)
        if v > 0 and (v * td > tn * den if strict else v * td >= tn * den):
            qualifying.append(party)
    if not qualifying:
        return NO_LIST
    total = sum(votes[p] for p in qualifying)
    full = {p: votes[p] * seats // total for p in qualifying}
    rem = {p: votes[p] * seats % total for p in qualifying}  # remainder scaled by `total`
    rest = seats - sum(full.values())

    valid = []
    for chosen in combinations(qualifying, rest):
        inside = [rem[p] for p in chosen]
        outside = [rem[p] for p in qualifying if p not in chosen]
        if not inside or not outside or min(inside) >= max(outside):
            valid.append(set(chosen))
    if len(valid) > 1:
        contested = set().union(*valid) - set.intersection(*valid)

        def key(p: str) -> int | None:
            if tie_break == "registered_earlier":
                return (order or {}).get(p)
            if tie_break == "more_votes":
                return -votes[p]
            return None

        if any(key(p) is None for p in contested):
            return LOT
        scored = sorted((sorted(key(p) for p in s), i) for i, s in enumerate(valid))  # type: ignore[type-var]
        if scored[0][0] == scored[1][0]:
            return LOT
        valid = [valid[scored[0][1]]]
    winners = valid[0]
    return {p: full.get(p, 0) + (1 if p in winners else 0) for p in votes}
