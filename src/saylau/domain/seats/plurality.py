"""Single winner by plurality: akims, and the single-member districts of the Mazhilis and maslikhats.

Implements kz-election-rules.md §2.4: "a candidate is elected if more voters voted for him or
her than for the other candidates"; no runoff, no turnout minimum. "Against all" (§2.6) is
reported with its share of the valid ballots but never elected, and a lead for it has no
consequence today (the CEC's position; a rule-pack parameter elsewhere), so it is only flagged.

No tie rule was found in the law (unconfirmed): a tie for first place is returned as
`Outcome.TIE` with the tied candidates, for the commission to settle as its pack says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from .common import CandidateId, check_votes, share


class Outcome(StrEnum):
    ELECTED = "elected"
    TIE = "tie"
    """Two or more candidates share the most votes: nobody is elected by the count."""
    NO_VOTES = "no_votes"
    """No candidate has a vote: nobody received more votes than the others."""


@dataclass(frozen=True, slots=True)
class CandidateResult:
    candidate: CandidateId
    votes: int
    share: Fraction
    """votes / denominator (valid ballots including "against all"); 0 if there are none."""


@dataclass(frozen=True, slots=True)
class PluralityResult:
    outcome: Outcome
    winner: CandidateId | None
    """The elected candidate (outcome ELECTED), else None."""
    tied: tuple[CandidateId, ...]
    """The candidates sharing the most votes (outcome TIE), else empty."""
    candidates: tuple[CandidateResult, ...]
    """One line per candidate, in input order."""
    against_all: int
    against_all_share: Fraction
    denominator: int
    """Valid ballots including "against all"."""
    against_all_leads: bool
    """"Against all" has at least as many votes as the best candidate (reported, no effect)."""


def allocate(votes: Mapping[CandidateId, int], *, against_all: int = 0) -> PluralityResult:
    """The candidate with the most votes, or the tie for first place.

    Requires: at least one candidate, non-negative int counts, no `AGAINST_ALL` key (pass
    that count as `against_all`). Raises `InvalidContestInput`.
    """
    check_votes(votes, against_all)
    denominator = sum(votes.values()) + against_all
    top = max(votes.values())
    first = tuple(c for c, n in votes.items() if n == top)
    winner: CandidateId | None = None
    tied: tuple[CandidateId, ...] = ()
    if top == 0:
        outcome = Outcome.NO_VOTES
    elif len(first) > 1:
        outcome, tied = Outcome.TIE, first
    else:
        outcome, winner = Outcome.ELECTED, first[0]
    return PluralityResult(
        outcome=outcome, winner=winner, tied=tied,
        candidates=tuple(CandidateResult(c, n, share(n, denominator)) for c, n in votes.items()),
        against_all=against_all, against_all_share=share(against_all, denominator),
        denominator=denominator, against_all_leads=against_all > 0 and against_all >= top,
    )

