"""What the counting methods share: contestant ids, "against all", tie-break rules, input checks.

"Against all" (kz-election-rules.md §2.6) is on every ballot since 2022. It counts as
participation and sits in every percentage denominator, but it is not a contestant: the
methods take it as a separate `against_all` count, never as a key of the votes mapping, so
that it cannot win a seat by construction. `AGAINST_ALL` is the name it goes by in files.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from fractions import Fraction
from typing import NewType, TypeVar

from saylau.domain.errors import InvalidContestInput

PartyId = NewType("PartyId", str)
"""A registered party list (or, in a district, the nominating party or association)."""
CandidateId = NewType("CandidateId", str)
"""A registered candidate in a single-winner contest."""
DistrictId = NewType("DistrictId", str)
"""A single-member district."""

Id = TypeVar("Id", bound=str)

AGAINST_ALL = "AGAINST_ALL"
"""The name of the "against all" line in files; reserved: no party or candidate may use it."""


class TieBreak(StrEnum):
    """Rule for equal remainders (party-list PR), a rule-pack parameter (§2.2).

    The 2009 text gave the seat to the list registered earlier; the current wording was not
    found (unconfirmed), hence the choice.
    """

    REGISTERED_EARLIER = "registered_earlier"
    """The list with the lower registration `order` wins; a list without one cannot be ranked."""
    MORE_VOTES = "more_votes"
    """The list with more votes wins; equal votes stay tied."""
    LOT = "lot"
    """Never decided by the count: every tie that matters needs a lot."""


def check_votes(votes: Mapping[Id, int], against_all: int, *, what: str = "votes") -> None:
    """Refuse counts that are not non-negative ints, empty or reserved ids, and no contestant.

    `bool` is refused although it is an `int`: `True` votes is a bug, not a count.
    """
    if not votes:
        raise InvalidContestInput(what, "{}", "at least one contestant")
    for key, n in votes.items():
        if not isinstance(key, str) or not key.strip():
            raise InvalidContestInput(f"{what} key", key, "a non-empty id")
        if key == AGAINST_ALL:
            raise InvalidContestInput(f"{what}[{key}]", n, "'against all' passed as against_all=, not as a contestant")
        _check_count(f"{what}[{key}]", n)
    _check_count("against_all", against_all)


def _check_count(field: str, n: object) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise InvalidContestInput(field, n, "a non-negative integer")


def share(n: int, denominator: int) -> Fraction:
    """n / denominator as an exact fraction; 0 when there is no valid ballot at all."""
    return Fraction(n, denominator) if denominator else Fraction(0)
