"""record.ballotbox: group commits to a precinct's archive and board, from several processes at
once (the voting server's workers), each receipt checked, the archive verified; a failed board
append takes the ballots back out of the archive; a stale state is recovered."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from saylau.board import merkle
from saylau.board.note import load_vkey, open_checkpoint
from saylau.board.proofs import parse_tlog_proof
from saylau.board.store import LogStore
from saylau.cli.board import board_init
from saylau.cli.main import main as saylau
from saylau.crypto import credentials
from saylau.crypto.group import SYSTEM_RNG, group_by_name
from saylau.crypto.trustees import single_generate, verify_trustees
from saylau.record.ballot import make_ballot
from saylau.record.ballotbox import STATE, STATE_SIZE, BallotBox
from saylau.record.election import election_from_template
from saylau.record.workflow import ElectionDir, init_archive


def make_dir(d: Path, voters: int) -> tuple[list[str], str]:
    g = group_by_name("Ed25519")
    d.mkdir(parents=True)
    uuid = credentials.random_token(SYSTEM_RNG)
    private = [credentials.generate(SYSTEM_RNG) for _ in range(voters)]
    (d / "public_creds.json").write_text(json.dumps([g.encode(credentials.public_credential(g, uuid, c))
                                                     for c in private]))
    _x, pub = single_generate(g, rng=SYSTEM_RNG)
    (d / "trustees.json").write_text(json.dumps([["Single", pub]]))
    y = verify_trustees(g, [["Single", pub]]).election_key
    template = {"description": "d", "name": "n", "questions": [{"question": "q", "answers": list("ABCDE"),
                                                                "min": 1, "max": 1}]}
    (d / "election.json").write_bytes(election_from_template(template, uuid=uuid, group=g, public_key=y))
    init_archive(ElectionDir(d), timestamp=1_700_000_000)
    return private, board_init(d)


def _worker(d: str, ballots: list[bytes], out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    box = BallotBox(Path(d))
    receipts = []
    for i in range(0, len(ballots), 3):
        with box.locked():
            receipts += [a.receipt for a in box.append(ballots[i:i + 3])]
    out.put(receipts)


def _check(receipt: str, d: Path, vkey: str) -> None:
    parsed = parse_tlog_proof(receipt)
    cp = open_checkpoint(parsed.checkpoint_note, load_vkey(vkey))
    with LogStore(d / "board") as store:
        merkle.verify_inclusion(parsed.leaf_index, cp.size, merkle.leaf_hash(store.entry(parsed.leaf_index)),
                                parsed.proof, cp.root_hash)


def test_processes_append_concurrently(tmp_path: Path) -> None:
    d = tmp_path / "p"
    private, vkey = make_dir(d, 36)
    election = ElectionDir(d).election
    ballots = [make_ballot(election, c, [[0, 1, 0, 0, 0]])[0] for c in private]
    queue: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()  # type: ignore[type-arg]
    procs = [multiprocessing.get_context("fork").Process(target=_worker, args=(str(d), ballots[k::3], queue))
             for k in range(3)]
    for p in procs:
        p.start()
    receipts = [r for _ in procs for r in queue.get(timeout=120)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert len(receipts) == 36
    for r in receipts:
        _check(r, d, vkey)
    assert ElectionDir(d).events() == ["Setup"] + ["Ballot"] * 36
    assert saylau(["board", "verify", str(d / "board"), "--log-key", vkey]) == 0


def test_a_failed_board_append_is_taken_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "p"
    private, vkey = make_dir(d, 3)
    election = ElectionDir(d).election
    archive = ElectionDir(d).archive
    box = BallotBox(d)
    with box.locked():
        box.append([make_ballot(election, private[0], [[1, 0, 0, 0, 0]])[0]])
    size = archive.stat().st_size

    def broken(self: LogStore, staged: object) -> list[int]:
        raise OSError("disk full")

    for step in ("stage", "commit"):  # before the leaves are written, or before they are committed
        monkeypatch.setattr(LogStore, step, broken)
        with pytest.raises(OSError), box.locked():
            box.append([make_ballot(election, private[1], [[1, 0, 0, 0, 0]])[0]])
        assert archive.stat().st_size == size
        monkeypatch.undo()
    with box.locked():
        [a] = box.append([make_ballot(election, private[2], [[1, 0, 0, 0, 0]])[0]])
    assert a.height == 2
    _check(a.receipt, d, vkey)


def test_a_stale_state_is_recovered(tmp_path: Path) -> None:
    d = tmp_path / "p"
    private, vkey = make_dir(d, 2)
    election = ElectionDir(d).election
    box = BallotBox(d)
    with box.locked():
        box.append([make_ballot(election, private[0], [[1, 0, 0, 0, 0]])[0]])
    (d / STATE).unlink()
    other = BallotBox(d)
    with other.locked():
        assert [r.height for r in other.recovered] == [1]
        [a] = other.append([make_ballot(election, private[1], [[1, 0, 0, 0, 0]])[0]])
    assert (a.height, a.index) == (2, 3)  # leaves: header, Setup, two ballots
    _check(a.receipt, d, vkey)


def test_a_torn_or_invalidated_state_record_means_a_recovery(tmp_path: Path) -> None:
    d = tmp_path / "p"
    private, vkey = make_dir(d, 3)
    election = ElectionDir(d).election
    box = BallotBox(d)
    with box.locked():
        box.append([make_ballot(election, private[0], [[1, 0, 0, 0, 0]])[0]])
    raw = (d / STATE).read_bytes()
    assert len(raw) == STATE_SIZE and json.loads(raw[64:].rstrip())["board"] == 3
    (d / STATE).write_bytes(raw[:100] + b"x" + raw[101:])  # a torn write: the checksum fails
    other = BallotBox(d)
    with other.locked():
        assert [r.height for r in other.recovered] == [1]
        other.recovered = []
        other.append([make_ballot(election, private[1], [[1, 0, 0, 0, 0]])[0]])
    other.invalidate()  # what the voting server does when its own records failed after an append
    with other.locked():
        assert [r.height for r in other.recovered] == [1, 2]
        [a] = other.append([make_ballot(election, private[2], [[1, 0, 0, 0, 0]])[0]])
    assert (a.height, a.index) == (3, 4)
    _check(a.receipt, d, vkey)
