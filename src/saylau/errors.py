"""The single root of Saylau's errors.

    SaylauError
    ├── crypto.errors.CryptoError      (groups, proofs, keys, secret files)
    ├── record.errors.RecordError      (archives, events, JSON structures)
    └── verify.errors.VerifyError      (a record that cannot even be read)
"""

from __future__ import annotations


class SaylauError(Exception):
    """Root of every error Saylau raises on purpose."""
