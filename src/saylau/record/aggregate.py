"""Aggregating precinct tallies upward: precinct → district → region → country (README, design notes).

Every precinct (or group of small precincts) is its own Belenios election, all under the
same trustees' key and the same questions. A level's encrypted tally is the cell-by-cell
product of its parts' encrypted tallies, so it encrypts the sum of their counts. An
*aggregate* record says which parts it combines (each part's uuid or aggregate
fingerprint and the hash of its tally), repeats the shared trustees and questions, and
holds the product. Its fingerprint `φ = b64(SHA256(bytes))` binds the trustees'
partial decryptions (`decrypt|φ|X|`), exactly as an election's fingerprint does, so each
level's result is verified by the same checks as a precinct's.

Parts may be Belenios archives (checked by the verifier first) or aggregates themselves.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from saylau.crypto.elgamal import Ciphertext, multiply

from .canonical import b64_sha256, dumpb, loads_strict, sha256_hex
from .election import AnyGroup, parse_election
from .errors import MalformedRecord


class AggregateError(MalformedRecord):
    """Parts that cannot be combined, or an aggregate that does not match its parts."""


@dataclass(frozen=True, slots=True)
class Part:
    """One input of an aggregate, as read from a verified archive or an aggregate."""

    name: str  # the election uuid, or "aggregate:<fingerprint>"
    election_template: bytes  # canonical JSON of the questions (what must be identical)
    group: AnyGroup
    public_key: str
    trustees: bytes
    tally: list[list[Ciphertext[Any]]]
    tally_hash: str
    num_tallied: int
    total_weight: int


def questions_key(election_raw: bytes) -> bytes:
    """The part of the election parameters that must be identical across parts."""
    d = json.loads(election_raw)
    return dumpb({"group": d["group"], "public_key": d["public_key"], "questions": d["questions"]})


def tally_json(group: AnyGroup, tally: Sequence[Sequence[Ciphertext[Any]]]) -> bytes:
    return dumpb([[{"alpha": group.encode(c.alpha), "beta": group.encode(c.beta)} for c in row] for row in tally])


def parse_tally(group: AnyGroup, raw: bytes, where: str) -> list[list[Ciphertext[Any]]]:
    rows = loads_strict(raw, where)
    if not isinstance(rows, list):
        raise AggregateError(where, "expected a list of rows")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            raise AggregateError(f"{where}[{i}]", "expected a list")
        out.append([Ciphertext(group.parse(c.get("alpha") if isinstance(c, dict) else None, field=f"{where}[{i}][{j}].alpha"),
                               group.parse(c.get("beta") if isinstance(c, dict) else None, field=f"{where}[{i}][{j}].beta"))
                    for j, c in enumerate(row)])
    return out


def combine_parts(level: str, parts: Sequence[Part]) -> bytes:
    """The aggregate record (bytes) of `parts`; refuses parts that do not share key and questions."""
    if not parts:
        raise AggregateError("parts", "an aggregate needs at least one part")
    first = parts[0]
    names = set()
    for p in parts:
        if p.name in names:
            raise AggregateError("parts", f"{p.name} is included twice")
        names.add(p.name)
        if p.election_template != first.election_template:
            raise AggregateError(p.name, "its questions, group or election key differ from the first part's")
        if p.trustees != first.trustees:
            raise AggregateError(p.name, "its trustees differ from the first part's")
    g = first.group
    total = first.tally
    for p in parts[1:]:
        total = [[multiply(g, a, b) for a, b in zip(r1, r2, strict=True)] for r1, r2 in zip(total, p.tally, strict=True)]
    record = {
        "saylau": "aggregate",
        "level": level,
        "election": json.loads(first.election_template),
        "trustees": json.loads(first.trustees),
        "parts": [{"name": p.name, "encrypted_tally": p.tally_hash, "num_tallied": p.num_tallied,
                   "total_weight": p.total_weight} for p in parts],
        "num_tallied": sum(p.num_tallied for p in parts),
        "total_weight": sum(p.total_weight for p in parts),
        "encrypted_tally": json.loads(tally_json(g, total)),
    }
    return dumpb(record)


@dataclass(frozen=True, slots=True)
class Aggregate:
    raw: bytes
    level: str
    group: AnyGroup
    trustees: object
    parts: list[dict[str, object]]
    num_tallied: int
    total_weight: int
    tally: list[list[Ciphertext[Any]]]
    election_template: bytes

    @property
    def fingerprint(self) -> str:
        return b64_sha256(self.raw)

    def as_part(self) -> Part:
        return Part(f"aggregate:{self.fingerprint}", self.election_template, self.group,
                    str(json.loads(self.election_template)["public_key"]), dumpb(self.trustees), self.tally,
                    sha256_hex(tally_json(self.group, self.tally)), self.num_tallied, self.total_weight)


def parse_aggregate(raw: bytes) -> Aggregate:
    d = loads_strict(raw, "aggregate")
    if not isinstance(d, dict) or d.get("saylau") != "aggregate":
        raise AggregateError("aggregate", "not an aggregate record")
    template = dumpb(d.get("election"))
    try:
        fake = dict(d["election"], version=1, description="", name="", uuid="AggregateTa11y")
        election = parse_election(dumpb({k: fake[k] for k in ("version", "description", "name", "group", "public_key", "questions", "uuid")}))
    except (KeyError, TypeError) as exc:
        raise AggregateError("aggregate.election", "missing group, public_key or questions") from exc
    g = election.group
    tally = parse_tally(g, dumpb(d.get("encrypted_tally")), "aggregate.encrypted_tally")
    if [len(r) for r in tally] != [q.shape.slots for q in election.questions]:
        raise AggregateError("aggregate.encrypted_tally", "does not have the shape of the questions")
    parts = d.get("parts")
    if not isinstance(parts, list) or not parts:
        raise AggregateError("aggregate.parts", "expected a non-empty list")
    num, weight = d.get("num_tallied"), d.get("total_weight")
    if not isinstance(num, int) or not isinstance(weight, int):
        raise AggregateError("aggregate", "num_tallied and total_weight must be integers")
    return Aggregate(raw, str(d.get("level")), g, d.get("trustees"), parts, num, weight, tally, template)
