"""`make bench` (voting part): ballots cast per second through the real server, with receipts.

Run under PostgreSQL (`bash scripts/with-postgres.sh .venv/bin/python bench/vote_bench.py`; the
script re-executes itself that way when DATABASE_URL is not set).

1. Setup (not timed): a throwaway var/ directory, `migrate`, an election with one question of 5
   answers (4 candidates and "against all"), a single trustee's key, N remote credentials spread
   over P precincts (8 by default; each precinct's ballot box commits on its own), their Belenios
   elections set up by `voting.services.voting_setup`, voting opened; N voting passes made as the
   login would make them (signed cookies for the precinct); two valid ballots per voter made with
   the Python ballot maker (a first ballot and a re-vote).
2. The production server, as scripts/run-web.sh runs it: granian (W worker processes × T
   threads) on 127.0.0.1, anonymised access log, DEBUG off (`--server gunicorn`: gunicorn's
   gthread worker instead, for comparison).
3. Saturation: C voters (threads) cast the first ballots back to back, each from a new
   connection with its voter's pass (closed loop): accepted ballots/s, p50/p99 latency.
4. Sustained: the re-votes arrive at R per second whatever the server does (open loop), the
   latency counted from each arrival: p50/p99 at that load.
5. Afterwards: every receipt is checked (checkpoint signed by the precinct board's key, the
   inclusion proof, the leaf is the Ballot event of that very ballot); each precinct is tallied
   and decrypted and `saylau verify` must pass, with one ballot counted per voter (the last).
6. CPU per ballot of the server's workers (and the kernel for them), PostgreSQL, the client and
   the whole machine; and the per-ballot cost of parsing and of the proofs, measured in-process.

Goal (issue 5): ≥ 200 ballots/s on 2 cores, p99 < 300 ms (at 200/s), zero lost receipts.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


def setup(n: int, precincts: int) -> dict[str, object]:
    """Everything before the timed run, in this process (Django configured from the environment)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from tests.web.voting_world import ballot_definition, credential_set, single_ceremony

    from saylau.crypto.group import SYSTEM_RNG, group_by_name
    from saylau.domain.election import ElectionType
    from saylau.record.ballot import make_ballot
    from saylau.web.elections.models import Election
    from saylau.web.elections.services import election_create
    from saylau.web.territory.models import Level
    from saylau.web.territory.services import precinct_create, territorial_unit_create
    from saylau.web.voting import auth
    from saylau.web.voting.models import PrecinctElection
    from saylau.web.voting.services import voting_setup

    now = timezone.now()
    region = territorial_unit_create(actor=None, code="atyrau", level=Level.REGION, kind="oblast", name_kk="Атырау",
                                     name_ru="Атырау", name_en="Atyrau", now=now - timedelta(days=90))
    district = territorial_unit_create(actor=None, code="makhambet", level=Level.DISTRICT, kind="district",
                                       parent=region, name_kk="Махамбет", name_ru="Махамбет", name_en="Makhambet",
                                       now=now - timedelta(days=90))
    unit = territorial_unit_create(actor=None, code="saraishyk", level=Level.LOCALITY, kind="rural_district",
                                   parent=district, name_kk="Сарайшық", name_ru="Сарайшык", name_en="Saraishyk",
                                   now=now - timedelta(days=90))
    places = [precinct_create(actor=None, code=f"bench-{k}", number=k, territory=unit, address_kk=str(k),
                              now=now - timedelta(days=90)) for k in range(1, precincts + 1)]
    opens = now + timedelta(days=1)
    election = election_create(actor=None, code="bench-2025", type=ElectionType.AKIM_RURAL, title_kk="Бенчмарк",
                               title_ru="Бенчмарк", title_en="Benchmark", territory=unit,
                               nomination_closes=opens - timedelta(days=25), registration_closes=opens - timedelta(days=15),
                               voting_opens=opens, voting_closes=opens + timedelta(hours=13), now=now - timedelta(days=60))
    ballot_definition(election)
    secret = single_ceremony(election)
    group = group_by_name("Ed25519")
    from saylau.crypto.credentials import random_token

    share = [n // precincts + (k < n % precincts) for k in range(precincts)]
    private = {p.code: credential_set(election, p, "remote", random_token(SYSTEM_RNG), m)
               for p, m in zip(places, share, strict=True)}
    voting_setup(actor=None, election=election, now=now)
    Election.objects.filter(pk=election.pk).update(stage="voting", voting_opens=now - timedelta(hours=1),
                                                   voting_closes=now + timedelta(hours=12))
    from saylau.record.directory import read_file
    from saylau.record.election import parse_election

    pes = {pe.precinct.code: pe for pe in PrecinctElection.objects.filter(election=election).select_related("precinct")}
    t0 = time.perf_counter()
    # (precinct, first ballot, re-vote): precincts interleaved as voters would come
    work: list[tuple[str, bytes, bytes]] = []
    params = {}
    for code, creds in private.items():
        params[code] = parse_election(read_file(Path(pes[code].path) / "election.json"))
        for i, c in enumerate(creds):
            first, again = [0] * 5, [0] * 5
            first[i % 5] = again[(i + 1) % 5] = 1
            work.append((code, make_ballot(params[code], c, [first])[0], make_ballot(params[code], c, [again])[0]))
    made = time.perf_counter() - t0
    work.sort(key=lambda w: hashlib.sha256(w[1]).digest())
    passes = [auth.pass_cookie({election.code: auth.new_pass(code, timezone.now())}) for code, _, _ in work]
    del group
    return {"code": election.code, "precincts": [w[0] for w in work], "ballots": [w[1] for w in work],
            "revotes": [w[2] for w in work], "passes": passes,
            "pe": {c: (pe.path, pe.board_vkey) for c, pe in pes.items()},
            "secret": secret, "make_ms": made / (2 * n) * 1000, "params": params}


def start_server(port: int, workers: int, threads: int, env: dict[str, str],
                 kind: str = "granian") -> subprocess.Popen[bytes]:
    """The server as scripts/run-web.sh runs it (granian, its anonymised access log on, here into
    /dev/null), or gunicorn's gthread worker with the same log format, for comparison."""
    if kind == "granian":
        cmd = [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--blocking-threads", str(threads), "--backlog", "2048", "--access-log",
               "--access-log-fmt", "%(method)s %(path)s %(status)d", "saylau.web.wsgi:application"]
    else:
        cmd = [str(BIN / "gunicorn"), "saylau.web.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--threads", str(threads), "--worker-class", "gthread", "--http-parser", "fast",
               "--access-logfile", "-", "--access-logformat", "%(m)s %(U)s %(s)s", "--graceful-timeout", "5",
               "--no-control-socket", "--backlog", "2048"]
    if not Path(cmd[0]).exists():
        raise SystemExit(f"{cmd[0]} is not installed")
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/kk/")
            c.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"{kind} did not start")


