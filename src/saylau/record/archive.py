"""The Belenios public archive `<uuid>.bel` (protocol doc §8): streaming reader and writer.

A POSIX tar: first `BELENIOS` (`{"version":1,"timestamp":"…"}`), then members named
`<sha256hex>.data.json` or `<sha256hex>.event.json`. An event is
`{"parent","height","type","payload"}`; a data member always precedes the event that
references it. Large payloads are thus stored by hash and events stay small.

The reader streams: memory does not grow with the number of ballots. It never raises on
bad content; it attaches `problems` to what it yields so that a verifier can report every
defect. It raises `ArchiveError` only when the container cannot be read at all.

belenios-tool rebuilds the archive from its events and compares bytes, so the reader also
checks the tar layout: each member must be exactly `tar_member(name, data, timestamp)` (one
V7 header, mtime = the BELENIOS header's timestamp, zero padding) and nothing may follow the
last member (no end-of-archive blocks). Those problems start with `LAYOUT`.

The writer appends in O(1): it knows where the last member ends and which event is last,
and re-reads only if the file changed behind its back.
"""

from __future__ import annotations

import fcntl
import json
import os
import tarfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .canonical import dumpb, sha256_hex
from .errors import ArchiveError

EVENT_TYPES = ("Setup", "Ballot", "EndBallots", "EncryptedTally", "PartialDecryption", "Result")
EVENT_KEYS = ("parent", "height", "type", "payload")
# Payload fields that point at further data members by hash.
LINKS = {"Setup": ("election", "trustees", "credentials"), "EncryptedTally": ("encrypted_tally",),
         "PartialDecryption": ("payload",)}
MAX_MEMBER = 256 * 1024 * 1024  # a credential list of ~3M voters; anything larger is refused
BLOCK = 512
LAYOUT = "tar layout: "  # prefix of the problems about the byte layout (verifier finding archive.layout)
LAYOUT_DETAILS = 20  # members whose layout problem is described one by one; the rest are counted
_TAR_FIELDS = (("name", 0, 100), ("mode", 100, 108), ("uid", 108, 116), ("gid", 116, 124), ("size", 124, 136),
               ("mtime", 136, 148), ("chksum", 148, 156), ("typeflag", 156, 157), ("linkname", 157, 257),
               ("magic", 257, 263), ("version", 263, 265), ("uname", 265, 297), ("gname", 297, 329),
               ("devmajor", 329, 337), ("devminor", 337, 345), ("prefix", 345, 500), ("bytes 500-511", 500, 512))


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
    member_end: int | None = None  # byte offset just after this event's tar member (for appending)


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
        yield from _read(tar, _Layout(fobj.fileno()))


def _read(tar: tarfile.TarFile, layout: _Layout) -> Iterator[Header | Event]:
    pending: dict[str, tuple[bytes, int]] = {}
    seen_events: set[str] = set()
    prev_hash: str | None = None
    expected_height = 0
    first = True
    member_problems: list[str] = []  # layout problems of data members, reported with the next event
    try:
        for member in tar:
            if not member.isfile():
                raise ArchiveError(f"member {member.name!r} is not a regular file")
            if member.size > MAX_MEMBER:
                raise ArchiveError(f"member {member.name!r} is {member.size} bytes, above the {MAX_MEMBER}-byte limit")
            data = _member_bytes(tar, member)
            if first:
                first = False
                header = _header(member.name, data)
                layout.start(header.timestamp, int(member.mtime))
                header.problems.extend(layout.check(member, len(data)))
                yield header
                continue
            name = member.name
            digest = sha256_hex(data)
            member_problems.extend(layout.check(member, len(data)))
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
            end = member.offset_data + len(data) + (-len(data) % BLOCK)
            ev = _event(name, data, digest, pending, prev_hash, expected_height, seen_events, end)
            if member_problems:
                ev.problems.extend(member_problems)
                member_problems = []
            seen_events.add(digest)
            prev_hash = digest
            expected_height = ev.height + 1 if isinstance(ev.height, int) else expected_height + 1
            yield ev
        if not first:
            member_problems.extend(layout.finish())
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"archive is truncated or damaged: {exc}") from exc
    if first:
        raise ArchiveError("archive is empty")
    if pending:
        yield _orphan(f"{len(pending)} data member(s) referenced by no event (e.g. {next(iter(pending))})")
    if member_problems:
        yield Event(-1, "(archive)", "", None, None, None, None, member_problems)


