"""Voter credentials and polling-station mode: the rules the server applies to what the
credential authority (CA) sends, and to the issue of a ballot at a polling station.

Each voter of an election is on exactly one channel, fixed at setup:
- **remote**: the CA prints a letter with the voter's private credential (and its QR code);
- **station**: the CA prints sealed cards, as many as the precinct's station voters; a commission
  member marks that the voter was issued a ballot, the voter draws a card at random, so the card
  is never linked to the voter.

The server holds only public credentials. A precinct's list for a channel must hold exactly as
many credentials as the roll has voters of that precinct on that channel
(`require_count`). The lists are fixed when voting opens; a lost letter can be replaced before
that only (`require_open_for_changes`). At a polling station a voter is issued one ballot, once
(`require_issue`).
"""

from __future__ import annotations

from enum import StrEnum

from .election import Stage
from .errors import DomainError, ErrorCode


class Channel(StrEnum):
    REMOTE = "remote"
    STATION = "station"


LANGUAGES = ("kk", "ru", "en")
"""The languages of letters (kk, the state language, first)."""

OPEN_STAGES = frozenset({Stage.DRAFT, Stage.NOMINATION, Stage.REGISTRATION, Stage.CAMPAIGN})
"""Stages in which the credential lists may still change (voting has not opened)."""


class CredentialsRefused(DomainError):
    """A credential step refused. `reason`: fixed (voting has opened: lists are fixed),
    precinct_unknown (not a precinct of the election), already_uploaded, channel_fixed (a voter's
    channel after the precinct's credentials were uploaded), no_key (no CA key registered),
    not_found (a replaced credential unknown), revoked (already replaced), duplicate (a new
    credential already in the election), audio_unavailable (espeak-ng missing), no_ballot."""

    code = ErrorCode.CREDENTIALS_REFUSED

    def __init__(self, election: str, reason: str, precinct: str = "", detail: str = "") -> None:
        super().__init__(f"election {election!r}: credentials: {reason}"
                         f"{' (precinct ' + precinct + ')' if precinct else ''}{': ' + detail if detail else ''}",
                         {"election": election, "reason": reason, "precinct": precinct, "detail": detail})
        self.election, self.reason, self.precinct, self.detail = election, reason, precinct, detail


class CredentialListInvalid(DomainError):
    """A file from the CA refused. `precinct` names the list ("" for the whole file); `reason`:
    shape (not the expected structure), signature (not signed by a registered CA key, or over other
    bytes), election (made for another election), element (a value that is not a public
    credential of the group), duplicate (a credential twice, or already in the election)."""

    code = ErrorCode.CREDENTIAL_LIST_INVALID

    def __init__(self, precinct: str, reason: str, detail: str = "") -> None:
        super().__init__(f"credential file{' for precinct ' + precinct if precinct else ''}: {reason}"
                         f"{': ' + detail if detail else ''}",
                         {"precinct": precinct, "reason": reason, "detail": detail})
        self.precinct, self.reason, self.detail = precinct, reason, detail


class CredentialCountMismatch(DomainError):
    """A precinct's list for a channel whose count differs from the roll's voters on that channel."""

    code = ErrorCode.CREDENTIAL_COUNT_MISMATCH

    def __init__(self, precinct: str, channel: Channel, expected: int, got: int) -> None:
        super().__init__(f"precinct {precinct} ({channel.value}): {got} public credentials, but the roll has "
                         f"{expected} voters on that channel",
                         {"precinct": precinct, "channel": channel.value, "expected": expected, "got": got})
        self.precinct, self.channel, self.expected, self.got = precinct, channel, expected, got


class BallotIssueRefused(DomainError):
    """A polling-station ballot issue refused. `reason`: already_issued (once per voter and
    election), remote (the voter votes remotely, with a letter), other_precinct (the voter's
    precinct is another one), not_voting (the election is not in its voting stage)."""

    code = ErrorCode.BALLOT_ISSUE_REFUSED

    def __init__(self, reason: str, precinct: str = "") -> None:
        super().__init__(f"ballot issue refused: {reason}", {"reason": reason, "precinct": precinct})
        self.reason, self.precinct = reason, precinct


def require_open_for_changes(election: str, stage: Stage, *, fixed: bool) -> None:
    """Credential lists change only before voting opens and before they are fixed."""
    if fixed or stage not in OPEN_STAGES:
        raise CredentialsRefused(election, "fixed")


def require_count(precinct: str, channel: Channel, *, expected: int, got: int) -> None:
    if expected != got:
        raise CredentialCountMismatch(precinct, channel, expected, got)


def require_issue(*, stage: Stage, voter_precinct: str, precinct: str, channel: Channel,
                  already_issued: bool) -> None:
    """A commission member at `precinct` may issue a ballot to a station voter of that precinct,
    once, while the election is in its voting stage."""
    if stage is not Stage.VOTING:
        raise BallotIssueRefused("not_voting", precinct)
    if voter_precinct != precinct:
        raise BallotIssueRefused("other_precinct", precinct)
    if channel is not Channel.STATION:
        raise BallotIssueRefused("remote", precinct)
    if already_issued:
        raise BallotIssueRefused("already_issued", precinct)
