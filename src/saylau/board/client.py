"""Reading a board from wherever it is published: `open_board(location)`.

- a log directory (holds `entries.bin`): read through `LogView`, never written;
- a static tile directory (`write_static` output, a mirror: holds `checkpoint`);
- an `http://` or `https://` URL of a board server or a static mirror.

For tiles (static directories and URLs) every proof is computed here from the tiles;
nothing the server says is trusted beyond what the caller then verifies against the
**signed** checkpoint: verify `checkpoint_note()` with the log key (`note.open_checkpoint`),
then e.g. `merkle.verify_inclusion(i, cp.size, leaf_hash(board.entry(i)),
board.inclusion_proof(i, cp.size), cp.root_hash)`. Entries are checked against the
level-0 tile, payloads against their hash.

`size` is the size stated by the checkpoint read at open (or `refresh()`) — unverified
until the caller verifies that note; for a log directory without a checkpoint it is the
committed size. Reads beyond `size` raise `StoreError`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from . import merkle, tiles
from .errors import InvalidNote, StoreError
from .logview import LogView

_HEX64 = re.compile(r"[0-9a-f]{64}")


class Board:
    """A read-only board. Subclasses provide `_node`, `_entry`, `get_data` and `refresh`."""

    location: str
    size: int
    _note: str | None

    def checkpoint_note(self) -> str:
        """The checkpoint note read at open / the last `refresh()` (signatures unchecked)."""
        if self._note is None:
            raise tiles.NotFound(f"{self.location}: no checkpoint has been published")
        return self._note

    def refresh(self) -> str | None:
        """Re-read the checkpoint; update `size`. Returns the note (None if there is none)."""
        raise NotImplementedError

    def _node(self, level: int, index: int) -> bytes:
        raise NotImplementedError

    def _entry(self, index: int) -> bytes:
        raise NotImplementedError

    def get_data(self, h: str) -> bytes:
        """A payload stored by hash (lowercase hex SHA-256), checked against its hash."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Board:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- shared

    def node(self, level: int, index: int) -> bytes:
        if level < 0 or index < 0 or (index + 1) << level > self.size:
            raise StoreError(f"node ({level}, {index}) is beyond the tree of size {self.size}")
        return self._node(level, index)

    def entry(self, index: int) -> bytes:
        if not 0 <= index < self.size:
            raise StoreError(f"entry {index} is not in the tree of size {self.size}")
        return self._entry(index)

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        for i in range(start, self.size if end is None else end):
            yield self.entry(i)

    def _tree(self, size: int | None) -> int:
        if size is None:
            return self.size
        if size > self.size:
            raise StoreError(f"size {size} is beyond the board's checkpoint (size {self.size})")
        return size

    def root(self, size: int | None = None) -> bytes:
        return merkle.root(self, self._tree(size))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return merkle.inclusion_proof(self, index, self._tree(size))

    def consistency_proof(self, size1: int, size2: int | None = None) -> list[bytes]:
        return merkle.consistency_proof(self, size1, self._tree(size2))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r}, size={self.size})"


class LocalBoard(Board):
    """A log directory, read through `LogView` (safe beside the appending process)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.location = str(path)
        self.view = LogView(path)
        self.refresh()

    def refresh(self) -> str | None:
        note = self.view.read_checkpoint()
        committed = self.view.size
        if note is None:
            self.size = committed
        else:
            size, _ = tiles.checkpoint_tree(note)
            if size > committed:
                raise StoreError(f"{self.location}: checkpoint (size {size}) is ahead of the log ({committed} entries)")
            self.size = size
        self._note = note
        return note

    def _node(self, level: int, index: int) -> bytes:
        return self.view.node(level, index)

    def _entry(self, index: int) -> bytes:
        return self.view.entry(index)

    def get_data(self, h: str) -> bytes:
        return self.view.get_data(h)

    def close(self) -> None:
        self.view.close()


class TiledBoard(Board):
    """A board read from tlog-tiles through a `fetch` function (static directory or URL)."""

    def __init__(self, fetch: tiles.Fetch, location: str) -> None:
        self.location = location
        self.fetch = fetch
        self.refresh()

    def refresh(self) -> str:
        raw = self.fetch("checkpoint")
        try:
            note = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidNote(f"{self.location}: checkpoint is not valid UTF-8") from None
        size, _ = tiles.checkpoint_tree(note)
        self.tiles = tiles.TileSource(self.fetch, size)
        self.size = size
        self._note = note
        return note

    def _node(self, level: int, index: int) -> bytes:
        return self.tiles.node(level, index)

    def _entry(self, index: int) -> bytes:
        return self.tiles.entry(index)

    def get_data(self, h: str) -> bytes:
        if not _HEX64.fullmatch(h):
            raise StoreError(f"no payload with hash {h!r} (64 lowercase hex digits)")
        data = self.fetch(f"data/{h}")
        if hashlib.sha256(data).hexdigest() != h:
            raise StoreError(f"{self.location}: payload {h} does not match its hash")
        return data


def open_board(location: str | os.PathLike[str]) -> Board:
    """A board from a log directory, a static tile directory or an http(s) URL."""
    text = os.fspath(location)
    if text.startswith(("http://", "https://")):
        return TiledBoard(tiles.http_fetch(text), text)
    path = Path(text)
    if (path / "entries.bin").is_file():
        return LocalBoard(path)
    if (path / "checkpoint").is_file():
        return TiledBoard(tiles.dir_fetch(path), text)
    raise StoreError(f"{text}: neither a log directory (entries.bin), a static tile directory (checkpoint) nor an http(s) URL")
