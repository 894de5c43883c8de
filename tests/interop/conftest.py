"""Fixtures for the Belenios interoperability tests: belenios-tool 2.0 and 3.x, saylau demos.

belenios-tool must be installed (`make system`, i.e. scripts/install-system.sh and
scripts/belenios3-chroot.sh ensure). A missing or wrong tool FAILS these tests; it never
skips them, so a CI run cannot pass without the cross-checks having run.

Both tools are always run with the election directory as the working directory and with
paths relative to it: on Debian 13 `belenios-tool-2.0` is a chroot wrapper that sees only
the current directory, and `belenios3-chroot.sh run DIR` exposes only DIR (as /work).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROOT_SCRIPT = REPO / "scripts" / "belenios3-chroot.sh"
TIMEOUT = 300  # seconds, per command: a hung tool must not hang the suite


def _show(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"


@dataclass(frozen=True)
class Tool:
    """One belenios-tool: `prefix` + ARGS, run with the election directory as cwd."""

    name: str
    version: str
    prefix: tuple[str, ...]
    chroot: bool  # True: the directory is passed to belenios3-chroot.sh run DIR --

    def run(self, cwd: Path, *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        cwd = Path(cwd)
        argv = [*self.prefix, str(cwd), "--", *args] if self.chroot else [*self.prefix, *args]
        proc = subprocess.run(argv, cwd=cwd, input=input if input is not None else "", capture_output=True,
                              text=True, timeout=TIMEOUT)
        if check and proc.returncode != 0:
            raise AssertionError(f"{self.name} {' '.join(args)} (in {cwd}) failed: {_show(proc)}")
        return proc


@pytest.fixture(scope="session")
def belenios2() -> Tool:
    """belenios-tool 2.0 (`belenios-tool-2.0` if on PATH, else `belenios-tool`)."""
    exe = shutil.which("belenios-tool-2.0") or shutil.which("belenios-tool")
    if exe is None:
        pytest.fail("belenios-tool 2.0 is not installed (neither belenios-tool-2.0 nor belenios-tool on PATH): "
                    "run `make system` (scripts/install-system.sh)", pytrace=False)
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=TIMEOUT)
    version = proc.stdout.strip()
    if proc.returncode != 0 or not version.startswith("2.0"):
        pytest.fail(f"{exe} --version is {version!r} (exit {proc.returncode}), expected 2.0: "
                    "on Debian 13 run scripts/install-system.sh to get belenios-tool-2.0", pytrace=False)
    return Tool("belenios-tool 2.0", version, (exe,), chroot=False)


@pytest.fixture(scope="session")
def belenios3() -> Tool:
    """belenios-tool 3.x through scripts/belenios3-chroot.sh (Debian 12: a trixie chroot)."""
    bash = shutil.which("bash")
    if not CHROOT_SCRIPT.is_file() or bash is None:
        pytest.fail(f"cannot run {CHROOT_SCRIPT} (script or bash missing)", pytrace=False)
    proc = subprocess.run([bash, str(CHROOT_SCRIPT), "version"], capture_output=True, text=True, timeout=1800)
    version = proc.stdout.strip()
    if proc.returncode != 0 or not version.startswith("3."):
        pytest.fail(f"belenios-tool 3.x is not available ({CHROOT_SCRIPT} version: {_show(proc)}): "
                    "run `make system` as root", pytrace=False)
    return Tool("belenios-tool 3.x", version, (bash, str(CHROOT_SCRIPT), "run"), chroot=True)


def saylau(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The `saylau` command, run by the interpreter running the tests (the project's venv)."""
    env = dict(os.environ)
    env.setdefault("SAYLAU_PASSPHRASE", "interop test passphrase - test only")
    proc = subprocess.run([sys.executable, "-m", "saylau.cli.main", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    if check and proc.returncode != 0:
        raise AssertionError(f"saylau {' '.join(args)} failed: {_show(proc)}")
    return proc


def _demo(tmp_path_factory: pytest.TempPathFactory, group: Sequence[str], name: str) -> Path:
    d = tmp_path_factory.mktemp(name) / "election"
    saylau("demo", "--dir", str(d), *group)
    return d


@pytest.fixture(scope="session")
def demo_ff(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`saylau demo --group BELENIOS-2048` (run once; tests must not modify it: copy first)."""
    return _demo(tmp_path_factory, ("--group", "BELENIOS-2048"), "demo-ff")


@pytest.fixture(scope="session")
def demo_ed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`saylau demo` (Ed25519; run once; tests must not modify it: copy first)."""
    return _demo(tmp_path_factory, (), "demo-ed")
