"""The archive writer and the election workflow: O(1) appends, one pass per cast, a streaming tally."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

import saylau.record.archive as archive_mod
import saylau.record.workflow as workflow
from saylau.crypto import credentials
from saylau.crypto.group import ED25519
from saylau.crypto.trustees import single_generate
from saylau.record.archive import LAYOUT, ArchiveWriter, Event, Header, read_events, tar_member
from saylau.record.ballot import BallotError, make_ballot
from saylau.record.canonical import dumpb
from saylau.record.election import election_from_template, parse_election
from saylau.record.errors import ArchiveError
from saylau.record.workflow import (
    ElectionDir,
    WorkflowError,
    add_partial_decryption,
    cast,
    close_and_tally,
    compute_result,
    init_archive,
    make_partial_decryption,
)
from saylau.verify.verifier import verify_record

from .conftest import SeededRng

UUID = "WeightedTest12"


def _problems(path: Path) -> list[str]:
    return [p for item in read_events(path) for p in item.problems]


def _chain(path: Path) -> list[tuple[int, str]]:
    return [(e.height, e.type) for e in read_events(path) if isinstance(e, Event)]


@pytest.fixture
def weighted(tmp_path: Path) -> dict[str, Any]:
    """A one-question Ed25519 election with credential weights 1, 3 and 2, Setup only."""
    rng = SeededRng(11)
    d = tmp_path / "e"
    d.mkdir()
    g = ED25519
    x, pub = single_generate(g, rng=rng)
    (d / "trustees.json").write_text(json.dumps([["Single", pub]], separators=(",", ":")))
    creds = [credentials.generate(rng) for _ in range(3)]
    weights = [1, 3, 2]
    (d / "public_creds.json").write_text(json.dumps(
        [f"{g.encode(credentials.public_credential(g, UUID, c))},{w}" for c, w in zip(creds, weights, strict=True)]))
    template = {"description": "d", "name": "n", "questions": [{"question": "q", "answers": ["a", "b"], "min": 1, "max": 1}]}
    raw = election_from_template(template, uuid=UUID, group=g, public_key=g.g_pow(x))
    (d / "election.json").write_bytes(raw)
    ed = ElectionDir(d)
    init_archive(ed, timestamp=1700000000)
    return {"dir": ed, "x": x, "creds": creds, "election": parse_election(raw), "rng": rng}


def _ballot(w: dict[str, Any], voter: int, choice: list[list[int]]) -> bytes:
    return make_ballot(w["election"], w["creds"][voter], choice, rng=w["rng"])[0]


# --- the writer ---------------------------------------------------------------------------------


class _ReadSpy:
    """Counts the bytes read through the files that archive.py opens."""

    def __init__(self) -> None:
        self.read = 0

    def open(self, *args: Any, **kw: Any) -> Any:
        f = open(*args, **kw)  # noqa: SIM115
        spy = self

        class Wrapped:
            def __enter__(self) -> Any:
                f.__enter__()
                return self

            def __exit__(self, *exc: object) -> None:
                f.__exit__(*exc)

            def read(self, *a: Any) -> bytes:
                data = f.read(*a)
                spy.read += len(data)
                return bytes(data)

            def __getattr__(self, name: str) -> Any:
                return getattr(f, name)

        return Wrapped()


def test_append_reads_nothing_and_scans_once(weighted: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening walks the member headers once; each append then reads no byte of the archive."""
    path = weighted["dir"].archive
    for voter in range(3):
        ArchiveWriter(path).add_event("Ballot", [_ballot(weighted, voter, [[1, 0]])])
    scans = 0
    real_scan = archive_mod._scan

    def counting_scan(*a: Any) -> Any:
        nonlocal scans
        scans += 1
        return real_scan(*a)

    monkeypatch.setattr(archive_mod, "_scan", counting_scan)
    writer = ArchiveWriter(path)
    assert scans == 1 and writer.height == 4 and writer.last_type == "Ballot"
    spy = _ReadSpy()
    monkeypatch.setattr(archive_mod, "open", spy.open, raising=False)
    ballots = [_ballot(weighted, voter % 3, [[0, 1]]) for voter in range(5)]
    for b in ballots:
        writer.add_event("Ballot", [b])
    assert scans == 1 and spy.read == 0
    ArchiveWriter(path)  # the spy does see reads: opening walks the headers
    assert scans == 2 and 0 < spy.read < path.stat().st_size // 2  # headers only, not contents
    monkeypatch.undo()
    assert _chain(path) == [(0, "Setup"), *[(h, "Ballot") for h in range(1, 9)]]
    assert _problems(path) == []


