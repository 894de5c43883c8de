"""A precinct's ballot box: checked ballots appended to its archive and its board in batches.

The voting server casts through this instead of `workflow.cast`, which reads the whole archive
for every ballot. Here each append is O(batch): the archive's tail and the board's size are
kept in a small state file (`ballotbox.json`, one checksummed record rewritten in place: a torn
or stale record only means a recovery) beside the archive, and the writers of every server
process take turns on an exclusive `flock` of `.ballotbox.lock` in the election directory. One
batch is one group commit:

1. the board's payload files (the ballots, by hash), the archive's Ballot events (one write,
   `ArchiveWriter.add_events`) and the board's leaves (`LogStore.stage`) are written, then all
   of these files are synced at once (`store.sync_all`: one journal commit, not one per file);
2. the board commits the leaves (its commit record, synced) and signs a new checkpoint (no
   witnesses: they cosign later, `saylau board publish`);
3. each ballot's receipt is a C2SP tlog-proof of its leaf against that checkpoint.

Nothing refers to the payloads or the leaves before the commit record: if anything fails before
it, the archive is cut back to where it ended (the rest is dropped or overwritten), so nothing is
half-written. Once the leaves are on the board the ballots are cast (an append-only log cannot
take them back): a failure after that leaves the state file stale, and the next holder of the
lock recovers — it mirrors the archive onto the board (`mirror_archive`, idempotent) and reports
the ballots the caller has not recorded (`BallotBox.recovered`). The caller decides what else
must happen in the same critical section (the voting server checks replays and records rows in
its database there).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from saylau.board.errors import StoreError
from saylau.board.note import Signer, parse_skey
from saylau.board.proofs import format_tlog_proof
from saylau.board.publish import publish_checkpoint
from saylau.board.store import LogStore, sync_all

from .archive import ArchiveWriter, Event, read_events
from .ballot import tracker_of
from .boardlog import mirror_archive
from .canonical import loads_strict
from .errors import RecordError

STATE = "ballotbox.json"
STATE_SIZE = 512
"""Bytes of the state record: the SHA-256 (hex) of its JSON, the JSON, spaces up to this size."""
LOCK = ".ballotbox.lock"
BOARD = "board"
SKEY = "board-log.skey"


class BallotBoxError(RecordError):
    """The ballot box cannot append (no archive, no board, voting closed in the archive, ...)."""


@dataclass(frozen=True, slots=True)
class Appended:
    """A ballot now durably on the archive and the board."""

    tracker: str
    height: int
    """Its archive event's height."""
    index: int
    """Its board leaf."""
    receipt: str
    """C2SP tlog-proof of the leaf against the checkpoint signed for its batch."""


@dataclass(frozen=True, slots=True)
class Recovered:
    """A Ballot event found in the archive during recovery: its height, tracker and credential."""

    height: int
    tracker: str
    credential: str