Result = tuple[int, float, bytes]
"""(HTTP status or -1, latency in seconds, body) of one ballot."""


def fire(port: int, code: str, precincts: list[str], ballots: list[bytes], passes: list[str], *,
         concurrency: int, rate: float | None = None) -> tuple[list[Result], float]:
    """Post every ballot once, each from its own voter's browser: a new connection with the voter's
    pass. `rate` None: closed loop, `concurrency` voters each casting as soon as the last ballot
    was answered (the server's saturation throughput). `rate` R: open loop, ballot i arrives at
    i/R seconds whatever the server does, sent by a pool of `concurrency` threads; its latency
    counts from its arrival, so a server falling behind shows in the latency (no coordinated
    omission). The client is kept cheap (requests prepared beforehand); its CPU time is measured."""
    out: list[Result] = [(0, 0.0, b"")] * len(ballots)
    paths = [f"/api/vote/{code}/{p}/ballots" for p in precincts]
    from saylau.web.voting.auth import PASS_COOKIE as cookie

    heads = [{"Content-Type": "application/json", "Cookie": f"{cookie}={p}", "Accept-Language": "en",
              "Connection": "close"} for p in passes]
    nxt = iter(range(len(ballots)))
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    t0 = 0.0

    def voter() -> None:
        start.wait()
        while True:
            with lock:
                i = next(nxt, None)
            if i is None:
                return
            if rate is None:
                t = time.perf_counter()
            else:
                t = t0 + i / rate
                delay = t - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                conn.request("POST", paths[i], body=ballots[i], headers=heads[i])
                r = conn.getresponse()
                body = r.read()
                out[i] = (r.status, time.perf_counter() - t, body)
            except (OSError, http.client.HTTPException) as exc:
                out[i] = (-1, time.perf_counter() - t, str(exc).encode())
            finally:
                conn.close()

    threads = [threading.Thread(target=voter) for _ in range(concurrency)]
    for th in threads:
        th.start()
    t0 = time.perf_counter()
    start.wait()
    for th in threads:
        th.join()
    return out, time.perf_counter() - t0


