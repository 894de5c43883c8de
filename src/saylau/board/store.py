"""The log's durable, file-backed store (bulletin-board doc §2 "Storage").

A log directory holds:

- `entries.bin` — the leaves: per entry `u32 length ‖ u32 CRC-32 ‖ bytes`;
- `index.bin`   — per entry the `u64` offset of its record in `entries.bin`;
- `level-<L>.bin` — the hashes of the complete subtrees at level L, 32 bytes each, in order
  (level 0: the leaf hashes);
- `checkpoint`  — the latest signed checkpoint (replaced atomically);
- `data/<sha256 hex>` — large payloads stored by hash beside the log.

**Durability contract.** `append` returns only after every byte of the batch is on stable
storage: the files are written, then `fdatasync`ed (and the directory `fsync`ed when a
file was created), then the batch's commit record is written to `commits.bin` and synced.
A crash can therefore only leave a *torn tail* of an unacknowledged batch. (`stage` and
`commit` split `append` so that a caller can sync the batch's files together with its own,
in parallel: `sync_all`.) `open` recovers: it walks back from the end to the last complete,
checksummed record whose leaf hash matches, truncates every file to that size, and rebuilds
missing interior nodes. A partial entry is never served.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import _sync as _native
from . import merkle
from .errors import StoreError

MAX_ENTRY = 65_535  # tlog-tiles entry bundles use a 16-bit length prefix
_REC = struct.Struct(">II")
_OFF = struct.Struct(">Q")
_COMMIT = struct.Struct(">QI")  # committed tree size, CRC-32 of those 8 bytes


def _commit_record(size: int) -> bytes:
    raw = _OFF.pack(size)
    return raw + struct.pack(">I", zlib.crc32(raw))


def last_commit(fd: int) -> tuple[int, int]:
    """The last committed size in `commits.bin` and where its record ends (torn records ignored)."""
    end = os.fstat(fd).st_size // _COMMIT.size * _COMMIT.size
    while end > 0:
        raw = os.pread(fd, _COMMIT.size, end - _COMMIT.size)
        size, crc = _COMMIT.unpack(raw)
        if zlib.crc32(raw[:8]) == crc:
            return size, end
        end -= _COMMIT.size
    return 0, 0


HEX_DIGITS = frozenset("0123456789abcdef")


def read_payload(directory: Path, h: str) -> bytes:
    """A payload stored by hash in `directory`, checked against its hash."""
    p = directory / h
    if len(h) != 64 or not set(h) <= HEX_DIGITS or not p.is_file():
        raise StoreError(f"no payload with hash {h!r}")
    data = p.read_bytes()
    if hashlib.sha256(data).hexdigest() != h:
        raise StoreError(f"payload {h} is damaged")
    return data


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync(fd: int) -> None:
    os.fdatasync(fd)


def sync_all(files: Sequence[int], directories: Sequence[int] = ()) -> None:
    """`fdatasync` every one of `files` and `fsync` every one of `directories`, in parallel (one
    native thread each, the GIL released once: `_sync.c`): the file system commits them together,
    one journal commit rather than one each. Returns once all are synced; raises `OSError`."""
    _native.sync_all(list(files), list(directories))


@dataclass(frozen=True, slots=True)
class Staged:
    """A batch written to the log's files but not yet synced nor committed (`LogStore.stage`)."""

    first: int
    size: int
    entries_end: int
    fds: tuple[int, ...]
    """The files the batch wrote: sync them (with `sync_all`) before `LogStore.commit`."""


@dataclass
class NewPayloads:
    """Payloads written to `data/` by `LogStore.write_data`, not yet synced: `files` and
    `directories` (the data directory, when a name was added) must be synced (`sync_all`)
    before a leaf refers to them; then `close`."""

    hashes: list[str]
    files: list[int]
    directories: list[int]

    def close(self) -> None:
        for fd in self.files + self.directories:
            os.close(fd)
        self.files, self.directories = [], []


