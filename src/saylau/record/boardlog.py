"""An election's Belenios archive on the bulletin board, and back.

Mapping (README, design notes): one log per election. Leaf 0 is the archive's `BELENIOS`
header; then every archive event is one leaf, its exact bytes (`{"parent","height","type",
"payload"}`: small), in archive order. The payloads the events point to — ballots, the
credential list, tallies, partial decryptions — are stored by SHA-256 beside the log
(`LogStore.put_data`), as the archive itself stores them. Saylau's own events (later
issues) are further leaves whose JSON has no Belenios `type`; they are skipped by the
filtered view.

So the Belenios archive is a *filtered view* of the board: `export_archive` rebuilds it
byte for byte, and `archive_in_board` checks that every event of an archive is in a board
whose root is the one its signed checkpoint states.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from saylau.board import merkle
from saylau.board.errors import BoardError
from saylau.board.store import LogStore

from .archive import EVENT_TYPES, LINKS, Event, Header, read_events, tar_member
from .canonical import dumpb, sha256_hex


class BoardReader(Protocol):
    """What the filtered view needs of a board: a local LogStore or a remote client."""

    size: int

    def entry(self, index: int) -> bytes: ...

    def get_data(self, h: str) -> bytes: ...


def _is_header(leaf: bytes) -> bool:
    return leaf.startswith(b'{"version":') and b'"timestamp"' in leaf


def _belenios_event(leaf: bytes) -> dict[str, object] | None:
    """The event a leaf holds, if it is a canonical Belenios archive event."""
    try:
        d = json.loads(leaf)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(d, dict) and d.get("type") in EVENT_TYPES and dumpb(d) == leaf:
        return d
    return None


def _payloads(ev: Event) -> list[bytes]:
    """The data members an archive event brings: linked data first, then its payload."""
    out = list(ev.linked.values())
    if ev.payload is not None:
        out.append(ev.payload)
    return out


def mirror_archive(archive: Path, store: LogStore) -> int:
    """Append to the board every archive event it does not hold yet; return how many.

    Idempotent, so it also repairs a crash that left the archive ahead of the board. The
    board must hold a prefix of the archive: anything else is refused.
    """
    leaves: list[bytes] = []
    for item, leaf in _archive_items(archive):
        if isinstance(item, Event):
            if sha256_hex(leaf) != item.hash:
                raise BoardError(f"archive event {item.height} is not canonical; refusing to log it")
            for data in _payloads(item):  # idempotent (by hash); always stored before the leaf is logged
                store.put_data(data)
        leaves.append(leaf)
    held = 0  # the board's Belenios leaves (Saylau's own events are skipped) must be a prefix
    for i in range(store.size):
        leaf = store.entry(i)
        if i > 0 and _belenios_event(leaf) is None:
            continue
        if held >= len(leaves) or leaf != leaves[held]:
            raise BoardError(f"board entry {i} differs from the archive: the board is not a prefix of it")
        held += 1
    new = leaves[held:]
    if new:
        store.append(new)
    return len(new)


def export_archive(board: BoardReader, out: Path) -> int:
    """Write the Belenios archive that is the filtered view of `board`; return its events."""
    timestamp = 0
    count = 0
    with open(out, "wb") as f:
        for i in range(board.size):
            leaf = board.entry(i)
            if i == 0:
                if not _is_header(leaf):
                    raise BoardError("board entry 0 is not a Belenios archive header")
                timestamp = int(json.loads(leaf)["timestamp"])
                f.write(tar_member("BELENIOS", leaf, timestamp))
                continue
            ev = _belenios_event(leaf)
            if ev is None:
                continue
            payload_hash = ev.get("payload")
            if isinstance(payload_hash, str):
                payload = board.get_data(payload_hash)
                for key in LINKS.get(str(ev["type"]), ()):
                    ref = json.loads(payload).get(key)
                    if isinstance(ref, str):
                        f.write(tar_member(f"{ref}.data.json", board.get_data(ref), timestamp))
                f.write(tar_member(f"{payload_hash}.data.json", payload, timestamp))
            f.write(tar_member(f"{sha256_hex(leaf)}.event.json", leaf, timestamp))
            count += 1
    return count


@dataclass
class BoardCheck:
    """What `archive_in_board` found: problems (empty when the archive is on the board)."""

    problems: list[str] = field(default_factory=list)
    board_size: int = 0


def archive_in_board(archive: Path, board: BoardReader, signed_root: bytes, signed_size: int) -> BoardCheck:
    """Check that every event of `archive` is, in order, in the board that `signed_root` commits to.

    The whole tree up to `signed_size` is recomputed from the entries, so every entry —
    each archive event in particular — is proven included in the signed checkpoint.
    """
    check = BoardCheck(board_size=board.size)
    if signed_size > board.size:
        check.problems.append(f"the checkpoint claims {signed_size} entries; the board serves {board.size}")
        return check
    nodes = merkle.MemoryNodes()
    wanted = _archive_leaves(archive)
    position = 0
    for i in range(signed_size):
        leaf = board.entry(i)
        nodes.append(merkle.leaf_hash(leaf))
        if i == 0 or _belenios_event(leaf) is not None:
            expected = next(wanted, None)
            if expected is None:
                check.problems.append(f"board entry {i} is an archive event the archive does not have")
            elif expected != leaf:
                check.problems.append(f"board entry {i} differs from archive event {position}")
            position += 1
    missing = sum(1 for _ in wanted)
    if missing:
        check.problems.append(f"{missing} archive event(s) are not in the signed board (after position {position})")
    if merkle.root(nodes, signed_size) != signed_root:
        check.problems.append("the board's entries do not hash to the root its checkpoint signs")
    return check


def _archive_items(archive: Path) -> Iterator[tuple[Header | Event, bytes]]:
    """The archive's header and events, each with the leaf that logs it (its canonical bytes)."""
    for item in read_events(archive):
        if isinstance(item, Header):
            yield item, dumpb({"version": item.version, "timestamp": item.timestamp})
        elif item.height >= 0:
            yield item, dumpb({k: v for k, v in (("parent", item.parent), ("height", item.height), ("type", item.type),
                                                 ("payload", item.payload_hash)) if v is not None})