def check_receipts(results: list[Result], ballots: list[bytes], precincts: list[str],
                   pes: dict[str, tuple[str, str]]) -> int:
    lost = 0
    for code, (pe_path, vkey) in pes.items():
        mine = [(r, b) for r, b, c in zip(results, ballots, precincts, strict=True) if c == code]
        lost += _check_precinct([r for r, _ in mine], [b for _, b in mine], pe_path, vkey)
    return lost


def _check_precinct(results: list[Result], ballots: list[bytes], pe_path: str, vkey: str) -> int:
    from saylau.board import merkle
    from saylau.board.logview import LogView
    from saylau.board.note import load_vkey, open_checkpoint
    from saylau.board.proofs import parse_tlog_proof

    verifier = load_vkey(vkey)
    lost = 0
    with LogView(Path(pe_path) / "board") as view:
        for (status, _, body), raw in zip(results, ballots, strict=True):
            if status != 201:
                continue
            answer = json.loads(body)
            p = parse_tlog_proof(answer["receipt"])
            cp = open_checkpoint(p.checkpoint_note, verifier)
            leaf = view.entry(p.leaf_index)
            try:
                merkle.verify_inclusion(p.leaf_index, cp.size, merkle.leaf_hash(leaf), p.proof, cp.root_hash)
                ok = json.loads(leaf).get("payload") == hashlib.sha256(raw).hexdigest()
                ok = ok and answer["tracker"] == base64.b64encode(hashlib.sha256(raw).digest()).decode().rstrip("=")
            except Exception:  # noqa: BLE001 - any failure is a lost receipt
                ok = False
            lost += not ok
    return lost


def tally_and_verify(pe_path: str, secret: int) -> tuple[int, list[list[int]]]:
    from saylau.record.workflow import (
        ElectionDir,
        add_partial_decryption,
        close_and_tally,
        compute_result,
        make_partial_decryption,
    )

    d = ElectionDir(Path(pe_path))
    close_and_tally(d)
    pd, owned = make_partial_decryption(d, 1, secret)
    add_partial_decryption(d, pd, owned)
    result = compute_result(d)
    proc = subprocess.run([str(BIN / "saylau"), "verify", str(d.path)], capture_output=True, text=True)
    if proc.returncode:
        print(proc.stdout.strip().replace("\n", "\n    "))
    return proc.returncode, result


