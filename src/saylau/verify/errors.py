"""Errors of the verifier: raised only when a record cannot be read at all.

    VerifyError
    └── UnreadableRecord   no archive or directory at the path, or not an election record
"""

from __future__ import annotations

from saylau.errors import SaylauError


class VerifyError(SaylauError):
    """Root of the verifier's errors."""


class UnreadableRecord(VerifyError):
    """The path does not hold an election record that can be opened."""
