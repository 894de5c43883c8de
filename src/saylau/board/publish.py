"""The log side of witnessing: sign a checkpoint, push it to the witnesses, collect cosignatures.

For each configured witness the log remembers the size that witness last cosigned (in
`witnesses.json` beside the store); a 409 answer tells it the witness's real size and it
retries once with the right consistency proof. The checkpoint note kept by the store
carries the log's signature and every cosignature obtained.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import BoardError, WitnessRefusal
from .note import Checkpoint, Signer, add_signatures, sign_checkpoint
from .store import LogStore
from .witness import Witness, format_add_checkpoint

Submit = Callable[[str], str]  # add-checkpoint body -> cosignature line(s); raises WitnessRefusal


def http_submitter(url: str, timeout: float = 10.0) -> Submit:
    """A submitter that POSTs to `<url>/add-checkpoint`."""

    def submit(body: str) -> str:
        req = urllib.request.Request(url.rstrip("/") + "/add-checkpoint", data=body.encode(), method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return str(resp.read().decode())
        except urllib.error.HTTPError as exc:
            text = exc.read().decode(errors="replace")
            raise WitnessRefusal(exc.code, text.strip().splitlines()[0] if text.strip() else exc.reason, text) from None

    return submit


def local_submitter(witness: Witness) -> Submit:
    return witness.add_checkpoint


def publish_checkpoint(store: LogStore, signer: Signer, witnesses: Sequence[tuple[str, Submit]]) -> tuple[str, dict[str, str]]:
    """Sign the current tree head, gather cosignatures; return the note and per-witness errors."""
    checkpoint = Checkpoint(signer.name, store.size, store.root())
    note = sign_checkpoint(checkpoint, signer)
    state_path = store.path / "witnesses.json"
    state: dict[str, int] = json.loads(state_path.read_text()) if state_path.exists() else {}
    lines: list[str] = []
    errors: dict[str, str] = {}
    for name, submit in witnesses:
        old = state.get(name, 0)
        for _attempt in range(2):
            proof = store.consistency_proof(old) if 0 < old < store.size else []
            try:
                lines.append(submit(format_add_checkpoint(old, proof, note)))
                state[name] = store.size
                break
            except WitnessRefusal as exc:
                if exc.status == 409 and exc.body.strip().isdigit() and int(exc.body.strip()) != old:
                    old = int(exc.body.strip())
                    if old > store.size:
                        errors[name] = f"witness holds size {old}, larger than this log ({store.size})"
                        break
                    continue
                errors[name] = str(exc)
                break
    if witnesses:  # (a log with no witnesses has no state to keep: nothing written per checkpoint)
        state_path.write_text(json.dumps(state, indent=1, sort_keys=True))
    if lines:
        note = add_signatures(note, lines)
    store.write_checkpoint(note)
    return note, errors


def read_signer(path: Path) -> Signer:
    from .note import parse_skey

    key = parse_skey(path.read_text().strip())
    if not isinstance(key, Signer):
        raise BoardError(f"{path} is not a log signing key")
    return key