def test_writers_interleaving_keep_the_chain(weighted: dict[str, Any]) -> None:
    """Another writer appended behind this one's back: it re-walks and chains after it."""
    path = weighted["dir"].archive
    a, b = ArchiveWriter(path), ArchiveWriter(path)
    a.add_event("Ballot", [_ballot(weighted, 0, [[1, 0]])])
    b.add_event("Ballot", [_ballot(weighted, 1, [[1, 0]])])  # b's view was stale
    a.add_event("Ballot", [_ballot(weighted, 2, [[1, 0]])])
    assert _chain(path) == [(0, "Setup"), (1, "Ballot"), (2, "Ballot"), (3, "Ballot")]
    assert _problems(path) == []


def test_guards_refuse_before_writing(weighted: dict[str, Any]) -> None:
    path = weighted["dir"].archive
    stale = ArchiveWriter(path)
    ArchiveWriter(path).add_event("Ballot", [_ballot(weighted, 0, [[1, 0]])])
    size = path.stat().st_size
    with pytest.raises(ArchiveError, match="appended meanwhile"):
        stale.add_event("EndBallots", unchanged=True)
    ArchiveWriter(path).add_event("EndBallots")
    with pytest.raises(ArchiveError, match="cannot follow"):
        stale.add_event("Ballot", [_ballot(weighted, 1, [[1, 0]])], follows=("Setup", "Ballot"))
    assert path.stat().st_size > size and _chain(path)[-1] == (2, "EndBallots") and _problems(path) == []


def test_append_after_foreign_end_blocks(weighted: dict[str, Any]) -> None:
    """A tar with end-of-archive blocks (another writer's) is appended to as belenios-tool would."""
    path = weighted["dir"].archive
    with open(path, "ab") as f:
        f.write(bytes(10240 - path.stat().st_size % 10240))
    assert any(p.startswith(LAYOUT) and "after the last member" in p for p in _problems(path))
    ArchiveWriter(path).add_event("Ballot", [_ballot(weighted, 0, [[1, 0]])])
    assert _problems(path) == [] and _chain(path)[-1] == (1, "Ballot")


def test_new_archive_fsyncs_file_and_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    real = os.fsync

    def spy(fd: int) -> None:
        synced.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    w = ArchiveWriter(tmp_path / "x.bel", timestamp=5)
    assert synced == ["file", "dir"]
    w.add_event("Setup", [b"{}"])
    assert synced == ["file", "dir", "file"]
    data = (tmp_path / "x.bel").read_bytes()
    assert data.startswith(tar_member("BELENIOS", dumpb({"version": 1, "timestamp": "5"}), 5))


def test_reader_reports_member_mtime_and_padding(tmp_path: Path) -> None:
    path = tmp_path / "x.bel"
    w = ArchiveWriter(path, timestamp=1700000000)
    w.add_event("Setup", [b"{}"])
    data = bytearray(path.read_bytes())
    assert _problems(path) == []
    member = tar_member("BELENIOS", dumpb({"version": 1, "timestamp": "1700000000"}), 1700000000)
    data[len(member) - 1] = 1  # a non-zero padding byte after the header's content
    path.write_bytes(bytes(data))
    assert any("padding" in p for p in _problems(path))
    other = tmp_path / "y.bel"
    with open(other, "wb") as f:
        f.write(member)
        f.write(tar_member("0" * 64 + ".data.json", b"{}", 1700000001))
    problems = _problems(other)
    assert any(p.startswith(LAYOUT) and "not the archive timestamp 1700000000" in p for p in problems), problems


# --- the workflow -------------------------------------------------------------------------------


def _count_passes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    passes: list[int] = []
    real = workflow.read_events

    def counting(path: Any) -> Any:
        passes.append(1)
        return real(path)

    monkeypatch.setattr(workflow, "read_events", counting)
    return passes


