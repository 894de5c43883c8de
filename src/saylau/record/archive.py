"""The Belenios public archive `<uuid>.bel` (protocol doc §8): streaming reader and writer.

A POSIX tar: first `BELENIOS` (`{"version":1,"timestamp":"…"}`), then members named
`<sha256hex>.data.json` or `<sha256hex>.event.json`. An event is
`{"parent","height","type","payload"}`; a data member always precedes the event that
references it. Large payloads are thus stored by hash and events stay small.

The reader streams: memory does not grow with the number of ballots. It never raises on
bad content; it attaches `problems` to what it yields so that a verifier can report every
defect. It raises `ArchiveError` only when the container cannot be read at all.
"""

from __future__ import annotations

import json
import os
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .canonical import dumpb, sha256_hex
from .errors import ArchiveError

EVENT_TYPES = ("Setup", "Ballot", "EndBallots", "EncryptedTally", "PartialDecryption", "Result")
EVENT_KEYS = ("parent", "height", "type", "payload")
# Payload fields that point at further data members by hash.
LINKS = {"Setup": ("election", "trustees", "credentials"), "EncryptedTally": ("encrypted_tally",),
         "PartialDecryption": ("payload",)}
MAX_MEMBER = 256 * 1024 * 1024  # a credential list of ~3M voters; anything larger is refused


@dataclass(frozen=True, slots=True)
class Event:
    """One archive event with its payload bytes (None for EndBallots)."""

    height: int
    type: str
    hash: str
    parent: str | None
    payload_hash: str | None
    payload: bytes | None
    payload_offset: int | None  # byte offset of the payload's data in the file, for re-reads
    problems: list[str] = field(default_factory=list)
    linked: dict[str, bytes] = field(default_factory=dict)  # data the payload points to, by hash


@dataclass(frozen=True, slots=True)
class Header:
    version: object
    timestamp: object
    problems: list[str]


def _member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    f = tar.extractfile(member)
    if f is None:
        raise ArchiveError(f"member {member.name!r} is not a regular file")
    return f.read()


def read_events(path: str | os.PathLike[str]) -> Iterator[Header | Event]:
    """Stream the archive: one Header, then every event in file order."""
    try:
        fobj = open(path, "rb")
    except OSError as exc:
        raise ArchiveError(f"cannot open {path}: {exc.strerror}") from exc
    with fobj:
        try:
            tar = tarfile.open(fileobj=fobj, mode="r|")
        except tarfile.TarError as exc:
            raise ArchiveError(f"{path}: not a tar archive ({exc})") from exc
        yield from _read(tar)


def _read(tar: tarfile.TarFile) -> Iterator[Header | Event]:
    pending: dict[str, tuple[bytes, int]] = {}
    seen_events: set[str] = set()
    prev_hash: str | None = None
    expected_height = 0
    first = True
    try:
        for member in tar:
            if not member.isfile():
                raise ArchiveError(f"member {member.name!r} is not a regular file")
            if member.size > MAX_MEMBER:
                raise ArchiveError(f"member {member.name!r} is {member.size} bytes, above the {MAX_MEMBER}-byte limit")
            data = _member_bytes(tar, member)
            if first:
                first = False
                yield _header(member.name, data)
                continue
            name = member.name
            digest = sha256_hex(data)
            if name.endswith(".data.json"):
                if name[: -len(".data.json")] != digest:
                    pending[name[: -len(".data.json")]] = (data, member.offset_data)
                    yield _orphan(f"data member {name} does not hold content with that hash (content hash {digest})")
                    continue
                pending[digest] = (data, member.offset_data)
                continue
            if not name.endswith(".event.json"):
                yield _orphan(f"unexpected member {name!r}")
                continue
            ev = _event(name, data, digest, pending, prev_hash, expected_height, seen_events)
            seen_events.add(digest)
            prev_hash = digest
            expected_height = ev.height + 1 if isinstance(ev.height, int) else expected_height + 1
            yield ev
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"archive is truncated or damaged: {exc}") from exc
    if first:
        raise ArchiveError("archive is empty")
    if pending:
        yield _orphan(f"{len(pending)} data member(s) referenced by no event (e.g. {next(iter(pending))})")


def _orphan(problem: str) -> Event:
    return Event(-1, "(archive)", "", None, None, None, None, [problem])


def _header(name: str, data: bytes) -> Header:
    problems = []
    if name != "BELENIOS":
        problems.append(f"first member is {name!r}, expected 'BELENIOS'")
    try:
        d = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Header(None, None, problems + ["BELENIOS header is not JSON"])
    if not isinstance(d, dict) or d.get("version") != 1 or not isinstance(d.get("timestamp"), str):
        problems.append('BELENIOS header must be {"version":1,"timestamp":"<unix seconds>"}')
        return Header(None, None, problems)
    return Header(d["version"], d["timestamp"], problems)


