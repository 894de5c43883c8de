"""End to end through the `saylau` command: the demo, verify's exit codes, refusals."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from saylau.cli.main import main

from .conftest import ED_SAMPLE, FF_SAMPLE

SAYLAU = [sys.executable, "-m", "saylau.cli.main"]


def run(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SAYLAU, *args], capture_output=True, text=True, timeout=600, **kw)


def test_demo_runs_and_verifies(tmp_path: Path):
    p = run("demo", "--dir", str(tmp_path / "demo"))
    assert p.returncode == 0, p.stderr
    assert "OK: every check passed" in p.stdout
    assert "re-votes superseded: 1" in p.stdout
    secret = (tmp_path / "demo" / "chair.secret").read_text()
    assert set(json.loads(secret)) == {"saylau-secret", "kdf", "opslimit", "memlimit", "salt", "nonce", "box"}


def test_verify_exit_codes(tmp_path: Path):
    ok = run("verify", "--quiet", "--jobs", "1", str(ED_SAMPLE))
    assert ok.returncode == 0 and "OK: every check passed" in ok.stdout
    bad = tmp_path / "bad.bel"
    data = (ED_SAMPLE / "h6S2PidkvfE8QM.bel").read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    p = run("verify", "--quiet", str(bad))
    assert p.returncode == 1 and "archive.truncated" in p.stdout and "Traceback" not in p.stderr
    missing = run("verify", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "saylau: error" in missing.stderr and "Traceback" not in missing.stderr


def test_verify_loose_directory_layout(tmp_path: Path):
    out = tmp_path / "loose"
    assert main(["export-dir", str(FF_SAMPLE / "1kkDd2GF4qTCn6.bel"), str(out)]) == 0
    assert not list(out.glob("*.bel"))
    assert main(["verify", "--quiet", "--jobs", "1", str(out)]) == 0


def test_cast_refuses_bad_and_unknown_ballots(tmp_path: Path, capsys):
    d = tmp_path / "demo"
    from saylau.cli.demo import run_demo

    assert run_demo(d) == 0
    # after the tally, casting is refused
    ballot = d / "ballot-aigerim.json"
    assert main(["ballot", "cast", "--dir", str(d), str(ballot)]) == 2
    assert "voting is closed" in capsys.readouterr().err


def test_cast_checks_before_appending(tmp_path: Path, capsys):
    d = tmp_path / "e"
    shutil.copytree(ED_SAMPLE, d, ignore=shutil.ignore_patterns("*.bel"))
    from saylau.record.workflow import ElectionDir, init_archive

    init_archive(ElectionDir(d), timestamp=1)
    b = d / "ballots" / "00001.json"
    tampered = tmp_path / "t.json"
    tampered.write_bytes(b.read_bytes().replace(b'"response":"1', b'"response":"2', 1))
    assert main(["ballot", "cast", "--dir", str(d), str(tampered)]) == 2
    assert "saylau: error" in capsys.readouterr().err
    assert main(["ballot", "cast", "--dir", str(d), str(b)]) == 0
    assert main(["ballot", "cast", "--dir", str(d), str(b)]) == 2  # the same ballot twice
    choice = tmp_path / "c.json"
    choice.write_text(json.dumps([[1, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]]))
    assert main(["ballot", "make", "--dir", str(d), "--credential", "YiAGq-72jkwF-XjcPD-FXHtmH", "--choice", str(choice)]) == 2
    assert "select between 1 and 1" in capsys.readouterr().err


def test_secret_file_wrong_passphrase(tmp_path: Path):
    from saylau.crypto.errors import SecretFileError
    from saylau.crypto.secretfile import open_secret, seal_secret

    text = seal_secret({"kind": "single", "secret": "42"}, "right", opslimit=1, memlimit=8192)
    assert open_secret(text, "right")["secret"] == "42"
    import pytest

    for bad_text, pw in [(text, "wrong"), (text.replace('"box": "', '"box": "AA'), "right"), ("{}", "right"), ("not json", "right")]:
        with pytest.raises(SecretFileError):
            open_secret(bad_text, pw)


def _election_up_to_tally(d: Path, monkeypatch) -> None:
    monkeypatch.setenv("SAYLAU_PASSPHRASE", "test passphrase")
    uuid = "DemoSaryagash1"
    assert main(["credentials", "generate", "--dir", str(d), "--uuid", uuid, "--count", "3"]) == 0
    assert main(["trustee", "generate", "--out", str(d / "chair")]) == 0
    (d / "public_keys.jsons").write_text((d / "chair.pubkey").read_text())
    assert main(["trustees", "make", "--dir", str(d)]) == 0
    assert main(["election", "make", "--dir", str(d), "--uuid", uuid, "--board"]) == 0
    private = list(json.loads((d / "private_creds.json").read_text()).values())
    (d / "c.json").write_text(json.dumps([[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0]]))
    for cred in private[:2]:
        from saylau.record.ballot import make_ballot
        from saylau.record.workflow import ElectionDir

        raw, _ = make_ballot(ElectionDir(d).election, cred, [[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0]])
        (d / "b.json").write_bytes(raw)
        assert main(["ballot", "cast", "--dir", str(d), str(d / "b.json")]) == 0
    assert main(["tally", "--dir", str(d)]) == 0


def test_trustee_recomputes_the_tally_before_decrypting(tmp_path: Path, monkeypatch, capsys):
    from . import archive_tools as at

    d = tmp_path / "e"
    d.mkdir()
    _election_up_to_tally(d, monkeypatch)
    decrypt = ["decrypt", "--dir", str(d), "--trustee-id", "1", "--secret", str(d / "chair.secret")]
    # a tally over fewer ballots than the minimum group size is refused
    assert main([*decrypt, "--min-ballots", "5"]) == 2
    assert "fewer than the minimum group size 5" in capsys.readouterr().err
    # a tampered encrypted tally is refused
    archive = next(d.glob("*.bel"))
    saved = archive.read_bytes()
    items = at.load(archive)
    tally = next(it for it in items if it.type == "EncryptedTally")
    rows = json.loads(tally.data[0])
    rows[0][0], rows[0][1] = rows[0][1], rows[0][0]
    from saylau.record.canonical import dumpb

    tally.data[0] = dumpb(rows)
    at.relink(items)
    at.write(archive, items)
    assert main(decrypt) == 2
    assert "tally.mismatch" in capsys.readouterr().err
    # with the board as the reference, the (still tampered) local tally is refused too
    vkey = str(d / "board" / "log.vkey")
    assert main([*decrypt, "--board", str(d / "board"), "--log-key", vkey]) == 2
    assert "differs from the board" in capsys.readouterr().err
    archive.write_bytes(saved)
    assert main([*decrypt, "--board", str(d / "board"), "--log-key", vkey]) == 0
    assert main(["result", "--dir", str(d)]) == 0
    assert main(["verify", "--quiet", "--jobs", "1", str(d), "--board", str(d / "board"), "--log-key", vkey]) == 0
