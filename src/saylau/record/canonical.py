"""Canonical JSON as Belenios writes it (protocol doc §1) and the hashes built on it.

Compact separators, fields in the order the structure defines, absent optional fields
omitted, non-ASCII written as UTF-8.
"""

from __future__ import annotations

import base64
import hashlib
import json


def dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def dumpb(value: object) -> bytes:
    return dumps(value).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64_sha256(data: bytes) -> str:
    """`b64(SHA256(x))` without padding: fingerprints and ballot trackers."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")


def loads_strict(data: bytes, where: str) -> object:
    """Parse JSON bytes; raise MalformedRecord (never a traceback) on any defect."""
    from .errors import MalformedRecord

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRecord(where, f"not UTF-8 (byte {exc.start})") from exc
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (json.JSONDecodeError, ValueError, RecursionError) as exc:
        raise MalformedRecord(where, f"malformed JSON: {exc}") from exc


def _reject_constant(name: str) -> object:
    raise ValueError(f"non-standard JSON constant {name}")
