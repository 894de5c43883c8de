#!/usr/bin/env python3
"""`make bench`: how fast does `saylau verify` check an Ed25519 election, and how close is it to
what libsodium allows? (protocol doc §2.1 costs, §11.7 the 3.0 early-exit pitfall, §12 throughput)

1. Builds (or reuses, from a cache keyed on this script's hash) an election with the shape of the
   samples of §13: 3 questions (4, 4, 3 + blank answers: 12 ciphertexts per ballot), one Single
   trustee, N voters (default 1000) of whom some vote twice, tallied, decrypted, with a Result.
   Everything is made by the library; ballots are generated on a process pool and appended with
   one `ArchiveWriter` (faster than `workflow.cast`, which re-checks each ballot as a server would).
2. Times `verify_record` with `InlineRunner` (1 process) and `PoolRunner(os.cpu_count())`,
   median of --runs runs each, and checks the report is OK with the expected result.
3. If the belenios-tool 3.x chroot is available, times `belenios-tool election verify --dir=.`
   on the same directory (median of ≥ --runs runs; runs that end early, §11.7, are flagged and
   extra runs are made so that at least --runs complete runs exist).
4. Measures libsodium's variable- and fixed-base scalar multiplications on this machine and
   prints the bound cores / (n_var·t_var + n_fixed·t_fixed) ballots/s, with n_var and n_fixed
   derived from the election's question shapes.
5. Profiles one single-process run (cProfile) and prints where the time goes.

Usage: .venv/bin/python bench/verify_bench.py [--ballots N] [--revotes K] [--runs R]
       [--cache DIR] [--rebuild] [--no-belenios] [--no-profile]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import io
import json
import multiprocessing
import os
import platform
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from saylau.crypto import _sodium, credentials
from saylau.crypto.group import ED25519, SYSTEM_RNG
from saylau.crypto.trustees import single_generate, verify_trustees
from saylau.record.archive import ArchiveWriter
from saylau.record.ballot import check_ballot, make_ballot, parse_ballot
from saylau.record.canonical import dumpb
from saylau.record.election import Election, election_from_template, parse_election
from saylau.record.workflow import (
    ElectionDir,
    add_partial_decryption,
    close_and_tally,
    compute_result,
    init_archive,
    make_partial_decryption,
)
from saylau.verify.report import Report
from saylau.verify.runners import InlineRunner, PoolRunner, Runner
from saylau.verify.verifier import verify_record

SCRIPT = Path(__file__).resolve()
PROJECT = SCRIPT.parent.parent
CHROOT = PROJECT / "scripts" / "belenios3-chroot.sh"
DEFAULT_CACHE = Path("/var/tmp/saylau-bench")

# The template of the samples (protocol doc §13).
TEMPLATE: dict[str, object] = {
    "description": "Belenios lab election",
    "name": "Lab election",
    "questions": [
        {"question": "Plurality: pick exactly one", "answers": ["Alice", "Bob", "Carol", "Dave"], "min": 1, "max": 1},
        {"question": "Approval: pick any", "answers": ["Red", "Green", "Blue", "Yellow"], "min": 0, "max": 4},
        {"question": "Blank allowed: pick 1 or 2", "answers": ["X", "Y", "Z"], "blank": True, "min": 1, "max": 2},
    ],
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ============================================================================ building the election


def random_choice(rnd: random.Random, election: Election) -> list[list[int]]:
    """A valid choice for every question (blank flag first when blank is allowed)."""
    out = []
    for q in election.questions:
        s = q.shape
        if s.blank and rnd.random() < 0.1:
            out.append([1] + [0] * s.answers)
            continue
        k = rnd.randint(s.min, s.max)
        picked = set(rnd.sample(range(s.answers), k))
        body = [1 if i in picked else 0 for i in range(s.answers)]
        out.append(([0] if s.blank else []) + body)
    return out


def voting_plan(n: int, revotes: int, election: Election, seed: int = 2026) -> list[tuple[int, list[list[int]]]]:
    """(voter index, choice) in casting order; `revotes` voters vote a second time, later on."""
    rnd = random.Random(seed)
    plan = [(v, random_choice(rnd, election)) for v in range(n)]
    for v in rnd.sample(range(n), min(revotes, n)):
        pos = rnd.randint(v + 1, len(plan))  # after the voter's first ballot
        plan.insert(pos, (v, random_choice(rnd, election)))
    return plan


def expected_result(plan: Sequence[tuple[int, list[list[int]]]], election: Election) -> list[list[int]]:
    last = {v: choice for v, choice in plan}
    res = [[0] * q.shape.slots for q in election.questions]
    for choice in last.values():
        for qi, row in enumerate(choice):
            for ai, m in enumerate(row):
                res[qi][ai] += m
    return res


_WORKER_ELECTION: Election | None = None


def _init_maker(election_raw: bytes) -> None:
    global _WORKER_ELECTION
    _WORKER_ELECTION = parse_election(election_raw)


def _make_one(task: tuple[str, list[list[int]]]) -> bytes:
    assert _WORKER_ELECTION is not None
    cred, choice = task
    raw, _ = make_ballot(_WORKER_ELECTION, cred, choice)
    return raw


def build_election(d: Path, n: int, revotes: int, jobs: int) -> dict[str, Any]:
    """Write a complete election into the empty directory `d`; return its metadata."""
    group, rng = ED25519, SYSTEM_RNG
    phases: dict[str, float] = {}
    t = time.perf_counter()
    uuid = credentials.random_token(rng)
    x, public = single_generate(group, rng=rng)
    trustees_raw = dumpb([["Single", public]])
    (d / "trustees.json").write_bytes(trustees_raw + b"\n")
    keys = verify_trustees(group, json.loads(trustees_raw))
    election_raw = election_from_template(TEMPLATE, uuid=uuid, group=group, public_key=keys.election_key)
    (d / "election.json").write_bytes(election_raw + b"\n")
    election = parse_election(election_raw)
    private = [credentials.generate(rng) for _ in range(n)]
    public_creds = [f"{group.encode(credentials.public_credential(group, uuid, c))},,voter{i + 1}@example.org"
                    for i, c in enumerate(private)]
    (d / "public_creds.json").write_text(json.dumps(public_creds, separators=(",", ":")) + "\n")
    ed = ElectionDir(d)
    init_archive(ed, timestamp=int(time.time()))
    phases["setup"] = time.perf_counter() - t

    t = time.perf_counter()
    plan = voting_plan(n, revotes, election)
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_init_maker, initargs=(election_raw,)) as pool:
        raws = pool.map(_make_one, [(private[v], choice) for v, choice in plan], chunksize=16)
    phases[f"make {len(raws)} ballots ({jobs} processes)"] = time.perf_counter() - t

    t = time.perf_counter()
    writer = ArchiveWriter(ed.archive)  # one writer; ballots were made here, so no per-ballot re-check
    for raw in raws:
        writer.add_event("Ballot", [raw])
    phases["append (one ArchiveWriter)"] = time.perf_counter() - t

    t = time.perf_counter()
    sized = close_and_tally(ed)
    phases["close_and_tally"] = time.perf_counter() - t

    t = time.perf_counter()
    pd, owned = make_partial_decryption(ed, 1, x)
    add_partial_decryption(ed, pd, owned)
    result = compute_result(ed)
    phases["decrypt + result"] = time.perf_counter() - t

    expected = expected_result(plan, election)
    if result != expected:
        raise SystemExit(f"bench: compute_result gave {result}, expected {expected}")
    if sized["num_tallied"] != n:
        raise SystemExit(f"bench: num_tallied {sized['num_tallied']}, expected {n}")
    return {
        "uuid": uuid, "voters": n, "ballots": len(raws), "revotes": len(raws) - n,
        "result": result, "events": ed.events().count("Ballot"), "build_phases": phases,
        "archive_bytes": ed.archive.stat().st_size, "ballot_bytes": statistics.mean(len(r) for r in raws),
    }


def cache_key(n: int, revotes: int) -> str:
    return f"{hashlib.sha256(SCRIPT.read_bytes()).hexdigest()[:16]}-{n}v-{revotes}r"


def ensure_election(cache: Path, n: int, revotes: int, *, rebuild: bool, jobs: int) -> tuple[Path, dict[str, Any], bool]:
    """The cached election for this script version and size, building it if needed."""
    target = cache / f"election-{cache_key(n, revotes)}"
    meta_path = target / "bench-meta.json"
    if meta_path.is_file() and not rebuild:
        return target, json.loads(meta_path.read_text()), False
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("election-*"):  # elections of older versions of this script
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
    for old in cache.glob(".tmp-*"):  # interrupted builds
        if time.time() - old.stat().st_mtime > 3600:
            shutil.rmtree(old, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=cache))
    tmp.chmod(0o755)
    log(f"building a {n}-voter election in {tmp} …")
    t = time.perf_counter()
    try:
        meta = build_election(tmp, n, revotes, jobs)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    meta["build_seconds"] = time.perf_counter() - t
    (tmp / "bench-meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    if target.exists():
        shutil.rmtree(target)
    os.rename(tmp, target)
    return target, meta, True


# ======================================================================================= timing


LOADS: list[float] = []  # share of the machine's CPU that other jobs used just before each block


def _cpu_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:9]]  # user … steal (guest is in user)
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def note_load(seconds: float = 1.5) -> None:
    """Sample how busy the machine is while this benchmark is idle (so only other jobs count)."""
    try:
        b0, t0 = _cpu_jiffies()
        time.sleep(seconds)
        b1, t1 = _cpu_jiffies()
        LOADS.append((b1 - b0) / max(1, t1 - t0))
    except (OSError, ValueError, IndexError):
        pass


def time_saylau(d: Path, make_runner: Callable[[], Runner], runs: int, expected: list[list[int]],
                n_ballots: int) -> tuple[list[float], list[float]]:
    """Wall times and this process's CPU times (the workers' CPU is not included)."""
    note_load()
    times, cpus = [], []
    for i in range(runs):
        t, c = time.perf_counter(), time.process_time()
        runner = make_runner()
        try:
            report = verify_record(d, runner=runner, progress=False)
        finally:
            runner.close()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
        check_report(report, expected, n_ballots)
        log(f"  run {i + 1}: {times[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU in the main process, report OK, "
            f"{report.stats.get('checked by')}")
    return times, cpus


def check_report(report: Report, expected: list[list[int]], n_ballots: int) -> None:
    if not report.ok:
        raise SystemExit("bench: saylau verify FAILED on the bench election:\n" + report.render())
    if report.result != expected:
        raise SystemExit(f"bench: report result {report.result}, expected {expected}")
    if report.stats.get("ballots in the record") != n_ballots:
        raise SystemExit(f"bench: report saw {report.stats.get('ballots in the record')} ballots, expected {n_ballots}")


def pool_startup(jobs: int, election_raw: bytes) -> float:
    """Starting a PoolRunner and getting one (empty) chunk through each worker, then closing."""
    t = time.perf_counter()
    runner = PoolRunner(jobs)
    try:
        list(runner.run(election_raw, [[] for _ in range(jobs)]))
    finally:
        runner.close()
    return time.perf_counter() - t


def belenios_available() -> tuple[bool, str]:
    if not CHROOT.is_file():
        return False, f"{CHROOT} missing"
    try:
        p = subprocess.run(["bash", str(CHROOT), "ensure"], cwd=PROJECT, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    if p.returncode != 0:
        return False, (p.stderr.strip().splitlines() or ["ensure failed"])[-1]
    v = subprocess.run(["bash", str(CHROOT), "version"], cwd=PROJECT, capture_output=True, text=True)
    return True, v.stdout.strip()


def belenios_run(d: Path) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(["bash", str(CHROOT), "run", str(d), "--", "election", "verify", "--dir=."],
                       cwd=PROJECT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rc": p.returncode, "passed": "all checks passed" in p.stderr,
            "stderr": p.stderr.strip()}


def time_belenios(d: Path, runs: int) -> list[dict[str, Any]]:
    """≥ runs runs; extra runs (up to 2·runs in all) while fewer than `runs` are complete."""
    note_load()
    out: list[dict[str, Any]] = []
    while len(out) < runs or (len([r for r in out if not r.get("early")]) < runs and len(out) < 2 * runs):
        r = belenios_run(d)
        out.append(r)
        if r["rc"] != 0 or not r["passed"]:
            raise SystemExit(f"bench: belenios-tool verify failed (exit {r['rc']}):\n{r['stderr']}")
        # §11.7: 3.0 may exit before its ballot check finished. Such a run takes far less CPU.
        top = max(x["cpu"] for x in out)
        for x in out:
            x["early"] = x["cpu"] < 0.6 * top
        log(f"  run {len(out)}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, exit {r['rc']}"
            + (" (EARLY END?)" if r["early"] else ""))
    return out


# =============================================================================== libsodium bound


def scalarmult_counts(election: Election) -> tuple[int, int, int]:
    """(proof items, variable-base, fixed-base) scalar multiplications per ballot, from the shape.

    Each disjunctive-proof item recomputes A = g^r·a^c and B = y^r·b^c (3 variable, 1 fixed);
    the signature A = g^r·cred^c (1 + 1).
    """
    items = 0
    for q in election.questions:
        s = q.shape
        items += 2 * s.slots  # individual proofs: 2 items per ciphertext
        items += s.overall_items  # overall proof
        items += 2 if s.blank else 0  # blank proof
    return items, 3 * items + 1, items + 1


def measure_op(fn: Callable[[int], object], n: int = 2000, repeats: int = 5) -> float:
    """Seconds per call of fn(i), the minimum over `repeats` batches of `n` calls."""
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for i in range(n):
            fn(i)
        best = min(best, (time.perf_counter() - t) / n)
    return best


def libsodium_costs() -> dict[str, float]:
    q = ED25519.q
    rnd = random.Random(7)
    scalars = [rnd.randrange(1, q) for _ in range(64)]
    points = [_sodium.ed_scalarmult_base(s) for s in scalars]
    return {
        "var": measure_op(lambda i: _sodium.ed_scalarmult(scalars[i & 63], points[(i + 1) & 63])),
        "fixed": measure_op(lambda i: _sodium.ed_scalarmult_base(scalars[i & 63])),
        "add": measure_op(lambda i: _sodium.ed_add(points[i & 63], points[(i + 5) & 63]), 5000),
        "valid": measure_op(lambda i: _sodium.ed_is_valid_point(points[i & 63]), 5000),
    }


def libsodium_c_costs() -> dict[str, float] | None:
    """The same operations called straight through cffi (no PyNaCl/saylau wrapper), if possible."""
    try:
        from nacl._sodium import ffi, lib  # noqa: TID251  (bench only: to separate C from wrapper time)
    except ImportError:
        return None
    q = ED25519.q
    rnd = random.Random(7)
    scalars = [rnd.randrange(1, q).to_bytes(32, "little") for _ in range(64)]
    points = [_sodium.ed_scalarmult_base(int.from_bytes(s, "little")) for s in scalars]
    out = ffi.new("unsigned char[]", 32)
    return {
        "var": measure_op(lambda i: lib.crypto_scalarmult_ed25519_noclamp(out, scalars[i & 63], points[(i + 1) & 63])),
        "fixed": measure_op(lambda i: lib.crypto_scalarmult_ed25519_base_noclamp(out, scalars[i & 63])),
        "add": measure_op(lambda i: lib.crypto_core_ed25519_add(out, points[i & 63], points[(i + 5) & 63]), 5000),
        "valid": measure_op(lambda i: lib.crypto_core_ed25519_is_valid_point(points[i & 63]), 5000),
    }


_SODIUM_OPS = {"var": "ed_scalarmult", "fixed": "ed_scalarmult_base", "add": "ed_add", "sub": "ed_sub",
               "valid": "ed_is_valid_point", "msm": "ed_msm", "sum": "ed_sum"}


def count_sodium_calls(election: Election, raws: Sequence[bytes]) -> dict[str, float]:
    """libsodium calls per ballot of parse_ballot + check_ballot (averaged over `raws`)."""
    for raw in raws[:1]:  # warm the g^m cache
        check_ballot(parse_ballot(raw, election), election)
    counts = dict.fromkeys(_SODIUM_OPS, 0)
    saved = {k: getattr(_sodium, name) for k, name in _SODIUM_OPS.items()}

    def wrap(key: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*a: Any) -> Any:
            counts[key] += 1
            if key == "msm":  # count the terms of each native multi-exponentiation too
                counts["msm_terms"] = counts.get("msm_terms", 0) + len(a[0])
            return fn(*a)
        return counted

    try:
        for k, name in _SODIUM_OPS.items():
            setattr(_sodium, name, wrap(k, saved[k]))
        for raw in raws:
            check_ballot(parse_ballot(raw, election), election)
    finally:
        for k, name in _SODIUM_OPS.items():
            setattr(_sodium, name, saved[k])
    return {k: v / len(raws) for k, v in counts.items()}


def sample_ballots(d: Path, k: int) -> list[bytes]:
    from saylau.record.archive import Event, read_events

    out = []
    for e in read_events(next(d.glob("*.bel"))):
        if isinstance(e, Event) and e.type == "Ballot" and e.payload is not None:
            out.append(e.payload)
            if len(out) >= k:
                break
    return out


# ==================================================================================== profiling

_C = r"built-in method _sodium\."  # cProfile's label of a call into libsodium through cffi
_CATEGORIES: list[tuple[str, re.Pattern[str]]] = [
    ("libsodium var-base scalarmult (C)", re.compile(_C + r"crypto_scalarmult_ed25519_noclamp>")),
    ("libsodium fixed-base scalarmult (C)", re.compile(_C + r"crypto_scalarmult_ed25519_base_noclamp>")),
    ("libsodium is_valid_point (C)", re.compile(_C + r"crypto_core_ed25519_is_valid_point>")),
    ("libsodium add/sub (C)", re.compile(_C + r"crypto_core_ed25519_(add|sub)>")),
    ("Saylau native multi-exponentiation and sums (C, crypto/_ed25519.c)", re.compile(r"_ed25519\.(msm|sum)>")),
    ("PyNaCl + saylau._sodium wrappers (ensure, ffi.new, copies)",
     re.compile(r"nacl/|_sodium\.py|_cffi_backend")),
    ("JSON (parse, canonical re-dump)", re.compile(r"json/|_json")),
    ("SHA-256 (hashlib)", re.compile(r"_hashlib|sha256")),
    ("tar reading (tarfile, file I/O)", re.compile(r"tarfile\.py|_io\.")),
]
_OTHER = "other Python (saylau logic, encode/hex, ints, regex, dataclasses, …)"


def profile_inline(d: Path, expected: list[list[int]], n_ballots: int) -> tuple[float, pstats.Stats]:
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    report = verify_record(d, runner=InlineRunner(), progress=False)
    prof.disable()
    elapsed = time.perf_counter() - t
    check_report(report, expected, n_ballots)
    return elapsed, pstats.Stats(prof)


def _func_label(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    return f"{filename}:{line}({name})" if line else f"{filename}{name}"


def categorize(stats: pstats.Stats) -> tuple[dict[str, float], dict[str, int], float]:
    """Total tottime per category; ncalls of the libsodium entry points; total time."""
    cats = dict.fromkeys([c for c, _ in _CATEGORIES] + [_OTHER], 0.0)
    calls: dict[str, int] = {}
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = 0.0
    for func, (_cc, nc, tt, _ct, _callers) in raw.items():
        label = _func_label(func)
        total += tt
        for cat, pat in _CATEGORIES:
            if pat.search(label):
                cats[cat] += tt
                if "(C)" in cat:
                    m = re.search(r"_sodium\.(crypto_\w+)", label)
                    if m:
                        calls[m.group(1)] = calls.get(m.group(1), 0) + nc
                break
        else:
            cats[_OTHER] += tt
    return cats, calls, total


def top_tottime(stats: pstats.Stats, k: int = 15) -> str:
    buf = io.StringIO()
    stats.stream = buf  # type: ignore[attr-defined]
    stats.strip_dirs().sort_stats("tottime").print_stats(k)
    lines = buf.getvalue().splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.strip().startswith("ncalls")), 0)
    return "\n".join(ln for ln in lines[start:] if ln.strip())


# ======================================================================================= output


def fmt_runs(xs: Iterable[float]) -> str:
    return " ".join(f"{x:.2f}" for x in xs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ballots", type=int, default=1000, help="voters (default 1000)")
    ap.add_argument("--revotes", type=int, default=20, help="voters who vote twice (default 20)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per verifier (default 3)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"cache directory (default {DEFAULT_CACHE})")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the election even if cached")
    ap.add_argument("--no-belenios", action="store_true", help="skip belenios-tool 3.x")
    ap.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    args = ap.parse_args(argv)
    cores = os.cpu_count() or 1

    d, meta, built = ensure_election(args.cache, args.ballots, args.revotes, rebuild=args.rebuild, jobs=cores)
    election = parse_election((d / "election.json").read_bytes().rstrip(b"\n"))
    n_ballots, expected = int(meta["ballots"]), meta["result"]
    slots = sum(q.shape.slots for q in election.questions)

    log("measuring libsodium …")
    note_load()
    costs = libsodium_costs()
    c_costs = libsodium_c_costs()
    items, n_var, n_fixed = scalarmult_counts(election)
    per_call = count_sodium_calls(election, sample_ballots(d, 8))
    if per_call.get("msm", 0) == 0 and (per_call["var"], per_call["fixed"]) != (n_var, n_fixed):
        log(f"WARNING: check_ballot does {per_call['var']:g} variable / {per_call['fixed']:g} fixed-base "
            f"multiplications per ballot, the shape says {n_var} / {n_fixed}")
    bound_1 = 1 / (n_var * costs["var"] + n_fixed * costs["fixed"])
    bound_n = cores * bound_1

    log(f"saylau verify, 1 process (InlineRunner), {args.runs} runs …")
    inline, inline_cpu = time_saylau(d, InlineRunner, args.runs, expected, n_ballots)
    log(f"saylau verify, {cores} processes (PoolRunner), {args.runs} runs …")
    pooled, pooled_cpu = time_saylau(d, lambda: PoolRunner(cores), args.runs, expected, n_ballots)
    startup = pool_startup(cores, election.raw)

    bel_runs: list[dict[str, Any]] = []
    bel_note = ""
    if args.no_belenios:
        bel_note = "skipped (--no-belenios)"
    else:
        ok, info = belenios_available()
        if ok:
            log(f"belenios-tool {info}: election verify, ≥{args.runs} runs …")
            bel_runs = time_belenios(d, args.runs)
            bel_note = info
        else:
            bel_note = f"not available: {info}"

    prof: tuple[float, pstats.Stats] | None = None
    if not args.no_profile:
        log("profiling one single-process run …")
        prof = profile_inline(d, expected, n_ballots)

    # ------------------------------------------------------------------------------ report
    med_in, med_pool = statistics.median(inline), statistics.median(pooled)
    bps_in, bps_pool = n_ballots / med_in, n_ballots / med_pool
    w = 100
    print("=" * w)
    print("Saylau verification benchmark (protocol doc §2.1, §11.7, §12)")
    print("=" * w)
    print(f"machine    : {platform.processor() or platform.machine()}, {cores} cores "
          f"({_cpu_model()}), Linux {platform.release()}")
    busy = bool(LOADS) and max(LOADS) > 0.10
    print(f"other load : CPU used by other jobs just before each timed block: {' '.join(f'{100 * x:.0f}%' for x in LOADS)}"
          + ("  ← WARNING: the machine was busy; timings are noisy" if busy else " (quiet)"))
    print(f"software   : Python {platform.python_version()}, PyNaCl {metadata.version('PyNaCl')}, saylau {metadata.version('saylau')}")
    print(f"election   : {d}  ({'built now' if built else 'reused from cache'})")
    print(f"             uuid {meta['uuid']}, Ed25519, 1 Single trustee, {meta['voters']} voters, "
          f"{n_ballots} ballots in the archive ({meta['revotes']} re-votes)")
    print(f"             3 questions, {slots} ciphertexts and {items} proof items per ballot, "
          f"≈{meta['ballot_bytes'] / 1000:.1f} kB/ballot, archive {meta['archive_bytes'] / 1e6:.1f} MB")
    print(f"             result {meta['result']}")
    if built:
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in meta["build_phases"].items())
        print(f"             built in {meta['build_seconds']:.1f} s: {phases}")
    print()
    print(f"Verification of all {n_ballots} ballots + tally + decryption + result "
          f"(ballots/s = {n_ballots} / median time)")
    print("-" * w)
    print(f"{'verifier':<44}{'runs (s)':<24}{'median s':>9}{'ballots/s':>11}{'% of bound':>12}")
    print("-" * w)
    print(f"{'saylau verify, 1 process (InlineRunner)':<44}{fmt_runs(inline):<24}{med_in:>9.2f}{bps_in:>11.1f}"
          f"{100 * bps_in / bound_1:>11.0f}%")
    label = f"saylau verify, {cores} processes (PoolRunner)"
    print(f"{label:<44}{fmt_runs(pooled):<24}{med_pool:>9.2f}{bps_pool:>11.1f}{100 * bps_pool / bound_n:>11.0f}%")
    print(f"{'  CPU s per run, 1 process':<44}{fmt_runs(inline_cpu)}")
    print(f"{'  CPU s per run, main process of the pool':<44}{fmt_runs(pooled_cpu)}")
    bel_med = bel_full_med = None
    if bel_runs:
        walls = [r["wall"] for r in bel_runs]
        full = [r["wall"] for r in bel_runs if not r["early"]]
        bel_med = statistics.median(walls)
        bel_full_med = statistics.median(full) if full else bel_med
        label = "belenios-tool 3.0 election verify"
        print(f"{label:<44}{fmt_runs(walls):<24}{bel_med:>9.2f}{n_ballots / bel_med:>11.1f}{'-':>12}")
        if len(full) != len(walls):
            label = "  … complete runs only (§11.7)"
            print(f"{label:<44}{fmt_runs(full):<24}{bel_full_med:>9.2f}{n_ballots / bel_full_med:>11.1f}{'-':>12}")
        print(f"{'  belenios-tool CPU time per run (s)':<44}{fmt_runs(r['cpu'] for r in bel_runs)}")
    else:
        print(f"{'belenios-tool 3.0 election verify':<44}{bel_note}")
    print("-" * w)
    print(f"speed-up of {cores} processes over 1: {med_in / med_pool:.2f}×   "
          f"(PoolRunner start-up + shutdown alone: {startup:.2f} s, included in its times)")
    if bel_med is not None and bel_full_med is not None:
        print(f"throughput ratio saylau {cores} processes / belenios-tool 3.0: {bel_med / med_pool:.2f}× "
              f"(1 process: {bel_med / med_in:.2f}×)" +
              (f"; with complete belenios runs only: {bel_full_med / med_pool:.2f}×" if bel_full_med != bel_med else ""))
        early = [i + 1 for i, r in enumerate(bel_runs) if r["early"]]
        print(f"belenios-tool {bel_note}: " + (f"runs {early} ended early (<60% of the max CPU time, §11.7)"
                                               if early else "no run ended early"))
    print()
    print("libsodium bound (measured here; µs per call = minimum over 5 batches)")
    print("-" * w)
    print(f"{'operation':<44}{'µs/call':>10}{'calls/ballot':>15}{'µs/ballot':>12}  {'in bound?':<10}")
    print("-" * w)
    rows = [("variable-base scalarmult (ed_scalarmult)", costs["var"], n_var, True),
            ("fixed-base scalarmult (ed_scalarmult_base)", costs["fixed"], n_fixed, True),
            ("point add/sub (ed_add, ed_sub)", costs["add"], per_call["add"] + per_call["sub"], False),
            ("membership check (ed_is_valid_point)", costs["valid"], per_call["valid"], False)]
    for name, c, k, inb in rows:
        print(f"{name:<44}{c * 1e6:>10.1f}{k:>15g}{c * k * 1e6:>12.0f}  {'yes' if inb else 'no':<10}")
    print("-" * w)
    print(f"saylau's own calls per ballot: native multi-exponentiations {per_call.get('msm', 0):g} "
          f"({per_call.get('msm_terms', 0):g} terms in all), native sums {per_call.get('sum', 0):g}, "
          f"libsodium is_valid_point {per_call['valid']:g} (each element validated once, at parsing), "
          f"add/sub {per_call['add'] + per_call['sub']:g}, scalarmult {per_call['var']:g} var + {per_call['fixed']:g} fixed")
    print(f"scalar mults per ballot from the shape: {items} proof items × (3 var + 1 fixed) + signature (1 + 1) "
          f"= {n_var} var + {n_fixed} fixed  (counted in check_ballot: {per_call['var']:g} + {per_call['fixed']:g})")
    floor = sum(c * k for _, c, k, _ in rows)
    print(f"bound = cores / (n_var·t_var + n_fixed·t_fixed) = {bound_1:.1f} ballots/s per core, "
          f"{bound_n:.1f} ballots/s on {cores} cores")
    print(f"libsodium floor at saylau's current call counts (incl. add/sub and membership checks): "
          f"{1 / floor:.1f} ballots/s per core")
    per_ballot = n_var * costs["var"] + n_fixed * costs["fixed"]
    print(f"libsodium's _noclamp scalarmult re-checks its input point on every call (canonical, small order, "
          f"main subgroup = the work of is_valid_point, {costs['valid'] * 1e6:.0f} µs):\n"
          f"  ≈ {n_var} × {costs['valid'] * 1e6:.0f} µs = {n_var * costs['valid'] * 1e3:.1f} ms of the bound's "
          f"{per_ballot * 1e3:.1f} ms/ballot re-validate points that parsing already validated")
    print("saylau avoids that re-check: each commitment g^r·X^c or y^r·b^c·g^(-mc) is one native "
          "multi-exponentiation over points validated once (README, design notes)")
    print(f"saylau reaches {100 * bps_in / bound_1:.0f}% of the bound with 1 process and "
          f"{100 * bps_pool / bound_n:.0f}% with {cores} processes")

    if prof is not None:
        elapsed, stats = prof
        cats, calls, total = categorize(stats)
        print()
        print(f"Profile of one single-process run (cProfile; {elapsed:.2f} s under the profiler, "
              f"{total:.2f} s of tottime)")
        print("-" * w)
        for cat, tt in sorted(cats.items(), key=lambda kv: -kv[1]):
            print(f"  {cat:<70}{tt:>8.2f} s {100 * tt / total:>6.1f}%")
        if calls:
            print("  libsodium calls per ballot: " + ", ".join(
                f"{k.replace('crypto_', '').replace('_ed25519', '')} {v / n_ballots:.1f}" for k, v in sorted(calls.items())))
        if c_costs is not None and calls:
            print("-" * w)
            t_ballot = med_in / n_ballots
            per = {"var": calls.get("crypto_scalarmult_ed25519_noclamp", 0) / n_ballots,
                   "fixed": calls.get("crypto_scalarmult_ed25519_base_noclamp", 0) / n_ballots,
                   "add": (calls.get("crypto_core_ed25519_add", 0) + calls.get("crypto_core_ed25519_sub", 0)) / n_ballots,
                   "valid": calls.get("crypto_core_ed25519_is_valid_point", 0) / n_ballots}
            names = {"var": "libsodium var-base scalarmult (C)", "fixed": "libsodium fixed-base scalarmult (C)",
                     "add": "libsodium add/sub (C: 2 decodes + 1 encode each)",
                     "valid": "libsodium is_valid_point when parsing (C)"}
            print(f"Where one ballot's {t_ballot * 1e3:.2f} ms go (1 process, unprofiled median; call counts "
                  f"from the profile × per-call cost measured without the profiler):")
            c_total = 0.0
            native = cats.get("Saylau native multi-exponentiation and sums (C, crypto/_ed25519.c)", 0.0) / n_ballots
            c_total += native
            print(f"  {'Saylau native multi-exponentiations + sums (C, profiled)':<52}{'':>21}{native * 1e3:>6.2f} ms {100 * native / t_ballot:>4.0f}%")
            for op in ("var", "add", "valid", "fixed"):
                t = per[op] * c_costs[op]
                c_total += t
                print(f"  {names[op]:<52}{per[op]:>7.1f} × {c_costs[op] * 1e6:>5.1f} µs ={t * 1e3:>6.2f} ms {100 * t / t_ballot:>4.0f}%")
                if op == "var":
                    rv = per[op] * c_costs["valid"]
                    print(f"  {'   of which re-checking the (validated) input point':<52}{per[op]:>7.1f} × "
                          f"{c_costs['valid'] * 1e6:>5.1f} µs ={rv * 1e3:>6.2f} ms {100 * rv / t_ballot:>4.0f}%")
            wrap = sum(per[op] * max(0.0, costs[op] - c_costs[op]) for op in per)
            rest = t_ballot - c_total - wrap
            print(f"  {'PyNaCl + saylau._sodium wrappers (Python per call)':<52}{'':>21}{wrap * 1e3:>6.2f} ms {100 * wrap / t_ballot:>4.0f}%")
            print(f"  {'everything else (JSON, SHA-256, tar, parsing, glue)':<52}{'':>21}{rest * 1e3:>6.2f} ms {100 * rest / t_ballot:>4.0f}%")
        print("-" * w)
        print("Top 15 by tottime:")
        print(top_tottime(stats))
    print("=" * w)
    return 0


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
