"""`saylau results check BOARD [--log-key VKEY]`: re-derive the published results from the board.

BOARD is the platform's public board: a log directory, a static tile directory or the web app's
`/board/log/` URL. The checkpoint is checked with the log's key and every entry against its
signed root; then every `results.protocol` event is re-checked (control figures, SHA-256, each
aggregate re-summed from its published parts) and every `results.outcome` re-derived from its
protocol, the `results.ballot` definition and the rule pack (the pack shipped with Saylau, whose
SHA-256 must be the one the ballot event names).

Exit 0 and "OK" when everything agrees; exit 1 with one line per difference otherwise.
"""

from __future__ import annotations

import argparse
import json

from saylau.board import merkle
from saylau.board.client import open_board
from saylau.board.note import open_checkpoint
from saylau.domain.errors import DomainError
from saylau.domain.results import Difference, check_published
from saylau.domain.rulepack import RulePack, builtin_pack_digests, load_builtin_pack

KINDS = ("results.ballot", "results.protocol", "results.outcome")


def cmd_results_check(args: argparse.Namespace) -> int:
    from .board import log_verifier

    board = open_board(args.board)
    verifier, warning = log_verifier(args.board, args.log_key)
    if warning:
        print(f"note: {warning}")
    checkpoint = open_checkpoint(board.checkpoint_note(), verifier)
    events: dict[str, list[dict[str, object]]] = {k: [] for k in KINDS}
    nodes = merkle.MemoryNodes()
    for i in range(checkpoint.size):
        leaf = board.entry(i)
        nodes.append(merkle.leaf_hash(leaf))
        if not leaf.startswith(b'{"saylau":"results.'):
            continue
        try:
            event = json.loads(leaf)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("saylau") in events:
            events[str(event["saylau"])].append(event)
    differences: list[Difference] = []
    if merkle.root(nodes, checkpoint.size) != checkpoint.root_hash:
        differences.append(Difference("-", "-", "the board's entries do not hash to its signed root"))
    packs: dict[str, RulePack] = {}
    for event in events["results.ballot"]:
        pack_id = str(event.get("pack"))
        try:
            pack = load_builtin_pack(pack_id)
            if event.get("pack_sha256") != builtin_pack_digests(pack_id):
                differences.append(Difference(str(event.get("election")), "-",
                                              f"rule pack {pack_id}: the published SHA-256 is not that of the pack "
                                              "shipped with this saylau"))
            packs[pack_id] = pack
        except DomainError as exc:
            differences.append(Difference(str(event.get("election")), "-", f"rule pack {pack_id}: {exc}"))
    found, checked = check_published(events["results.ballot"], events["results.protocol"],
                                     events["results.outcome"], packs)
    differences += found
    for d in differences:
        print(f"DIFFERS: {d}")
    if differences:
        print(f"FAILED: {len(differences)} difference(s)")
        return 1
    print(f"OK: {checked} protocol(s) and outcome(s) recomputed from the board "
          f"({len(events['results.ballot'])} ballot definition(s), board size {checkpoint.size})")
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    r = sub.add_parser("results", help="re-check published results").add_subparsers(dest="what", required=True)
    c = r.add_parser("check", help="recompute every published protocol and outcome from the board (exit 0: OK)")
    c.add_argument("board", help="the public board: a directory or the web app's /board/log/ URL")
    c.add_argument("--log-key", help="the board's log vkey (text or file)")
    c.set_defaults(fn=cmd_results_check)