@dataclass
class BallotBox:
    """One election directory (`election.json`, `<uuid>.bel`, `board/`, `board-log.skey`).

    Keep one instance per process and directory; use `append` only inside `locked()`.
    """

    path: Path
    _store: LogStore | None = None
    _writer: ArchiveWriter | None = None
    _signer: Signer | None = None
    _archive: Path | None = None
    _holding: bool = False
    _state_fd: int | None = None
    recovered: list[Recovered] = field(default_factory=list)
    """Ballots found by the last recovery (cleared by the caller once recorded)."""

    def _archive_path(self) -> Path:
        if self._archive is None:
            found = sorted(self.path.glob("*.bel"))
            if len(found) != 1:
                raise BallotBoxError(f"{self.path}: expected exactly one archive, found {len(found)}")
            self._archive = found[0]
        return self._archive

    def _log_signer(self) -> Signer:
        if self._signer is None:
            key = parse_skey((self.path / SKEY).read_text().strip())
            if not isinstance(key, Signer):
                raise BallotBoxError(f"{self.path / SKEY} is not a log signing key")
            self._signer = key
        return self._signer

    def _read_state(self) -> dict[str, object] | None:
        assert self._state_fd is not None
        raw = os.pread(self._state_fd, STATE_SIZE, 0).rstrip(b" ")
        digest, body = raw[:64], raw[64:]
        if not body or hashlib.sha256(body).hexdigest().encode() != digest:
            return None  # none yet, torn or invalidated: recover
        try:
            state = json.loads(body)
        except ValueError:
            return None
        return state if isinstance(state, dict) else None

    def _write_state(self) -> None:
        """Rewrite the record in place (no new file, no rename: this runs once per batch). Not
        synced: after a crash an older record fails the freshness check and brings a recovery."""
        assert self._writer is not None and self._store is not None and self._state_fd is not None
        body = json.dumps({"archive": list(self._writer.state), "board": self._store.size}).encode()
        record = hashlib.sha256(body).hexdigest().encode() + body
        if len(record) > STATE_SIZE:
            raise BallotBoxError(f"{self.path / STATE}: state record of {len(record)} bytes")
        os.pwrite(self._state_fd, record.ljust(STATE_SIZE, b" "), 0)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @contextmanager
    def locked(self) -> Iterator[BallotBox]:
        """Hold the directory's writer lock; the archive and board state are current inside."""
        if not (self.path / BOARD).is_dir():
            raise BallotBoxError(f"{self.path}: no board")
        with open(self.path / LOCK, "a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            self._state_fd = os.open(self.path / STATE, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                self._sync()
                self._holding = True
                yield self
            finally:
                self._holding = False
                os.close(self._state_fd)
                self._state_fd = None

    def _sync(self) -> None:
        archive = self._archive_path()
        state = self._read_state()
        board_size = state.get("board") if state else None
        if self._store is not None and self._store.size != board_size:
            try:
                self._store.refresh()  # another process appended: catch up in O(1)
            except StoreError:
                self.close()
            if self._store is not None and self._store.size != board_size:
                self.close()  # still not what the state says: reopen, with the store's recovery
        if self._store is None:
            self._store = LogStore(self.path / BOARD)
        try:
            tail = state.get("archive") if state else None
            fresh = (isinstance(tail, list) and len(tail) == 5 and isinstance(tail[0], int)
                     and archive.stat().st_size == tail[0] and self._store.size == board_size)
        except OSError as exc:
            raise BallotBoxError(f"{archive}: {exc.strerror}") from exc
        if fresh:
            assert isinstance(tail, list)
            self._writer = ArchiveWriter.restore(archive, tail)
            return
        self._recover(archive)

    def _recover(self, archive: Path) -> None:
        """First use, or a batch that died midway: bring the board up to the archive (idempotent)
        and list the archive's ballots for the caller to reconcile."""
        assert self._store is not None
        mirror_archive(archive, self._store)
        self._writer = ArchiveWriter(archive)
        found: list[Recovered] = []
        for e in read_events(archive):
            if isinstance(e, Event) and e.type == "Ballot" and e.payload is not None:
                try:
                    body = loads_strict(e.payload, "ballot")
                except RecordError:
                    body = None
                cred = body.get("credential") if isinstance(body, dict) else None
                found.append(Recovered(e.height, tracker_of(e.payload), str(cred or "")))
        self.recovered = found
        publish_checkpoint(self._store, self._log_signer(), [])
        self._write_state()

    @property
    def ballots_closed(self) -> bool:
        return self._writer is not None and self._writer.last_type not in ("Setup", "Ballot")

    def append(self, ballots: Sequence[bytes]) -> list[Appended]:
        """Append checked ballots (in order) as one group commit; return their receipts."""
        if not self._holding or self._writer is None or self._store is None:
            raise BallotBoxError("append outside locked()")
        if not ballots:
            return []
        writer, store = self._writer, self._store
        if self.ballots_closed:
            raise BallotBoxError(f"{self.path}: voting is closed in the archive (last event {writer.last_type})")
        end, first_height = writer.state[0], writer.height
        payloads = store.write_data(ballots)
        try:
            leaves = writer.add_events([("Ballot", [b]) for b in ballots], follows=("Setup", "Ballot"), sync=False)
            try:
                staged = store.stage(leaves)
                archive = os.open(writer.path, os.O_RDONLY)
                try:
                    sync_all([archive, *payloads.files, *staged.fds], payloads.directories)
                finally:
                    os.close(archive)
                indices = store.commit(staged)
            except BaseException:
                _cut(writer.path, end)  # the board does not hold them: take them back out of the archive
                self._writer = ArchiveWriter(writer.path)
                raise
        finally:
            payloads.close()
        note, _errors = publish_checkpoint(store, self._log_signer(), [])
        size = store.size
        out = [Appended(tracker_of(b), first_height + k, i, format_tlog_proof(i, store.inclusion_proof(i, size), note))
               for k, (b, i) in enumerate(zip(ballots, indices, strict=True))]
        self._write_state()
        return out

    def invalidate(self) -> None:
        """Forget the saved state: the next holder of the lock recovers (and reports the
        archive's ballots again). For a caller whose own records failed after `append`."""
        fd = os.open(self.path / STATE, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.pwrite(fd, b" " * STATE_SIZE, 0)
        finally:
            os.close(fd)

    def checkpoint(self) -> str | None:
        assert self._store is not None
        return self._store.read_checkpoint()


def _cut(archive: Path, end: int) -> None:
    with open(archive, "r+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        f.truncate(end)
        f.flush()
        os.fsync(f.fileno())
