"""An election on the bulletin board, end to end: receipts, mirrors over HTTP, the filtered view."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from saylau.board.server import serve
from saylau.board.store import LogStore
from saylau.cli.demo import run_demo
from saylau.cli.main import main
from saylau.verify.boardcheck import check_board
from saylau.verify.report import Report
from saylau.verify.verifier import verify_record


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("board-demo") / "e"
    assert run_demo(d) == 0
    return d


def test_every_receipt_checks_and_the_board_verifies(demo: Path, capsys):
    vkey = str(demo / "board" / "log.vkey")
    receipts = sorted((demo / "receipts").glob("*.tlog-proof"))
    assert len(receipts) == 7  # six voters and one re-vote
    for r in receipts:
        assert main(["board", "check-receipt", str(r), str(demo / "board"), "--log-key", vkey]) == 0
    assert main(["board", "verify", str(demo / "board"), "--log-key", vkey]) == 0
    assert "OK: every entry is in the signed tree" in capsys.readouterr().out


def test_board_over_http_mirror_prove_witness_export(demo: Path, tmp_path: Path, capsys):
    vkey = str(demo / "board" / "log.vkey")
    server = serve(demo / "board")
    url = server.url
    try:
        assert main(["board", "verify", url, "--log-key", vkey]) == 0
        tracker = next((demo / "receipts").glob("*.tlog-proof")).name[: -len(".tlog-proof")].replace("_", "/")
        assert main(["board", "prove", "--tracker", tracker, url, "--log-key", vkey, "--out", str(tmp_path / "r")]) == 0
        assert (tmp_path / "r").read_text().startswith("c2sp.org/tlog-proof@v1\n")
        key = tmp_path / "w.key"
        assert main(["witness", "keygen", "--name", "ngo.example/w", "--out", str(key)]) == 0
        assert main(["witness", "--board", url, "--key", str(key), "--state", str(tmp_path / "ws"), "--log-key", vkey]) == 0
        assert main(["board", "export", url, str(tmp_path / "view.bel")]) == 0
        archive = next(demo.glob("*.bel"))
        assert (tmp_path / "view.bel").read_bytes() == archive.read_bytes()
        report = verify_record(archive)
        check_board(report, archive, url, vkey)
        assert report.ok, report.render()
    finally:
        server.shutdown()


def test_a_board_that_lacks_or_alters_events_is_caught(demo: Path, tmp_path: Path):
    vkey = str(demo / "board" / "log.vkey")
    archive = next(demo.glob("*.bel"))
    # a board from another election, correctly signed by its own log: the archive is not on it
    other = tmp_path / "other"
    assert run_demo(other) == 0
    report = Report()
    check_board(report, archive, str(other / "board"), str(other / "board" / "log.vkey"))
    assert "board.inclusion" in report.checks()
    # the right board checked with the wrong key: refused
    report = Report()
    check_board(report, archive, str(demo / "board"), str(other / "board" / "log.vkey"))
    assert "board.unreadable" in report.checks()
    # a copy of the board whose entries were altered after signing
    copy = tmp_path / "copy"
    shutil.copytree(demo / "board", copy)
    data = bytearray((copy / "entries.bin").read_bytes())
    i = data.find(b'"type":"Ballot"')
    data[i + 9] ^= 0x01
    (copy / "entries.bin").write_bytes(bytes(data))
    assert main(["board", "verify", str(copy), "--log-key", vkey]) != 0


def test_archive_and_board_stay_in_step_after_a_crash(demo: Path, tmp_path: Path):
    """If the board falls behind the archive (a crash between the two), the next step repairs it."""
    from saylau.cli.board import sync_board
    from saylau.record.boardlog import archive_in_board

    d = tmp_path / "e"
    shutil.copytree(demo, d)
    with LogStore(d / "board") as s:
        full = s.size
    # simulate a board that only got half of the events
    from saylau.board import store as store_mod

    with LogStore(d / "board") as s:
        half = full // 2
        commits = (d / "board" / "commits.bin").read_bytes()
        rec = store_mod._commit_record(half)
    (d / "board" / "commits.bin").write_bytes(commits + rec)
    with LogStore(d / "board") as s:
        assert s.size == half
    sync_board(d)
    with LogStore(d / "board") as s:
        assert s.size >= half  # every archive event is back (Saylau's own events live on the board only)
        note = s.read_checkpoint()
        assert note is not None
        check = archive_in_board(next(d.glob("*.bel")), s, s.root(), s.size)
        assert check.problems == []


def test_static_mirror_served_by_a_plain_web_server(demo: Path, tmp_path: Path):
    """An observer mirrors the board as static tiles; Python's plain static server serves them."""
    import socket
    import subprocess
    import sys
    import time

    vkey = str(demo / "board" / "log.vkey")
    mirror = tmp_path / "mirror"
    assert main(["board", "mirror", str(demo / "board"), str(mirror), "--log-key", vkey]) == 0
    assert (mirror / "checkpoint").is_file() and (mirror / "tile" / "0" / "000.p").is_dir()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    web = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(mirror)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        assert main(["board", "verify", url, "--log-key", vkey]) == 0
        archive = next(demo.glob("*.bel"))
        assert main(["verify", "--quiet", "--jobs", "1", str(archive), "--board", url, "--log-key", vkey]) == 0
        assert main(["board", "export", url, str(tmp_path / "v.bel")]) == 0
        assert (tmp_path / "v.bel").read_bytes() == archive.read_bytes()
        assert main(["board", "mirror", url, str(tmp_path / "mirror2"), "--log-key", vkey]) == 0
    finally:
        web.terminate()
        web.wait(5)


