"""Trustee secrets encrypted at rest with a passphrase (Argon2id + XSalsa20-Poly1305).

File format (JSON): `{"saylau-secret":1,"kdf":"argon2id13","opslimit":…,"memlimit":…,
"salt":b64,"nonce":b64,"box":b64}`. Opening fails with one `SecretFileError` whatever the
cause (wrong passphrase, damaged file), so the error is not an oracle.
"""

from __future__ import annotations

import base64
import json

from . import _sodium
from .errors import SecretFileError
from .group import SYSTEM_RNG, Rng


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def seal_secret(
    payload: dict[str, object], passphrase: str, *, rng: Rng = SYSTEM_RNG,
    opslimit: int = _sodium.OPSLIMIT, memlimit: int = _sodium.MEMLIMIT,
) -> str:
    """The text of a secret file holding `payload`."""
    if not passphrase:
        raise SecretFileError("a passphrase is required")
    salt, nonce = rng(_sodium.SALT_BYTES), rng(_sodium.NONCE_BYTES)
    key = _sodium.derive_key(passphrase.encode(), salt, opslimit, memlimit)
    box = _sodium.seal(key, nonce, json.dumps(payload, separators=(",", ":")).encode())
    return json.dumps({
        "saylau-secret": 1, "kdf": "argon2id13", "opslimit": opslimit, "memlimit": memlimit,
        "salt": _b64(salt), "nonce": _b64(nonce), "box": _b64(box),
    }) + "\n"


def open_secret(text: str, passphrase: str) -> dict[str, object]:
    """The payload of a secret file; SecretFileError for any failure."""
    try:
        d = json.loads(text)
        if d.get("saylau-secret") != 1 or d.get("kdf") != "argon2id13":
            raise ValueError("not a secret file")
        ops, mem = int(d["opslimit"]), int(d["memlimit"])
        if not (_sodium.OPSLIMIT_MIN <= ops <= 16 and _sodium.MEMLIMIT_MIN <= mem <= 2**31):
            raise ValueError("unreasonable cost parameters")
        salt, nonce, box = (base64.b64decode(d[k], validate=True) for k in ("salt", "nonce", "box"))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SecretFileError("wrong passphrase or damaged secret file") from exc
    key = _sodium.derive_key(passphrase.encode(), salt, ops, mem)
    plain = _sodium.unseal(key, nonce, box)
    payload = json.loads(plain)
    if not isinstance(payload, dict):
        raise SecretFileError("wrong passphrase or damaged secret file")
    return payload
