"""Witnesses (C2SP tlog-witness v1.0.0, bulletin-board doc §6) and split-view evidence.

A witness cosigns a log's checkpoint only after verifying that it is consistent with the
last checkpoint it cosigned for that origin; it keeps only that latest checkpoint, and its
check-and-store is atomic (an exclusive lock on its state directory), so a smaller
checkpoint can never roll back a larger one.

When the log contradicts itself — two different roots for one size, a consistency proof
that fails, a smaller tree after a bigger one — the witness refuses and keeps a printable
`evidence` text: both signed checkpoints, and the proof the log offered. Anyone holding the
log's public key can check the two signatures, so the log cannot deny having signed both.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import merkle
from .errors import InvalidNote, InvalidProof, Misbehaviour, WitnessRefusal
from .note import Checkpoint, Cosigner, Verifier, cosign, open_checkpoint, parse_note

Clock = Callable[[], int]


def system_clock() -> int:
    return int(time.time())


def evidence_text(reason: str, first: str, second: str, proof: Sequence[bytes] = ()) -> str:
    """A self-contained, printable proof of misbehaviour."""
    lines = [
        "saylau misbehaviour evidence v1",
        f"reason: {reason}",
        "",
        "-- checkpoint A (signed by the log) --",
        first.rstrip("\n"),
        "",
        "-- checkpoint B (signed by the log) --",
        second.rstrip("\n"),
    ]
    if proof:
        lines += ["", "-- consistency proof offered by the log (it fails) --"]
        lines += [base64.b64encode(h).decode() for h in proof]
    return "\n".join(lines) + "\n"


def parse_add_checkpoint(body: str) -> tuple[int, list[bytes], str]:
    """Split an add-checkpoint request body into (old size, proof, checkpoint note)."""
    head, sep, note = body.partition("\n\n")
    lines = head.split("\n")
    if not sep or not lines[0].startswith("old "):
        raise WitnessRefusal(400, "body must start with 'old <size>', proof lines, an empty line, then the checkpoint")
    size_text = lines[0][4:]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise WitnessRefusal(400, f"old size {size_text[:20]!r} is not a decimal number")
    if len(lines) - 1 > 63:
        raise WitnessRefusal(400, "more than 63 consistency proof lines")
    proof = []
    for i, line in enumerate(lines[1:]):
        try:
            h = base64.b64decode(line, validate=True)
        except (binascii.Error, ValueError):
            raise WitnessRefusal(400, f"consistency proof line {i + 1} is not Base64") from None
        if len(h) != merkle.HASH_SIZE:
            raise WitnessRefusal(400, f"consistency proof line {i + 1} is {len(h)} bytes, expected 32")
        proof.append(h)
    return int(size_text), proof, note


def format_add_checkpoint(old_size: int, proof: Sequence[bytes], note: str) -> str:
    return f"old {old_size}\n" + "".join(base64.b64encode(h).decode() + "\n" for h in proof) + "\n" + note


@dataclass
class Witness:
    """A witness: its cosigning key, the logs it follows (origin → log keys), its state."""

    cosigner: Cosigner
    logs: dict[str, list[Verifier]]
    state_dir: Path
    clock: Clock = system_clock

    def __post_init__(self) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)

    def _path(self, origin: str) -> Path:
        return self.state_dir / f"{hashlib.sha256(origin.encode()).hexdigest()[:32]}.checkpoint"

    @contextmanager
    def _locked(self) -> Iterator[None]:
        fd = os.open(self.state_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def latest(self, origin: str) -> tuple[Checkpoint, str] | None:
        """The checkpoint this witness last cosigned for `origin`, with its note."""
        p = self._path(origin)
        if not p.exists():
            return None
        note = p.read_text()
        return _open_with_any(note, self.logs[origin]), note

    def _store(self, origin: str, note: str) -> None:
        p = self._path(origin)
        tmp = p.with_suffix(".tmp")
        with open(tmp, "w") as f:
            f.write(note)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
        dfd = os.open(self.state_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)

    def _record(self, evidence: str) -> Path:
        p = self.state_dir / f"misbehaviour-{self.clock()}-{hashlib.sha256(evidence.encode()).hexdigest()[:8]}.txt"
        p.write_text(evidence)
        return p

    def add_checkpoint(self, body: str) -> str:
        """Handle a tlog-witness `add-checkpoint` request; return the cosignature line(s).

        Raises WitnessRefusal with the protocol's status (and body for 409).
        """
        old_size, proof, note = parse_add_checkpoint(body)
        try:
            text = parse_note(note).text
        except InvalidNote as exc:
            raise WitnessRefusal(400, f"malformed checkpoint: {exc}") from None
        origin = text.split("\n", 1)[0]
        if origin not in self.logs:
            raise WitnessRefusal(404, f"unknown log origin {origin[:80]!r}")
        try:
            new = _open_with_any(note, self.logs[origin])
        except InvalidNote as exc:
            raise WitnessRefusal(403, f"no trusted log signature verifies: {exc}") from None
        if old_size > new.size:
            raise WitnessRefusal(400, f"old size {old_size} is larger than the checkpoint size {new.size}")
        with self._locked():
            held = self.latest(origin)
            stored_size = held[0].size if held else 0
            if old_size != stored_size:
                raise WitnessRefusal(409, f"old size {old_size} is not the last cosigned size {stored_size}",
                                     f"{stored_size}\n")
            if held is not None:
                last, last_note = held
                if new.size == last.size:
                    if new.root_hash != last.root_hash:
                        ev = evidence_text("two different roots for the same tree size", last_note, note)
                        self._record(ev)
                        raise WitnessRefusal(409, "the log signed a different root for the same size (split view)", ev)
                    if proof:
                        raise WitnessRefusal(422, "equal sizes need an empty consistency proof")
                else:
                    try:
                        merkle.verify_consistency(last.size, new.size, proof, last.root_hash, new.root_hash)
                    except InvalidProof as exc:
                        ev = evidence_text(f"the new checkpoint is not consistent with the last cosigned one: {exc}",
                                           last_note, note, proof)
                        self._record(ev)
                        raise WitnessRefusal(422, f"consistency proof fails: {exc}", ev) from None
            elif proof:
                raise WitnessRefusal(422, "a first checkpoint (old size 0) needs an empty consistency proof")
            line = cosign(text, self.cosigner, self.clock())
            self._store(origin, note)
        return line

    def follow(self, note: str, consistency: Callable[[int, int], list[bytes]]) -> str:
        """Follow a log directly (not pushed): cosign `note` if consistent with what we hold.

        `consistency(m, n)` fetches a proof from the log. Raises Misbehaviour with the
        evidence on a fork, a rewritten history or a rollback.
        """
        text = parse_note(note).text
        origin = text.split("\n", 1)[0]
        if origin not in self.logs:
            raise WitnessRefusal(404, f"not configured to follow {origin[:80]!r}")
        new = _open_with_any(note, self.logs[origin])
        held = self.latest(origin)
        if held is not None and new.size < held[0].size:
            ev = evidence_text(f"the log now shows a smaller tree ({new.size}) than one it signed before ({held[0].size})",
                               held[1], note)
            self._record(ev)
            raise Misbehaviour("rollback: the log shows a smaller tree than the one already cosigned", ev)
        old = held[0].size if held else 0
        proof = consistency(old, new.size) if 0 < old < new.size else []
        try:
            return self.add_checkpoint(format_add_checkpoint(old, proof, note))
        except WitnessRefusal as exc:
            if exc.status in (409, 422) and exc.body.startswith("saylau misbehaviour evidence"):
                raise Misbehaviour(str(exc), exc.body) from None
            raise


def _open_with_any(note: str, verifiers: Sequence[Verifier]) -> Checkpoint:
    errors = []
    for v in verifiers:
        try:
            return open_checkpoint(note, v)
        except InvalidNote as exc:
            errors.append(str(exc))
    raise InvalidNote("; ".join(errors) or "no log key configured")


def detect_split_view(held_note: str, other_note: str, log_key: Verifier,
                      consistency: Callable[[int, int], list[bytes]] | None = None) -> None:
    """A client holding a (cosigned) checkpoint checks another one from the same log.

    Raises Misbehaviour with evidence if the two cannot both be honest: same size with
    different roots, or a consistency proof (fetched with `consistency`) that fails.
    """
    a, b = open_checkpoint(held_note, log_key), open_checkpoint(other_note, log_key)
    if a.origin != b.origin:
        raise InvalidNote("the two checkpoints are for different logs")
    if a.size == b.size:
        if a.root_hash != b.root_hash:
            raise Misbehaviour("split view: two roots for one tree size", evidence_text("two different roots for the same tree size", held_note, other_note))
        return
    small, big = (a, b) if a.size < b.size else (b, a)
    small_note, big_note = (held_note, other_note) if a.size < b.size else (other_note, held_note)
    if small.size == 0 or consistency is None:
        return
    proof = consistency(small.size, big.size)
    try:
        merkle.verify_consistency(small.size, big.size, proof, small.root_hash, big.root_hash)
    except InvalidProof as exc:
        raise Misbehaviour(f"split view: {exc}", evidence_text(f"inconsistent checkpoints: {exc}", small_note, big_note, proof)) from None
