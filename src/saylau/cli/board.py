"""`saylau board …` and `saylau witness …`: the bulletin board for observers and operators.

An election directory `D` with a board holds `D/board/` (the log: entries, nodes, payloads
by hash, the cosigned `checkpoint`, and `log.vkey`, the log's public key) and
`D/board-log.skey`, the log's signing key (mode 0600, never published). Every workflow
step (`election make`, `ballot cast`, `tally`, `decrypt`, `result`) mirrors the archive's
new events onto the board and publishes a new checkpoint; `ballot cast` also writes the
voter's receipt, a C2SP tlog-proof of the ballot's leaf.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from pathlib import Path

from saylau.board import merkle
from saylau.board.client import open_board
from saylau.board.errors import BoardError, Misbehaviour, WitnessRefusal
from saylau.board.note import (
    Cosigner,
    Policy,
    Signer,
    Verifier,
    load_vkey,
    open_checkpoint,
    parse_skey,
)
from saylau.board.proofs import format_tlog_proof, parse_tlog_proof
from saylau.board.publish import Submit, http_submitter, publish_checkpoint
from saylau.board.store import LogStore
from saylau.errors import SaylauError
from saylau.record.boardlog import export_archive, find_ballot, mirror_archive

BOARD = "board"
SKEY = "board-log.skey"


def log_verifier(board_location: str, given: str | None) -> tuple[Verifier, str | None]:
    """The log key: given explicitly, or the board directory's own `log.vkey` (with a warning)."""
    if given:
        return load_vkey(given), None
    p = Path(board_location) / "log.vkey"
    if p.is_file():
        return load_vkey(str(p)), f"log key taken from {p} (pass --log-key to pin it)"
    raise SaylauError("the log's public key is needed: --log-key VKEY or FILE")


# ------------------------------------------------------------------------- election hook


