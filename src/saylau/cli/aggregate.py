"""`saylau aggregate …`: tallies combined upward (precinct → district → region → country), decrypted
by the trustees at each level, and re-checked from the parts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from saylau.errors import SaylauError

if TYPE_CHECKING:
    from saylau.verify.runners import Runner


def _runner() -> Runner:
    from saylau.verify.runners import default_runner

    return default_runner()


def cmd_make(args: argparse.Namespace) -> int:
    from saylau.record.aggregate import combine_parts
    from saylau.verify.aggregate import load_part
    from saylau.verify.report import Report

    report = Report()
    runner = _runner()
    try:
        parts = [load_part(Path(p), report, runner) for p in args.parts]
    finally:
        runner.close()
    if not report.ok or any(p is None for p in parts):
        print(report.render())
        raise SaylauError("refusing to aggregate: a part does not verify")
    raw = combine_parts(args.level, [p for p in parts if p is not None])
    Path(args.out).write_bytes(raw + b"\n")
    from saylau.record.aggregate import parse_aggregate

    agg = parse_aggregate(raw)
    print(f"{args.level}: {len(parts)} part(s), {agg.num_tallied} ballots; aggregate {args.out}, fingerprint {agg.fingerprint}")
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    from saylau.crypto.decryption import partial_decrypt
    from saylau.crypto.group import SYSTEM_RNG
    from saylau.crypto.trustees import verify_trustees
    from saylau.record.aggregate import parse_aggregate
    from saylau.verify.aggregate import verify_aggregate

    from .main import _trustee_secret

    report = verify_aggregate(Path(args.aggregate), [Path(p) for p in args.part])
    if not report.ok:
        print(report.render())
        raise SaylauError("refusing to decrypt: the aggregate does not match its parts")
    agg = parse_aggregate(Path(args.aggregate).read_bytes().rstrip(b"\n"))
    if agg.num_tallied < args.min_ballots:
        raise SaylauError(f"refusing to decrypt: {agg.num_tallied} ballot(s), fewer than the minimum group size {args.min_ballots}")
    g = agg.group
    keys = verify_trustees(g, agg.trustees)
    x = _trustee_secret(args, g)
    if keys.keys.get(args.trustee_id) != g.g_pow(x):
        raise SaylauError(f"this secret is not trustee {args.trustee_id}'s key")
    factors, proofs = partial_decrypt(g, agg.fingerprint, x, agg.tally, rng=SYSTEM_RNG)
    out = {"owner": args.trustee_id,
           "decryption_factors": [[g.encode(f) for f in row] for row in factors],
           "decryption_proofs": [[{"challenge": str(p.challenge), "response": str(p.response)} for p in row] for row in proofs]}
    Path(args.out).write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"partial decryption of trustee {args.trustee_id} for {agg.level} written to {args.out}")
    return 0


def cmd_result(args: argparse.Namespace) -> int:
    from saylau.crypto.decryption import combine, decrypt_result
    from saylau.crypto.trustees import verify_trustees
    from saylau.record.aggregate import parse_aggregate
    from saylau.verify.aggregate import check_decryptions
    from saylau.verify.report import Report

    agg = parse_aggregate(Path(args.aggregate).read_bytes().rstrip(b"\n"))
    report = Report()
    check_decryptions(agg, [Path(p) for p in args.pd], None, report)
    if not report.ok:
        print(report.render())
        raise SaylauError("a partial decryption does not verify")
    g = agg.group
    keys = verify_trustees(g, agg.trustees)
    shares: dict[int, list[list[object]]] = {}
    for p in args.pd:
        d = json.loads(Path(p).read_text())
        shares.setdefault(int(d["owner"]), [[g.parse(f, field="factor") for f in row] for row in d["decryption_factors"]])
    combined = combine(g, keys.items, shares, [len(r) for r in agg.tally])
    result = decrypt_result(g, agg.tally, combined, agg.total_weight)
    Path(args.out).write_text(json.dumps({"result": result}, separators=(",", ":")) + "\n")
    print(json.dumps({"level": agg.level, "result": result}, ensure_ascii=False, separators=(",", ":")))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from saylau.verify.aggregate import verify_aggregate

    runner = _runner()
    try:
        report = verify_aggregate(Path(args.aggregate), [Path(p) for p in args.part], [Path(p) for p in args.pd],
                                  Path(args.result) if args.result else None, runner)
    finally:
        runner.close()
    print(report.render())
    return 0 if report.ok else 1


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    a = sub.add_parser("aggregate", help="combine tallies upward and decrypt a level").add_subparsers(dest="what", required=True)
    m = a.add_parser("make", help="multiply the encrypted tallies of verified parts")
    m.add_argument("--level", required=True, help="e.g. 'Atyrau region'")
    m.add_argument("--out", required=True)
    m.add_argument("parts", nargs="+", help="precinct archives/directories, or lower-level aggregate .json files")
    m.set_defaults(fn=cmd_make)
    d = a.add_parser("decrypt", help="a trustee's partial decryption of a level (after re-checking it)")
    d.add_argument("aggregate")
    d.add_argument("--part", action="append", required=True, help="a part of the aggregate (repeat, all of them)")
    d.add_argument("--trustee-id", type=int, required=True)
    d.add_argument("--secret", required=True)
    d.add_argument("--dkey")
    d.add_argument("--passphrase-file")
    d.add_argument("--min-ballots", type=int, default=1)
    d.add_argument("--out", required=True)
    d.set_defaults(fn=cmd_decrypt)
    r = a.add_parser("result", help="combine the partial decryptions of a level")
    r.add_argument("aggregate")
    r.add_argument("--pd", action="append", required=True)
    r.add_argument("--out", required=True)
    r.set_defaults(fn=cmd_result)
    v = a.add_parser("verify", help="re-check a level from its parts, decryptions and result")
    v.add_argument("aggregate")
    v.add_argument("--part", action="append", default=[])
    v.add_argument("--pd", action="append", default=[])
    v.add_argument("--result")
    v.set_defaults(fn=cmd_verify)
