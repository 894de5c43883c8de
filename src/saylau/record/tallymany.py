"""The encrypted tallies of many precinct records at once, in parallel.

A national election is one Belenios record per precinct (DESIGN.md), and closing each and
computing its homomorphic tally is one streaming pass over its archive — independent of the
others, so they run in a process pool (`workers` processes; 1 runs inline) or on any
`concurrent.futures.Executor`, such as a Dask cluster's. Each result says
the record's encrypted tally (its SHA-256), the ballots it covers and their total weight, or
why the record could not be tallied; one bad record never stops the others.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from saylau.errors import SaylauError

from .workflow import ElectionDir, close_and_tally, sized_tally


@dataclass(frozen=True, slots=True)
class Tallied:
    path: str
    encrypted_tally: str = ""
    """The tally's reference as the EncryptedTally event names it (the hash of the encrypted
    tally stored beside the archive): what the public board publishes."""
    num_tallied: int = 0
    total_weight: int = 0
    error: str = ""
    """Empty when the record was tallied."""


def tally_one(path: str) -> Tallied:
    """Close and tally the record at `path` (if it has no tally yet) and describe its tally."""
    try:
        d = ElectionDir(Path(path))
        sized = sized_tally(d) or close_and_tally(d)
        return Tallied(path, str(sized["encrypted_tally"]), int(str(sized["num_tallied"])),
                       int(str(sized["total_weight"])))
    except (OSError, SaylauError, ValueError, KeyError) as exc:
        return Tallied(path, error=f"{type(exc).__name__}: {exc}")


def tally_many(paths: Sequence[str], *, workers: int | None = None,
               executor: Executor | None = None) -> Iterator[Tallied]:
    """`tally_one` of every path, in order: on `executor` if given (e.g. a Dask cluster's
    `Client.get_executor()`, whose workers must see the same paths), else over `workers` local
    processes (default: every core)."""
    if executor is not None:
        yield from executor.map(tally_one, paths)
        return
    workers = max(1, min(workers or os.cpu_count() or 1, len(paths)))
    if workers == 1:
        yield from (tally_one(p) for p in paths)
        return
    # forkserver: the workers start clean (no copy of a web server's threads or database handles)
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
        yield from pool.map(tally_one, paths, chunksize=max(1, len(paths) // (workers * 8)))