class _Layout:
    """Compares each member's bytes with what belenios-tool writes (`tar_member`).

    It re-reads each header (and padding) with `pread` on the reader's descriptor, which
    leaves the stream position alone. Past `LAYOUT_DETAILS` members it only counts.
    """

    def __init__(self, fd: int) -> None:
        self.fd: int | None = fd
        self.mtime = 0
        self.end = 0  # offset just after the last member checked
        self.described = 0
        self.more = 0

    def start(self, timestamp: object, header_mtime: int) -> None:
        """The archive's timestamp, which every member's mtime must carry."""
        if isinstance(timestamp, str) and timestamp.isdigit():
            self.mtime = int(timestamp)
        else:  # the header is already reported as broken; compare with its own member's mtime
            self.mtime = header_mtime

    def _pread(self, n: int, offset: int) -> bytes | None:
        if self.fd is None:
            return None
        try:
            return os.pread(self.fd, n, offset)
        except OSError:  # not a regular file (a pipe): the layout cannot be re-read
            self.fd = None
            return None

    def check(self, member: tarfile.TarInfo, size: int) -> list[str]:
        name = member.name
        issues: list[str] = []
        pad = -size % BLOCK
        self.end = member.offset_data + size + pad
        if member.offset_data != member.offset + BLOCK:
            blocks = (member.offset_data - member.offset) // BLOCK - 1
            issues.append(f"{blocks} extension header block(s) (PAX or GNU) before its header; "
                          "belenios-tool writes one plain V7 header per member")
        else:
            actual = self._pread(BLOCK, member.offset)
            if actual is None:
                return []
            expected = _v7_header(name.encode("utf-8", "surrogateescape"), size, self.mtime)
            if expected is None:
                issues.append(f"name, size or timestamp {self.mtime} does not fit a V7 tar header")
            elif actual != expected:
                issues.append(_header_differences(actual, expected, self.mtime))
        if pad:
            padding = self._pread(pad, member.offset_data + size)
            if padding is not None and any(padding):
                issues.append("the padding after its content is not zero")
        if not issues:
            return []
        if self.described >= LAYOUT_DETAILS:
            self.more += 1
            return []
        self.described += 1
        return [f"{LAYOUT}member {name}: " + "; ".join(issues)]

    def finish(self) -> list[str]:
        """After the last member: nothing may follow; and the count of undescribed members."""
        out = []
        if self.more:
            out.append(f"{LAYOUT}{self.more} more member(s) not laid out as belenios-tool writes them "
                       f"(only the first {LAYOUT_DETAILS} are described)")
        if self.fd is None:
            return out
        tail = os.fstat(self.fd).st_size - self.end
        if tail > 0:
            head = self._pread(min(tail, 1 << 20), self.end) or b""
            what = ("zero bytes: an end-of-archive marker or record padding" if not any(head)
                    else "not a readable tar member")
            out.append(f"{LAYOUT}{tail} byte(s) after the last member ({what}); "
                       "belenios-tool archives end right after their last member")
        return out


_V7_IDS = b"0000644\0" + b"0000000\0" + b"0000000\0"  # mode, uid, gid
_V7_REST = b"0" + bytes(355)  # typeflag "0" (regular file), then no linkname, magic, owner names
_V7_SUM = sum(_V7_IDS) + sum(b" " * 8) + sum(_V7_REST)  # the checksum counts its own field as spaces


