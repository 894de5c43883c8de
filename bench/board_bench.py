"""`make bench` (board part): durable appends per second, and inclusion proofs in a 10 M-leaf log.

1. Durable appends/s: `LogStore.append` acknowledges only after fdatasync; batching is allowed.
   Measured for batch sizes 1, 10, 100 and 1,000 entries of 300 bytes (a Ballot event is ~150 B).
2. A 10,000,000-leaf log is built once (cached in /var/tmp/saylau-bench/board-10M; ~1.5 GB),
   then the median time to *produce* an inclusion proof (from the on-disk store) and to
   *verify* it, over 200 random leaves, plus a consistency proof.
Goals (issue 3): ≥ 5,000 durable appends/s on 2 cores; proofs in < 2 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from saylau.board import merkle
from saylau.board.store import LogStore

CACHE = Path("/var/tmp/saylau-bench")


def appends_per_second(batch: int, seconds: float = 3.0) -> float:
    d = Path(tempfile.mkdtemp(prefix="saylau-board-bench-", dir="/var/tmp"))
    try:
        with LogStore(d / "log", create=True) as s:
            payload = os.urandom(300)
            n, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < seconds:
                s.append([payload] * batch)
                n += batch
            return n / (time.perf_counter() - t0)
    finally:
        shutil.rmtree(d)


def big_log(leaves: int) -> Path:
    path = CACHE / f"board-{leaves}"
    done = path / "complete"
    if done.exists():
        return path / "log"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    t0 = time.perf_counter()
    with LogStore(path / "log", create=True) as s:
        step = 20_000
        for start in range(0, leaves, step):
            s.append([b"leaf %d" % i for i in range(start, min(leaves, start + step))])
    done.write_text(f"built in {time.perf_counter() - t0:.0f} s\n")
    return path / "log"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leaves", type=int, default=10_000_000)
    args = ap.parse_args()
    print("=" * 78)
    print("Saylau bulletin board benchmark")
    print("=" * 78)
    print("durable appends (acknowledged after fdatasync of data, then of the commit record)")
    for batch in (1, 10, 100, 1000):
        print(f"  batch {batch:>5}: {appends_per_second(batch):>10.0f} appends/s")
    print(f"building/reusing a {args.leaves:,}-leaf log …", flush=True)
    log = big_log(args.leaves)
    rng = random.Random(1)
    with LogStore(log) as s:
        n = s.size
        root = s.root()
        make, check = [], []
        for _ in range(200):
            i = rng.randrange(n)
            t = time.perf_counter()
            proof = s.inclusion_proof(i)
            make.append(time.perf_counter() - t)
            leaf = merkle.leaf_hash(s.entry(i))
            t = time.perf_counter()
            merkle.verify_inclusion(i, n, leaf, proof, root)
            check.append(time.perf_counter() - t)
        m = rng.randrange(1, n)
        t = time.perf_counter()
        cproof = s.consistency_proof(m)
        tc = time.perf_counter() - t
        old_root = s.root(m)
        t = time.perf_counter()
        merkle.verify_consistency(m, n, cproof, old_root, root)
        tcv = time.perf_counter() - t
    print(f"log of {n:,} leaves ({(log.parent / 'complete').read_text().strip()})")
    print(f"  inclusion proof: produce median {statistics.median(make) * 1e3:.3f} ms (max {max(make) * 1e3:.3f}), "
          f"verify median {statistics.median(check) * 1e3:.3f} ms, {len(proof)} hashes")
    print(f"  consistency proof {m:,}→{n:,}: produce {tc * 1e3:.3f} ms, verify {tcv * 1e3:.3f} ms, {len(cproof)} hashes")
    print("=" * 78)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
