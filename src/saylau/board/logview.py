"""A read-only view of a log directory, safe beside a live writer.

`LogStore(path)` *recovers* when it opens: it truncates every file to the last commit
record. That is right for the single writer, but a second process (the tile server, an
auditor) opening the same directory while the writer is between writing a batch and
committing it would cut off the writer's uncommitted bytes and damage the log. `LogView`
reads the same files (layout: `store.py` module docstring) without ever writing, and
only what a commit record covers:

- the size is the last commit record with a valid checksum in `commits.bin`, re-read on
  every access, so the view follows the writer;
- a node or entry is read only if it lies inside that committed size; committed bytes are
  never rewritten by the writer, so reads need no locking;
- every entry is checked against its CRC-32 and its leaf hash before it is returned.
"""

from __future__ import annotations

import os
import struct
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

from . import merkle
from .errors import StoreError
from .store import HEX_DIGITS, last_commit, read_payload

_REC = struct.Struct(">II")  # entries.bin: u32 length, u32 CRC-32, then the bytes
_OFF = struct.Struct(">Q")  # index.bin: u64 offset of each record
_MAX_ENTRY = 65_535


class LogView:
    """Read-only access to a `LogStore` directory (a `merkle.NodeSource`)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not (self.path / "entries.bin").is_file():
            raise StoreError(f"{self.path}: not a log (no entries.bin)")
        self._fds: dict[str, int] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            for fd in self._fds.values():
                os.close(fd)
            self._fds.clear()

    def __enter__(self) -> LogView:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fd(self, name: str) -> int:
        with self._lock:
            fd = self._fds.get(name)
            if fd is None:
                try:
                    fd = os.open(self.path / name, os.O_RDONLY)
                except FileNotFoundError:
                    raise StoreError(f"{self.path}: {name} is missing") from None
                self._fds[name] = fd
            return fd

    def _pread(self, name: str, length: int, offset: int) -> bytes:
        data = os.pread(self._fd(name), length, offset)
        if len(data) != length:
            raise StoreError(f"{self.path}: {name} is shorter than its commit record says")
        return data

    @property
    def size(self) -> int:
        """The committed tree size, as of now."""
        return int(last_commit(self._fd("commits.bin"))[0])

    # ------------------------------------------------------------------------------ nodes

    def _check_range(self, level: int, index: int, count: int) -> None:
        if level < 0 or index < 0 or count < 0:
            raise StoreError(f"no node ({level}, {index})")
        size = self.size
        if (index + count) << level > size:
            raise StoreError(f"node ({level}, {index + count - 1}) is beyond the tree of size {size}")

    def node(self, level: int, index: int) -> bytes:
        self._check_range(level, index, 1)
        return self._pread(f"level-{level}.bin", merkle.HASH_SIZE, index * merkle.HASH_SIZE)

    def node_range(self, level: int, start: int, count: int) -> bytes:
        """The `count` consecutive complete nodes at `level` from `start`, concatenated."""
        self._check_range(level, start, count)
        if count == 0:
            return b""
        return self._pread(f"level-{level}.bin", count * merkle.HASH_SIZE, start * merkle.HASH_SIZE)

    def root(self, size: int | None = None) -> bytes:
        return merkle.root(self, self.size if size is None else size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return merkle.inclusion_proof(self, index, self.size if size is None else size)

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        return merkle.consistency_proof(self, size1, self.size if size2 is None else size2)

    # ---------------------------------------------------------------------------- entries

    def entry(self, index: int) -> bytes:
        size = self.size
        if not 0 <= index < size:
            raise StoreError(f"entry {index} is not in the log (size {size})")
        (off,) = _OFF.unpack(self._pread("index.bin", _OFF.size, index * _OFF.size))
        length, crc = _REC.unpack(self._pread("entries.bin", _REC.size, off))
        if length > _MAX_ENTRY:
            raise StoreError(f"entry {index} is damaged (length {length})")
        data = self._pread("entries.bin", length, off + _REC.size)
        if zlib.crc32(data) != crc:
            raise StoreError(f"entry {index} is damaged (checksum)")
        if merkle.leaf_hash(data) != self._pread("level-0.bin", merkle.HASH_SIZE, index * merkle.HASH_SIZE):
            raise StoreError(f"entry {index} does not match its leaf hash")
        return data

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        for i in range(start, self.size if end is None else end):
            yield self.entry(i)

    # ----------------------------------------------------------------- payloads, checkpoint

    def get_data(self, h: str) -> bytes:
        return read_payload(self.path / "data", h)

    def data_hashes(self) -> list[str]:
        """The hashes of the payloads stored beside the log (names only, not verified)."""
        d = self.path / "data"
        if not d.is_dir():
            return []
        return sorted(p.name for p in d.iterdir() if len(p.name) == 64 and set(p.name) <= HEX_DIGITS)

    def read_checkpoint(self) -> str | None:
        p = self.path / "checkpoint"
        try:
            return p.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
