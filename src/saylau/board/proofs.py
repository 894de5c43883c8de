"""C2SP tlog-proof v1: offline inclusion proofs for receipts (bulletin-board doc §8).

```
c2sp.org/tlog-proof@v1
[extra <base64 opaque data>]          optional, unauthenticated
index <leaf index, decimal>
<base64 inclusion-proof hash>          0 or more lines, the leaf's sibling first
<empty line>
<the checkpoint, verbatim, with its signature and cosignature lines>
```

Parsing is strict and raises `InvalidProof` naming the offending line. It checks the
format only: the caller verifies the checkpoint's signatures (`note.py`) and then the
inclusion proof of its leaf hash against the checkpoint's root (`merkle.verify_inclusion`).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from typing import NamedTuple

from .errors import InvalidProof

HEADER = "c2sp.org/tlog-proof@v1"
MAX_PROOF_HASHES = 64  # a tree of at most 2^64 leaves
_INDEX = re.compile(r"0|[1-9][0-9]{0,19}")
_B64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_HASH = re.compile(r"[A-Za-z0-9+/]{43}=")


class TlogProof(NamedTuple):
    """A parsed tlog-proof; unpacks as `(leaf_index, proof, checkpoint_note, extra)`."""

    leaf_index: int
    proof: list[bytes]
    checkpoint_note: str
    extra: bytes | None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def format_tlog_proof(index: int, proof_hashes: Sequence[bytes], checkpoint_note: str, extra: bytes | None = None) -> str:
    """The tlog-proof text; ValueError on arguments no valid proof file could hold."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 1 << 64:
        raise ValueError(f"leaf index {index!r} is not an integer in [0, 2^64)")
    if len(proof_hashes) > MAX_PROOF_HASHES:
        raise ValueError(f"{len(proof_hashes)} proof hashes, at most {MAX_PROOF_HASHES}")
    for i, h in enumerate(proof_hashes):
        if len(h) != 32:
            raise ValueError(f"proof hash {i} is {len(h)} bytes, expected 32")
    if not checkpoint_note or not checkpoint_note.endswith("\n") or checkpoint_note.startswith("\n"):
        raise ValueError("the checkpoint must be a non-empty note ending in a newline")
    if "\r" in checkpoint_note:
        raise ValueError("the checkpoint contains a carriage return")
    lines = [HEADER]
    if extra is not None:
        lines.append(f"extra {_b64(extra)}")
    lines.append(f"index {index}")
    lines.extend(_b64(h) for h in proof_hashes)
    return "\n".join(lines) + "\n\n" + checkpoint_note


def _line_no(n: int) -> str:
    return f"line {n + 1}"


def parse_tlog_proof(text: str | bytes) -> TlogProof:
    """Parse a tlog-proof file strictly: `(index, proof, checkpoint_note, extra)`."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidProof(f"tlog-proof is not valid UTF-8 (byte {exc.start})") from None
    if "\r" in text:
        raise InvalidProof("tlog-proof contains a carriage return (CRLF line endings?)")
    lines = text.split("\n")
    if lines[0] != HEADER:
        raise InvalidProof(f"tlog-proof: first line must be {HEADER!r}, got {lines[0][:60]!r}")
    n = 1
    extra: bytes | None = None
    if n < len(lines) and lines[n].startswith("extra"):
        if not lines[n].startswith("extra "):
            raise InvalidProof(f"tlog-proof {_line_no(n)}: 'extra' must be followed by a space and base64")
        value = lines[n][len("extra ") :]
        if not _B64.fullmatch(value):
            raise InvalidProof(f"tlog-proof {_line_no(n)}: extra data is not standard padded base64")
        try:
            extra = base64.b64decode(value, validate=True)
        except binascii.Error:  # pragma: no cover - excluded by the pattern
            raise InvalidProof(f"tlog-proof {_line_no(n)}: extra data is not base64") from None
        if _b64(extra) != value:
            raise InvalidProof(f"tlog-proof {_line_no(n)}: non-canonical base64 in extra data")
        n += 1
    if n >= len(lines) or not lines[n].startswith("index "):
        got = lines[n][:60] if n < len(lines) else "end of file"
        raise InvalidProof(f"tlog-proof {_line_no(n)}: expected 'index <n>', got {got!r}")
    index_text = lines[n][len("index ") :]
    if not _INDEX.fullmatch(index_text) or int(index_text) >= 1 << 64:
        raise InvalidProof(f"tlog-proof {_line_no(n)}: bad index {index_text[:30]!r} (decimal, no leading zeros)")
    index = int(index_text)
    n += 1
    proof: list[bytes] = []
    while True:
        if n >= len(lines):
            raise InvalidProof("tlog-proof: no empty line before the checkpoint")
        line = lines[n]
        if line == "":
            break
        if not _HASH.fullmatch(line):
            raise InvalidProof(f"tlog-proof {_line_no(n)}: not a base64 32-byte hash: {line[:60]!r}")
        h = base64.b64decode(line)
        if _b64(h) != line:
            raise InvalidProof(f"tlog-proof {_line_no(n)}: non-canonical base64 hash {line!r}")
        proof.append(h)
        if len(proof) > MAX_PROOF_HASHES:
            raise InvalidProof(f"tlog-proof: more than {MAX_PROOF_HASHES} proof hashes")
        n += 1
    checkpoint = "\n".join(lines[n + 1 :])
    if not checkpoint or checkpoint.startswith("\n"):
        raise InvalidProof("tlog-proof: the checkpoint after the empty line is missing")
    if not checkpoint.endswith("\n"):
        raise InvalidProof("tlog-proof: the checkpoint does not end in a newline")
    return TlogProof(index, proof, checkpoint, extra)
