"""Voting: when a precinct's Belenios election may be set up, when a ballot may be cast, and the
polling-station control figure, as rules with typed refusals.

A national election is one Belenios election per precinct under one trustees' key (DESIGN.md).
Each is set up (election parameters, trustees, the precinct's public credentials, an archive and
its own board) before voting opens; afterwards its parameters never change. A ballot is cast only
while the election is in stage `voting` and inside its window `[voting_opens, voting_closes)`.
At a polling station, a voter marked as issued a ballot draws a card: the cards used can never
outnumber the ballots issued (`require_station_card`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from .election import Stage, require_aware
from .errors import DomainError, ErrorCode

SETUP_STAGES = frozenset({Stage.DRAFT, Stage.NOMINATION, Stage.REGISTRATION, Stage.CAMPAIGN})
"""Stages in which the precinct elections may be set up (again): voting has not opened."""


class SetupReason(StrEnum):
    VOTING_OPEN = "voting_open"
    """Voting has opened (or the voting day has come): the precinct elections are fixed."""
    NO_KEY = "no_key"
    """The trustees' key ceremony is not completed: there is no election key yet."""
    NO_BALLOT = "no_ballot"
    """The ballot (the answers, in order) is not defined yet."""
    NO_CREDENTIALS = "no_credentials"
    """No precinct has public credentials yet."""
    UUID_CONFLICT = "uuid_conflict"
    """A precinct's lists carry different election identifiers, or two precincts share one."""


class VotingSetupRefused(DomainError):
    code = ErrorCode.VOTING_SETUP_REFUSED

    def __init__(self, election: str, reason: SetupReason, precinct: str = "") -> None:
        super().__init__(f"election {election!r}: voting setup refused: {reason.value}"
                         f"{' (precinct ' + precinct + ')' if precinct else ''}",
                         {"election": election, "reason": reason.value, "precinct": precinct})
        self.election, self.reason, self.precinct = election, reason, precinct


class CastReason(StrEnum):
    """Why the cast endpoint refused a ballot (stable: the booth and the API clients key on it)."""

    CLOSED = "closed"
    """The election is not in stage voting, or outside its voting window."""
    NO_PRECINCT = "no_precinct"
    """No Belenios election is set up for this precinct."""
    WRONG_ELECTION = "wrong_election"
    """The ballot names another election (identifier or fingerprint)."""
    UNKNOWN_CREDENTIAL = "unknown_credential"
    """The credential is not on this precinct's list."""
    REVOKED_CREDENTIAL = "revoked_credential"
    """The credential was replaced (a lost letter)."""
    MALFORMED = "malformed"
    """Not a well-formed Belenios ballot (structure, encodings, canonical form)."""
    BAD_PROOF = "bad_proof"
    BAD_SIGNATURE = "bad_signature"
    AUDITED = "audited"
    """The ballot was audited (its randomness revealed): it is never cast."""
    REPLAY = "replay"
    """This exact ballot was cast already."""
    TOO_LARGE = "too_large"
    CONTENT_TYPE = "content_type"
    BAD_JSON = "bad_json"
    NOT_AUTHENTICATED = "not_authenticated"
    """A remote credential from a browser that has not logged in for this election and precinct."""
    OTHER_CREDENTIAL = "other_credential"
    """This login (or kiosk voter) already cast with another credential."""
    KIOSK_REQUIRED = "kiosk_required"
    """A polling-station card used outside the precinct's kiosk."""
    STATION_LIMIT = "station_limit"
    """More station cards would be used than ballots were issued at the polling station."""
    UNAVAILABLE = "unavailable"
    """The ballot box could not write; nothing was cast."""


class CastRefused(DomainError):
    code = ErrorCode.CAST_REFUSED

    def __init__(self, reason: CastReason, detail: str = "") -> None:
        super().__init__(f"ballot refused: {reason.value}{': ' + detail if detail else ''}",
                         {"reason": reason.value})
        self.reason, self.detail = reason, detail


class AuthReason(StrEnum):
    WRONG = "wrong"
    """No voter with this reference and password (never says which was wrong)."""
    NOT_VOTING = "not_voting"
    """Logins open only while voting is open."""
    BACKEND = "backend"
    """The identity provider did not confirm the voter."""


class VoterAuthRefused(DomainError):
    code = ErrorCode.VOTER_AUTH_REFUSED

    def __init__(self, reason: AuthReason) -> None:
        super().__init__(f"voter login refused: {reason.value}", {"reason": reason.value})
        self.reason = reason


def require_setup_allowed(election: str, stage: Stage, now: datetime, voting_opens: datetime) -> None:
    """Setup (or a new setup) only before voting opens, by stage and by the clock."""
    require_aware(now, "now")
    if stage not in SETUP_STAGES or now >= voting_opens:
        raise VotingSetupRefused(election, SetupReason.VOTING_OPEN)


def voting_open(stage: Stage, now: datetime, opens: datetime, closes: datetime) -> bool:
    require_aware(now, "now")
    return stage is Stage.VOTING and opens <= now < closes


def require_voting_open(stage: Stage, now: datetime, opens: datetime, closes: datetime) -> None:
    if not voting_open(stage, now, opens, closes):
        raise CastRefused(CastReason.CLOSED)


def require_station_card(*, used: int, issued: int) -> None:
    """One more station card may be used only if fewer than `issued` were used: the published
    control figure "ballots issued ≥ cards used" then always holds."""
    if used + 1 > issued:
        raise CastRefused(CastReason.STATION_LIMIT)


BALLOT_CHECKS = {
    "ballot.election": CastReason.WRONG_ELECTION,
    "ballot.proof": CastReason.BAD_PROOF,
    "ballot.signature": CastReason.BAD_SIGNATURE,
}


def reason_of_check(check: str) -> CastReason:
    """The cast refusal for a record-layer ballot finding (`BallotError.check`)."""
    return BALLOT_CHECKS.get(check, CastReason.MALFORMED)
