"""`saylau`: run and verify a whole election from the command line.

Commands follow the life of an election (a directory `--dir D`, as belenios-tool uses):
  saylau setup uuid                                        a fresh election identifier
  saylau credentials generate --dir D --uuid U --group G --count N
  saylau trustee generate --group G --out NAME             single trustee: NAME.pubkey + NAME.secret
  saylau threshold cert|polynomial|route|voutput|combine    the Pedersen t-of-n ceremony
  saylau trustees make --dir D                             public_keys.jsons + threshold.json → trustees.json
  saylau election make --dir D --uuid U --template T       election.json and the archive's Setup
  saylau ballot make --dir D --credential C --choice F     encrypt and sign (prints the ballot)
  saylau ballot cast --dir D FILE                          check and append a ballot
  saylau tally --dir D                                     EndBallots + EncryptedTally
  saylau decrypt --dir D --trustee-id N --secret FILE      partial decryption (appended)
  saylau result --dir D                                    combine and append the Result
  saylau verify PATH [--jobs N] [--scheduler tcp://H:P]    re-check everything
  saylau export-dir ARCHIVE OUT                            loose-file layout of an archive
  saylau seats --seats N --threshold 5 [--json] votes.csv  party-list seat allocation (Hare, largest remainder)
  saylau board … / saylau witness …                        the bulletin board (see `saylau board -h`)
  saylau results check BOARD [--log-key K]                 recompute the published results protocols and outcomes
  saylau demo [--dir D]                                    a complete small election, verified
Exit codes: 0 success, 1 verification findings, 2 refused input or usage error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from saylau.errors import SaylauError


def _passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    if getattr(args, "passphrase_file", None):
        return Path(args.passphrase_file).read_text().rstrip("\n")
    if os.environ.get("SAYLAU_PASSPHRASE"):
        return os.environ["SAYLAU_PASSPHRASE"]
    if not sys.stdin.isatty():
        raise SaylauError("no passphrase: use --passphrase-file or SAYLAU_PASSPHRASE")
    p = getpass.getpass("Passphrase for the trustee's secret file: ")
    if confirm and getpass.getpass("Repeat it: ") != p:
        raise SaylauError("the passphrases differ")
    return p


def _write_new(path: Path, text: str, secret: bool = False) -> None:
    if path.exists():
        raise SaylauError(f"{path} exists; refusing to overwrite")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if secret else 0o644)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def cmd_setup_uuid(args: argparse.Namespace) -> int:
    from saylau.crypto.credentials import random_token
    from saylau.crypto.group import SYSTEM_RNG

    print(random_token(SYSTEM_RNG))
    return 0


def cmd_credentials(args: argparse.Namespace) -> int:
    from saylau.crypto import credentials
    from saylau.crypto.group import SYSTEM_RNG, group_by_name

    group = group_by_name(args.group)
    d = Path(args.dir)
    d.mkdir(parents=True, exist_ok=True)
    voters = [f"voter{i}" for i in range(1, args.count + 1)] if args.count else Path(args.voters).read_text().split()
    private, public = {}, []
    gen = credentials.generate_v2 if args.v2 else credentials.generate
    for login in voters:
        cred = gen(SYSTEM_RNG)
        private[login] = cred
        public.append(f"{group.encode(credentials.public_credential(group, args.uuid, cred))},,{login}")
    _write_new(d / "private_creds.json", json.dumps(private, indent=0) + "\n", secret=True)
    (d / "public_creds.json").write_text(json.dumps(public, separators=(",", ":")) + "\n")
    print(f"{len(public)} credentials: public in {d / 'public_creds.json'}, private (for the letters) in {d / 'private_creds.json'}")
    return 0


def cmd_trustee_generate(args: argparse.Namespace) -> int:
    from saylau.crypto.group import SYSTEM_RNG, group_by_name
    from saylau.crypto.secretfile import seal_secret
    from saylau.crypto.trustees import single_generate

    group = group_by_name(args.group)
    x, public = single_generate(group, rng=SYSTEM_RNG)
    out = Path(args.out)
    _write_new(out.with_suffix(".secret"), seal_secret({"kind": "single", "group": group.name, "secret": str(x)}, _passphrase(args, True)), True)
    _write_new(out.with_suffix(".pubkey"), json.dumps(public, separators=(",", ":")) + "\n")
    print(f"public key in {out.with_suffix('.pubkey')}; secret (encrypted) in {out.with_suffix('.secret')}")
    return 0


def _seed(args: argparse.Namespace) -> tuple[str, str]:
    from saylau.crypto.secretfile import open_secret

    payload = open_secret(Path(args.secret).read_text(), _passphrase(args))
    if payload.get("kind") != "pedersen":
        raise SaylauError(f"{args.secret} is not a threshold trustee's secret")
    return str(payload["seed"]), str(payload["group"])


def _jsons(path: str) -> list[object]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def cmd_threshold(args: argparse.Namespace) -> int:
    from saylau.crypto import dkg
    from saylau.crypto.group import SYSTEM_RNG, group_by_name
    from saylau.crypto.secretfile import seal_secret

    rng = SYSTEM_RNG
    if args.step == "cert":
        group = group_by_name(args.group)
        seed = dkg.new_seed(rng)
        cert = dkg.make_cert(group, seed, index=args.index, size=args.size, threshold=args.threshold, rng=rng)
        _write_new(Path(args.secret), seal_secret({"kind": "pedersen", "group": group.name, "seed": seed}, _passphrase(args, True)), True)
        print(json.dumps(cert, separators=(",", ":")))
        return 0
    if args.step == "polynomial":
        seed, gname = _seed(args)
        certs = _jsons(args.certs)
        print(json.dumps(dkg.make_polynomial(group_by_name(gname), seed, certs, args.threshold, rng=rng), separators=(",", ":")))
        return 0
    if args.step == "route":
        polys = [p for p in _jsons(args.polynomials) if isinstance(p, dict)]
        out = Path(args.out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for i, v in enumerate(dkg.route(polys), start=1):
            (out / f"{i}.vinput").write_text(json.dumps(v, separators=(",", ":")) + "\n")
        print(f"{len(polys)} vinput files in {out}")
        return 0
    if args.step == "voutput":
        seed, gname = _seed(args)
        vinput = json.loads(Path(args.vinput).read_text())
        print(json.dumps(dkg.make_voutput(group_by_name(gname), seed, _jsons(args.certs), vinput, rng=rng), separators=(",", ":")))
        return 0
    # combine
    group = group_by_name(args.group)
    polys = [p for p in _jsons(args.polynomials) if isinstance(p, dict)]
    vouts = [v for v in _jsons(args.voutputs) if isinstance(v, dict)]
    params = dkg.combine(group, _jsons(args.certs), polys, vouts, args.threshold)
    print(json.dumps(params, separators=(",", ":")))
    return 0


def cmd_trustees_make(args: argparse.Namespace) -> int:
    d = Path(args.dir)
    items: list[object] = []
    if (d / "public_keys.jsons").exists():
        items += [["Single", k] for k in _jsons(str(d / "public_keys.jsons"))]
    if (d / "threshold.json").exists():
        items.append(["Pedersen", json.loads((d / "threshold.json").read_text())])
    if not items:
        raise SaylauError(f"{d}: neither public_keys.jsons nor threshold.json")
    (d / "trustees.json").write_text(json.dumps(items, separators=(",", ":")) + "\n")
    print(f"{d / 'trustees.json'}: {len(items)} trustee item(s)")
    return 0


def cmd_election_make(args: argparse.Namespace) -> int:
    from saylau.crypto.trustees import verify_trustees
    from saylau.record.election import election_from_template
    from saylau.record.workflow import ElectionDir, init_archive

    d = Path(args.dir)
    trustees_json = json.loads((d / "trustees.json").read_text())
    from saylau.crypto.group import group_by_name

    group = group_by_name(args.group)
    keys = verify_trustees(group, trustees_json)
    template = json.loads(Path(args.template).read_text()) if args.template else json.loads(
        (Path(__file__).parent.parent / "record" / "templates" / "demo.json").read_text())
    raw = election_from_template(template, uuid=args.uuid, group=group, public_key=keys.election_key)
    (d / "election.json").write_bytes(raw + b"\n")
    archive = init_archive(ElectionDir(d), timestamp=int(args.timestamp if args.timestamp is not None else time.time()))
    print(f"election {args.uuid}: {d / 'election.json'}, archive {archive}")
    if args.board:
        from .board import board_init

        print(f"board created; log key (publish it): {board_init(d)}")
    return 0


def cmd_ballot_make(args: argparse.Namespace) -> int:
    from saylau.record.ballot import make_ballot
    from saylau.record.workflow import ElectionDir

    choice = json.loads(Path(args.choice).read_text())
    raw, _ = make_ballot(ElectionDir(Path(args.dir)).election, args.credential, choice)
    sys.stdout.write(raw.decode() + "\n")
    return 0


def cmd_ballot_cast(args: argparse.Namespace) -> int:
    from saylau.record.workflow import ElectionDir, cast

    from .board import BOARD, receipt_for, sync_board

    d = Path(args.dir)
    data = (sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()).rstrip(b"\n")
    tracker = cast(ElectionDir(d), data)
    if (d / BOARD).exists():
        sync_board(d)  # durable on the board (synced) before any receipt is given
        receipt = receipt_for(d, tracker)
        out = Path(args.receipt) if args.receipt else d / "receipts" / f"{tracker.replace('/', '_')}.tlog-proof"
        out.parent.mkdir(exist_ok=True)
        out.write_text(receipt)
        print(f"cast; tracker {tracker}; receipt {out}")
    else:
        print(f"cast; tracker {tracker}")
    return 0


def cmd_tally(args: argparse.Namespace) -> int:
    from saylau.record.workflow import ElectionDir, close_and_tally

    from .board import sync_board

    sized = close_and_tally(ElectionDir(Path(args.dir)))
    sync_board(Path(args.dir))
    print(f"voting closed; {sized['num_tallied']} ballots tallied (total weight {sized['total_weight']})")
    return 0


def _trustee_secret(args: argparse.Namespace, group: Any) -> int:
    """The trustee's decryption key from its secret file (and, for t-of-n, its voutput)."""
    from saylau.crypto import dkg
    from saylau.crypto.secretfile import open_secret

    payload = open_secret(Path(args.secret).read_text(), _passphrase(args))
    if payload.get("kind") == "single":
        return int(str(payload["secret"]))
    if payload.get("kind") == "pedersen":
        if not args.dkey:
            raise SaylauError("a threshold trustee also needs --dkey (its voutput's private_key)")
        dkey = json.loads(Path(args.dkey).read_text())
        return dkg.decryption_key(group, str(payload["seed"]), dkey.get("private_key", dkey))
    raise SaylauError(f"{args.secret} is not a trustee secret")


