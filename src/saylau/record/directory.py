"""Election directories: belenios-tool's working directory and the loose-file layout.

`open_record(path)` accepts:
- a `.bel` archive;
- a directory holding exactly one `<uuid>.bel` (belenios-tool 2.0/3.x `--dir` layout);
- a loose-file directory without an archive: `election.json`, `trustees.json`,
  `public_creds.json` (or `public_creds.txt`), `ballots.jsons` (one ballot per line) and,
  when present, `encrypted_tally.json`, `partial_decryptions.jsons` (two lines each:
  the partial decryption, then the owner object) and `result.json`. Its events are
  synthesized in archive order so the same verifier checks it.

`export_directory` writes the loose files of an archive, so both layouts can be produced.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from .archive import Event, Header, read_events
from .canonical import dumpb, loads_strict, sha256_hex
from .errors import ArchiveError, MalformedRecord


def open_record(path: Path) -> tuple[Iterator[Header | Event], Path]:
    """The event stream of a record and the file ballots' offsets refer to."""
    if path.is_file():
        return read_events(path), path
    if not path.is_dir():
        raise ArchiveError(f"{path}: no such file or directory")
    archives = sorted(path.glob("*.bel"))
    if len(archives) == 1:
        return read_events(archives[0]), archives[0]
    if len(archives) > 1:
        raise ArchiveError(f"{path}: several archives ({', '.join(a.name for a in archives)}); name one")
    if not (path / "election.json").is_file():
        raise ArchiveError(f"{path}: neither a .bel archive nor election.json")
    return _loose(path), path / "ballots.jsons"


def read_file(path: Path) -> bytes:
    """A record file's bytes without the trailing newline that belenios-tool writes."""
    data = path.read_bytes()
    return data[:-1] if data.endswith(b"\n") else data


def archive_credentials(public_creds: Sequence[object]) -> bytes:
    """The archive's credential list: `cred` or `cred,weight` (logins dropped)."""
    out = []
    for e in public_creds:
        parts = str(e).split(",")
        out.append(parts[0] if len(parts) < 2 or not parts[1] else f"{parts[0]},{parts[1]}")
    return dumpb(out)


def _credentials(path: Path) -> bytes:
    if (path / "public_creds.json").is_file():
        entries = loads_strict(read_file(path / "public_creds.json"), "public_creds.json")
    elif (path / "public_creds.txt").is_file():
        entries = [line.strip() for line in (path / "public_creds.txt").read_text().splitlines() if line.strip()]
    else:
        raise MalformedRecord("public_creds.json", "missing")
    if not isinstance(entries, list):
        raise MalformedRecord("public_creds.json", "expected a list")
    return archive_credentials(entries)


class _Chain:
    def __init__(self) -> None:
        self.parent: str | None = None
        self.height = 0

    def event(self, etype: str, payload: bytes | None, offset: int | None = None, linked: dict[str, bytes] | None = None) -> Event:
        ev: dict[str, object] = {}
        if self.parent is not None:
            ev["parent"] = self.parent
        ev["height"] = self.height
        ev["type"] = etype
        if payload is not None:
            ev["payload"] = sha256_hex(payload)
        h = sha256_hex(dumpb(ev))
        out = Event(self.height, etype, h, self.parent, sha256_hex(payload) if payload is not None else None,
                    payload, offset, [], linked or {})
        self.parent, self.height = h, self.height + 1
        return out


def _loose(path: Path) -> Iterator[Header | Event]:
    yield Header(1, "0", [])
    chain = _Chain()
    election = read_file(path / "election.json")
    trustees = read_file(path / "trustees.json")
    creds = _credentials(path)
    setup = dumpb({"election": sha256_hex(election), "trustees": sha256_hex(trustees), "credentials": sha256_hex(creds)})
    yield chain.event("Setup", setup, linked={sha256_hex(x): x for x in (election, trustees, creds)})
    ballots = path / "ballots.jsons"
    if ballots.is_file():
        with ballots.open("rb") as f:
            offset = 0
            for line in f:
                body = line.rstrip(b"\n")
                if body:
                    yield chain.event("Ballot", body, offset)
                offset += len(line)
    if not (path / "encrypted_tally.json").is_file():
        return
    yield chain.event("EndBallots", None)
    tally = read_file(path / "encrypted_tally.json")
    sized = loads_strict(tally, "encrypted_tally.json")
    if isinstance(sized, dict) and "encrypted_tally" in sized and not isinstance(sized["encrypted_tally"], str):
        data = dumpb(sized["encrypted_tally"])
        sized = {**sized, "encrypted_tally": sha256_hex(data)}
        yield chain.event("EncryptedTally", dumpb(sized), linked={sha256_hex(data): data})
    pds = path / "partial_decryptions.jsons"
    if pds.is_file():
        lines = [ln for ln in pds.read_bytes().split(b"\n") if ln]
        for pd, owned in zip(lines[::2], lines[1::2], strict=False):
            yield chain.event("PartialDecryption", owned, linked={sha256_hex(pd): pd})
    if (path / "result.json").is_file():
        yield chain.event("Result", read_file(path / "result.json"))


def export_directory(archive: Path, out: Path) -> None:
    """Write the loose-file layout of `archive` into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "ballots.jsons").open("wb") as ballots:
        pds = []
        for item in read_events(archive):
            if not isinstance(item, Event):
                continue
            if item.type == "Setup" and item.payload is not None:
                setup = loads_strict(item.payload, "setup")
                assert isinstance(setup, dict)
                (out / "election.json").write_bytes(item.linked[setup["election"]] + b"\n")
                (out / "trustees.json").write_bytes(item.linked[setup["trustees"]] + b"\n")
                (out / "public_creds.json").write_bytes(item.linked[setup["credentials"]] + b"\n")
            elif item.type == "Ballot" and item.payload is not None:
                ballots.write(item.payload + b"\n")
            elif item.type == "EncryptedTally" and item.payload is not None:
                sized = loads_strict(item.payload, "tally")
                assert isinstance(sized, dict)
                tally = loads_strict(item.linked[sized["encrypted_tally"]], "tally")
                (out / "encrypted_tally.json").write_bytes(dumpb({**sized, "encrypted_tally": tally}) + b"\n")
            elif item.type == "PartialDecryption" and item.payload is not None:
                owned = loads_strict(item.payload, "pd")
                assert isinstance(owned, dict)
                pds.append(item.linked[owned["payload"]] + b"\n" + item.payload + b"\n")
            elif item.type == "Result" and item.payload is not None:
                (out / "result.json").write_bytes(item.payload + b"\n")
    (out / "partial_decryptions.jsons").write_bytes(b"".join(pds))