def _event(name: str, data: bytes, digest: str, pending: dict[str, tuple[bytes, int]], prev: str | None,
           expected_height: int, seen: set[str]) -> Event:
    problems: list[str] = []
    if name[: -len(".event.json")] != digest:
        problems.append(f"event member {name} does not hold content with that hash (content hash {digest})")
    try:
        d = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Event(expected_height, "(malformed)", digest, None, None, None, None, problems + ["event is not JSON"])
    if not isinstance(d, dict) or set(d) - set(EVENT_KEYS) or "type" not in d or "height" not in d:
        return Event(expected_height, "(malformed)", digest, None, None, None, None,
                     problems + [f"event must have fields {EVENT_KEYS}"])
    if dumpb(d) != data or list(d) != [k for k in EVENT_KEYS if k in d]:
        problems.append("event is not in canonical JSON form")
    etype, height, parent, payload_hash = d.get("type"), d.get("height"), d.get("parent"), d.get("payload")
    if etype not in EVENT_TYPES:
        problems.append(f"unknown event type {etype!r}")
    if not isinstance(height, int) or isinstance(height, bool):
        problems.append(f"height {height!r} is not an integer")
        height = expected_height
    elif height != expected_height:
        problems.append(f"height {height}, expected {expected_height} (events missing, reordered or duplicated)")
    if parent != prev:
        problems.append(f"parent {parent!r} is not the previous event {prev!r}")
    if digest in seen:
        problems.append("the same event appears twice")
    payload: bytes | None = None
    offset: int | None = None
    if etype == "EndBallots":
        if payload_hash is not None:
            problems.append("EndBallots carries a payload")
    elif not isinstance(payload_hash, str):
        problems.append("payload hash missing")
        payload_hash = None
    elif payload_hash not in pending:
        problems.append(f"payload {payload_hash} is not in the archive before this event")
    else:
        payload, offset = pending.pop(payload_hash)
    linked: dict[str, bytes] = {}
    if payload is not None and etype in LINKS:
        try:
            refs = json.loads(payload)
        except (json.JSONDecodeError, UnicodeDecodeError):
            refs = None
        for key in LINKS[str(etype)]:
            ref = refs.get(key) if isinstance(refs, dict) else None
            if isinstance(ref, str) and ref in pending:
                linked[ref] = pending.pop(ref)[0]
            elif isinstance(ref, str) and ref not in linked:
                problems.append(f"{etype} payload field {key!r} points at {ref}, which is not in the archive before it")
    return Event(height, str(etype), digest, parent if isinstance(parent, str) else None,
                 payload_hash if isinstance(payload_hash, str) else None, payload, offset, problems, linked)


def read_data_at(path: str | os.PathLike[str], offset: int, size: int) -> bytes:
    """Re-read a data member by its offset (used for superseded ballots)."""
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(size)


def tar_member(name: str, data: bytes, mtime: int) -> bytes:
    """One member in the old (V7) tar format that belenios-tool writes and reads."""
    header = bytearray(512)
    header[0:len(name)] = name.encode()
    header[100:108] = b"0000644\0"
    header[108:116] = b"0000000\0"
    header[116:124] = b"0000000\0"
    header[124:136] = b"%011o\0" % len(data)
    header[136:148] = b"%011o\0" % mtime
    header[148:156] = b" " * 8
    header[156:157] = b"0"
    header[148:156] = b"%06o\0 " % sum(header)
    return bytes(header) + data + b"\0" * (-len(data) % 512)


def _end_of_members(path: Path) -> int:
    """Offset just after the last member (where the end-of-archive blocks start)."""
    offset = 0
    with open(path, "rb") as f:
        while True:
            f.seek(offset)
            header = f.read(512)
            if len(header) < 512 or header == b"\0" * 512:
                return offset
            try:
                size = int(header[124:136].rstrip(b"\0 ").decode() or "0", 8)
            except ValueError as exc:
                raise ArchiveError(f"{path}: damaged tar header at offset {offset}") from exc
            offset += 512 + size + (-size % 512)


class ArchiveWriter:
    """Append-only writer of a `.bel` file, as `belenios-tool archive add-event` does."""

    def __init__(self, path: str | os.PathLike[str], *, timestamp: int | None = None) -> None:
        self.path = Path(path)
        self.parent: str | None = None
        self.height = 0
        self._mtime = timestamp or 0
        if self.path.exists():
            for item in read_events(self.path):
                if isinstance(item, Header) and isinstance(item.timestamp, str) and item.timestamp.isdigit():
                    self._mtime = int(item.timestamp)  # every member carries the archive's timestamp
                if isinstance(item, Event) and item.height >= 0:
                    self.parent, self.height = item.hash, item.height + 1
        else:
            if timestamp is None:
                raise ValueError("a new archive needs its timestamp")
            header = dumpb({"version": 1, "timestamp": str(timestamp)})
            with open(self.path, "xb") as f:
                # belenios-tool writes no end-of-archive blocks and reads a zero block as a
                # (broken) member, so neither do we: the archive ends after its last member.
                f.write(tar_member("BELENIOS", header, timestamp))
                f.flush()
                os.fsync(f.fileno())

    def add_event(self, etype: str, payloads: list[bytes] | None = None) -> str:
        """Append the payload data members (the last one is the event's payload), then the event."""
        out = bytearray()
        payload_hash = None
        for data in payloads or []:
            payload_hash = sha256_hex(data)
            out += tar_member(f"{payload_hash}.data.json", data, self._mtime)
        ev: dict[str, object] = {}
        if self.parent is not None:
            ev["parent"] = self.parent
        ev["height"] = self.height
        ev["type"] = etype
        if payload_hash is not None:
            ev["payload"] = payload_hash
        raw = dumpb(ev)
        h = sha256_hex(raw)
        out += tar_member(f"{h}.event.json", raw, self._mtime)
        end = _end_of_members(self.path)
        with open(self.path, "r+b") as f:
            f.seek(end)
            f.write(bytes(out))
            f.truncate()
            f.flush()
            os.fsync(f.fileno())
        self.parent, self.height = h, self.height + 1
        return h
