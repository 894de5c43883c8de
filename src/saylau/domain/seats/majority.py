"""Absolute majority with a second round between the top two: the President.

Implements kz-election-rules.md §2.3:
- first round: elected is the candidate with **more than half** of "the votes of the voters
  who took part, minus invalid ballots", i.e. of the valid ballots *including "against
  all"* (confirmed; the 2022 result, §8.2, shows this denominator). Strictly more: exactly
  half is not a majority;
- otherwise a second round between the **two candidates with the most votes**;
- second round: the one with more votes wins;
- no turnout quorum.

When equal votes make the runoff pair (or the second-round winner) undeterminable the
result is `Outcome.TIE` with the candidates concerned: the law gives no rule (unconfirmed),
so the commission decides. A first round with a single candidate short of a majority has
no runoff to go to: `Outcome.NOT_ELECTED`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from saylau.domain.errors import InvalidContestInput

from .common import CandidateId, check_votes, share
from .plurality import CandidateResult


class Outcome(StrEnum):
    ELECTED = "elected"
    RUNOFF = "runoff"
    """No absolute majority: `runoff` holds the pair for the second round."""
    TIE = "tie"
    """Equal votes leave the runoff pair, or the second-round winner, undetermined: see `tied`."""
    NOT_ELECTED = "not_elected"
    """A single candidate without an absolute majority: no runoff is possible."""


@dataclass(frozen=True, slots=True)
class MajorityResult:
    round: int
    """1 or 2."""
    outcome: Outcome
    winner: CandidateId | None
    runoff: tuple[CandidateId, CandidateId] | None
    """The second-round pair, more votes first (outcome RUNOFF), else None."""
    tied: tuple[CandidateId, ...]
    """Outcome TIE: the candidates with equal votes competing for the undetermined place(s)."""
    candidates: tuple[CandidateResult, ...]
    """One line per candidate, in input order."""
    against_all: int
    against_all_share: Fraction
    denominator: int
    """Valid ballots including "against all" (ballots cast minus invalid ones)."""
    majority: int
    """Votes needed to be elected in round 1: denominator // 2 + 1 (more than half)."""


def allocate(
    votes: Mapping[CandidateId, int], *, against_all: int = 0, second_round: bool = False
) -> MajorityResult:
    """First round: winner by absolute majority, or the top-two pair; second round: more votes wins.

    Requires: at least one candidate (exactly two when `second_round`), non-negative int
    counts, no `AGAINST_ALL` key (pass that count as `against_all`).
    Raises `InvalidContestInput`.
    """
    check_votes(votes, against_all)
    if second_round and len(votes) != 2:
        raise InvalidContestInput("votes", sorted(votes), "exactly two candidates in the second round")
    denominator = sum(votes.values()) + against_all
    lines = tuple(CandidateResult(c, n, share(n, denominator)) for c, n in votes.items())
    ranked = sorted(votes, key=lambda c: votes[c], reverse=True)

    def result(outcome: Outcome, *, winner: CandidateId | None = None,
               runoff: tuple[CandidateId, CandidateId] | None = None,
               tied: tuple[CandidateId, ...] = ()) -> MajorityResult:
        return MajorityResult(
            round=2 if second_round else 1, outcome=outcome, winner=winner, runoff=runoff,
            tied=tied, candidates=lines, against_all=against_all,
            against_all_share=share(against_all, denominator), denominator=denominator,
            majority=denominator // 2 + 1,
        )

    first = ranked[0]
    if second_round:
        if votes[first] == votes[ranked[1]]:
            return result(Outcome.TIE, tied=tuple(ranked))
        return result(Outcome.ELECTED, winner=first)
    if 2 * votes[first] > denominator:
        return result(Outcome.ELECTED, winner=first)
    if len(ranked) == 1:
        return result(Outcome.NOT_ELECTED)
    if len(ranked) > 2 and votes[ranked[1]] == votes[ranked[2]]:
        # Who joins the leader (or, if the leader is tied too, both places) is undetermined.
        level = votes[ranked[1]]
        return result(Outcome.TIE, tied=tuple(c for c in ranked if votes[c] == level))
    return result(Outcome.RUNOFF, runoff=(first, ranked[1]))