def _archive_leaves(archive: Path) -> Iterator[bytes]:
    return (leaf for _, leaf in _archive_items(archive))


def append_saylau_event(store: LogStore, event: dict[str, object]) -> int:
    """Log one of Saylau's own events (a JSON object with a `saylau` kind); return its index."""
    return append_saylau_events(store, [event])[0]


def append_saylau_events(store: LogStore, events: Sequence[dict[str, object]]) -> list[int]:
    """Log several of Saylau's own events in one durable append (one sync); return their indices.
    Nothing is appended if any of them is not a Saylau event."""
    for event in events:
        if not isinstance(event.get("saylau"), str) or "type" in event:
            raise BoardError("a Saylau event is a JSON object with a 'saylau' kind and no Belenios 'type'")
    return store.append([dumpb(event) for event in events]) if events else []


def saylau_events(board: BoardReader, kind: str, size: int | None = None) -> list[tuple[int, dict[str, object]]]:
    """Saylau's own events of one kind, with their leaf indices, in log order."""
    out = []
    for i in range(board.size if size is None else size):
        leaf = board.entry(i)
        if not leaf.startswith(b'{"saylau":'):
            continue
        try:
            d = json.loads(leaf)
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(d, dict) and d.get("saylau") == kind:
            out.append((i, d))
    return out


def payload_hashes(board: BoardReader) -> list[str]:
    """Every payload hash the board's Belenios events point to (directly or through a link)."""
    out: list[str] = []
    for i in range(board.size):
        ev = _belenios_event(board.entry(i))
        h = ev.get("payload") if ev is not None else None
        if ev is None or not isinstance(h, str):
            continue
        out.append(h)
        links = LINKS.get(str(ev["type"]), ())
        if links:
            refs = json.loads(board.get_data(h))
            out += [refs[k] for k in links if isinstance(refs, dict) and isinstance(refs.get(k), str)]
    return out


def find_ballot(board: BoardReader, tracker_hex: str) -> int | None:
    """The leaf index of the Ballot event whose payload is the ballot with this tracker."""
    for i in range(board.size):
        ev = _belenios_event(board.entry(i))
        if ev is not None and ev.get("type") == "Ballot" and ev.get("payload") == tracker_hex:
            return i
    return None

