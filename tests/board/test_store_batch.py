"""LogStore's batch paths used by the ballot box: `put_data_many` and `refresh`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from saylau.board.store import LogStore


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