def cmd_decrypt(args: argparse.Namespace) -> int:
    from saylau.record.workflow import ElectionDir, add_partial_decryption, make_partial_decryption

    d = ElectionDir(Path(args.dir))
    x = _trustee_secret(args, d.election.group)
    _check_before_decrypting(d.path, args)
    pd, owned = make_partial_decryption(d, args.trustee_id, x)
    add_partial_decryption(d, pd, owned)
    from .board import sync_board

    sync_board(d.path)
    print(f"partial decryption of trustee {args.trustee_id} appended")
    return 0


def _check_before_decrypting(d: Path, args: argparse.Namespace) -> None:
    """A trustee recomputes the encrypted tally before decrypting anything.

    From the board when one is given (the Belenios archive rebuilt from the board alone, so
    the trustee trusts nothing the server says), else from the election directory's
    archive: every ballot is re-checked, the tally recomputed (in parallel) and compared
    with the one to decrypt; a tally over fewer ballots than the minimum group size is
    refused, so that no tiny group's votes are decrypted on their own.
    """
    import tempfile

    from saylau.record.workflow import ElectionDir, encrypted_tally
    from saylau.verify.runners import default_runner
    from saylau.verify.verifier import TALLY_CHECKS, verify_record

    with tempfile.TemporaryDirectory(prefix="saylau-trustee-") as tmp:
        reference = d
        if args.board:  # the board's own election, rebuilt in a scratch directory
            from saylau.board.client import open_board
            from saylau.board.note import load_vkey, open_checkpoint
            from saylau.record.boardlog import export_archive

            if not args.log_key:
                raise SaylauError("--board needs --log-key (the log's public key, from the commission)")
            board = open_board(args.board)
            open_checkpoint(board.checkpoint_note(), load_vkey(args.log_key))
            reference = Path(tmp)
            for name in ("election.json", "trustees.json", "public_creds.json"):
                (reference / name).write_bytes((d / name).read_bytes())
            export_archive(board, reference / ElectionDir(d).archive.name)
        runner = default_runner()
        try:
            report = verify_record(ElectionDir(reference).archive, runner=runner, progress=False)
        finally:
            runner.close()
        bad = [f for f in report.findings if f.check.startswith(TALLY_CHECKS)]
        if bad:
            raise SaylauError("refusing to decrypt: the encrypted tally does not check out:\n  " + "\n  ".join(map(str, bad)))
        counted = int(str(report.stats.get("ballots counted (last per credential)", 0)))
        if counted < args.min_ballots:
            raise SaylauError(f"refusing to decrypt: the tally covers {counted} ballot(s), fewer than the minimum group size {args.min_ballots}")
        # the tally about to be decrypted must be the board's
        if args.board and encrypted_tally(ElectionDir(reference))[0] != encrypted_tally(ElectionDir(d))[0]:
            raise SaylauError("refusing to decrypt: the local encrypted tally differs from the board's")


