"""Many precinct records tallied at once, in a process pool (record.tallymany)."""

from __future__ import annotations

from pathlib import Path

from saylau.record.tallymany import tally_many, tally_one
from saylau.record.workflow import ElectionDir, encrypted_tally
from saylau.verify.verifier import verify_record
from tests.web.results_records import make_record

ANSWERS = ["A", "B", "Against all"]


def test_a_pool_tallies_every_record_and_one_bad_record_stops_none(tmp_path: Path) -> None:
    records = [make_record(tmp_path / f"p{i}", ANSWERS, [i + 1, 1, 0], tally=False).parent for i in range(3)]
    broken = tmp_path / "broken"
    broken.mkdir()
    paths = [str(p) for p in records[:2]] + [str(broken)] + [str(records[2])]
    results = list(tally_many(paths, workers=2))
    assert [r.path for r in results] == paths  # in order
    assert [r.num_tallied for r in results] == [2, 3, 0, 4]
    assert results[2].error and not any(r.error for i, r in enumerate(results) if i != 2)
    for path, r in zip(paths, results, strict=True):
        if not r.error:
            _tally, weight = encrypted_tally(ElectionDir(Path(path)))
            assert r.total_weight == weight == r.num_tallied
    # tallying again changes nothing: the existing tally is described, not appended twice
    assert tally_one(paths[0]) == results[0]
    assert list(tally_many(paths[:1], workers=1)) == results[:1]


def test_a_record_tallied_by_the_pool_verifies(tmp_path: Path) -> None:
    record = make_record(tmp_path / "p", ANSWERS, [2, 1, 1], tally=False).parent
    (tallied,) = tally_many([str(record)], workers=1)
    assert tallied.num_tallied == 4 and not tallied.error
    report = verify_record(record)
    assert report.checks() == {"result.missing"}  # everything up to the tally checks; no decryption yet


def test_a_dask_cluster_tallies_the_records(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster

    records = [str(make_record(tmp_path / f"p{i}", ANSWERS, [1, i, 1], tally=False).parent) for i in range(3)]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        results = list(tally_many(records, executor=client.get_executor()))
    assert [r.num_tallied for r in results] == [2, 3, 4] and not any(r.error for r in results)
    assert [tally_one(p) for p in records] == results  # the same tallies, read back locally
