"""Re-check a whole election record end to end (protocol doc §10).

Streaming: events are read one at a time; ballots go in chunks to a runner (inline, a
process pool, or Dask) with a bounded window; the last-ballot-per-credential rule and the
tracker set and the list of superseded ballots live in `SpillMap`s that move to disk when
large; superseded ballots are re-read by their offset at the end to divide them out of the
tally. Every failed check becomes a `Finding`; only a record that cannot be opened at all
raises. All per-run state lives in `_State`, so concurrent verifications do not interfere.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saylau.crypto.decryption import (
    NotEnoughShares,
    check_result,
    combine,
    verify_partial_decryption,
)
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.errors import CryptoError
from saylau.crypto.proofs import ProofItem
from saylau.crypto.trustees import TrusteeKeys, verify_trustees
from saylau.record.archive import LAYOUT, Event, Header, read_data_at
from saylau.record.ballot import parse_ballot
from saylau.record.canonical import dumpb, loads_strict, sha256_hex
from saylau.record.directory import open_record
from saylau.record.election import Election, parse_election
from saylau.record.errors import ArchiveError, MalformedRecord, RecordError
from saylau.record.fields import integer, lst, obj, string

from .ballots import Chunk
from .errors import UnreadableRecord
from .index import SpillMap
from .report import Report
from .runners import InlineRunner, Runner

CHUNK = 32
# Finding codes about the ballots and the encrypted tally (not its decryption or result):
# what must be clean before anyone decrypts or aggregates a tally.
TALLY_CHECKS = ("archive.", "setup.", "ballot.", "event.", "tally.")
_CRED = re.compile(rb'"credential":"([^"\\]*)"')


@dataclass
class _State:
    report: Report
    source: Path
    election: Election | None = None
    trustees: TrusteeKeys[Any] | None = None
    credentials: dict[str, int] = field(default_factory=dict)
    end_ballots: bool = False
    tally_events: list[Event] = field(default_factory=list)
    pd_events: list[Event] = field(default_factory=list)
    result_events: list[Event] = field(default_factory=list)
    ballots_seen: int = 0
    after_setup: list[Event] = field(default_factory=list)
    locations: dict[int, tuple[int, int]] = field(default_factory=dict)  # height -> (offset, size) of ballots in flight


def verify_record(path: str | os.PathLike[str], *, runner: Runner | None = None, progress: bool | None = None,
                  index_limit: int = 200_000) -> Report:
    """Verify the archive or directory at `path`; never raises on bad content."""
    report = Report()
    try:
        events, source = open_record(Path(path))
    except (RecordError, OSError) as exc:
        raise UnreadableRecord(str(exc)) from exc
    state = _State(report, source)
    runner = runner or InlineRunner()
    last = SpillMap(index_limit)  # credential -> "height offset size weight"
    trackers = SpillMap(index_limit)  # tracker -> height
    superseded = SpillMap(index_limit)  # height -> "offset size weight" of ballots a re-vote replaced
    counted_weight = 0
    products: list[list[list[tuple[str, str]]]] = []
    workers: set[str] = set()
    bar = _progress(progress, source)
    try:
        stream = _guarded(events, report)
        for item in stream:
            if _handle(state, item):
                break
        if state.election is None:
            report.add("setup.missing", "archive", "no valid Setup event: nothing else can be checked")
            for _ in stream:
                pass
            return report
        election = state.election
        for result in runner.run(election.raw, _chunks(state, stream)):
            workers.add(result.worker)
            if result.product is not None:
                products.append(result.product)
                if len(products) >= 64:
                    products = [_multiply_encoded(election, products)]
            for out in result.outcomes:
                bar.update(1)
                subject = f"ballot {out.tracker} (event {out.height})"
                if out.check is not None:
                    report.add(out.check, subject, out.detail)
                    continue
                if trackers.get(out.tracker) is not None:
                    report.add("ballot.duplicate", subject, f"the same ballot was already cast at event {trackers.get(out.tracker)}")
                trackers.set(out.tracker, str(out.height))
                assert out.credential is not None
                weight = state.credentials.get(out.credential)
                if weight is None:
                    report.add("ballot.unknown_credential", subject, f"credential {out.credential[:16]}… is not in the election's credential list")
                    continue
                loc = state.locations.pop(out.height, None)
                if loc is None:
                    continue
                previous = last.get(out.credential)
                if previous is None:
                    counted_weight += weight
                else:
                    h, off, size, w = previous.split()
                    superseded.set(h, f"{off} {size} {w}")
                last.set(out.credential, f"{out.height} {loc[0]} {loc[1]} {weight}")
        bar.close()
        report.stats["ballots in the record"] = state.ballots_seen
        report.stats["ballots counted (last per credential)"] = len(last)
        report.stats["re-votes superseded"] = len(superseded)
        report.stats["checked by"] = f"{len(workers)} worker process(es)"
        if last.on_disk or trackers.on_disk or superseded.on_disk:
            report.notes.append("the re-vote index spilled to an on-disk SQLite file")
        report.stats["workers"] = sorted(workers)
        tally = _recompute_tally(state, products, superseded)
        _check_tally(state, tally, len(last), counted_weight)
        _check_decryptions(state, tally)
    except ArchiveError as exc:
        report.add("archive.unreadable", "archive", str(exc))
    finally:
        bar.close()
        last.close()
        trackers.close()
        superseded.close()
    return report


def _guarded(events: Iterator[Header | Event], report: Report) -> Iterator[Header | Event]:
    """Pass events through, turning a damaged container into a finding at the point it breaks."""
    try:
        yield from events
    except ArchiveError as exc:
        report.add("archive.truncated", "archive", str(exc))


def _handle(state: _State, item: Header | Event) -> bool:
    """Handle one non-ballot item before the ballots; return True once Setup is done."""
    report = state.report
    if isinstance(item, Header):
        for p in item.problems:
            code, detail = _problem_code(p, "archive.header")
            report.add(code, "BELENIOS", detail)
        return False
    _structure(state, item)
    if item.type == "Setup":
        _setup(state, item)
        return state.election is not None
    if item.type != "(archive)":
        report.add("event.order", f"event {item.height}", f"{item.type} before the Setup event")
    return False


def _problem_code(problem: str, default: str) -> tuple[str, str]:
    """The finding code of a reader problem, and its text."""
    if problem.startswith(LAYOUT):
        return "archive.layout", problem[len(LAYOUT):]
    if problem.startswith("unknown event type"):
        return "archive.unknown_event", problem
    return default, problem


def _structure(state: _State, ev: Event) -> None:
    for p in ev.problems:
        code, detail = _problem_code(p, "archive.structure")
        state.report.add(code, f"event {ev.height}" if ev.height >= 0 else "archive", detail)


def _setup(state: _State, ev: Event) -> None:
    report = state.report
    subject = f"event {ev.height} (Setup)"
    if ev.payload is None:
        return
    try:
        setup = obj(loads_strict(ev.payload, "setup_data"), "setup_data", ("election", "trustees", "credentials"))
        refs = {k: string(setup[k], f"setup_data.{k}") for k in ("election", "trustees", "credentials")}
        missing = [k for k, h in refs.items() if h not in ev.linked]
        if missing:
            report.add("setup.missing_data", subject, f"setup data points at missing {missing}")
            return
        election = parse_election(ev.linked[refs["election"]], "election")
    except MalformedRecord as exc:
        report.add("setup.election", subject, str(exc))
        return
    try:
        trustees = verify_trustees(election.group, loads_strict(ev.linked[refs["trustees"]], "trustees"))
        if trustees.election_key != election.public_key:
            report.add("setup.public_key", subject, "the election's public_key is not the product of the trustees' keys")
        state.trustees = trustees
    except (CryptoError, MalformedRecord) as exc:
        report.add("setup.trustees", subject, str(exc))
    try:
        state.credentials = _parse_credentials(election, ev.linked[refs["credentials"]])
    except (CryptoError, MalformedRecord) as exc:
        report.add("setup.credentials", subject, str(exc))
    state.election = election
    state.report.questions = [(q.text, list(q.answers), q.blank) for q in election.questions]
    report.stats["election"] = f"{election.name} ({election.uuid}, {election.group.name})"
    report.stats["fingerprint"] = election.fingerprint
    report.stats["credentials"] = len(state.credentials)


def _parse_credentials(election: Election, raw: bytes) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, entry in enumerate(lst(loads_strict(raw, "credentials"), "credentials")):
        where = f"credentials[{i}]"
        text = string(entry, where)
        cred, _, weight_text = text.partition(",")
        election.group.parse(cred, field=where)
        weight = 1
        if weight_text:
            if not weight_text.isdigit() or weight_text != str(int(weight_text)) or int(weight_text) < 1:
                raise MalformedRecord(where, f"weight {weight_text!r} is not a positive integer")
            weight = int(weight_text)
        if cred in out:
            raise MalformedRecord(where, "the same public credential appears twice")
        out[cred] = weight
    return out


def _chunks(state: _State, stream: Iterator[Header | Event]) -> Iterator[Chunk]:
    report = state.report
    chunk: Chunk = []
    for item in stream:
        if isinstance(item, Header):
            continue
        _structure(state, item)
        subject = f"event {item.height} ({item.type})"
        if item.type == "Ballot":
            state.ballots_seen += 1
            if state.end_ballots:
                report.add("event.order", subject, "ballot after EndBallots")
            if item.payload is None:
                continue
            m = _CRED.search(item.payload)
            weight = state.credentials.get(m.group(1).decode("utf-8", "replace")) if m else None
            if weight is not None and item.payload_offset is not None:
                state.locations[item.height] = (item.payload_offset, len(item.payload))
            chunk.append((item.height, item.payload, weight or 0))
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
        elif item.type == "EndBallots":
            if state.end_ballots:
                report.add("event.order", subject, "a second EndBallots")
            state.end_ballots = True
        elif item.type == "EncryptedTally":
            state.tally_events.append(item)
        elif item.type == "PartialDecryption":
            state.pd_events.append(item)
        elif item.type == "Result":
            state.result_events.append(item)
        elif item.type == "Setup":
            report.add("event.order", subject, "a second Setup event")
    if chunk:
        yield chunk


def _multiply_encoded(election: Election, products: list[list[list[tuple[str, str]]]]) -> list[list[tuple[str, str]]]:
    g = election.group
    acc = [[(g.identity, g.identity) for _ in row] for row in products[0]]
    for prod in products:
        acc = [[(g.mul(a, g.parse(x, field="tally")), g.mul(b, g.parse(y, field="tally"))) for (a, b), (x, y) in zip(r0, r1, strict=True)]
               for r0, r1 in zip(acc, prod, strict=True)]
    return [[(g.encode(a), g.encode(b)) for a, b in row] for row in acc]


def _recompute_tally(state: _State, products: list[list[list[tuple[str, str]]]], superseded: SpillMap) -> list[list[Ciphertext[Any]]]:
    election = state.election
    assert election is not None
    g = election.group
    shape = [q.shape.slots for q in election.questions]
    cells = [[(g.identity, g.identity) for _ in range(n)] for n in shape]
    if products:
        merged = _multiply_encoded(election, products)
        cells = [[(g.parse(a, field="tally"), g.parse(b, field="tally")) for a, b in row] for row in merged]
    for height, value in superseded.iter_items():
        off, size, weight = map(int, value.split())
        ballot = parse_ballot(read_data_at(state.source, off, size), election, f"ballot at height {height}")
        for qi, ans in enumerate(ballot.answers):
            for ai, ct in enumerate(ans.choices):
                a, b = cells[qi][ai]
                if weight == 1:
                    cells[qi][ai] = (g.div(a, ct.alpha), g.div(b, ct.beta))
                else:
                    cells[qi][ai] = (g.div(a, g.pow(ct.alpha, weight)), g.div(b, g.pow(ct.beta, weight)))
    return [[Ciphertext(a, b) for a, b in row] for row in cells]


def _check_tally(state: _State, tally: list[list[Ciphertext[Any]]], num: int, weight: int) -> None:
    report = state.report
    election = state.election
    assert election is not None
    g = election.group
    if not state.tally_events:
        report.add("tally.missing", "archive", "no EncryptedTally event")
        return
    ev = state.tally_events[0]
    subject = f"event {ev.height} (EncryptedTally)"
    if len(state.tally_events) > 1:
        report.add("event.order", subject, "more than one EncryptedTally")
    if not state.end_ballots:
        report.add("event.order", subject, "EncryptedTally without EndBallots")
    if ev.payload is None:
        return
    try:
        sized = obj(loads_strict(ev.payload, "sized_encrypted_tally"), "sized_encrypted_tally", ("num_tallied", "total_weight", "encrypted_tally"))
        n = integer(sized["num_tallied"], "num_tallied")
        w = integer(sized["total_weight"], "total_weight")
        h = string(sized["encrypted_tally"], "encrypted_tally")
        if n != num:
            report.add("tally.num_tallied", subject, f"num_tallied is {n}, but {num} ballots count")
        if w != weight:
            report.add("tally.total_weight", subject, f"total_weight is {w}, but the counted weight is {weight}")
        if h not in ev.linked:
            return
        expected = dumpb([[{"alpha": g.encode(c.alpha), "beta": g.encode(c.beta)} for c in row] for row in tally])
        if ev.linked[h] != expected:
            report.add("tally.mismatch", subject, f"the encrypted tally {h[:16]}… is not the product of the counted ballots (expected {sha256_hex(expected)[:16]}…)")
    except MalformedRecord as exc:
        report.add("tally.malformed", subject, str(exc))


def _parse_pd(state: _State, ev: Event) -> tuple[int, list[list[Any]], list[list[ProofItem]]]:
    election = state.election
    assert election is not None
    g = election.group
    owned = obj(loads_strict(ev.payload or b"", "owned_partial_decryption"), "owned_partial_decryption", ("owner", "payload"))
    owner = integer(owned["owner"], "owner", 1)
    h = string(owned["payload"], "payload")
    if h not in ev.linked:
        raise MalformedRecord("owned_partial_decryption.payload", "points at missing data")
    pd = obj(loads_strict(ev.linked[h], "partial_decryption"), "partial_decryption", ("decryption_factors", "decryption_proofs"))
    factors = [[g.parse(f, field=f"decryption_factors[{i}][{j}]") for j, f in enumerate(lst(row, "decryption_factors"))]
               for i, row in enumerate(lst(pd["decryption_factors"], "decryption_factors"))]
    proofs = []
    for i, row in enumerate(lst(pd["decryption_proofs"], "decryption_proofs")):
        prow = []
        for j, p in enumerate(lst(row, "decryption_proofs")):
            d = obj(p, f"decryption_proofs[{i}][{j}]", ("challenge", "response"))
            prow.append(ProofItem(g.parse_scalar(d["challenge"], field=f"decryption_proofs[{i}][{j}].challenge"),
                                  g.parse_scalar(d["response"], field=f"decryption_proofs[{i}][{j}].response")))
        proofs.append(prow)
    return owner, factors, proofs


def _check_decryptions(state: _State, tally: list[list[Ciphertext[Any]]]) -> None:
    report = state.report
    election = state.election
    assert election is not None
    g = election.group
    shares: dict[int, list[list[Any]]] = {}
    for ev in state.pd_events:
        subject = f"event {ev.height} (PartialDecryption)"
        try:
            owner, factors, proofs = _parse_pd(state, ev)
        except (MalformedRecord, CryptoError) as exc:
            report.add("decryption.malformed", subject, str(exc))
            continue
        if state.trustees is None or owner not in state.trustees.keys:
            report.add("decryption.unknown_trustee", subject, f"trustee {owner} does not exist")
            continue
        if owner in shares:
            report.add("decryption.duplicate", subject, f"trustee {owner} decrypted twice")
            continue
        try:
            verify_partial_decryption(g, election.fingerprint, state.trustees.keys[owner], tally, factors, proofs)
        except CryptoError as exc:
            report.add("decryption.proof", f"{subject}, trustee {owner}", str(exc))
            continue
        shares[owner] = factors
    if not state.result_events:
        report.add("result.missing", "archive", "no Result event")
        return
    ev = state.result_events[-1]
    subject = f"event {ev.height} (Result)"
    try:
        res = obj(loads_strict(ev.payload or b"", "result"), "result", ("result",))
        rows = lst(res["result"], "result", len(tally))
        result = [[integer(x, f"result[{i}][{j}]") for j, x in enumerate(lst(row, f"result[{i}]", len(tally[i])))] for i, row in enumerate(rows)]
    except MalformedRecord as exc:
        report.add("result.malformed", subject, str(exc))
        return
    report.result = result
    if state.trustees is None:
        return
    try:
        combined = combine(g, state.trustees.items, shares, [len(r) for r in tally])
    except NotEnoughShares as exc:
        report.add("decryption.not_enough", subject, str(exc))
        return
    bad = check_result(g, tally, combined, result)
    for qi, ai in bad:
        report.add("result.mismatch", subject, f"question {qi + 1}, answer slot {ai}: {result[qi][ai]} does not decrypt the tally")


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(progress: bool | None, source: Path) -> Any:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(unit="ballot", desc=f"verifying {source.name}", file=sys.stderr, smoothing=0.1)

