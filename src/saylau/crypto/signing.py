"""Ed25519 signatures (RFC 8032) for the bulletin board's signed notes.

A thin typed face over `_sodium`, so that `saylau.board` signs and verifies without touching
the binding. Keys are made from a 32-byte seed (the form used by the C2SP signed-note
private keys); signatures are deterministic.
"""

from __future__ import annotations

from . import _sodium
from .errors import InvalidKey

SEED_BYTES = 32
PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64


class SigningKey:
    """An Ed25519 signing key; `public` is its 32-byte public key (RFC 8032 encoding)."""

    __slots__ = ("_secret", "public")

    def __init__(self, seed: bytes) -> None:
        """Requires a 32-byte seed; raises InvalidKey otherwise."""
        if len(seed) != SEED_BYTES:
            raise InvalidKey(f"an Ed25519 seed must be {SEED_BYTES} bytes, got {len(seed)}")
        self.public, self._secret = _sodium.sign_seed_keypair(bytes(seed))

    def sign(self, message: bytes) -> bytes:
        """The 64-byte Ed25519 signature of `message`."""
        return _sodium.sign_detached(message, self._secret)

    def __repr__(self) -> str:
        return f"SigningKey(public={self.public.hex()})"


def verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """Whether `signature` is a valid Ed25519 signature of `message` under `public`.

    Never raises on malformed input: a key or signature of the wrong length is just invalid.
    """
    return _sodium.verify_detached(signature, message, public)
