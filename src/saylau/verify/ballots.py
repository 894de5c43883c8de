"""Ballot checks that run on workers (a process pool or a Dask cluster).

A chunk is a list of `(height, ballot bytes, weight)`; the worker verifies each ballot and
returns, per ballot, its tracker, credential and finding (if any), plus the product of the
weighted ciphertexts of the chunk's valid ballots with a known credential (weight > 0).
The same function serves both back ends, so the checks are the same everywhere.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import Any

from saylau.crypto.elgamal import Ciphertext
from saylau.record.ballot import BallotError, check_ballot, parse_ballot, tracker_of
from saylau.record.election import Election, parse_election

Chunk = list[tuple[int, bytes, int]]


@dataclass(frozen=True, slots=True)
class BallotOutcome:
    height: int
    tracker: str
    credential: str | None
    check: str | None  # finding code, None when the ballot is valid
    detail: str


@dataclass(frozen=True, slots=True)
class ChunkResult:
    outcomes: list[BallotOutcome]
    product: list[list[tuple[str, str]]] | None  # encoded (alpha, beta) per cell; None if no valid ballot
    worker: str  # host:pid of the process that did the work


_ELECTIONS: dict[bytes, Election] = {}


def _election(raw: bytes) -> Election:
    if raw not in _ELECTIONS:
        _ELECTIONS.clear()
        _ELECTIONS[raw] = parse_election(raw)
    return _ELECTIONS[raw]


def verify_chunk(election_raw: bytes, chunk: Chunk) -> ChunkResult:
    election = _election(election_raw)
    group = election.group
    outcomes = []
    acc: list[list[Ciphertext[Any]]] | None = None
    for height, raw, weight in chunk:
        where = f"ballot at height {height}"
        tracker = tracker_of(raw)
        try:
            ballot = parse_ballot(raw, election, where)
            check_ballot(ballot, election, where)
        except BallotError as exc:
            cred = None
            outcomes.append(BallotOutcome(height, tracker, cred, exc.check, str(exc)))
            continue
        outcomes.append(BallotOutcome(height, tracker, ballot.credential, None, ""))
        if weight <= 0:
            continue
        cells = [
            [c if weight == 1 else Ciphertext(group.pow(c.alpha, weight), group.pow(c.beta, weight)) for c in a.choices]
            for a in ballot.answers
        ]
        if acc is None:
            acc = cells
        else:
            acc = [[Ciphertext(group.mul(x.alpha, y.alpha), group.mul(x.beta, y.beta)) for x, y in zip(r1, r2, strict=True)]
                   for r1, r2 in zip(acc, cells, strict=True)]
    product = None if acc is None else [[(group.encode(c.alpha), group.encode(c.beta)) for c in row] for row in acc]
    return ChunkResult(outcomes, product, f"{socket.gethostname()}:{os.getpid()}")