def board_init(d: Path, origin: str | None = None) -> str:
    """Create `d/board` with a fresh log key; mirror the archive if it exists."""
    if (d / BOARD).exists():
        raise SaylauError(f"{d / BOARD} already exists")
    from saylau.record.workflow import ElectionDir

    election = ElectionDir(d).election if (d / "election.json").exists() else None
    origin = origin or f"saylau.local/election/{election.uuid if election else d.name}"
    signer = Signer.generate(origin)
    fd = os.open(d / SKEY, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(signer.skey() + "\n")
    with LogStore(d / BOARD, create=True) as store:
        (d / BOARD / "log.vkey").write_text(signer.vkey() + "\n")
        sync_board(d, store=store)
    return signer.vkey()


def _witness_targets(d: Path) -> list[tuple[str, Submit]]:
    cfg = d / BOARD / "witnesses.txt"  # lines: NAME URL
    out: list[tuple[str, Submit]] = []
    if cfg.is_file():
        for line in cfg.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                name, url = line.split()
                out.append((name, http_submitter(url)))
    return out


def _log_signer(d: Path) -> Signer:
    signer = parse_skey((d / SKEY).read_text().strip())
    if not isinstance(signer, Signer):
        raise SaylauError(f"{d / SKEY} is not a log signing key")
    return signer


def _publish(d: Path, store: LogStore) -> str:
    """Sign the board's current tree head and gather the configured witnesses' cosignatures."""
    note, errors = publish_checkpoint(store, _log_signer(d), _witness_targets(d))
    for name, err in errors.items():
        print(f"saylau: warning: witness {name} did not cosign: {err}", file=sys.stderr)
    return note


def sync_board(d: Path, *, store: LogStore | None = None) -> str | None:
    """Mirror new archive events onto the board and publish a checkpoint (no-op without a board)."""
    if not (d / BOARD).exists():
        return None
    _log_signer(d)  # refuse before touching the board
    own = store is None
    store = store or LogStore(d / BOARD)
    try:
        archives = sorted(d.glob("*.bel"))
        if archives:
            mirror_archive(archives[0], store)
        return _publish(d, store)
    finally:
        if own:
            store.close()


def tracker_hex(tracker: str) -> str:
    """The hex SHA-256 a Ballot event names its ballot by, from the voter's Base64 tracker."""
    return base64.b64decode(tracker + "=" * (-len(tracker) % 4)).hex()


def receipt_for(d: Path, tracker: str) -> str:
    """The tlog-proof receipt of a ballot on the election's board."""
    with LogStore(d / BOARD) as store:
        index = find_ballot(store, tracker_hex(tracker))
        note = store.read_checkpoint()
        if index is None or note is None:
            raise SaylauError(f"ballot {tracker} is not on the board")
        size = int(note.split("\n")[1])
        return format_tlog_proof(index, store.inclusion_proof(index, size), note)


def publish_outcomes(d: Path, result: list[list[int]]) -> list[dict[str, object]]:
    """Derive and log the outcome of every contest specified on the board."""
    from saylau.domain.contest import derive_outcome, spec_from_json
    from saylau.record.boardlog import append_saylau_event, saylau_events
    from saylau.record.workflow import ElectionDir

    if not (d / BOARD).exists():
        return []
    election = ElectionDir(d).election
    outcomes = []
    with LogStore(d / BOARD) as store:
        for _i, event in saylau_events(store, "contest"):
            spec = spec_from_json(event)
            q = election.questions[spec.question]
            outcome = derive_outcome(spec, list(q.answers), result[spec.question], blank=q.blank)
            append_saylau_event(store, outcome)
            outcomes.append(outcome)
        if outcomes:
            _publish(d, store)
    return outcomes


# ------------------------------------------------------------------------------ commands


def cmd_contest_set(args: argparse.Namespace) -> int:
    from fractions import Fraction

    from saylau.domain.contest import ContestSpec
    from saylau.record.boardlog import append_saylau_event
    from saylau.record.workflow import ElectionDir

    d = Path(args.dir)
    if not (d / BOARD).exists():
        raise SaylauError(f"{d}: no board (make the election with --board)")
    election = ElectionDir(d).election
    if not 0 <= args.question < len(election.questions):
        raise SaylauError(f"--question {args.question}: the election has {len(election.questions)} question(s)")
    spec = ContestSpec(args.question, args.system, args.against_all, args.seats, Fraction(args.threshold) / 100)
    q = election.questions[spec.question]
    if spec.against_all is not None and spec.against_all not in q.answers:
        raise SaylauError(f"--against-all {spec.against_all!r} is not an answer of question {args.question}")
    with LogStore(d / BOARD) as store:
        index = append_saylau_event(store, spec.to_json())
        _publish(d, store)
    print(f"contest of question {args.question} ({spec.system}) logged as board entry {index}")
    return 0


def cmd_board_init(args: argparse.Namespace) -> int:
    vkey = board_init(Path(args.dir), args.origin)
    print(f"board created in {Path(args.dir) / BOARD}; log key (publish it): {vkey}")
    return 0


def _verify_checkpoint(board_location: str, args: argparse.Namespace) -> tuple[object, int, bytes, str]:
    board = open_board(board_location)
    verifier, warning = log_verifier(board_location, args.log_key)
    note = board.checkpoint_note()
    cp = open_checkpoint(note, verifier)
    return board, cp.size, cp.root_hash, warning or ""


def cmd_board_verify(args: argparse.Namespace) -> int:
    board, size, root, warning = _verify_checkpoint(args.board, args)
    if warning:
        print(f"note: {warning}")
    problems: list[str] = []
    nodes = merkle.MemoryNodes()
    missing_payloads = 0
    for i in range(size):
        leaf = board.entry(i)  # type: ignore[attr-defined]
        nodes.append(merkle.leaf_hash(leaf))
        try:
            ev = json.loads(leaf)
        except ValueError:
            continue
        if isinstance(ev, dict) and isinstance(ev.get("payload"), str):
            try:
                board.get_data(ev["payload"])  # type: ignore[attr-defined]
            except BoardError as exc:
                missing_payloads += 1
                problems.append(f"entry {i}: payload {ev['payload'][:16]}…: {exc}")
    if merkle.root(nodes, size) != root:
        problems.append("the entries do not hash to the signed root")
    print(f"checkpoint: size {size}, root {base64.b64encode(root).decode()} (log signature OK)")
    if args.witness_key:
        result = Policy(tuple(load_vkey(k) for k in args.witness_key), args.quorum).evaluate(board.checkpoint_note())  # type: ignore[attr-defined]
        print(f"witnesses: {len(result.cosigned)} of {len(args.witness_key)} cosigned "
              f"({', '.join(result.cosigned) or 'none'}); quorum {args.quorum}: {'met' if result.is_met else 'NOT met'}")
        if not result.is_met:
            problems.append("the witness quorum is not met")
    for p in problems:
        print(f"FAILED: {p}")
    print("OK: every entry is in the signed tree" if not problems else f"FAILED: {len(problems)} problem(s)")
    return 0 if not problems else 1


def cmd_board_prove(args: argparse.Namespace) -> int:
    board, size, root, warning = _verify_checkpoint(args.board, args)
    index = find_ballot(board, tracker_hex(args.tracker))  # type: ignore[arg-type]
    if index is None or index >= size:
        print(f"FAILED: no ballot with tracker {args.tracker} in the signed board", file=sys.stderr)
        return 1
    proof = board.inclusion_proof(index, size)  # type: ignore[attr-defined]
    merkle.verify_inclusion(index, size, merkle.leaf_hash(board.entry(index)), proof, root)  # type: ignore[attr-defined]
    text = format_tlog_proof(index, proof, board.checkpoint_note())  # type: ignore[attr-defined]
    if args.out:
        Path(args.out).write_text(text)
    print(text if not args.out else f"ballot {args.tracker} is entry {index} of {size}; receipt written to {args.out}")
    if warning:
        print(f"note: {warning}", file=sys.stderr)
    return 0


def cmd_board_check_receipt(args: argparse.Namespace) -> int:
    parsed = parse_tlog_proof(Path(args.receipt).read_text())
    verifier = load_vkey(args.log_key)
    cp = open_checkpoint(parsed.checkpoint_note, verifier)
    board = open_board(args.board)
    leaf = board.entry(parsed.leaf_index)
    merkle.verify_inclusion(parsed.leaf_index, cp.size, merkle.leaf_hash(leaf), parsed.proof, cp.root_hash)
    current = open_checkpoint(board.checkpoint_note(), verifier)
    if current.size > cp.size:
        merkle.verify_consistency(cp.size, current.size, board.consistency_proof(cp.size, current.size), cp.root_hash, current.root_hash)
    print(f"OK: the receipt's entry {parsed.leaf_index} is in the board, and the board today ({current.size} entries) extends it")
    return 0


def cmd_board_serve(args: argparse.Namespace) -> int:
    from saylau.board.server import serve

    server = serve(args.board, host="127.0.0.1", port=args.port)
    print(f"serving {args.board} on {server.url} (Ctrl-C to stop)", flush=True)
    return _until_interrupted(server)


def _until_interrupted(server: object) -> int:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()  # type: ignore[attr-defined]
    return 0


def cmd_board_export(args: argparse.Namespace) -> int:
    n = export_archive(open_board(args.board), Path(args.out))
    print(f"{n} Belenios events written to {args.out}")
    return 0


class _MirrorSource:
    """A board seen through its verified checkpoint, for `tiles.write_static`."""

    def __init__(self, board: object, size: int) -> None:
        self.board, self.size = board, size

    def node(self, level: int, index: int) -> bytes:
        return self.board.node(level, index)  # type: ignore[attr-defined, no-any-return]

    def entry(self, index: int) -> bytes:
        return self.board.entry(index)  # type: ignore[attr-defined, no-any-return]

    def root(self, size: int | None = None) -> bytes:
        return merkle.root(self, self.size if size is None else size)

    def get_data(self, h: str) -> bytes:
        return self.board.get_data(h)  # type: ignore[attr-defined, no-any-return]

    def data_hashes(self) -> list[str]:
        from saylau.record.boardlog import payload_hashes

        return payload_hashes(self)


def cmd_board_mirror(args: argparse.Namespace) -> int:
    """Mirror a board (PATH or URL) as static tlog-tiles files that any web server can serve."""
    from saylau.board.tiles import write_static

    board, size, _root, warning = _verify_checkpoint(args.board, args)
    written = write_static(_MirrorSource(board, size), args.out, board.checkpoint_note())  # type: ignore[attr-defined]
    print(f"mirrored {size} entries to {args.out} ({len(written)} files written)")
    if warning:
        print(f"note: {warning}", file=sys.stderr)
    return 0


def cmd_board_publish(args: argparse.Namespace) -> int:
    d = Path(args.dir)
    with LogStore(d / BOARD) as store:
        targets = [(w.split("=", 1)[0], http_submitter(w.split("=", 1)[1])) for w in args.witness]
        note, errors = publish_checkpoint(store, _log_signer(d), targets)
    print(note, end="")
    for name, err in errors.items():
        print(f"witness {name} refused: {err}", file=sys.stderr)
    return 0 if not errors else 1


def _cosigner(path: str) -> Cosigner:
    key = parse_skey(Path(path).read_text().strip())
    if not isinstance(key, Cosigner):
        raise SaylauError(f"{path} is not a witness (cosignature/v1) key")
    return key


def cmd_witness_keygen(args: argparse.Namespace) -> int:
    key = Cosigner.generate(args.name)
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.skey() + "\n")
    print(key.vkey())
    return 0