def _v7_header(name: bytes, size: int, mtime: int) -> bytes | None:
    """The 512-byte V7 header belenios-tool writes; None if the values do not fit one."""
    if len(name) > 100 or not 0 <= size < 8**11 or not 0 <= mtime < 8**11:
        return None
    size_field, mtime_field = b"%011o\0" % size, b"%011o\0" % mtime
    checksum = _V7_SUM + sum(name) + sum(size_field) + sum(mtime_field)
    return b"".join((name, bytes(100 - len(name)), _V7_IDS, size_field, mtime_field, b"%06o\0 " % checksum, _V7_REST))


def _header_differences(actual: bytes, expected: bytes, mtime: int) -> str:
    fields = [(f, lo, hi) for f, lo, hi in _TAR_FIELDS if actual[lo:hi] != expected[lo:hi]]
    if len(fields) > 1:  # the checksum differs because something else does
        fields = [x for x in fields if x[0] != "chksum"]
    shown = []
    for f, lo, hi in fields[:4]:
        a, e = actual[lo:hi].rstrip(b"\0"), expected[lo:hi].rstrip(b"\0")
        if f == "mtime":
            shown.append(f"mtime {a.decode('ascii', 'replace').strip()!r} (octal), not the archive timestamp {mtime} "
                         f"({e.decode()!r})")
        else:
            shown.append(f"{f} {a[:40]!r}, belenios-tool writes {e[:40]!r}")
    more = f" and {len(fields) - 4} more field(s)" if len(fields) > 4 else ""
    return "header is not the V7 header belenios-tool writes: " + ", ".join(shown) + more


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
           expected_height: int, seen: set[str], end: int | None = None) -> Event:
    problems: list[str] = []
    if name[: -len(".event.json")] != digest:
        problems.append(f"event member {name} does not hold content with that hash (content hash {digest})")
    try:
        d = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Event(expected_height, "(malformed)", digest, None, None, None, None, problems + ["event is not JSON"],
                     member_end=end)
    if not isinstance(d, dict) or set(d) - set(EVENT_KEYS) or "type" not in d or "height" not in d:
        return Event(expected_height, "(malformed)", digest, None, None, None, None,
                     problems + [f"event must have fields {EVENT_KEYS}"], member_end=end)
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
                 payload_hash if isinstance(payload_hash, str) else None, payload, offset, problems, linked, end)


def read_data_at(path: str | os.PathLike[str], offset: int, size: int) -> bytes:
    """Re-read a data member by its offset (used for superseded ballots)."""
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read(size)


def tar_member(name: str, data: bytes, mtime: int) -> bytes:
    """One member in the old (V7) tar format that belenios-tool writes and reads."""
    header = _v7_header(name.encode(), len(data), mtime)
    if header is None:
        raise ValueError(f"member {name!r} ({len(data)} bytes, mtime {mtime}) does not fit a V7 tar header")
    return header + data + b"\0" * (-len(data) % BLOCK)


@dataclass(frozen=True, slots=True)
class _Tail:
    """What appending needs: where the members end, the archive timestamp, the last event."""

    end: int
    mtime: int
    parent: str | None
    height: int
    last_type: str | None


