"""Errors of the bulletin board.

    BoardError
    ├── InvalidProof        an inclusion or consistency proof that does not verify
    ├── InvalidNote         a signed note, checkpoint or cosignature that is malformed or
    │                       whose signatures do not verify
    ├── StoreError          the log's storage is damaged or cannot be written
    ├── Misbehaviour        the log signed inconsistent checkpoints (split view, rollback);
    │                       carries a printable proof
    └── WitnessRefusal      a witness refuses a checkpoint (with the tlog-witness HTTP status)
"""

from __future__ import annotations

from saylau.errors import SaylauError


class BoardError(SaylauError):
    """Root of the bulletin board's errors."""


class InvalidProof(BoardError):
    """A Merkle proof that does not verify; the message says which check failed."""


class InvalidNote(BoardError):
    """A malformed or unverifiable signed note, checkpoint or cosignature."""


class StoreError(BoardError):
    """The log's storage is damaged or cannot be written."""


class Misbehaviour(BoardError):
    """Evidence that the log signed two inconsistent checkpoints."""

    def __init__(self, message: str, evidence: str) -> None:
        super().__init__(message)
        self.evidence = evidence


class WitnessRefusal(BoardError):
    """A witness refused a checkpoint; `status` is the tlog-witness HTTP status."""

    def __init__(self, status: int, message: str, body: str = "") -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.body = body
