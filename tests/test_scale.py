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


def test_verifications_in_one_process_do_not_interfere(tmp_path):
    """A second verification runs to completion in the middle of the first (as two threads or
    two tasks of one worker could): with per-run state, both reports are right."""
    from saylau.cli.demo import run_demo
    from saylau.verify.runners import InlineRunner

    d = tmp_path / "demo"
    assert run_demo(d) == 0
    inner: list = []

    class Interleaving(InlineRunner):
        def run(self, election_raw, chunks):
            for i, result in enumerate(super().run(election_raw, chunks)):
                if i == 0 and not inner:
                    inner.append(verify_record(ED_SAMPLE))
                yield result

    import saylau.verify.verifier as v

    old = v.CHUNK
    v.CHUNK = 2
    try:
        outer = verify_record(d, runner=Interleaving())
    finally:
        v.CHUNK = old
    assert inner[0].ok and inner[0].result == KNOWN_RESULT, inner[0].render()
    assert outer.ok, outer.render()
    assert outer.stats["re-votes superseded"] == 1 and outer.result[0] == [4, 0, 1, 1]


def test_superseded_weight_one_ballots_are_divided_without_pow(tmp_path, monkeypatch):
    """Dividing out a weight-1 re-vote needs no exponentiation (and the list spills to disk)."""
    import saylau.verify.verifier as v
    from saylau.cli.demo import run_demo
    from saylau.record.directory import open_record

    d = tmp_path / "demo"
    assert run_demo(d) == 0
    report = verify_record(d)
    assert report.ok
    events, source = open_record(d)
    state = v._State(report, source)
    for item in events:
        if v._handle(state, item):
            break
    ballots = [e for e in events if e.type == "Ballot"]
    superseded = SpillMap(limit=0)
    for b in ballots[:2]:
        superseded.set(str(b.height), f"{b.payload_offset} {len(b.payload)} 1")
    assert superseded.on_disk
    group_type = type(state.election.group)
    real_pow = group_type.pow

    def no_pow_by_one(self, a, n):
        assert n != 1, "pow(x, 1) for a weight-1 ballot"
        return real_pow(self, a, n)

    monkeypatch.setattr(group_type, "pow", no_pow_by_one)
    tally = v._recompute_tally(state, [], superseded)
    superseded.close()
    g = state.election.group
    # identity divided by the two ballots = the inverse of their product
    from saylau.record.ballot import parse_ballot

    parsed = [parse_ballot(b.payload, state.election) for b in ballots[:2]]
    for qi, row in enumerate(tally):
        for ai, ct in enumerate(row):
            prod_a = g.mul(parsed[0].answers[qi].choices[ai].alpha, parsed[1].answers[qi].choices[ai].alpha)
            assert g.mul(ct.alpha, prod_a) == g.identity