def test_cast_reads_the_archive_once(weighted: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    d = weighted["dir"]
    first = _ballot(weighted, 0, [[1, 0]])
    cast(d, first)
    passes = _count_passes(monkeypatch)
    scans: list[int] = []
    real_scan = archive_mod._scan
    monkeypatch.setattr(archive_mod, "_scan", lambda *a: scans.append(1) or real_scan(*a))
    cast(d, _ballot(weighted, 1, [[0, 1]]))
    assert len(passes) == 1 and scans == []
    with pytest.raises(BallotError) as exc:
        cast(d, first)
    assert exc.value.check == "ballot.duplicate" and len(passes) == 2
    assert _chain(d.archive) == [(0, "Setup"), (1, "Ballot"), (2, "Ballot")]


def test_streaming_tally_applies_revotes_and_weights(weighted: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-votes (one voter twice), weights 1/3/2, a garbage ballot and an unknown credential:
    one pass, every ballot parsed once (superseded ones twice), proofs not re-checked, and the
    verifier agrees with the tally and the result."""
    d = weighted["dir"]
    sequence = [(0, [[1, 0]]), (1, [[0, 1]]), (2, [[1, 0]]), (1, [[1, 0]]), (0, [[0, 1]]), (1, [[0, 1]])]
    for voter, choice in sequence:
        cast(d, _ballot(weighted, voter, choice))
    writer = ArchiveWriter(d.archive)
    writer.add_event("Ballot", [b'{"not":"a ballot"}'])
    stranger = make_ballot(weighted["election"], credentials.generate(SeededRng(99)), [[1, 0]], rng=SeededRng(3))[0]
    writer.add_event("Ballot", [stranger])
    passes = _count_passes(monkeypatch)
    parsed: list[int] = []
    real_parse = workflow.parse_ballot
    monkeypatch.setattr(workflow, "parse_ballot", lambda *a, **k: parsed.append(1) or real_parse(*a, **k))
    monkeypatch.setattr(workflow, "check_ballot", lambda *a, **k: pytest.fail("proofs re-checked"))
    sized = close_and_tally(d)
    assert len(passes) == 1
    assert len(parsed) == len(sequence) + 2 + 3  # each ballot once, plus the 3 superseded ones re-read
    assert sized["num_tallied"] == 3 and sized["total_weight"] == 6
    monkeypatch.undo()
    with pytest.raises(WorkflowError):
        close_and_tally(d)
    with pytest.raises(WorkflowError, match="closed"):
        cast(d, _ballot(weighted, 2, [[0, 1]]))
    add_partial_decryption(d, *make_partial_decryption(d, 1, weighted["x"], rng=SeededRng(4)))
    # last ballots: voter 0 → b (weight 1), voter 1 → b (weight 3), voter 2 → a (weight 2)
    assert compute_result(d) == [[2, 4]]
    report = verify_record(d.path)
    assert report.checks() == {"ballot.malformed", "ballot.unknown_credential"}, report.render()
    assert report.result == [[2, 4]] and report.stats["re-votes superseded"] == 3


def test_tally_recheck_excludes_bad_proofs(weighted: dict[str, Any]) -> None:
    d = weighted["dir"]
    good = _ballot(weighted, 0, [[1, 0]])
    cast(d, good)
    ballot = json.loads(_ballot(weighted, 1, [[0, 1]]))
    proof = ballot["answers"][0]["individual_proofs"][0][0]
    proof["response"] = str((int(proof["response"]) + 1) % ED25519.q)
    ArchiveWriter(d.archive).add_event("Ballot", [dumpb(ballot)])  # appended without `cast`'s checks
    assert close_and_tally(d, recheck=True)["num_tallied"] == 1


def test_header_walk_refuses_a_broken_last_event(weighted: dict[str, Any]) -> None:
    path = weighted["dir"].archive
    with open(path, "ab") as f:
        f.write(tar_member("0" * 64 + ".event.json", b"not json", 1700000000))
    with pytest.raises(ArchiveError, match="last event"):
        ArchiveWriter(path)
    assert any(isinstance(h, Header) for h in read_events(path))
