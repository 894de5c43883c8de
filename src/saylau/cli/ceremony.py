"""`saylau trustee decrypt-many`: a trustee's partial decryptions of many precincts in one file.

    saylau trustee decrypt-many --bundle tallies.zip --trustee-id N --secret FILE [--dkey VOUTPUT]
                                [--board B --log-key K] [--min-ballots M] --out decryptions.json

The bundle is the web app's download (`manifest.json` and one directory per precinct holding its
`election.json`, `trustees.json`, `public_creds.json` and `<uuid>.bel`). For every record, before
anything is decrypted, the same check as `saylau decrypt` runs: every ballot is re-verified and the
encrypted tally recomputed; a tally that does not check out, or covers fewer ballots than the
minimum group size (the larger of `--min-ballots` and the bundle's), is refused. With `--board`
(the platform's public board: a directory or the web app's `/board/log/` URL, checked with its log
key), each record's tally must also be the one the board published (`ceremony.tally`). One refused
record refuses the whole run: no file is written. The output is the file to upload.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from saylau.errors import SaylauError

MAX_BUNDLE_MEMBER = 1 << 31


def _board_tallies(location: str, log_key: str | None, election: str) -> dict[str, dict[str, object]]:
    """The latest `ceremony.tally` event of each precinct of `election` on the public board."""
    from saylau.board import merkle
    from saylau.board.client import open_board
    from saylau.board.note import open_checkpoint

    from .board import log_verifier

    board = open_board(location)
    verifier, warning = log_verifier(location, log_key)
    if warning:
        print(f"note: {warning}")
    checkpoint = open_checkpoint(board.checkpoint_note(), verifier)
    nodes = merkle.MemoryNodes()
    found: dict[str, dict[str, object]] = {}
    for i in range(checkpoint.size):
        leaf = board.entry(i)
        nodes.append(merkle.leaf_hash(leaf))
        if b'"ceremony.tally"' not in leaf:
            continue
        try:
            event = json.loads(leaf)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("election") == election:
            found[str(event.get("precinct"))] = event
    if merkle.root(nodes, checkpoint.size) != checkpoint.root_hash:
        raise SaylauError("the board's entries do not hash to its signed root")
    return found


def _extract(bundle: Path, out: Path) -> None:
    from saylau.domain.ceremony import bundle_member_ok

    with zipfile.ZipFile(bundle) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            if not bundle_member_ok(info.filename) or info.file_size > MAX_BUNDLE_MEMBER:
                raise SaylauError(f"{bundle}: unexpected member {info.filename!r}")
            target = out / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, open(target, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)


def cmd_decrypt_many(args: argparse.Namespace) -> int:
    from saylau.domain.ceremony import decryptions_file, read_manifest, tally_sha256
    from saylau.record.canonical import sha256_hex
    from saylau.record.directory import read_file
    from saylau.record.workflow import ElectionDir, make_partial_decryption

    from .main import _check_before_decrypting, _trustee_secret, _write_new

    out = Path(args.out)
    if out.exists():
        raise SaylauError(f"{out} exists; refusing to overwrite")
    with tempfile.TemporaryDirectory(prefix="saylau-tallies-") as tmp:
        root = Path(tmp)
        _extract(Path(args.bundle), root)
        manifest = read_manifest((root / "manifest.json").read_bytes())
        minimum = max(args.min_ballots, manifest.min_ballots)
        published = _board_tallies(args.board, args.log_key, manifest.election) if args.board else None
        if published is None:
            print("note: no --board given: the tallies are compared with the bundle's manifest only")
        x: int | None = None
        refused: list[str] = []
        items: list[dict[str, object]] = []
        check = argparse.Namespace(board=None, log_key=None, min_ballots=minimum)
        for record in manifest.records:
            precinct = str(record["precinct"])
            d = ElectionDir(root / precinct)
            try:
                if sha256_hex(read_file(d.path / "trustees.json")) != manifest.trustees_sha256:
                    raise SaylauError("its trustees.json is not the ceremony's")
                _check_before_decrypting(d.path, check)
                tally, counted = tally_sha256(d)
                source: dict[str, Any] = record if published is None else dict(published.get(precinct) or {})
                if not source:
                    raise SaylauError("the board has published no tally for this precinct")
                if source.get("encrypted_tally") != tally or source.get("num_tallied") != counted:
                    raise SaylauError(f"its encrypted tally ({tally[:16]}…, {counted} ballots) differs from the "
                                      f"{'board' if published is not None else 'manifest'}'s")
            except SaylauError as exc:
                refused.append(f"{precinct}: {exc}")
                continue
            if x is None:
                x = _trustee_secret(args, d.election.group)
            pd, owned = make_partial_decryption(d, args.trustee_id, x)
            items.append({"precinct": precinct, "uuid": d.election.uuid, "encrypted_tally": tally,
                          "partial_decryption": pd.decode(), "owned": owned.decode()})
        if refused:
            raise SaylauError("refusing to decrypt (no file written):\n  " + "\n  ".join(refused))
    _write_new(out, decryptions_file(election=manifest.election, trustee=args.trustee_id, items=items))
    print(f"{len(items)} partial decryption(s) of trustee {args.trustee_id} in {out}: upload it")
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `decrypt-many` under the existing `saylau trustee` command."""
    trustee = sub.choices["trustee"]
    actions = [a for a in trustee._actions if isinstance(a, argparse._SubParsersAction)]
    dm = actions[0].add_parser("decrypt-many", help="partial decryptions of every precinct of a tallies bundle")
    dm.add_argument("--bundle", required=True, help="the tallies bundle (.zip) downloaded from the web app")
    dm.add_argument("--trustee-id", type=int, required=True)
    dm.add_argument("--secret", required=True)
    dm.add_argument("--dkey", help="threshold trustee: its voutput file")
    dm.add_argument("--passphrase-file")
    dm.add_argument("--board", help="the public board (PATH or URL): each tally must be the one it published")
    dm.add_argument("--log-key", help="the board's log vkey (text or file)")
    dm.add_argument("--min-ballots", type=int, default=1,
                    help="refuse a tally over fewer ballots (the bundle's minimum applies if larger)")
    dm.add_argument("--out", required=True, help="the decryptions file to upload")
    dm.set_defaults(fn=cmd_decrypt_many)
