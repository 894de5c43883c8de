"""What a question of an election decides, and the outcome derived from its counts.

A `ContestSpec` says how one question of a Belenios election is counted under the law:
the electoral system (`plurality`, `majority`, `party-list`), which answer (if any) is the
"against all" line, and — for party lists — the number of seats, the threshold and the
lists' registration order. It is logged on the board as a Saylau event when the election
is set up, so that anyone can re-derive the outcome (the winner, the second-round pair, the
seat allocation) from the verified result alone and compare it with the published one.

Both the spec and the outcome have a canonical JSON form (`to_json` / `spec_from_json`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .errors import DomainError, ErrorCode
from .seats import largest_remainder, majority, plurality
from .seats.common import CandidateId, PartyId

SYSTEMS = ("plurality", "majority", "party-list")


class InvalidContest(DomainError):
    """A contest specification that cannot be applied; names the field."""

    code = ErrorCode.INVALID_CONTEST_INPUT

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"contest.{field}: {reason}", {"field": field, "reason": reason})
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ContestSpec:
    question: int
    """Index of the question in the Belenios election."""
    system: str
    """`plurality` (akims, single-member districts), `majority` (President), `party-list`."""
    against_all: str | None = None
    """The answer that is the "against all" line: valid, counted in denominators, never elected."""
    seats: int = 1
    threshold: Fraction = Fraction(5, 100)
    """Party list: share of all valid ballots (including "against all") a list needs."""

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"saylau": "contest", "question": self.question, "system": self.system}
        if self.against_all is not None:
            out["against_all"] = self.against_all
        if self.system == "party-list":
            out["seats"] = self.seats
            out["threshold"] = f"{self.threshold.numerator}/{self.threshold.denominator}"
        return out


def spec_from_json(value: object) -> ContestSpec:
    if not isinstance(value, dict) or value.get("saylau") != "contest":
        raise InvalidContest("saylau", "not a contest event")
    allowed = {"saylau", "question", "system", "against_all", "seats", "threshold"}
    unknown = set(value) - allowed
    if unknown:
        raise InvalidContest(sorted(unknown)[0], "unknown field")
    system = value.get("system")
    if system not in SYSTEMS:
        raise InvalidContest("system", f"{system!r} is not one of {', '.join(SYSTEMS)}")
    question = value.get("question")
    if not isinstance(question, int) or isinstance(question, bool) or question < 0:
        raise InvalidContest("question", "expected a non-negative integer")
    against_all = value.get("against_all")
    if against_all is not None and not isinstance(against_all, str):
        raise InvalidContest("against_all", "expected the text of an answer")
    seats = value.get("seats", 1)
    if not isinstance(seats, int) or isinstance(seats, bool) or seats < 1:
        raise InvalidContest("seats", "expected a positive integer")
    threshold_text = value.get("threshold", "5/100")
    try:
        threshold = Fraction(str(threshold_text))
    except (ValueError, ZeroDivisionError):
        raise InvalidContest("threshold", f"{threshold_text!r} is not a fraction") from None
    if not 0 <= threshold < 1:
        raise InvalidContest("threshold", "must be in [0, 1)")
    return ContestSpec(question, str(system), against_all, seats, threshold)


def derive_outcome(spec: ContestSpec, answers: Sequence[str], counts: Sequence[int], *, blank: bool = False) -> dict[str, object]:
    """The outcome of `spec` for one question's counts (blank count first when `blank`)."""
    if blank:
        counts = counts[1:]
    if len(counts) != len(answers):
        raise InvalidContest("question", f"{len(counts)} counts for {len(answers)} answers")
    if spec.against_all is not None and spec.against_all not in answers:
        raise InvalidContest("against_all", f"{spec.against_all!r} is not an answer of the question")
    against = 0
    votes: dict[str, int] = {}
    for answer, n in zip(answers, counts, strict=True):
        if answer == spec.against_all:
            against = n
        else:
            votes[answer] = n
    if spec.system == "plurality":
        p = plurality.allocate({CandidateId(k): v for k, v in votes.items()}, against_all=against)
        return {"saylau": "outcome", "question": spec.question, "system": spec.system,
                "outcome": str(p.outcome), "winner": p.winner, "tied": list(p.tied)}
    if spec.system == "majority":
        m = majority.allocate({CandidateId(k): v for k, v in votes.items()}, against_all=against)
        return {"saylau": "outcome", "question": spec.question, "system": spec.system,
                "outcome": str(m.outcome), "winner": m.winner,
                "runoff": list(m.runoff) if m.runoff else None, "tied": list(m.tied)}
    order: Mapping[PartyId, int] = {PartyId(k): i for i, k in enumerate(votes)}
    a = largest_remainder.allocate({PartyId(k): v for k, v in votes.items()}, spec.seats, against_all=against,
                                   threshold=spec.threshold, order=order)
    return {"saylau": "outcome", "question": spec.question, "system": spec.system,
            "seats": {str(k): v for k, v in a.seats.items()}}
