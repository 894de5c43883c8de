"""The ceremony's tally on a Dask cluster when SAYLAU_DASK_SCHEDULER names one (settings.DASK_SCHEDULER)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from saylau.web.ceremony.services import _tally
from tests.web.results_records import make_record


def test_the_tally_runs_on_the_configured_dask_cluster(settings: Any, tmp_path: Path) -> None:
    from distributed import LocalCluster

    records = [str(make_record(tmp_path / f"p{i}", ["A", "B"], [i + 1, 1], tally=False).parent) for i in range(2)]
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        settings.DASK_SCHEDULER = cluster.scheduler_address
        results = _tally(records)
    assert [(r.num_tallied, r.error) for r in results] == [(2, ""), (3, "")]
    settings.DASK_SCHEDULER = ""
    assert _tally(records) == results  # locally: the same tallies, read back
