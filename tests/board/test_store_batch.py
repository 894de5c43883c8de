"""LogStore's batch paths used by the ballot box: `put_data_many`/`write_data`, `stage` and
`commit`, `refresh`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from saylau.board.errors import StoreError
from saylau.board.store import LogStore, sync_all


def test_put_data_many_stores_each_payload_by_hash(tmp_path: Path) -> None:
    store = LogStore(tmp_path / "log", create=True)
    payloads = [b"a", b"bb", b"a"]
    hashes = store.put_data_many(payloads)
    assert hashes == [hashlib.sha256(p).hexdigest() for p in payloads]
    assert [store.get_data(h) for h in hashes] == payloads
    assert store.put_data_many([b"a"]) == hashes[:1]  # already there: nothing rewritten
    assert not list((tmp_path / "log" / "data").glob(".*.tmp"))


def test_refresh_catches_up_with_another_writer(tmp_path: Path) -> None:
    a = LogStore(tmp_path / "log", create=True)
    b = LogStore(tmp_path / "log")
    a.append([b"one", b"two", b"three"])
    b.refresh()
    assert b.size == 3 and b.root() == a.root()
    b.append([b"four"])  # appends after a's entries, not over them
    a.refresh()
    assert a.size == 4 and [a.entry(i) for i in range(4)] == [b"one", b"two", b"three", b"four"]
    assert LogStore(tmp_path / "log").root() == a.root()


def test_a_payload_torn_by_a_crash_is_rewritten(tmp_path: Path) -> None:
    store = LogStore(tmp_path / "log", create=True)
    [h] = store.put_data_many([b"ballot"])
    (tmp_path / "log" / "data" / h).write_bytes(b"bal")  # written but never synced, then a crash
    with pytest.raises(StoreError, match="damaged"):
        store.get_data(h)
    new = store.write_data([b"ballot", b"other"])
    assert len(new.files) == 2 and len(new.directories) == 1  # both (re)written, unsynced
    sync_all(new.files, new.directories)
    new.close()
    assert store.get_data(h) == b"ballot"
    assert store.write_data([b"ballot"]).files == []  # intact: left alone


def test_a_staged_batch_is_invisible_until_committed(tmp_path: Path) -> None:
    store = LogStore(tmp_path / "log", create=True)
    store.append([b"one"])
    staged = store.stage([b"two", b"three"])
    assert store.size == 1  # not committed: not there
    sync_all(staged.fds)
    assert store.commit(staged) == [1, 2]
    reopened = LogStore(tmp_path / "log")
    assert reopened.size == 3 and reopened.root() == store.root()
    with pytest.raises(StoreError, match="cannot commit"):
        store.commit(staged)  # twice


def test_an_uncommitted_stage_is_dropped_on_reopening(tmp_path: Path) -> None:
    store = LogStore(tmp_path / "log", create=True)
    store.append([b"one"])
    store.stage([b"lost"])  # written, never committed (a crash)
    again = LogStore(tmp_path / "log")
    assert again.size == 1
    again.append([b"two"])
    assert [again.entry(i) for i in range(2)] == [b"one", b"two"]


def test_sync_all_syncs_files_and_directories_at_once_and_reports_failures(tmp_path: Path) -> None:
    import os

    fds = [os.open(tmp_path / f"f{i}", os.O_RDWR | os.O_CREAT) for i in range(20)]
    directory = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for fd in fds:
            os.write(fd, b"x")
        sync_all(fds, [directory])
        sync_all([], [])
        closed = os.open(tmp_path / "g", os.O_RDWR | os.O_CREAT)
        os.close(closed)
        with pytest.raises(OSError) as err:
            sync_all([fds[0], closed], [])
        assert err.value.errno == 9  # EBADF: the failing descriptor is reported, not ignored
        with pytest.raises(ValueError):
            sync_all(list(range(65)), [])
    finally:
        for fd in [*fds, directory]:
            os.close(fd)
