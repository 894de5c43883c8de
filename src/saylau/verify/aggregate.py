"""Checking an aggregate level end to end: its parts, the product, the decryptions, the result."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from saylau.crypto.decryption import (
    NotEnoughShares,
    check_result,
    combine,
    verify_partial_decryption,
)
from saylau.crypto.errors import CryptoError
from saylau.crypto.proofs import ProofItem
from saylau.crypto.trustees import verify_trustees
from saylau.record.aggregate import (
    Aggregate,
    AggregateError,
    Part,
    combine_parts,
    parse_aggregate,
    parse_tally,
    questions_key,
)
from saylau.record.archive import Event
from saylau.record.canonical import dumpb, loads_strict
from saylau.record.directory import open_record
from saylau.record.election import parse_election
from saylau.record.errors import RecordError

from .report import Report
from .runners import Runner
from .verifier import TALLY_CHECKS, verify_record


def part_from_archive(path: Path, report: Report, runner: Runner | None = None) -> Part | None:
    """A verified precinct election as an aggregate part (None, with findings, if it fails)."""
    sub = verify_record(path, runner=runner, progress=False)
    bad = [f for f in sub.findings if f.check.startswith(TALLY_CHECKS)]
    for f in bad:
        report.add(f.check, f"{path.name}: {f.subject}", f.detail)
    if bad:
        return None
    events, _ = open_record(path)
    election_raw = trustees_raw = tally_raw = b""
    num = weight = 0
    for ev in events:
        if not isinstance(ev, Event) or ev.payload is None:
            continue
        if ev.type == "Setup":
            setup = json.loads(ev.payload)
            election_raw, trustees_raw = ev.linked[setup["election"]], ev.linked[setup["trustees"]]
        elif ev.type == "EncryptedTally":
            sized = json.loads(ev.payload)
            tally_raw, num, weight = ev.linked[sized["encrypted_tally"]], int(sized["num_tallied"]), int(sized["total_weight"])
    if not tally_raw:
        report.add("aggregate.part", path.name, "the election has no encrypted tally yet")
        return None
    election = parse_election(election_raw)
    from saylau.record.canonical import sha256_hex

    return Part(election.uuid, questions_key(election_raw), election.group, election.group.encode(election.public_key),
                dumpb(json.loads(trustees_raw)), parse_tally(election.group, tally_raw, path.name), sha256_hex(tally_raw),
                num, weight)


def load_part(path: Path, report: Report, runner: Runner | None = None) -> Part | None:
    if path.suffix == ".json" and path.is_file():
        return parse_aggregate(path.read_bytes().rstrip(b"\n")).as_part()
    return part_from_archive(path, report, runner)


def verify_aggregate(aggregate_path: Path, parts: Sequence[Path], decryptions: Sequence[Path] = (),
                     result_path: Path | None = None, runner: Runner | None = None) -> Report:
    """Every check of an aggregate level; findings carry `aggregate.*` codes."""
    report = Report()
    try:
        agg = parse_aggregate(aggregate_path.read_bytes().rstrip(b"\n"))
    except (RecordError, CryptoError, OSError) as exc:
        report.add("aggregate.malformed", str(aggregate_path), str(exc))
        return report
    report.stats["aggregate"] = f"{agg.level}: {len(agg.parts)} part(s), {agg.num_tallied} ballots, fingerprint {agg.fingerprint}"
    loaded = [load_part(p, report, runner) for p in parts]
    if all(p is not None for p in loaded):
        try:
            expected = combine_parts(agg.level, [p for p in loaded if p is not None])
        except AggregateError as exc:
            report.add("aggregate.parts", str(exc.where), exc.reason)
        else:
            if expected != agg.raw:
                report.add("aggregate.mismatch", str(aggregate_path), "the aggregate is not the product of the given parts")
    check_decryptions(agg, decryptions, result_path, report)
    return report


def check_decryptions(agg: Aggregate, decryptions: Sequence[Path], result_path: Path | None, report: Report) -> None:
    if not decryptions and result_path is None:
        return
    g = agg.group
    try:
        keys = verify_trustees(g, agg.trustees)
    except (CryptoError, RecordError) as exc:
        report.add("aggregate.trustees", "aggregate", str(exc))
        return
    shares: dict[int, list[list[Any]]] = {}
    for path in decryptions:
        try:
            d = loads_strict(path.read_bytes(), path.name)
            assert isinstance(d, dict)
            owner = int(d["owner"])
            factors = [[g.parse(f, field="factor") for f in row] for row in d["decryption_factors"]]
            proofs = [[ProofItem(g.parse_scalar(p["challenge"], field="challenge"), g.parse_scalar(p["response"], field="response"))
                       for p in row] for row in d["decryption_proofs"]]
            if owner not in keys.keys:
                raise AggregateError(path.name, f"trustee {owner} does not exist")
            verify_partial_decryption(g, agg.fingerprint, keys.keys[owner], agg.tally, factors, proofs)
        except (RecordError, CryptoError, KeyError, TypeError, ValueError, AssertionError) as exc:
            report.add("aggregate.decryption", path.name, str(exc) or type(exc).__name__)
            continue
        shares.setdefault(owner, factors)
    if result_path is None:
        return
    try:
        result = json.loads(result_path.read_text())["result"]
        combined = combine(g, keys.items, shares, [len(r) for r in agg.tally])
    except NotEnoughShares as exc:
        report.add("aggregate.not_enough", "aggregate", str(exc))
        return
    except (ValueError, KeyError, TypeError, OSError) as exc:
        report.add("aggregate.result", str(result_path), f"malformed result: {exc}")
        return
    report.result = result
    for qi, ai in check_result(g, agg.tally, combined, result):
        report.add("aggregate.result", str(result_path), f"question {qi + 1}, slot {ai}: {result[qi][ai]} does not decrypt the aggregate")

