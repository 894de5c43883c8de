"""Errors of the domain layer: coded, with public data fields, translated at the edge.

    SaylauError
    └── DomainError                 every domain error carries `code` (an ErrorCode) and `data`
        ├── InvalidContestInput     votes, seat count, threshold or order out of range; names the field
        ├── NoListQualifies         party-list PR: no list reaches the threshold
        ├── LotRequired             a tie the configured rule cannot break: the commission draws lots
        ├── NaiveDatetime           a time without a zone where an aware datetime is required
        ├── InvalidSchedule         an election calendar out of order; names the field
        ├── TransitionRefused       a lifecycle step refused: current stage, target, reason
        ├── InvalidTerritory        a territorial unit or precinct whose parent is unknown or wrong
        ├── RulePackInvalid         a rule-pack file refused: names the file and the key
        ├── RulePackNotFound        no rule pack with that id
        ├── NoApplicablePack        no rule pack (or more than one) for this office and day
        ├── InvalidIin              an IIN refused: length, digits, century digit, date, check digit
        ├── RollFormatInvalid       a voter-roll file that cannot be read at all (header)
        ├── DuplicateVoter          an IIN already on the roll; names the row that has it
        ├── VoterNotFound           where-do-I-vote: no entry matches the IIN and birth date
        ├── RateLimited             too many attempts; says when to retry
        ├── ProtocolInvalid         results-protocol figures or parts refused (domain.protocol); names the figure
        │   observers (domain.observers):
        ├── ObservationInputInvalid an accreditation request, incident or answer field refused; names it
        ├── AccreditationStatusRefused  an accreditation step not allowed from its status
        ├── AccreditationAuthorityRefused  this commission level may not accredit this kind of observer
        ├── AccreditationPending    the user already has a pending or active accreditation for the election
        ├── NotAccredited           an incident report from someone not accredited for the election
        ├── IncidentStatusRefused   an incident step not allowed from its status (e.g. answering twice)
        │   commissions (domain.commissions):
        ├── InvalidCommission       a commission whose level, territory, precinct or parent do not fit
        ├── InvalidMembership       a membership refused: term out of order, already ended, duplicate
        ├── CommissionScopeRefused  the member's commission does not cover this election or territory
        │   candidates, parties and mandates (domain.nomination, domain.parties):
        ├── NominatorNotAllowed     the pack does not let this nominator nominate here; cites the rule
        ├── NominationWrongStage    a nomination step in a stage that does not allow it
        ├── NominationDeadlinePassed  a nomination step after its schedule deadline
        ├── NominationStatusRefused a nomination step not allowed from its status
        ├── DuplicateNomination     the same person nominated twice in one election
        ├── RefusalGroundsInvalid   a refusal citing no rule, or a rule not in the pack
        ├── RegistrationBlocked     registration while an eligibility/nomination rule is not met
        ├── WithdrawalRefused       a nominator withdrawing a self-nomination
        ├── PartyListInvalid        a party list with a name twice, empty, or of a ceased party
        ├── MandateGroundNotAllowed a mandate ended on a ground the pack's terminate_on lacks
        ├── MandateNotActive        ending a mandate that has already ended
        ├── SeatHolderRefused       a seat given to someone not on the registered list, holding one, ...
        │   results (domain.results):
        ├── RecordNotVerified       a precinct's election record with verification findings
        ├── BallotMismatch          a record whose question's answers are not the ballot definition's
        ├── ControlFiguresFailed    a protocol whose control figures do not hold
        ├── SeatsExceeded           a mandate beyond the seats the party won
        ├── ResultsStepRefused      a results step out of order (no ballot definition, no protocols, ...)
        │   trustees' key and decryption ceremonies (domain.ceremony):
        ├── CeremonySetupInvalid    trustees or threshold refused (count, threshold out of range, twice)
        ├── CeremonyStepRefused     a ceremony step out of order, by a non-trustee, or done already
        ├── CeremonyUploadInvalid   a trustee's file refused at a step: names the step, the trustee, why
        │   voter credentials and polling-station mode (domain.credentials):
        ├── CredentialsRefused      a credential step refused: fixed list, unknown precinct, no CA key, ...
        ├── CredentialListInvalid   a CA's signed file refused: names the precinct and why (signature, shape, ...)
        ├── CredentialCountMismatch a precinct's public credential list whose count is not the roll's
        ├── BallotIssueRefused      a polling-station ballot issue refused (issued already, remote voter, ...)
        │   voting: setup, casting, voter authentication (domain.voting):
        ├── VotingSetupRefused      a precinct's Belenios election cannot be set up (voting open, no key, ...)
        ├── CastRefused             a ballot refused at the cast endpoint: `reason` says which check failed
        └── VoterAuthRefused        a remote voter's login refused (wrong password, unknown voter, ...)

The web layer maps `code` to a translated message and may interpolate `data`, which holds
public values only (party and candidate ids, counts, fractions as strings). The English
message of the exception itself says what was observed, what was expected, and which id.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar

from saylau.errors import SaylauError


class ErrorCode(StrEnum):
    """Stable codes of the domain errors (never rename one: the web layer keys on them)."""

    INVALID_CONTEST_INPUT = "invalid_contest_input"
    NO_LIST_QUALIFIES = "no_list_qualifies"
    LOT_REQUIRED = "lot_required"
    NAIVE_DATETIME = "naive_datetime"
    INVALID_SCHEDULE = "invalid_schedule"
    TRANSITION_REFUSED = "transition_refused"
    INVALID_TERRITORY = "invalid_territory"
    RULEPACK_INVALID = "rulepack_invalid"
    RULEPACK_NOT_FOUND = "rulepack_not_found"
    NO_APPLICABLE_PACK = "no_applicable_pack"
    INVALID_IIN = "invalid_iin"
    ROLL_FORMAT_INVALID = "roll_format_invalid"
    DUPLICATE_VOTER = "duplicate_voter"
    VOTER_NOT_FOUND = "voter_not_found"
    RATE_LIMITED = "rate_limited"
    # Results protocols (domain.protocol): figures that cannot form or combine into a protocol
    PROTOCOL_INVALID = "protocol_invalid"
    # Codes of the per-row findings of a voter-roll import (voters.RowError), not exceptions:
    ROLL_ROW_SHAPE = "roll_row_shape"
    ROLL_FIELD_EMPTY = "roll_field_empty"
    ROLL_BIRTH_DATE_INVALID = "roll_birth_date_invalid"
    ROLL_BIRTH_DATE_MISMATCH = "roll_birth_date_mismatch"
    ROLL_PRECINCT_UNKNOWN = "roll_precinct_unknown"
    # Observers: accreditation and incident reports (domain.observers, web.observers):
    OBSERVATION_INPUT_INVALID = "observation_input_invalid"
    ACCREDITATION_STATUS_REFUSED = "accreditation_status_refused"
    ACCREDITATION_AUTHORITY_REFUSED = "accreditation_authority_refused"
    ACCREDITATION_PENDING = "accreditation_pending"
    NOT_ACCREDITED = "not_accredited"
    INCIDENT_STATUS_REFUSED = "incident_status_refused"
    # Commissions: the tree, memberships and scope (domain.commissions, web.commissions); and the
    # per-row finding of a roll import for a precinct outside the importing commission's territory:
    INVALID_COMMISSION = "invalid_commission"
    INVALID_MEMBERSHIP = "invalid_membership"
    COMMISSION_SCOPE_REFUSED = "commission_scope_refused"
    ROLL_PRECINCT_OUTSIDE_SCOPE = "roll_precinct_outside_scope"
    # Candidates, parties and the imperative mandate (domain.nomination, domain.parties, web.candidates):
    NOMINATOR_NOT_ALLOWED = "nominator_not_allowed"
    NOMINATION_WRONG_STAGE = "nomination_wrong_stage"
    NOMINATION_DEADLINE_PASSED = "nomination_deadline_passed"
    NOMINATION_STATUS_REFUSED = "nomination_status_refused"
    DUPLICATE_NOMINATION = "duplicate_nomination"
    REFUSAL_GROUNDS_INVALID = "refusal_grounds_invalid"
    REGISTRATION_BLOCKED = "registration_blocked"
    WITHDRAWAL_REFUSED = "withdrawal_refused"
    PARTY_LIST_INVALID = "party_list_invalid"
    MANDATE_GROUND_NOT_ALLOWED = "mandate_ground_not_allowed"
    MANDATE_NOT_ACTIVE = "mandate_not_active"
    SEAT_HOLDER_REFUSED = "seat_holder_refused"
    # Results: precinct protocols from verified records, aggregation, outcome, signed documents
    # (domain.results, web.results):
    RESULTS_RECORD_NOT_VERIFIED = "results_record_not_verified"
    RESULTS_BALLOT_MISMATCH = "results_ballot_mismatch"
    RESULTS_CONTROL_FAILED = "results_control_failed"
    RESULTS_SEATS_EXCEEDED = "results_seats_exceeded"
    RESULTS_STEP_REFUSED = "results_step_refused"
    # Trustees' key ceremony and decryption ceremony (domain.ceremony, web.ceremony):
    CEREMONY_SETUP_INVALID = "ceremony_setup_invalid"
    CEREMONY_STEP_REFUSED = "ceremony_step_refused"
    CEREMONY_UPLOAD_INVALID = "ceremony_upload_invalid"
    # Voter credentials, the credential authority and polling-station mode (domain.credentials, web.credentials):
    CREDENTIALS_REFUSED = "credentials_refused"
    CREDENTIAL_LIST_INVALID = "credential_list_invalid"
    CREDENTIAL_COUNT_MISMATCH = "credential_count_mismatch"
    BALLOT_ISSUE_REFUSED = "ballot_issue_refused"
    # Voting: precinct elections, casting, voter authentication (domain.voting, web.voting):
    VOTING_SETUP_REFUSED = "voting_setup_refused"
    CAST_REFUSED = "cast_refused"
    VOTER_AUTH_REFUSED = "voter_auth_refused"


class DomainError(SaylauError):
    """Root of the domain errors: a `code` for translation and `data` for its placeholders."""

    code: ClassVar[ErrorCode]

    def __init__(self, message: str, data: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.data: Mapping[str, object] = dict(data or {})


class InvalidContestInput(DomainError):
    """Counting input out of range: `field` names it (`votes[Ak Zhol]`, `seats`, `threshold`)."""

    code = ErrorCode.INVALID_CONTEST_INPUT

    def __init__(self, field: str, got: object, want: str) -> None:
        super().__init__(f"{field}: got {got!r}, want {want}",
                         {"field": field, "got": str(got), "want": want})
        self.field, self.got, self.want = field, got, want


class NoListQualifies(DomainError):
    """No party list reaches the threshold, so no seat can be allocated.

    The rules (kz-election-rules.md §2.2) say nothing about this case (the repealed 7 % law
    admitted a runner-up only when exactly one list passed), so the count stops here and the
    commission decides. `best` is the list with the most votes, if any list has votes.
    """

    code = ErrorCode.NO_LIST_QUALIFIES

    def __init__(self, *, threshold: str, denominator: int, best: str | None, best_votes: int) -> None:
        where = (f"the best list, {best!r}, has {best_votes} of {denominator} valid ballots"
                 if best is not None else f"no list has any vote ({denominator} valid ballots)")
        super().__init__(f"no party list reaches the threshold of {threshold} of valid ballots "
                         f"(including 'against all'): {where}; no seat can be allocated",
                         {"threshold": threshold, "denominator": denominator,
                          "best": best, "best_votes": best_votes})
        self.threshold, self.denominator = threshold, denominator
        self.best, self.best_votes = best, best_votes


class LotRequired(DomainError):
    """A tie that the configured tie-break rule leaves undecided: the commission must draw lots.

    `tied` are the contestants still tied, `places` how many of them get the contested
    seat(s) or place(s), `rule` the tie-break rule that was applied.
    """

    code = ErrorCode.LOT_REQUIRED

    def __init__(self, *, tied: tuple[str, ...], places: int, rule: str, what: str) -> None:
        names = ", ".join(repr(t) for t in tied)
        super().__init__(f"{what}: {names} are tied for {places} place(s) and the tie-break rule "
                         f"{rule!r} does not separate them; a lot must be drawn",
                         {"tied": list(tied), "places": places, "rule": rule, "what": what})
        self.tied, self.places, self.rule, self.what = tied, places, rule, what


# --- election lifecycle and territory -------------------------------------------------------


class NaiveDatetime(DomainError):
    """A datetime without a time zone where the domain requires an aware one (`field` names it)."""

    code = ErrorCode.NAIVE_DATETIME

    def __init__(self, field: str) -> None:
        super().__init__(f"{field}: got a naive datetime, want a timezone-aware one", {"field": field})
        self.field = field


class InvalidSchedule(DomainError):
    """An election calendar that cannot work: `field` is the offending date, `reason` says why."""

    code = ErrorCode.INVALID_SCHEDULE

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"schedule.{field}: {reason}", {"field": field, "reason": reason})
        self.field, self.reason = field, reason


class TransitionReason(StrEnum):
    """Why a lifecycle transition was refused (the `reason` of `TransitionRefused`)."""

    NOT_ALLOWED = "not_allowed"
    """The target is not a successor of the current stage."""
    TOO_EARLY = "too_early"
    """The schedule does not open the target stage yet (`not_before`)."""
    TOO_LATE = "too_late"
    """The schedule closed the window for this step (`not_after`)."""
    CLOCK_BEHIND = "clock_behind"
    """`now` is earlier than the last recorded transition."""


class TransitionRefused(DomainError):
    """A lifecycle transition refused: names the election, the current stage, the target and why.

    `not_before` / `not_after` are ISO 8601 strings of the window that was missed, if any.
    """

    code = ErrorCode.TRANSITION_REFUSED

    def __init__(self, *, election: str, current: str, target: str, reason: TransitionReason,
                 detail: str, not_before: str | None = None, not_after: str | None = None) -> None:
        super().__init__(f"election {election}: cannot go from {current!r} to {target!r}: {detail}",
                         {"election": election, "current": current, "target": target,
                          "reason": reason.value, "not_before": not_before, "not_after": not_after})
        self.election, self.current, self.target = election, current, target
        self.reason, self.detail = reason, detail
        self.not_before, self.not_after = not_before, not_after


class InvalidTerritory(DomainError):
    """A territorial unit or precinct refused: `unit` is its id, `reason` names the missing parent."""

    code = ErrorCode.INVALID_TERRITORY

    def __init__(self, unit: str, reason: str) -> None:
        super().__init__(f"territorial unit {unit!r}: {reason}", {"unit": unit, "reason": reason})
        self.unit, self.reason = unit, reason


# --- rule packs ---------------------------------------------------------------------------


class RulePackInvalid(DomainError):
    """A rule-pack file refused: `file` is its name, `key` the dotted key (`eligibility.min_age`)."""

    code = ErrorCode.RULEPACK_INVALID

    def __init__(self, file: str, key: str, reason: str) -> None:
        super().__init__(f"rule pack {file}: {key}: {reason}", {"file": file, "key": key, "reason": reason})
        self.file, self.key, self.reason = file, key, reason


class RulePackNotFound(DomainError):
    """No rule pack with the id `pack` (among the built-in packs, or beside the extending file)."""

    code = ErrorCode.RULEPACK_NOT_FOUND

    def __init__(self, pack: str, where: str) -> None:
        super().__init__(f"rule pack {pack!r} not found in {where}", {"pack": pack, "where": where})
        self.pack, self.where = pack, where


class NoApplicablePack(DomainError):
    """No single rule pack governs `office` on `day`: `candidates` lists the packs that matched (0 or 2+)."""

    code = ErrorCode.NO_APPLICABLE_PACK

    def __init__(self, office: str, day: str, candidates: tuple[str, ...]) -> None:
        found = "none" if not candidates else "several: " + ", ".join(candidates)
        super().__init__(f"no single rule pack for office {office!r} on {day}: {found}",
                         {"office": office, "day": day, "candidates": list(candidates)})
        self.office, self.day, self.candidates = office, day, candidates


# --- identity and the voter roll ----------------------------------------------------------


class IinProblem(StrEnum):
    """What is wrong with an IIN (the `problem` of `InvalidIin`)."""

    LENGTH = "length"
    NON_DIGIT = "non_digit"
    BIRTH_DATE = "birth_date"
    CENTURY_DIGIT = "century_digit"
    CHECK_DIGIT = "check_digit"
    UNISSUABLE = "unissuable"
    """Both passes of the check-digit algorithm give 10: no IIN is issued with these 11 digits."""
    FUTURE_BIRTH_DATE = "future_birth_date"


class InvalidIin(DomainError):
    """An IIN refused. The message names the position and the rule, never the whole IIN
    (it is personal data and messages end up in logs)."""

    code = ErrorCode.INVALID_IIN

    def __init__(self, problem: IinProblem, detail: str) -> None:
        super().__init__(f"invalid IIN: {detail}", {"problem": problem.value, "detail": detail})
        self.problem, self.detail = problem, detail


class RollFormatInvalid(DomainError):
    """A voter-roll file that cannot be read row by row at all (missing or unknown header columns)."""

    code = ErrorCode.ROLL_FORMAT_INVALID

    def __init__(self, reason: str) -> None:
        super().__init__(f"voter roll: {reason}", {"reason": reason})
        self.reason = reason


class DuplicateVoter(DomainError):
    """An IIN that is already on the roll: `first_row` is the import row that put it there, if known."""

    code = ErrorCode.DUPLICATE_VOTER

    def __init__(self, first_row: int | None) -> None:
        where = f"row {first_row}" if first_row is not None else "an earlier entry"
        super().__init__(f"this IIN is already on the roll ({where}): one voter, one entry",
                         {"first_row": first_row})
        self.first_row = first_row


class VoterNotFound(DomainError):
    """No roll entry matches both the IIN and the birth date. Deliberately one error for
    "unknown IIN" and "wrong birth date", so that the lookup is not an oracle."""

    code = ErrorCode.VOTER_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("no voter on the roll matches this IIN and birth date")


class RateLimited(DomainError):
    """Too many attempts for one key: retry after `retry_after_seconds` (rounded up)."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"too many attempts; retry in {retry_after_seconds} s",
                         {"retry_after_seconds": retry_after_seconds})
        self.retry_after_seconds = retry_after_seconds


# --- commissions ----------------------------------------------------------------------------


class InvalidCommission(DomainError):
    """A commission refused: `commission` is its code, `field` the offending one (territory,
    precinct, parent), `reason` says why."""

    code = ErrorCode.INVALID_COMMISSION

    def __init__(self, commission: str, field: str, reason: str) -> None:
        super().__init__(f"commission {commission!r}: {field}: {reason}",
                         {"commission": commission, "field": field, "reason": reason})
        self.commission, self.field, self.reason = commission, field, reason


class InvalidMembership(DomainError):
    """A membership refused: `field` names the offending value (end, revoked_at, user), `reason` says why."""

    code = ErrorCode.INVALID_MEMBERSHIP

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"membership: {field}: {reason}", {"field": field, "reason": reason})
        self.field, self.reason = field, reason


class CommissionScopeRefused(DomainError):
    """The acting member's commission does not cover `what` (an election code or a territory)."""

    code = ErrorCode.COMMISSION_SCOPE_REFUSED

    def __init__(self, what: str) -> None:
        super().__init__(f"no active membership of a commission whose scope covers {what!r}", {"what": what})
        self.what = what
