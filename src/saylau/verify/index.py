"""A map that stays in memory while small and spills to an on-disk SQLite index when large.

The verifier keeps, per credential, where its last ballot is, and the set of trackers seen.
At national scale (12.5 M ballots) neither fits comfortably in memory, so past `limit`
entries the map moves to a temporary SQLite file and memory stays flat.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator


class SpillMap:
    """str → str map; in memory up to `limit` entries, then in a temporary SQLite database."""

    def __init__(self, limit: int = 200_000, directory: str | None = None) -> None:
        self.limit = limit
        self.directory = directory
        self._mem: dict[str, str] | None = {}
        self._db: sqlite3.Connection | None = None
        self._path: str | None = None
        self._count = 0

    @property
    def on_disk(self) -> bool:
        return self._db is not None

    def __len__(self) -> int:
        return self._count

    def get(self, key: str) -> str | None:
        if self._mem is not None:
            return self._mem.get(key)
        assert self._db is not None
        row = self._db.execute("SELECT v FROM m WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        if self._mem is not None:
            if key not in self._mem:
                self._count += 1
            self._mem[key] = value
            if len(self._mem) > self.limit:
                self._spill()
            return
        assert self._db is not None
        if self._db.execute("SELECT 1 FROM m WHERE k = ?", (key,)).fetchone() is None:
            self._count += 1
        self._db.execute("INSERT OR REPLACE INTO m (k, v) VALUES (?, ?)", (key, value))

    def iter_items(self) -> Iterator[tuple[str, str]]:
        """Every (key, value), streamed from disk once spilled (memory stays flat)."""
        if self._mem is not None:
            yield from list(self._mem.items())
            return
        assert self._db is not None
        for k, v in self._db.execute("SELECT k, v FROM m"):
            yield str(k), str(v)

    def values(self) -> list[str]:
        if self._mem is not None:
            return list(self._mem.values())
        assert self._db is not None
        return [str(r[0]) for r in self._db.execute("SELECT v FROM m")]

    def _spill(self) -> None:
        fd, self._path = tempfile.mkstemp(prefix="saylau-index-", suffix=".sqlite", dir=self.directory)
        os.close(fd)
        db = sqlite3.connect(self._path, isolation_level=None)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("CREATE TABLE m (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID")
        db.execute("BEGIN")
        assert self._mem is not None
        db.executemany("INSERT INTO m (k, v) VALUES (?, ?)", self._mem.items())
        self._db, self._mem = db, None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._path is not None:
            os.unlink(self._path)
            self._path = None
