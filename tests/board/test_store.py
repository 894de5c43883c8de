"""Durability of the log store: SIGKILL while appending, sync before acknowledgement, torn tails."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from saylau.board import merkle
from saylau.board import store as store_mod
from saylau.board.errors import StoreError
from saylau.board.note import Signer, open_checkpoint
from saylau.board.store import LogStore
from tests.reference import naive_root

WRITER = r"""
import os, sys
from saylau.board.note import Checkpoint, Signer, sign_checkpoint
from saylau.board.store import LogStore
s = LogStore(sys.argv[1], create=True)
log = Signer("saylau.example/durability", bytes(range(32)))
i = s.size
out = os.fdopen(1, "w", buffering=1)
while True:
    batch = [f"entry {j}".encode() * (1 + j % 7) for j in range(i, i + 1 + i % 5)]
    s.append(batch)
    i += len(batch)
    if i % 3 == 0:
        s.write_checkpoint(sign_checkpoint(Checkpoint("saylau.example/durability", s.size, s.root()), log))
    out.write(f"{i}\n")  # acknowledged: every entry below i is durable
"""
LOG_KEY = Signer("saylau.example/durability", bytes(range(32))).verifier()


def entry(j: int) -> bytes:
    return f"entry {j}".encode() * (1 + j % 7)


def test_sigkill_while_appending_keeps_every_acknowledged_entry(tmp_path: Path):
    log = tmp_path / "log"
    rng = random.Random(7)
    acked = 0
    checkpoints = 0
    kills_while_appending = 0
    attempts = 0
    while kills_while_appending < 55:
        attempts += 1
        assert attempts < 300, "the writer never got to append"
        p = subprocess.Popen([sys.executable, "-c", WRITER, str(log)], stdout=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.05, 0.2))
        os.kill(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        lines = out.split()
        if lines:  # the writer had acknowledged appends in this run: the kill hit it mid-stream
            kills_while_appending += 1
        for line in lines:
            acked = max(acked, int(line))
        if not (log / "entries.bin").exists():  # killed before the log was even created
            assert acked == 0
            continue
        with LogStore(log) as s:
            assert s.size >= acked, f"acknowledged {acked} entries, only {s.size} survived"
            for j in rng.sample(range(s.size), min(20, s.size)) + ([s.size - 1] if s.size else []):
                assert s.entry(j) == entry(j)
            note = s.read_checkpoint()
            if note is not None:  # the latest checkpoint verifies and describes a prefix of the log
                cp = open_checkpoint(note, LOG_KEY)
                assert cp.size <= s.size and s.root(cp.size) == cp.root_hash
                checkpoints += 1
            if s.size:
                j = rng.randrange(s.size)
                merkle.verify_inclusion(j, s.size, merkle.leaf_hash(entry(j)), s.inclusion_proof(j), s.root())
    assert acked > 100 and checkpoints >= 50
    with LogStore(log) as s:
        assert s.root() == naive_root([entry(j) for j in range(s.size)])


def test_nothing_is_acknowledged_before_it_is_synced(tmp_path: Path, monkeypatch):
    events: list[str] = []
    real_sync, real_pwrite = store_mod._sync, os.pwrite

    def sync(fd: int) -> None:
        events.append("sync")
        real_sync(fd)

    def pwrite(fd: int, data: bytes, off: int) -> int:
        events.append("write")
        return real_pwrite(fd, data, off)

    def sync_all(files: list[int], directories: list[int] = []) -> None:  # noqa: B006
        for fd in [*files, *directories]:  # (the real one syncs them at once, natively)
            store_mod._sync(fd)

    s = LogStore(tmp_path / "log", create=True)
    monkeypatch.setattr(store_mod, "_sync", sync)
    monkeypatch.setattr(store_mod, "sync_all", sync_all)
    monkeypatch.setattr(store_mod.os, "pwrite", pwrite)
    events.clear()
    s.append([b"a", b"b", b"c"])
    # every write is followed by syncs before append returns; the commit record is written
    # only after the data is synced, and is itself synced last
    assert events[-1] == "sync" and events[-2] == "write"
    last_data_write = max(i for i, e in enumerate(events[:-2]) if e == "write")
    assert "sync" in events[last_data_write:-2]
    # a failing sync means no acknowledgement
    def failing(fd: int) -> None:
        raise OSError(5, "I/O error")
    monkeypatch.setattr(store_mod, "_sync", failing)
    with pytest.raises(OSError):
        s.append([b"d"])
    monkeypatch.setattr(store_mod, "_sync", real_sync)
    s.close()
    with LogStore(tmp_path / "log") as again:
        assert again.size == 3  # the unsynced "d" was never acknowledged, and is not served


def test_torn_tail_after_the_last_sync_is_refused_never_served(tmp_path: Path):
    rng = random.Random(11)
    for trial in range(30):
        log = tmp_path / f"log{trial}"
        with LogStore(log, create=True) as s:
            s.append([entry(j) for j in range(40)])
            synced = {p.name: p.stat().st_size for p in log.iterdir() if p.is_file()}
            s.append([entry(j) for j in range(40, 40 + rng.randint(1, 30))])
        # a power loss: each file keeps its synced part and a random part of the rest
        for p in log.iterdir():
            if p.is_file() and p.name in synced:
                cut = rng.randint(synced[p.name], p.stat().st_size)
                with open(p, "r+b") as f:
                    f.truncate(cut)
                if rng.random() < 0.3:
                    with open(p, "ab") as f:
                        f.write(os.urandom(rng.randint(1, 40)))
        with LogStore(log) as s:
            assert s.size >= 40
            for j in range(s.size):
                assert s.entry(j) == entry(j)
            assert s.root() == naive_root([entry(j) for j in range(s.size)])


def test_damaged_committed_data_is_refused(tmp_path: Path):
    log = tmp_path / "log"
    with LogStore(log, create=True) as s:
        s.append([entry(j) for j in range(10)])
    with open(log / "entries.bin", "r+b") as f:
        f.truncate(20)
    with pytest.raises(StoreError):
        LogStore(log)


def test_oversized_entry_and_missing_log_are_refused(tmp_path: Path):
    with LogStore(tmp_path / "log", create=True) as s:
        with pytest.raises(StoreError, match="65535"):
            s.append([b"x" * 70_000])
        with pytest.raises(StoreError):
            s.entry(0)
        h = s.put_data(b"payload")
        assert s.get_data(h) == b"payload"
        with pytest.raises(StoreError):
            s.get_data("../../etc/passwd")
    with pytest.raises(StoreError):
        LogStore(tmp_path / "nothing")
