"""Seat allocation and single-winner decisions: one module per counting method.

Each module has one `allocate(...)` function returning a frozen result dataclass that holds
everything a results protocol prints (kz-election-rules.md §2):

- `largest_remainder`: party-list PR (threshold, Hare quota over the qualifying lists,
  largest remainders) — the Mazhilis and the list tier of maslikhats;
- `plurality`: single winner by most votes — akims and single-member districts;
- `majority`: absolute majority with a top-two second round — the President;
- `mixed`: a list tier plus a district tier, composed (parallel) — maslikhats.

Failures are `saylau.domain.errors.DomainError`s with a code.
"""

from __future__ import annotations

from . import largest_remainder, majority, mixed, plurality
from .common import AGAINST_ALL, CandidateId, DistrictId, PartyId, TieBreak

__all__ = [
    "AGAINST_ALL",
    "CandidateId",
    "DistrictId",
    "PartyId",
    "TieBreak",
    "largest_remainder",
    "majority",
    "mixed",
    "plurality",
]