def cpu_seconds(pids: list[int], part: slice = slice(11, 13)) -> float:
    """User + system CPU of these processes so far (their threads included), from /proc
    (`part`: slice(11, 12) for user time only, slice(12, 13) for system time only)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[part])
    return total / tick


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(x) for x in out]


def postgres_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True).stdout.split()
    return [int(x) for x in out]


def profile(params: object, ballots: list[bytes]) -> dict[str, float]:
    """Per-ballot cost of the server's pure phases, in this process (ms)."""
    from saylau.record.ballot import check_ballot, parse_ballot

    n = min(200, len(ballots))
    t0 = time.perf_counter()
    parsed = [parse_ballot(b, params) for b in ballots[:n]]  # type: ignore[arg-type]
    t1 = time.perf_counter()
    for b in parsed:
        check_ballot(b, params)  # type: ignore[arg-type]
    t2 = time.perf_counter()
    return {"parse": (t1 - t0) / n * 1000, "proofs+signature": (t2 - t1) / n * 1000}


def _busy() -> float:
    """Seconds of CPU the whole machine has spent (every process), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class Meter:
    """CPU used by the server's workers (and the kernel for them), PostgreSQL, this client and the
    whole machine between `start` and `stop`."""

    def __init__(self, workers: list[int]) -> None:
        self.workers = workers

    def _read(self) -> tuple[float, ...]:
        w = self.workers
        return (cpu_seconds(w), cpu_seconds(w, slice(12, 13)), cpu_seconds(postgres_pids()), time.process_time(),
                _busy())

    def start(self) -> None:
        self.before = self._read()
        self.per_worker_before = [cpu_seconds([w]) for w in self.workers]

    def stop(self) -> None:
        self.used = [b - a for a, b in zip(self.before, self._read(), strict=True)]
        self.per_worker = [cpu_seconds([w]) for w in self.workers]


def report(title: str, results: list[Result], elapsed: float, meter: Meter, goal: str) -> dict[str, float]:
    accepted = [r for r in results if r[0] == 201]
    latencies = sorted(r[1] * 1000 for r in accepted) or [float("nan")]
    statuses: dict[int, int] = {}
    for r in results:
        statuses[r[0]] = statuses.get(r[0], 0) + 1
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    rate = len(accepted) / elapsed
    n_ok = max(1, len(accepted))
    server, kernel, pg, client, machine = (x * 1000 / n_ok for x in meter.used)
    print(f"  {title}: {len(accepted)} of {len(results)} accepted in {elapsed:.2f} s → {rate:.0f} ballots/s; "
          f"statuses {statuses}")
    print(f"    latency p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {latencies[-1]:.0f} ms ({goal})")
    print(f"    CPU per accepted ballot: server workers {server:.2f} ms ({kernel:.2f} of it in the kernel), "
          f"PostgreSQL {pg:.2f} ms, bench client {client:.2f} ms; whole machine {machine:.2f} ms "
          f"(others' load included) of {1000 * (os.cpu_count() or 1) / max(rate, 1e-9):.2f} ms available")
    shares = [b - a for a, b in zip(meter.per_worker_before, meter.per_worker, strict=True)]
    print(f"    each worker busy: {', '.join(f'{100 * x / elapsed:.0f} %' for x in shares)} of one CPU")
    errors = [r[2][:200] for r in results if r[0] != 201][:3]
    if errors:
        print(f"    first refusals: {errors}")
    return {"rate": rate, "p50": p50, "p99": p99, "server_ms": server}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ballots", type=int, default=int(os.environ.get("VOTE_BENCH_BALLOTS", "3000")),
                    help="voters: each casts once in the saturation run and re-votes in the sustained run")
    ap.add_argument("--concurrency", type=int, default=64, help="voters casting at once (saturation run)")
    ap.add_argument("--rate", type=float, default=200.0, help="ballots arriving per second (sustained run)")
    ap.add_argument("--precincts", type=int, default=8,
                    help="precincts the ballots are spread over (each commits on its own, as in an election)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--server", choices=("granian", "gunicorn"), default="granian",
                    help="granian as scripts/run-web.sh runs it; gunicorn's gthread worker for comparison "
                         "(pip install gunicorn gunicorn-h1c first)")
    ap.add_argument("--nice", type=int, default=0, help="run the client at this lower priority (os.nice)")
    args = ap.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.execv("/bin/bash", ["bash", str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, *sys.argv])
    var = Path(tempfile.mkdtemp(prefix="saylau-vote-bench-", dir="/var/tmp"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "saylau.web.settings", "SAYLAU_VAR_DIR": str(var),
           "SAYLAU_SECRET_KEY": "bench-" + os.urandom(16).hex(), "SAYLAU_HTTPS": "0", "PYTHONPATH": str(ROOT)}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        print(f"vote bench: {args.ballots} voters in {args.precincts} precincts, {args.server} {args.workers} workers × "
              f"{args.threads} threads, {os.cpu_count()} CPU(s), PostgreSQL, a new connection per ballot; "
              f"load average before: {os.getloadavg()[0]:.2f}")
        t = time.perf_counter()
        world = setup(args.ballots, args.precincts)
        print(f"  setup (not timed): {time.perf_counter() - t:.1f} s; ballots made at {world['make_ms']:.1f} ms each")
        port = free_port()
        server = start_server(port, args.workers, args.threads, env, args.server)
        ballots: list[bytes] = world["ballots"]  # type: ignore[assignment]
        revotes: list[bytes] = world["revotes"]  # type: ignore[assignment]
        precincts: list[str] = world["precincts"]  # type: ignore[assignment]
        passes: list[str] = world["passes"]  # type: ignore[assignment]
        code_ = str(world["code"])
        if args.nice:
            os.nice(args.nice)
        meter = Meter(children(server.pid))
        meter.start()
        results, elapsed = fire(port, code_, precincts, ballots, passes, concurrency=args.concurrency)
        meter.stop()
        saturation = report(f"saturation ({args.concurrency} voters casting back to back)", results, elapsed, meter,
                            "goal: ≥ 200 ballots/s")
        meter.start()
        again, elapsed = fire(port, code_, precincts, revotes, passes, concurrency=max(args.concurrency, 256),
                              rate=args.rate)
        meter.stop()
        sustained = report(f"sustained ({args.rate:.0f} re-votes/s arriving)", again, elapsed, meter,
                           "goal: p99 < 300 ms")
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        pes: dict[str, tuple[str, str]] = world["pe"]  # type: ignore[assignment]
        every = results + again
        accepted = sum(r[0] == 201 for r in every)
        lost = check_receipts(every, ballots + revotes, precincts + precincts, pes)
        print(f"  receipts checked against the precincts' boards: {accepted - lost} OK, {lost} lost (goal 0)")
        code, counted, totals = 0, 0, [0] * 5
        for pe_path, _ in pes.values():
            c, result = tally_and_verify(pe_path, int(world["secret"]))  # type: ignore[call-overload]
            code |= c
            counted += sum(result[0])
            totals = [a + b for a, b in zip(totals, result[0], strict=True)]
        print(f"  tally {totals}: {counted} ballots counted (the last of each voter) in {len(pes)} precincts; "
              f"saylau verify exit {code}")
        first = precincts[0]
        phases = profile(world["params"][first],  # type: ignore[index]
                         [b for b, c in zip(ballots, precincts, strict=True) if c == first])
        print(f"  where the server's time goes (per ballot): parse {phases['parse']:.2f} ms, proofs and signature "
              f"{phases['proofs+signature']:.2f} ms of {saturation['server_ms']:.2f} CPU-ms in the workers "
              f"(the rest: HTTP, Django, the database client, the group commit)")
        met = saturation["rate"] >= 200 and sustained["p99"] < 300
        print(f"  goal (≥ 200 ballots/s, p99 < 300 ms at 200/s, no receipt lost): {'met' if met and not lost else 'NOT met'}")
        ok = lost == 0 and code == 0 and accepted == len(every) and counted == len(ballots)
        return 0 if ok else 1
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