def _scan(f: BinaryIO, path: Path) -> _Tail:
    """Walk the member headers (contents are skipped, except BELENIOS and the last event)."""
    total = os.fstat(f.fileno()).st_size
    offset = 0
    mtime: int | None = None
    last: tuple[int, int] | None = None
    while True:
        f.seek(offset)
        header = f.read(BLOCK)
        if len(header) < BLOCK or header == bytes(BLOCK):
            break
        try:
            size = int(header[124:136].rstrip(b"\0 ").decode() or "0", 8)
            header_mtime = int(header[136:148].rstrip(b"\0 ").decode() or "0", 8)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ArchiveError(f"{path}: damaged tar header at offset {offset}") from exc
        if size < 0 or offset + BLOCK + size > total:
            raise ArchiveError(f"{path}: member at offset {offset} is truncated")
        name = header[:100].split(b"\0", 1)[0]
        if mtime is None:
            mtime = header_mtime
            if size <= 4096:
                f.seek(offset + BLOCK)
                try:
                    ts = json.loads(f.read(size)).get("timestamp")
                except (ValueError, AttributeError):
                    ts = None
                if isinstance(ts, str) and ts.isdigit():
                    mtime = int(ts)
        elif name.endswith(b".event.json") and header[156:157] in (b"0", b"\0"):
            last = (offset + BLOCK, size)
        offset += BLOCK + size + (-size % BLOCK)
    if mtime is None:
        raise ArchiveError(f"{path}: archive is empty")
    if last is None:
        return _Tail(offset, mtime, None, 0, None)
    if last[1] > 1 << 20:
        raise ArchiveError(f"{path}: the last event member is {last[1]} bytes")
    f.seek(last[0])
    raw = f.read(last[1])
    try:
        ev = json.loads(raw)
        height, etype = ev["height"], ev["type"]
    except (ValueError, TypeError, KeyError) as exc:
        raise ArchiveError(f"{path}: the last event is not readable") from exc
    if not isinstance(height, int) or isinstance(height, bool) or height < 0 or not isinstance(etype, str):
        raise ArchiveError(f"{path}: the last event has no valid height and type")
    return _Tail(offset, mtime, sha256_hex(raw), height + 1, etype)