class LogStore:
    """An append-only Merkle log on disk; a `merkle.NodeSource`."""

    def __init__(self, path: str | os.PathLike[str], *, create: bool = False) -> None:
        self.path = Path(path)
        if create:
            new_dir = not self.path.exists()
            self.path.mkdir(parents=True, exist_ok=True)
            (self.path / "data").mkdir(exist_ok=True)
            if new_dir:
                fsync_dir(self.path.parent)
        if not (self.path / "entries.bin").exists() and not create:
            raise StoreError(f"{self.path}: not a log (no entries.bin)")
        created = False
        self._fds: dict[str, int] = {}
        for name in ("entries.bin", "index.bin", "level-0.bin", "commits.bin"):
            created |= self._open_file(name)
        if created:
            fsync_dir(self.path)
        self.size = 0
        self._entries_end = 0
        self._recover()

    # ------------------------------------------------------------------------------ files

    def _open_file(self, name: str) -> bool:
        p = self.path / name
        existed = p.exists()
        self._fds[name] = os.open(p, os.O_RDWR | os.O_CREAT, 0o644)
        return not existed

    def _fd(self, name: str) -> int:
        if name not in self._fds:
            if self._open_file(name):
                fsync_dir(self.path)
        return self._fds[name]

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    def __enter__(self) -> LogStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --------------------------------------------------------------------------- recovery

    def _file_len(self, name: str) -> int:
        return os.fstat(self._fd(name)).st_size

    def _record_at(self, offset: int, limit: int) -> bytes | None:
        """The entry whose record starts at `offset`, or None if torn/corrupt."""
        if offset + _REC.size > limit:
            return None
        head = os.pread(self._fd("entries.bin"), _REC.size, offset)
        length, crc = _REC.unpack(head)
        if length > MAX_ENTRY or offset + _REC.size + length > limit:
            return None
        data = os.pread(self._fd("entries.bin"), length, offset + _REC.size)
        if len(data) != length or zlib.crc32(data) != crc:
            return None
        return data

    def _recover(self) -> None:
        n, self._commits_end = last_commit(self._fd("commits.bin"))
        os.ftruncate(self._fd("commits.bin"), self._commits_end)
        entries_len = self._file_len("entries.bin")
        if n > min(self._file_len("index.bin") // _OFF.size, self._file_len("level-0.bin") // merkle.HASH_SIZE):
            raise StoreError(f"{self.path}: {n} entries were committed but the files hold fewer: storage is damaged")
        if n:
            off = _OFF.unpack(os.pread(self._fd("index.bin"), _OFF.size, (n - 1) * _OFF.size))[0]
            data = self._record_at(off, entries_len)
            if data is None or self._read_node(0, n - 1) != merkle.leaf_hash(data):
                raise StoreError(f"{self.path}: committed entry {n - 1} is damaged")
            self._entries_end = off + _REC.size + len(data)
        else:
            self._entries_end = 0
        self.size = n  # anything after the last commit was never acknowledged: dropped
        os.ftruncate(self._fd("entries.bin"), self._entries_end)
        os.ftruncate(self._fd("index.bin"), n * _OFF.size)
        level = 0
        while True:
            count = n >> level
            name = f"level-{level}.bin"
            if count == 0 and not (self.path / name).exists():
                break
            fd = self._fd(name)
            have = os.fstat(fd).st_size // merkle.HASH_SIZE
            if have > count:
                os.ftruncate(fd, count * merkle.HASH_SIZE)
                have = count
            if have < count:  # rebuild interior nodes lost with the torn tail
                assert level > 0
                hashes = b""
                for i in range(have, count):
                    hashes += merkle.node_hash(self._read_node(level - 1, 2 * i), self._read_node(level - 1, 2 * i + 1))
                os.pwrite(fd, hashes, have * merkle.HASH_SIZE)
            if count == 0:
                break
            level += 1
        self._sync_all()

    # ------------------------------------------------------------------------------ reads

    def _read_node(self, level: int, index: int) -> bytes:
        h = os.pread(self._fd(f"level-{level}.bin"), merkle.HASH_SIZE, index * merkle.HASH_SIZE)
        if len(h) != merkle.HASH_SIZE:
            raise StoreError(f"node ({level}, {index}) is missing")
        return h

    def node(self, level: int, index: int) -> bytes:
        if (index + 1) << level > self.size:
            raise StoreError(f"node ({level}, {index}) is beyond the tree of size {self.size}")
        return self._read_node(level, index)

    def entry(self, index: int) -> bytes:
        if not 0 <= index < self.size:
            raise StoreError(f"entry {index} is not in the log (size {self.size})")
        off = _OFF.unpack(os.pread(self._fd("index.bin"), _OFF.size, index * _OFF.size))[0]
        data = self._record_at(off, self._entries_end)
        if data is None:
            raise StoreError(f"entry {index} is damaged")
        return data

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        for i in range(start, self.size if end is None else end):
            yield self.entry(i)

    def root(self, size: int | None = None) -> bytes:
        return merkle.root(self, self.size if size is None else size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return merkle.inclusion_proof(self, index, self.size if size is None else size)

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        return merkle.consistency_proof(self, size1, self.size if size2 is None else size2)

    # ----------------------------------------------------------------------------- writes

    def append(self, entries: Sequence[bytes]) -> list[int]:
        """Durably append a batch; return the indices only once it is synced."""
        staged = self.stage(entries)
        sync_all(staged.fds)  # only the files this batch wrote
        return self.commit(staged)

    def stage(self, entries: Sequence[bytes]) -> Staged:
        """Write a batch after the committed tree, unsynced and invisible until `commit` (a crash
        or a later `stage` drops or overwrites it)."""
        for i, e in enumerate(entries):
            if len(e) > MAX_ENTRY:
                raise StoreError(f"entry {i} of the batch is {len(e)} bytes, above {MAX_ENTRY}; log large payloads by hash")
        first = self.size
        records = bytearray()
        offsets = bytearray()
        new_nodes: dict[int, bytearray] = {}
        pending: dict[tuple[int, int], bytes] = {}
        pos = self._entries_end
        for k, e in enumerate(entries):
            records += _REC.pack(len(e), zlib.crc32(e)) + e
            offsets += _OFF.pack(pos)
            pos += _REC.size + len(e)
            index = first + k
            level, i, h = 0, index, merkle.leaf_hash(e)
            while True:
                new_nodes.setdefault(level, bytearray()).extend(h)
                pending[(level, i)] = h
                if i % 2 == 0:
                    break
                left = pending.get((level, i - 1)) or self._read_node(level, i - 1)
                h = merkle.node_hash(left, h)
                level, i = level + 1, i // 2
        os.pwrite(self._fd("entries.bin"), bytes(records), self._entries_end)
        os.pwrite(self._fd("index.bin"), bytes(offsets), first * _OFF.size)
        written = [self._fd("entries.bin"), self._fd("index.bin")]
        for level, hashes in new_nodes.items():
            start = first >> level  # the nodes a batch completes at a level are contiguous
            written.append(self._fd(f"level-{level}.bin"))
            os.pwrite(written[-1], bytes(hashes), start * merkle.HASH_SIZE)
        return Staged(first, first + len(entries), pos, tuple(written))

    def commit(self, staged: Staged) -> list[int]:
        """Record a staged batch's new size (its own sync): call it only once the batch's files
        are on stable storage. Returns the batch's indices."""
        if staged.first != self.size:
            raise StoreError(f"{self.path}: a batch staged at {staged.first} cannot commit at {self.size}")
        os.pwrite(self._fd("commits.bin"), _commit_record(staged.size), self._commits_end)
        _sync(self._fd("commits.bin"))
        self._commits_end += _COMMIT.size
        self.size = staged.size
        self._entries_end = staged.entries_end
        return list(range(staged.first, self.size))

    def refresh(self) -> None:
        """Catch up with batches another process committed to this log (O(1): the last commit
        record and the last entry's header), without the recovery `open` does."""
        n, commits_end = last_commit(self._fd("commits.bin"))
        if (n, commits_end) == (self.size, self._commits_end):
            return
        if n < self.size:
            raise StoreError(f"{self.path}: the log shrank from {self.size} to {n} entries")
        end = 0
        if n:
            off = _OFF.unpack(os.pread(self._fd("index.bin"), _OFF.size, (n - 1) * _OFF.size))[0]
            data = self._record_at(off, self._file_len("entries.bin"))
            if data is None or self._read_node(0, n - 1) != merkle.leaf_hash(data):
                raise StoreError(f"{self.path}: committed entry {n - 1} is damaged")
            end = off + _REC.size + len(data)
        self.size, self._commits_end, self._entries_end = n, commits_end, end

    def _sync_all(self) -> None:
        for fd in self._fds.values():
            _sync(fd)

    # ----------------------------------------------------------------- payloads, checkpoint

    def put_data(self, data: bytes) -> str:
        """Store a large payload by its SHA-256, durably; return the hex hash (`put_data_many`)."""
        return self.put_data_many([data])[0]

    def put_data_many(self, payloads: Sequence[bytes]) -> list[str]:
        """`put_data` for a batch: `write_data`, then every file and the directory synced at once."""
        new = self.write_data(payloads)
        try:
            sync_all(new.files, new.directories)
        finally:
            new.close()
        return new.hashes

    def write_data(self, payloads: Sequence[bytes]) -> NewPayloads:
        """Write each payload that is not already stored intact straight to `data/<sha256>`, and
        leave the syncing to the caller (`NewPayloads`). No leaf refers to a payload before it is
        synced, and a payload file is named by its hash: one torn by a crash is found damaged
        (`read_payload`) and rewritten by the next `write_data` of the same bytes."""
        hashes = [hashlib.sha256(d).hexdigest() for d in payloads]
        data_dir = self.path / "data"
        new = NewPayloads(hashes, [], [])
        try:
            for h, d in dict(zip(hashes, payloads, strict=True)).items():
                target = data_dir / h
                try:
                    intact = hashlib.sha256(target.read_bytes()).hexdigest() == h
                except FileNotFoundError:
                    intact = False
                if intact:
                    continue
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                new.files.append(fd)
                _write_all(fd, d)
            if new.files:
                new.directories.append(os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY))
        except BaseException:
            new.close()
            raise
        return new

    def get_data(self, h: str) -> bytes:
        return read_payload(self.path / "data", h)

    def write_checkpoint(self, note: str) -> None:
        _atomic_write(self.path / "checkpoint", note.encode())

    def read_checkpoint(self) -> str | None:
        p = self.path / "checkpoint"
        return p.read_text() if p.exists() else None


def _atomic_write(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    fsync_dir(target.parent)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
