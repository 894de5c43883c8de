"""Where ballot chunks are checked: in this process, on a local process pool, or on Dask.

Each runner maps `verify_chunk` over chunks and yields the results in submission order,
with a bounded number of chunks in flight so that memory stays flat however long the
archive is.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import multiprocessing
from collections.abc import Iterable, Iterator
from typing import Protocol

from .ballots import Chunk, ChunkResult, verify_chunk


class Runner(Protocol):
    def run(self, election_raw: bytes, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]: ...

    def close(self) -> None: ...


class InlineRunner:
    """One process: used for `--jobs 1` and by the in-process fuzz tests."""

    def run(self, election_raw: bytes, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield verify_chunk(election_raw, chunk)

    def close(self) -> None:
        pass


class PoolRunner:
    """A local process pool using every core by default."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        ctx = multiprocessing.get_context("forkserver")
        self.pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)

    def run(self, election_raw: bytes, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        window: collections.deque[cf.Future[ChunkResult]] = collections.deque()
        for chunk in chunks:
            window.append(self.pool.submit(verify_chunk, election_raw, chunk))
            if len(window) >= 4 * self.jobs:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)


def default_runner(jobs: int | None = None) -> Runner:
    """A pool over `jobs` processes (default: every core), or this process alone for one."""
    import os

    jobs = jobs or os.cpu_count() or 1
    return PoolRunner(jobs) if jobs > 1 else InlineRunner()


class DaskRunner:
    """A Dask cluster (`--scheduler tcp://HOST:PORT`): the same task code on its workers."""

    def __init__(self, scheduler: str) -> None:
        from distributed import Client

        self.client = Client(scheduler, timeout=30)  # type: ignore[no-untyped-call]  # distributed is untyped
        self.workers = max(1, sum(self.client.nthreads().values()))  # type: ignore[no-untyped-call]  # distributed is untyped

    def run(self, election_raw: bytes, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        raw_future = self.client.scatter(election_raw, broadcast=True)  # type: ignore[no-untyped-call]  # distributed is untyped
        window: collections.deque[object] = collections.deque()
        for chunk in chunks:
            window.append(self.client.submit(verify_chunk, raw_future, chunk, pure=False))
            if len(window) >= 4 * self.workers:
                yield window.popleft().result()  # type: ignore[attr-defined]
        while window:
            yield window.popleft().result()  # type: ignore[attr-defined]

    def close(self) -> None:
        self.client.close()  # type: ignore[no-untyped-call]  # distributed is untyped