def _fsync_directory(path: Path) -> None:
    """Make a new file's directory entry durable."""
    fd = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ArchiveWriter:
    """Append-only writer of a `.bel` file, as `belenios-tool archive add-event` does.

    Opening an existing archive walks its member headers once (`resume` skips even that,
    using what a `read_events` pass saw); each `add_event` is then O(1): it checks that the
    file still ends where the writer believes (size and identity), re-walks the headers only
    if another writer changed it, appends under an exclusive `flock` and fsyncs.
    """

    def __init__(self, path: str | os.PathLike[str], *, timestamp: int | None = None) -> None:
        self.path = Path(path)
        self.parent: str | None = None
        self.height = 0
        self.last_type: str | None = None
        self._mtime = 0
        self._end = 0
        self._ident: tuple[int, int] | None = None  # (st_dev, st_ino) of the file the state describes
        if self.path.exists():
            with open(self.path, "rb") as f:
                self._adopt(_scan(f, self.path), os.fstat(f.fileno()))
            return
        if timestamp is None:
            raise ValueError("a new archive needs its timestamp")
        member = tar_member("BELENIOS", dumpb({"version": 1, "timestamp": str(timestamp)}), timestamp)
        with open(self.path, "xb") as f:
            # belenios-tool writes no end-of-archive blocks and reads a zero block as a
            # (broken) member, so neither do we: the archive ends after its last member.
            f.write(member)
            f.flush()
            os.fsync(f.fileno())
            st = os.fstat(f.fileno())
        _fsync_directory(self.path)
        self._mtime, self._end, self._ident = timestamp, len(member), (st.st_dev, st.st_ino)

    @classmethod
    def resume(cls, path: str | os.PathLike[str], header: Header | None, last: Event | None) -> ArchiveWriter:
        """A writer for the archive that a `read_events` pass just read (its header and last
        event, height ≥ 0), without reading it again; falls back to a header walk."""
        if (header is None or last is None or last.member_end is None or last.height < 0
                or not isinstance(header.timestamp, str) or not header.timestamp.isdigit()):
            return cls(path)
        w = cls.__new__(cls)
        w.path = Path(path)
        w.parent, w.height, w.last_type = last.hash, last.height + 1, last.type
        w._mtime, w._end, w._ident = int(header.timestamp), last.member_end, None
        return w

    def _adopt(self, tail: _Tail, st: os.stat_result) -> None:
        self._end, self._mtime = tail.end, tail.mtime
        self.parent, self.height, self.last_type = tail.parent, tail.height, tail.last_type
        self._ident = (st.st_dev, st.st_ino)

    def add_event(self, etype: str, payloads: list[bytes] | None = None, *,
                  follows: Collection[str] | None = None, unchanged: bool = False) -> str:
        """Append the payload data members (the last one is the event's payload), then the event.

        Checked under the lock, before anything is written (else `ArchiveError`):
        `follows`, the event types this one may follow; `unchanged`, that no event was
        appended since this writer's state was taken (e.g. by the pass that computed a tally).
        """
        return sha256_hex(self.add_events([(etype, payloads or [])], follows=follows, unchanged=unchanged)[0])

    def add_events(self, events: Sequence[tuple[str, list[bytes]]], *,
                   follows: Collection[str] | None = None, unchanged: bool = False, sync: bool = True) -> list[bytes]:
        """Append several events in one write and one fsync (a group commit); return each
        event's bytes (its board leaf). `follows` applies to the first event; the checks are
        `add_event`'s. With `sync=False` the caller syncs the archive itself (with its own files,
        at once) before relying on the events."""
        with open(self.path, "r+b") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # released when the file is closed
            st = os.fstat(f.fileno())
            if st.st_size != self._end or (self._ident is not None and self._ident != (st.st_dev, st.st_ino)):
                tail = _scan(f, self.path)  # changed by someone else (or ends with foreign blocks)
                if unchanged and (tail.parent, tail.height) != (self.parent, self.height):
                    raise ArchiveError(f"{self.path}: events were appended meanwhile (now {tail.height}, "
                                       f"expected {self.height}); {events[0][0] if events else 'nothing'} was not appended")
                self._adopt(tail, st)
            if follows is not None and events and self.last_type not in follows:
                raise ArchiveError(f"{self.path}: the last event is {self.last_type}; {events[0][0]} cannot follow it")
            out = bytearray()
            raws: list[bytes] = []
            parent, height = self.parent, self.height
            for etype, payloads in events:
                payload_hash = None
                for data in payloads:
                    payload_hash = sha256_hex(data)
                    out += tar_member(f"{payload_hash}.data.json", data, self._mtime)
                ev: dict[str, object] = {}
                if parent is not None:
                    ev["parent"] = parent
                ev["height"] = height
                ev["type"] = etype
                if payload_hash is not None:
                    ev["payload"] = payload_hash
                raw = dumpb(ev)
                parent, height = sha256_hex(raw), height + 1
                out += tar_member(f"{parent}.event.json", raw, self._mtime)
                raws.append(raw)
            f.seek(self._end)
            f.write(out)
            f.truncate()
            f.flush()
            if sync:
                os.fsync(f.fileno())
            self._ident = (st.st_dev, st.st_ino)
        self._end += len(out)
        if events:
            self.parent, self.height, self.last_type = parent, height, events[-1][0]
        return raws

    @property
    def state(self) -> tuple[int, int, str | None, int, str | None]:
        """(end, timestamp, parent, height, last type): what `restore` needs to append in O(1)."""
        return self._end, self._mtime, self.parent, self.height, self.last_type

    @classmethod
    def restore(cls, path: str | os.PathLike[str], state: Sequence[object]) -> ArchiveWriter:
        """A writer from a saved `state`; if the file no longer ends there, the first append
        walks the headers again (as with any change behind a writer's back)."""
        end, mtime, parent, height, last_type = state
        w = cls.__new__(cls)
        w.path = Path(path)
        w._end, w._mtime, w._ident = int(str(end)), int(str(mtime)), None
        w.parent = None if parent is None else str(parent)
        w.height = int(str(height))
        w.last_type = None if last_type is None else str(last_type)
        return w
