"""Errors of the election record.

    RecordError
    ├── MalformedRecord    a JSON structure with the wrong shape; names the event and field
    └── ArchiveError       the archive container itself cannot be read
"""

from __future__ import annotations

from saylau.errors import SaylauError


class RecordError(SaylauError):
    """Root of the record errors."""


class MalformedRecord(RecordError):
    """A structure with the wrong shape: `where` names the event/ballot and the field."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class ArchiveError(RecordError):
    """The archive cannot be read at all (not a tar, truncated header, …)."""
