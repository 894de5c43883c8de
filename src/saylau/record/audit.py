"""Cast-as-intended: Benaloh audits of ballots ("audit this ballot").

Instead of casting a ballot it has just encrypted, the booth can reveal it: the choices and
every encryption nonce. Anyone can then recompute each ciphertext (`α = g^r`, `β = y^r·g^m`)
and compare it with the ballot; if the booth had encrypted anything else, the comparison
fails. The voter compares the revealed choices with what they meant to vote, then makes a
fresh ballot (fresh randomness) to cast.

**An audited ballot must never be cast**: its content is now public. The audit file carries
the ballot's tracker; the cast endpoint must refuse any ballot whose tracker was audited
(`audited_tracker(audit)` gives it), and never count it.

The audit file (canonical JSON, fields in this order; the booth's audit.js writes the same):

    {"version":1,"election_uuid":U,"election_hash":φ,"tracker":T,
     "choices":[[0,1,…],…],               one 0/1 list per question, blank flag first
     "randomness":[["<decimal r>",…],…]}   one nonce per ciphertext, same shape

It never contains the private credential. For a QR code, `audit_payload` gives the compact
text `SAYLAU-AUDIT1:` + base64url(audit JSON), without padding.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass

from saylau.crypto.answers import InvalidChoice, check_choice
from saylau.crypto.elgamal import encrypt_with_nonce

from .ballot import BallotError, check_ballot, parse_ballot, tracker_of
from .canonical import dumpb, loads_strict
from .election import Election
from .errors import MalformedRecord
from .fields import integer, lst, obj, string

AUDIT_VERSION = 1
AUDIT_KEYS = ("version", "election_uuid", "election_hash", "tracker", "choices", "randomness")
PAYLOAD_PREFIX = "SAYLAU-AUDIT1:"
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,77}")


@dataclass(frozen=True, slots=True)
class Audit:
    """A parsed audit file (shapes checked against nothing yet: see `check_audit`)."""

    election_uuid: str
    election_hash: str
    tracker: str
    choices: tuple[tuple[int, ...], ...]
    randomness: tuple[tuple[int, ...], ...]


@dataclass(frozen=True, slots=True)
class AuditFinding:
    """One reason why an audit does not show that the ballot encrypts the revealed choices."""

    check: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.message}"


def make_audit(
    election: Election, ballot: bytes, choices: Sequence[Sequence[int]], nonces: Sequence[Sequence[int]]
) -> bytes:
    """The audit file of a ballot made by `make_ballot` (which returns the nonces)."""
    return dumpb({
        "version": AUDIT_VERSION,
        "election_uuid": election.uuid,
        "election_hash": election.fingerprint,
        "tracker": tracker_of(ballot),
        "choices": [list(c) for c in choices],
        "randomness": [[str(r) for r in rs] for rs in nonces],
    })


def parse_audit(raw: bytes, where: str = "audit") -> Audit:
    """Decode an audit file; raise MalformedRecord naming the field."""
    d = obj(loads_strict(raw.strip(), where), where, AUDIT_KEYS)
    if d["version"] != AUDIT_VERSION:
        raise MalformedRecord(f"{where}.version", f"unsupported version {d['version']!r}")
    choices = tuple(
        tuple(integer(m, f"{where}.choices[{i}][{j}]", 0, 1) for j, m in enumerate(lst(c, f"{where}.choices[{i}]")))
        for i, c in enumerate(lst(d["choices"], f"{where}.choices"))
    )
    randomness = tuple(
        tuple(_scalar(r, f"{where}.randomness[{i}][{j}]") for j, r in enumerate(lst(rs, f"{where}.randomness[{i}]")))
        for i, rs in enumerate(lst(d["randomness"], f"{where}.randomness"))
    )
    return Audit(
        string(d["election_uuid"], f"{where}.election_uuid"), string(d["election_hash"], f"{where}.election_hash"),
        string(d["tracker"], f"{where}.tracker"), choices, randomness,
    )


def _scalar(value: object, where: str) -> int:
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise MalformedRecord(where, "expected a canonical decimal string")
    return int(value)


def audited_tracker(audit: bytes | Audit) -> str:
    """The tracker of the audited ballot: the cast endpoint must refuse this ballot forever."""
    return (audit if isinstance(audit, Audit) else parse_audit(audit)).tracker


def audit_payload(audit: bytes) -> str:
    """Compact text for a QR code: the prefix and the audit JSON in base64url, no padding."""
    return PAYLOAD_PREFIX + base64.urlsafe_b64encode(audit).decode().rstrip("=")


def audit_from_payload(payload: str) -> bytes:
    """The audit JSON back from a scanned payload; raise MalformedRecord."""
    text = payload.strip()
    if not text.startswith(PAYLOAD_PREFIX):
        raise MalformedRecord("audit payload", f"expected the prefix {PAYLOAD_PREFIX}")
    body = text[len(PAYLOAD_PREFIX):]
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise MalformedRecord("audit payload", f"not base64url: {exc}") from exc


def check_audit(election: Election, ballot: bytes, audit: bytes) -> list[AuditFinding]:
    """Does `ballot` encrypt exactly the choices `audit` reveals? An empty list means yes.

    Checks: the ballot itself (parse_ballot and check_ballot: structure, proofs, signature);
    the audit is for this election and this ballot (tracker); each revealed choice is valid for
    its question; and re-encrypting each revealed 0/1 with its revealed nonce gives the
    ballot's ciphertext, byte for byte.
    """
    findings: list[AuditFinding] = []
    parsed = None
    try:
        parsed = parse_ballot(ballot, election)
        check_ballot(parsed, election)
    except BallotError as exc:
        findings.append(AuditFinding(exc.check, exc.where, exc.reason))
    try:
        a = parse_audit(audit)
    except MalformedRecord as exc:
        return [*findings, AuditFinding("audit.malformed", exc.where, exc.reason)]
    if a.election_uuid != election.uuid or a.election_hash != election.fingerprint:
        findings.append(AuditFinding("audit.election", "audit.election_uuid",
                                     f"the audit is for election {a.election_uuid!r} ({a.election_hash}), "
                                     f"not {election.uuid!r} ({election.fingerprint})"))
    if a.tracker != tracker_of(ballot):
        findings.append(AuditFinding("audit.tracker", "audit.tracker",
                                     f"the audit is for ballot {a.tracker!r}, not this one ({tracker_of(ballot)!r})"))
    questions = election.questions
    if len(a.choices) != len(questions):
        return [*findings, AuditFinding("audit.choice", "audit.choices", f"{len(a.choices)} lists for {len(questions)} questions")]
    if len(a.randomness) != len(questions):
        return [*findings, AuditFinding("audit.randomness", "audit.randomness", f"{len(a.randomness)} lists for {len(questions)} questions")]
    group, y = election.group, election.public_key
    for qi, (question, choice, nonces) in enumerate(zip(questions, a.choices, a.randomness, strict=True)):
        shape = question.shape
        try:
            check_choice(shape, choice)
        except InvalidChoice as exc:
            findings.append(AuditFinding("audit.choice", f"audit.choices[{qi}]", str(exc)))
            continue
        if len(nonces) != shape.slots or any(r >= group.q for r in nonces):
            findings.append(AuditFinding("audit.randomness", f"audit.randomness[{qi}]",
                                         f"expected {shape.slots} scalars below q"))
            continue
        if parsed is None:
            continue  # the ballot could not be read: reported above
        for ci, (m, r, ct) in enumerate(zip(choice, nonces, parsed.answers[qi].choices, strict=True)):
            expected = encrypt_with_nonce(group, y, m, r)
            if group.encode(expected.alpha) != group.encode(ct.alpha) or group.encode(expected.beta) != group.encode(ct.beta):
                findings.append(AuditFinding("audit.mismatch", f"ballot.answers[{qi}].choices[{ci}]",
                                             f"the ciphertext is not the encryption of {m} with the revealed randomness"))
    return findings


def describe_choices(election: Election, audit: bytes) -> list[str]:
    """The revealed choices in words, one line per question, for the voter to compare."""
    a = parse_audit(audit)
    lines = []
    for question, choice in zip(election.questions, a.choices, strict=False):
        body = choice[1:] if question.blank else choice
        if question.blank and choice and choice[0] == 1:
            picked = "blank vote"
        else:
            picked = ", ".join(ans for ans, m in zip(question.answers, body, strict=False) if m == 1) or "nothing"
        lines.append(f"{question.text}: {picked}")
    return lines
