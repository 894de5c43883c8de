"""Parallel and distributed verification, and the on-disk re-vote index."""

from __future__ import annotations

import os

from saylau.verify.index import SpillMap
from saylau.verify.runners import DaskRunner, PoolRunner
from saylau.verify.verifier import verify_record

from .conftest import ED_SAMPLE, KNOWN_RESULT


def test_process_pool_uses_several_workers(monkeypatch):
    import saylau.verify.verifier as v

    monkeypatch.setattr(v, "CHUNK", 2)
    runner = PoolRunner(2)
    try:
        report = verify_record(ED_SAMPLE, runner=runner)
    finally:
        runner.close()
    assert report.ok and report.result == KNOWN_RESULT
    assert all(not w.endswith(f":{os.getpid()}") for w in report.stats["workers"])


def test_checks_run_on_a_local_dask_cluster(monkeypatch):
    from distributed import Client, LocalCluster

    import saylau.verify.verifier as v

    monkeypatch.setattr(v, "CHUNK", 4)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        with Client(cluster) as client:
            worker_pids = set(client.run(os.getpid).values())
        runner = DaskRunner(cluster.scheduler_address)
        try:
            report = verify_record(ED_SAMPLE, runner=runner)
        finally:
            runner.close()
    assert report.ok and report.result == KNOWN_RESULT
    used = {int(w.rsplit(":", 1)[1]) for w in report.stats["workers"]}
    assert used and used <= worker_pids, (used, worker_pids)


def test_spill_map_moves_to_disk_and_keeps_values():
    m = SpillMap(limit=10)
    for i in range(100):
        m.set(f"k{i}", str(i))
    m.set("k5", "replaced")
    assert m.on_disk and len(m) == 100
    assert m.get("k5") == "replaced" and m.get("k99") == "99" and m.get("nope") is None
    m.close()


def test_revotes_merge_across_shards_with_disk_index(tmp_path, monkeypatch):
    """A demo election with a re-vote, chunks of one ballot, index spilled to disk: same result."""
    import saylau.verify.verifier as v
    from saylau.cli.demo import run_demo

    d = tmp_path / "demo"
    assert run_demo(d) == 0
    monkeypatch.setattr(v, "CHUNK", 1)
    runner = PoolRunner(2)
    try:
        report = verify_record(d, runner=runner, index_limit=1)
    finally:
        runner.close()
    assert report.ok, report.render()
    assert report.stats["re-votes superseded"] == 1
    assert any("on-disk" in n for n in report.notes)
    assert report.result[0] == [4, 0, 1, 1]
