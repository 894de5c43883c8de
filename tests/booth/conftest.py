"""Fixtures for the booth's JavaScript (src/saylau/web/booth/static/booth/): Node, the sample
elections, a fresh Saylau election, and belenios-tool (from tests/interop).

Node is required: a missing `node` FAILS these tests (it never skips them). The JavaScript
runs through tests/booth/js/booth.mjs, with tests/booth/js/loader.mjs standing in for the
page's import map.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from saylau.cli.main import main
from saylau.crypto import credentials as creds
from saylau.crypto.group import ED25519
from saylau.record.directory import read_file
from saylau.record.election import Election, parse_election
from tests.conftest import ED_SAMPLE, SeededRng
from tests.interop.conftest import belenios3  # noqa: F401  (fixture, re-exported for tests/booth)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BOOTH = REPO / "src" / "saylau" / "web" / "booth" / "static" / "booth"
VENDOR = BOOTH / "vendor"
DRIVER = HERE / "js" / "booth.mjs"
LOADER = HERE / "js" / "loader.mjs"
NODE_TIMEOUT = 240

# The fresh Saylau election of issue 5: one question, 4 candidates and "against all".
CANDIDATES = ["Әлия Серікқызы", "Бауыржан Омаров", "Гүлнар Ахметова", "Данияр Қасымов"]
AGAINST_ALL = "Бәріне қарсы"
TEMPLATE = {"description": "Ауыл әкімін сайлау — тест", "name": "Сарыағаш ауылы",
            "questions": [{"question": "Ауыл әкімі", "answers": [*CANDIDATES, AGAINST_ALL], "min": 1, "max": 1}]}
FRESH_UUID = "BoothTest5Sary"
V3_VOTERS = [f"voter{i}" for i in range(1, 7)]
V2_VOTERS = ["voter7", "voter8"]  # Belenios 2.0 credential format (3.0 still derives it)


def node_path() -> str:
    exe = shutil.which("node")
    if exe is None:
        pytest.fail("node is not installed: the booth's JavaScript is tested with Node 20 "
                    "(scripts/install-system.sh installs nodejs)", pytrace=False)
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    major = int(version.lstrip("v").split(".")[0] or 0)
    if major < 20:
        pytest.fail(f"node {version} is too old: the booth needs Node >= 20", pytrace=False)
    return exe


def run_js(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run booth tasks in Node (see tests/booth/js/booth.mjs); one result per task."""
    proc = subprocess.run([node_path(), "--import", str(LOADER), str(DRIVER)], input=json.dumps({"tasks": tasks}),
                          capture_output=True, text=True, timeout=NODE_TIMEOUT, cwd=HERE / "js")
    if proc.returncode != 0:
        raise AssertionError(f"node booth.mjs failed (exit {proc.returncode}):\n{proc.stderr[-6000:]}")
    results: list[dict[str, Any]] = json.loads(proc.stdout)["results"]
    assert len(results) == len(tasks)
    return results


def js(task: dict[str, Any]) -> dict[str, Any]:
    return run_js([task])[0]


def codes(findings: list[dict[str, Any]]) -> set[str]:
    return {f["code"] for f in findings}


def cli(*argv: str) -> tuple[int, str]:
    """`saylau ARGV` in this process; returns the exit code and standard output."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(list(argv))
    return code, buf.getvalue()


def cli_ok(*argv: str) -> str:
    code, out = cli(*argv)
    assert code == 0, f"saylau {' '.join(argv)} exited {code}:\n{out}"
    return out


@dataclass(frozen=True)
class ElectionFiles:
    """An election's public files and its voters' private credentials (test-only)."""

    dir: Path
    raw: str  # election.json as served (with the trailing newline belenios-tool writes)
    election: Election
    private: dict[str, str]  # login → private credential
    public: list[str]  # public_creds.json entries

    def copy(self, dest: Path) -> Path:
        shutil.copytree(self.dir, dest)
        return dest


def _files(d: Path, private: dict[str, str]) -> ElectionFiles:
    raw = (d / "election.json").read_text(encoding="utf-8")
    return ElectionFiles(d, raw, parse_election(read_file(d / "election.json")), private,
                         json.loads((d / "public_creds.json").read_text()))


def sample_files() -> ElectionFiles:
    """The belenios-tool 3.0 Ed25519 sample (read in place from ../shared; never modified)."""
    return _files(ED_SAMPLE, json.loads((ED_SAMPLE / "private_creds.json").read_text()))


@pytest.fixture(scope="session")
def ed_sample() -> ElectionFiles:
    return sample_files()


@contextlib.contextmanager
def passphrase() -> Iterator[None]:
    saved = os.environ.get("SAYLAU_PASSPHRASE")
    os.environ["SAYLAU_PASSPHRASE"] = "booth test passphrase - test only"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SAYLAU_PASSPHRASE"]
        else:
            os.environ["SAYLAU_PASSPHRASE"] = saved


@pytest.fixture(scope="session")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> ElectionFiles:
    """A fresh Saylau election made with the Python workflow (CLI): one question of 5 answers
    (min 1, max 1) with an "against all" answer, a board, one single trustee; six voters with
    3.x credentials and two with 2.0-format ones. Tests copy it before casting anything."""
    d = tmp_path_factory.mktemp("fresh") / "election"
    with passphrase():
        (d.parent / "voters.txt").write_text("\n".join(V3_VOTERS) + "\n")
        cli_ok("credentials", "generate", "--dir", str(d), "--uuid", FRESH_UUID, "--voters", str(d.parent / "voters.txt"))
        private = json.loads((d / "private_creds.json").read_text())
        public = json.loads((d / "public_creds.json").read_text())
        rng = SeededRng(5)
        for login in V2_VOTERS:
            private[login] = creds.generate_v2(rng)
            public.append(f"{ED25519.encode(creds.public_credential(ED25519, FRESH_UUID, private[login]))},,{login}")
        (d / "public_creds.json").write_text(json.dumps(public, separators=(",", ":")) + "\n")
        cli_ok("trustee", "generate", "--out", str(d / "chair"))
        (d / "public_keys.jsons").write_text((d / "chair.pubkey").read_text())
        cli_ok("trustees", "make", "--dir", str(d))
        (d.parent / "template.json").write_text(json.dumps(TEMPLATE, ensure_ascii=False), encoding="utf-8")
        cli_ok("election", "make", "--dir", str(d), "--uuid", FRESH_UUID, "--template", str(d.parent / "template.json"),
               "--timestamp", "1760000000", "--board")
        cli_ok("contest", "set", "--dir", str(d), "--question", "0", "--system", "plurality", "--against-all", AGAINST_ALL)
    (d / "private_creds.json").unlink()  # the server never holds them; the tests keep them in memory
    return _files(d, private)