def cmd_witness_follow(args: argparse.Namespace) -> int:
    from saylau.board.witness import Witness

    board = open_board(args.board)
    verifier, warning = log_verifier(args.board, args.log_key)
    note = board.checkpoint_note()
    origin = note.split("\n", 1)[0]
    w = Witness(_cosigner(args.key), {origin: [verifier]}, Path(args.state))
    try:
        line = w.follow(note, lambda m, n: board.consistency_proof(m, n))
    except Misbehaviour as exc:
        print(f"MISBEHAVIOUR: {exc}", file=sys.stderr)
        print(exc.evidence)
        return 3
    except WitnessRefusal as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    if warning:
        print(f"note: {warning}", file=sys.stderr)
    (Path(args.state) / "last-cosignature").write_text(line)
    print(line, end="")
    return 0


def cmd_witness_serve(args: argparse.Namespace) -> int:
    from saylau.board.witness import Witness
    from saylau.board.witness_server import serve_witness

    logs: dict[str, list[Verifier]] = {}
    for vkey in args.log_key:
        v = load_vkey(vkey)
        logs.setdefault(v.name, []).append(v)
    server = serve_witness(Witness(_cosigner(args.key), logs, Path(args.state)), port=args.port)
    print(f"witness listening on http://127.0.0.1:{server.server_address[1]}/add-checkpoint", flush=True)
    return _until_interrupted(server)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("board", help="the public bulletin board").add_subparsers(dest="what", required=True)
    contest = sub.add_parser("contest", help="what a question decides (logged on the board)").add_subparsers(dest="what", required=True)
    c = contest.add_parser("set")
    c.add_argument("--dir", required=True)
    c.add_argument("--question", type=int, required=True)
    c.add_argument("--system", required=True, choices=["plurality", "majority", "party-list"])
    c.add_argument("--against-all", help="the answer that is the 'against all' line")
    c.add_argument("--seats", type=int, default=1)
    c.add_argument("--threshold", default="5", help="party lists: threshold in percent of all valid ballots")
    c.set_defaults(fn=cmd_contest_set)
    p = b.add_parser("init", help="create the election's board and log key")
    p.add_argument("--dir", required=True)
    p.add_argument("--origin", help="log origin (default saylau.local/election/<uuid>)")
    p.set_defaults(fn=cmd_board_init)
    for name, fn, help_ in [("verify", cmd_board_verify, "check the whole log against its signed checkpoint"),
                            ("prove", cmd_board_prove, "inclusion proof (receipt) of a ballot by tracker")]:
        p = b.add_parser(name, help=help_)
        p.add_argument("board", help="log directory, static mirror or http URL")
        p.add_argument("--log-key", help="the log's vkey (text or file)")
        if name == "verify":
            p.add_argument("--witness-key", action="append", default=[], help="a witness vkey (repeat)")
            p.add_argument("--quorum", type=int, default=1)
        else:
            p.add_argument("--tracker", required=True)
            p.add_argument("--out", help="write the tlog-proof receipt here")
        p.set_defaults(fn=fn)
    p = b.add_parser("check-receipt", help="check a voter's tlog-proof receipt against the board")
    p.add_argument("receipt")
    p.add_argument("board")
    p.add_argument("--log-key", required=True)
    p.set_defaults(fn=cmd_board_check_receipt)
    p = b.add_parser("serve", help="serve checkpoint, tiles, entries and proofs on 127.0.0.1")
    p.add_argument("board")
    p.add_argument("--port", type=int, default=8001)
    p.set_defaults(fn=cmd_board_serve)
    p = b.add_parser("export", help="the Belenios archive: the board's filtered view")
    p.add_argument("board")
    p.add_argument("out")
    p.set_defaults(fn=cmd_board_export)
    p = b.add_parser("mirror", help="copy a board (checked against its signed checkpoint) as static tiles")
    p.add_argument("board")
    p.add_argument("out")
    p.add_argument("--log-key", help="the log's vkey (text or file)")
    p.set_defaults(fn=cmd_board_mirror)
    p = b.add_parser("publish", help="sign a checkpoint and push it to witnesses")
    p.add_argument("--dir", required=True)
    p.add_argument("--witness", action="append", default=[], help="NAME=URL of a witness server (repeat)")
    p.set_defaults(fn=cmd_board_publish)

    w = sub.add_parser("witness", help="an independent witness of a board")
    ws = w.add_subparsers(dest="what")
    w.add_argument("--board", help="log directory, static mirror or http URL to follow")
    w.add_argument("--key", help="the witness's signing key file")
    w.add_argument("--state", help="the witness's state directory")
    w.add_argument("--log-key", help="the log's vkey (text or file)")
    w.set_defaults(fn=_witness_default)
    p = ws.add_parser("keygen", help="a new witness key")
    p.add_argument("--name", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(fn=cmd_witness_keygen)
    p = ws.add_parser("serve", help="a tlog-witness server (the log pushes add-checkpoint)")
    p.add_argument("--key", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--log-key", action="append", required=True, help="vkey of a log to witness (repeat)")
    p.add_argument("--port", type=int, default=8002)
    p.set_defaults(fn=cmd_witness_serve)


def _witness_default(args: argparse.Namespace) -> int:
    if not (args.board and args.key and args.state):
        raise SaylauError("usage: saylau witness --board PATH|URL --key KEYFILE --state DIR [--log-key VKEY]")
    return cmd_witness_follow(args)