def cmd_result(args: argparse.Namespace) -> int:
    from saylau.record.workflow import ElectionDir, compute_result

    from .board import sync_board

    result = compute_result(ElectionDir(Path(args.dir)))
    print(json.dumps({"result": result}, separators=(",", ":")))
    sync_board(Path(args.dir))
    from .board import publish_outcomes

    for outcome in publish_outcomes(Path(args.dir), result):
        print(json.dumps(outcome, ensure_ascii=False, separators=(",", ":")))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from saylau.verify.runners import DaskRunner, Runner, default_runner
    from saylau.verify.verifier import verify_record

    runner: Runner = DaskRunner(args.scheduler) if args.scheduler else default_runner(args.jobs)
    try:
        t0 = time.perf_counter()
        report = verify_record(Path(args.path), runner=runner, progress=None if not args.quiet else False)
        if args.board:
            from saylau.verify.boardcheck import check_board

            check_board(report, Path(args.path), args.board, args.log_key)
        report.stats["time"] = f"{time.perf_counter() - t0:.2f} s"
    finally:
        runner.close()
    print(report.render())
    return 0 if report.ok else 1


def cmd_export_dir(args: argparse.Namespace) -> int:
    from saylau.record.directory import export_directory

    export_directory(Path(args.archive), Path(args.out))
    print(f"loose-file layout written to {args.out}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(Path(args.dir) if args.dir else None, group_name=args.group)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="saylau", description="Verifiable, Belenios-compatible elections.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("setup", help="election identifiers").add_subparsers(dest="what", required=True)
    s.add_parser("uuid", help="print a fresh election identifier").set_defaults(fn=cmd_setup_uuid)

    c = sub.add_parser("credentials", help="voter credentials").add_subparsers(dest="what", required=True)
    cg = c.add_parser("generate", help="one credential per voter")
    cg.add_argument("--dir", required=True)
    cg.add_argument("--uuid", required=True)
    cg.add_argument("--group", default="Ed25519")
    src = cg.add_mutually_exclusive_group(required=True)
    src.add_argument("--count", type=int)
    src.add_argument("--voters", help="file with one voter login per line")
    cg.add_argument("--v2", action="store_true", help="Belenios 2.0 credential format")
    cg.set_defaults(fn=cmd_credentials)

    t = sub.add_parser("trustee", help="a single trustee's key").add_subparsers(dest="what", required=True)
    tg = t.add_parser("generate")
    tg.add_argument("--group", default="Ed25519")
    tg.add_argument("--out", required=True, help="NAME: writes NAME.pubkey and NAME.secret")
    tg.add_argument("--passphrase-file")
    tg.set_defaults(fn=cmd_trustee_generate)

    th = sub.add_parser("threshold", help="Pedersen t-of-n key ceremony")
    th.add_argument("step", choices=["cert", "polynomial", "route", "voutput", "combine"])
    th.add_argument("--group", default="Ed25519")
    th.add_argument("--index", type=int)
    th.add_argument("--size", type=int)
    th.add_argument("--threshold", type=int)
    th.add_argument("--secret")
    th.add_argument("--certs")
    th.add_argument("--polynomials")
    th.add_argument("--vinput")
    th.add_argument("--voutputs")
    th.add_argument("--out-dir")
    th.add_argument("--passphrase-file")
    th.set_defaults(fn=cmd_threshold)

    tm = sub.add_parser("trustees", help="trustees.json").add_subparsers(dest="what", required=True)
    tmm = tm.add_parser("make")
    tmm.add_argument("--dir", required=True)
    tmm.set_defaults(fn=cmd_trustees_make)

    e = sub.add_parser("election", help="election parameters").add_subparsers(dest="what", required=True)
    em = e.add_parser("make")
    em.add_argument("--dir", required=True)
    em.add_argument("--uuid", required=True)
    em.add_argument("--group", default="Ed25519")
    em.add_argument("--template", help="Belenios template (default: the demo election)")
    em.add_argument("--timestamp", type=int, help="archive timestamp (default: now)")
    em.add_argument("--board", action="store_true", help="also create the election's bulletin board")
    em.set_defaults(fn=cmd_election_make)

    b = sub.add_parser("ballot", help="make and cast ballots").add_subparsers(dest="what", required=True)
    bm = b.add_parser("make")
    bm.add_argument("--dir", required=True)
    bm.add_argument("--credential", required=True)
    bm.add_argument("--choice", required=True, help="JSON: one 0/1 list per question, blank flag first")
    bm.set_defaults(fn=cmd_ballot_make)
    bc = b.add_parser("cast")
    bc.add_argument("--dir", required=True)
    bc.add_argument("file", help="ballot file, or - for standard input")
    bc.add_argument("--receipt", help="where to write the voter's receipt (with a board)")
    bc.set_defaults(fn=cmd_ballot_cast)

    ta = sub.add_parser("tally", help="close voting and compute the encrypted tally")
    ta.add_argument("--dir", required=True)
    ta.set_defaults(fn=cmd_tally)

    de = sub.add_parser("decrypt", help="a trustee's partial decryption")
    de.add_argument("--dir", required=True)
    de.add_argument("--trustee-id", type=int, required=True)
    de.add_argument("--secret", required=True)
    de.add_argument("--dkey", help="threshold trustee: its voutput file")
    de.add_argument("--passphrase-file")
    de.add_argument("--board", help="recompute the tally from this board (PATH or URL) before decrypting")
    de.add_argument("--log-key", help="the board's log vkey (text or file)")
    de.add_argument("--min-ballots", type=int, default=1,
                    help="refuse a tally over fewer ballots (minimum group size; default 1)")
    de.set_defaults(fn=cmd_decrypt)

    r = sub.add_parser("result", help="combine partial decryptions and publish the result")
    r.add_argument("--dir", required=True)
    r.set_defaults(fn=cmd_result)

    v = sub.add_parser("verify", help="re-check an election record end to end")
    v.add_argument("path", help="a .bel archive or an election directory")
    v.add_argument("--jobs", type=int, default=0, help="worker processes (default: every core)")
    v.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://127.0.0.1:8786")
    v.add_argument("--quiet", action="store_true", help="no progress bar")
    v.add_argument("--board", help="also check that every event is on this board (PATH or URL)")
    v.add_argument("--log-key", help="the board's log vkey (text or file)")
    v.set_defaults(fn=cmd_verify)

    x = sub.add_parser("export-dir", help="write the loose-file layout of an archive")
    x.add_argument("archive")
    x.add_argument("out")
    x.set_defaults(fn=cmd_export_dir)

    from .board import add_parsers

    add_parsers(sub)
    from .seats import add_parser as add_seats_parser

    add_seats_parser(sub)
    from .aggregate import add_parser as add_aggregate_parser

    add_aggregate_parser(sub)
    from .documents import add_parsers as add_document_parsers

    add_document_parsers(sub)
    from .audit import add_parser as add_audit_parser

    add_audit_parser(sub)
    from .results import add_parsers as add_results_parsers

    add_results_parsers(sub)
    from .ceremony import add_parsers as add_ceremony_parsers

    add_ceremony_parsers(sub)  # saylau trustee decrypt-many
    from .ca import add_parsers as add_ca_parsers

    add_ca_parsers(sub)  # saylau ca init|generate|replace (the credential authority)

    dm = sub.add_parser("demo", help="run a complete small election and verify it")
    dm.add_argument("--dir")
    dm.add_argument("--group", default="Ed25519")
    dm.set_defaults(fn=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except SaylauError as exc:
        print(f"saylau: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, json.JSONDecodeError, KeyError, ValueError) as exc:
        print(f"saylau: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
