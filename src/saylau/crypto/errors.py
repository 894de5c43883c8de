"""Errors of the cryptographic layer.

    CryptoError
    ├── InvalidElement     a group element that fails decoding or the membership check
    ├── InvalidScalar      a scalar that is not a canonical integer in [0, q)
    ├── InvalidProof       a zero-knowledge proof or signature that does not verify
    ├── InvalidKey         trustee key material that is inconsistent
    ├── BackendError       libsodium refused an operation on validated input
    └── SecretFileError    a secret file that cannot be opened (wrong passphrase or damaged);
                           deliberately one error, so it is not an oracle
"""

from __future__ import annotations

from saylau.errors import SaylauError


class CryptoError(SaylauError):
    """Root of the cryptographic errors."""


class InvalidElement(CryptoError):
    """A group element failed decoding or membership; `field` names where it came from."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InvalidScalar(CryptoError):
    """A scalar is not a canonical decimal integer in [0, q)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InvalidProof(CryptoError):
    """A proof or signature does not verify."""


class InvalidKey(CryptoError):
    """Trustee key material is inconsistent."""


class BackendError(CryptoError):
    """libsodium refused an operation whose inputs were already validated."""


class SecretFileError(CryptoError):
    """A secret file could not be opened: wrong passphrase, damaged or not a secret file."""
