"""Voter credentials (protocol doc §4): generation and derivation of the signing key.

A private credential is shown to the voter; the server only ever sees the public
credential `g^x`. Two formats exist:
- 3.x: 22 base58 characters shown as `XXXXX-XXXXXX-XXXXX-XXXXXX`, no checksum;
  `x = int(SHA256hex("derive_credential|uuid|0|cred") ‖ SHA256hex("…|1|cred"), 16) mod q`;
- 2.0: 15 base58 characters shown as `XXX-XXX-XXX-XXX-XXX`, the last a checksum;
  `x = PBKDF2-HMAC-SHA256(cred, salt=uuid, 1000 iterations, 32 bytes) mod q`.
"""

from __future__ import annotations

import hashlib
import re

from .errors import CryptoError
from .group import E, Group, Rng

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58 = f"[{BASE58}]"
_V3 = re.compile(f"{_B58}{{5}}-{_B58}{{6}}-{_B58}{{5}}-{_B58}{{6}}")
_V2 = re.compile(f"{_B58}{{3}}-{_B58}{{3}}-{_B58}{{3}}-{_B58}{{3}}-{_B58}{{3}}")


class InvalidCredential(CryptoError):
    """A private credential that is not in either Belenios format (or fails its checksum)."""


def _random_base58(n: int, rng: Rng) -> str:
    out: list[str] = []
    while len(out) < n:
        for byte in rng(n):
            if byte < 58 * 4 and len(out) < n:  # rejection sampling: no modulo bias
                out.append(BASE58[byte % 58])
    return "".join(out)


def _b58_value(s: str) -> int:
    v = 0
    for ch in s:
        v = v * 58 + BASE58.index(ch)
    return v


def generate(rng: Rng) -> str:
    """A fresh 3.x private credential."""
    s = _random_base58(22, rng)
    return f"{s[:5]}-{s[5:11]}-{s[11:16]}-{s[16:]}"


def generate_v2(rng: Rng) -> str:
    """A fresh 2.0 private credential (14 random characters and the checksum)."""
    s = _random_base58(14, rng)
    s += BASE58[53 - _b58_value(s) % 53]
    return "-".join(s[i : i + 3] for i in range(0, 15, 3))


def random_token(rng: Rng, length: int = 14) -> str:
    """A base58 election identifier, as `setup generate-token` prints."""
    return _random_base58(length, rng)


def derive(group: Group[E], uuid: str, credential: str) -> int:
    """The signing key `x` of a private credential, in either format."""
    if _V3.fullmatch(credential):
        h0 = hashlib.sha256(f"derive_credential|{uuid}|0|{credential}".encode()).hexdigest()
        h1 = hashlib.sha256(f"derive_credential|{uuid}|1|{credential}".encode()).hexdigest()
        return int(h0 + h1, 16) % group.q
    if _V2.fullmatch(credential):
        raw = credential.replace("-", "")
        if BASE58[53 - _b58_value(raw[:14]) % 53] != raw[14]:
            raise InvalidCredential("credential checksum does not match (mistyped?)")
        key = hashlib.pbkdf2_hmac("sha256", credential.encode(), uuid.encode(), 1000, 32)
        return int.from_bytes(key, "big") % group.q
    raise InvalidCredential("not a credential: expected XXXXX-XXXXXX-XXXXX-XXXXXX or XXX-XXX-XXX-XXX-XXX")


def public_credential(group: Group[E], uuid: str, credential: str) -> E:
    """`g^x` for a private credential."""
    return group.g_pow(derive(group, uuid, credential))