def test_board_commands_refuse_bad_input_without_traceback(demo: Path, tmp_path: Path, capsys):
    vkey = str(demo / "board" / "log.vkey")
    junk = tmp_path / "junk.tlog-proof"
    junk.write_text("junk\n")
    cases = [
        (["board", "verify", str(tmp_path / "nothing"), "--log-key", vkey], "neither a log directory"),
        (["board", "verify", str(demo / "board"), "--log-key", "garbage+1+2"], "key ID"),
        (["board", "check-receipt", str(junk), str(demo / "board"), "--log-key", vkey], "tlog-proof"),
        (["board", "verify", "http://127.0.0.1:9/", "--log-key", vkey], "refused"),
        (["witness", "--board", str(demo / "board")], "usage"),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err
    # a receipt for another board does not check against this one
    other_receipt = next((demo / "receipts").glob("*.tlog-proof"))
    forged = other_receipt.read_text().replace("index ", "index 1", 1)
    (tmp_path / "forged").write_text(forged)
    assert main(["board", "check-receipt", str(tmp_path / "forged"), str(demo / "board"), "--log-key", vkey]) != 0


def test_outcome_is_rederived_from_the_board_and_a_false_one_is_caught(demo: Path, tmp_path: Path):
    from saylau.cli.board import _publish
    from saylau.record.boardlog import append_saylau_event, saylau_events

    vkey = str(demo / "board" / "log.vkey")
    archive = next(demo.glob("*.bel"))
    with LogStore(demo / "board") as s:
        contests = saylau_events(s, "contest")
        outcomes = saylau_events(s, "outcome")
    assert [c["system"] for _, c in contests] == ["plurality"]
    assert outcomes[0][1]["winner"] == "Aigerim Nurlanqyzy"
    report = verify_record(archive)
    check_board(report, archive, str(demo / "board"), vkey)
    assert report.ok, report.render()
    # the commission publishes a different winner: the verifier re-derives and disagrees
    d = tmp_path / "e"
    shutil.copytree(demo, d)
    with LogStore(d / "board") as s:
        forged = dict(outcomes[0][1], winner="Dana Temirkhanova")
        append_saylau_event(s, forged)
        _publish(d, s)
    report = verify_record(archive)
    check_board(report, archive, str(d / "board"), vkey)
    assert "outcome.mismatch" in report.checks()


def test_contest_specs_are_checked():
    from fractions import Fraction

    from saylau.domain.contest import ContestSpec, InvalidContest, derive_outcome, spec_from_json

    spec = ContestSpec(0, "party-list", "Against all", seats=4, threshold=Fraction(5, 100))
    assert spec_from_json(spec.to_json()) == spec
    out = derive_outcome(spec, ["A", "B", "C", "Against all"], [600, 300, 40, 60])
    assert out["seats"] == {"A": 3, "B": 1, "C": 0}
    maj = derive_outcome(ContestSpec(0, "majority"), ["A", "B", "C"], [40, 35, 25])
    assert maj["outcome"] == "runoff" and maj["runoff"] == ["A", "B"]
    for bad in [{"saylau": "contest", "question": 0, "system": "dhondt"},
                {"saylau": "contest", "question": -1, "system": "plurality"},
                {"saylau": "contest", "question": 0, "system": "party-list", "threshold": "x"},
                {"saylau": "contest", "question": 0, "system": "plurality", "extra": 1}]:
        with pytest.raises(InvalidContest):
            spec_from_json(bad)
    with pytest.raises(InvalidContest):
        derive_outcome(ContestSpec(0, "plurality", "Nobody"), ["A", "B"], [1, 2])


def test_saylau_events_are_appended_together_or_not_at_all(tmp_path: Path) -> None:
    from saylau.board.errors import BoardError
    from saylau.record.boardlog import append_saylau_events, saylau_events

    with LogStore(tmp_path / "log", create=True) as store:
        assert append_saylau_events(store, [{"saylau": "a", "n": 1}, {"saylau": "b", "n": 2}]) == [0, 1]
        with pytest.raises(BoardError):
            append_saylau_events(store, [{"saylau": "c"}, {"saylau": "d", "type": "Ballot"}])
        assert store.size == 2 and append_saylau_events(store, []) == []
        assert [e for _i, e in saylau_events(store, "b")] == [{"saylau": "b", "n": 2}]
