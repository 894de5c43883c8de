"""`make bench` (tally part): aggregate and decrypt 1,000,000 encrypted ballots of 5 candidates.

Ballot generation is not timed (it is cached in /var/tmp/saylau-bench/tally-<n>.bin): each
ballot is 5 exponential-ElGamal ciphertexts (one-hot vote) under a synthetic single-trustee
key. Timed: the homomorphic tally (componentwise products, in chunks on 1 process and on a
pool of every core, each chunk one native sum per column) and the decryption (a
partial decryption with its proofs, their verification, and the discrete logs).
Goal (issue 6): ≤ 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing
import os
import time
from pathlib import Path

from saylau.crypto.decryption import (
    check_result,
    decrypt_result,
    partial_decrypt,
    verify_partial_decryption,
)
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.group import ED25519 as G
from saylau.crypto.group import SYSTEM_RNG

CACHE = Path("/var/tmp/saylau-bench")
CANDIDATES = 5
SECRET = 1234567890123456789  # synthetic trustee key: test-only
CT = 64  # bytes per ciphertext (alpha, beta)
CHUNK = 20_000


def _make(args: tuple[int, int]) -> bytes:
    start, count = args
    out = bytearray()
    for i in range(start, start + count):
        vote = (i * 7 + i // 13) % CANDIDATES
        for c in range(CANDIDATES):
            r = int.from_bytes(os.urandom(32), "little") % G.q
            out += G.g_pow(r) + G.g_pow(SECRET * r + (1 if c == vote else 0))  # beta = y^r g^m, y = g^s
    return bytes(out)


def ballots(n: int) -> Path:
    path = CACHE / f"tally-{n}.bin"
    if path.exists() and path.stat().st_size == n * CANDIDATES * CT:
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    t = time.perf_counter()
    with open(tmp, "wb") as f, cf.ProcessPoolExecutor(os.cpu_count(), mp_context=multiprocessing.get_context("forkserver")) as pool:
        for blob in pool.map(_make, [(s, min(CHUNK, n - s)) for s in range(0, n, CHUNK)]):
            f.write(blob)
    tmp.rename(path)
    print(f"generated {n:,} ballots in {time.perf_counter() - t:.0f} s (not timed)")
    return path


def _sum_chunk(args: tuple[str, int, int]) -> list[bytes]:
    """Column sums of a chunk of ballots: 2 × CANDIDATES points."""
    name, start, count = args
    with open(name, "rb") as f:
        f.seek(start * CANDIDATES * CT)
        data = f.read(count * CANDIDATES * CT)
    cols: list[bytes] = []
    for c in range(CANDIDATES):
        alphas = [data[k:k + 32] for k in range(c * CT, len(data), CANDIDATES * CT)]
        betas = [data[k + 32:k + 64] for k in range(c * CT, len(data), CANDIDATES * CT)]
        cols += [G.prod(alphas), G.prod(betas)]
    return cols


def tally(path: Path, n: int, jobs: int) -> list[Ciphertext[bytes]]:
    work = [(str(path), s, min(CHUNK, n - s)) for s in range(0, n, CHUNK)]
    if jobs == 1:
        parts = [_sum_chunk(w) for w in work]
    else:
        with cf.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
            parts = list(pool.map(_sum_chunk, work))
    cols = [G.prod([p[i] for p in parts]) for i in range(2 * CANDIDATES)]
    return [Ciphertext(cols[2 * c], cols[2 * c + 1]) for c in range(CANDIDATES)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ballots", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.ballots
    path = ballots(n)
    expected = [sum(1 for i in range(n) if (i * 7 + i // 13) % CANDIDATES == c) for c in range(CANDIDATES)]
    print("=" * 78)
    print(f"Saylau tally benchmark: {n:,} ballots × {CANDIDATES} candidates (Ed25519)")
    print("=" * 78)
    for jobs in sorted({1, os.cpu_count() or 1}):
        t0 = time.perf_counter()
        cells = tally(path, n, jobs)
        t1 = time.perf_counter()
        rows = [cells]
        factors, proofs = partial_decrypt(G, "bench", SECRET, rows, rng=SYSTEM_RNG)
        verify_partial_decryption(G, "bench", G.g_pow(SECRET), rows, factors, proofs)
        result = decrypt_result(G, rows, factors, n)
        assert not check_result(G, rows, factors, result)
        t2 = time.perf_counter()
        assert result[0] == expected, (result, expected)
        print(f"{jobs} process(es): aggregate {t1 - t0:7.1f} s, decrypt + proofs + dlog {t2 - t1:5.2f} s, "
              f"total {t2 - t0:7.1f} s  → result {result[0]}")
    print("=" * 78)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
