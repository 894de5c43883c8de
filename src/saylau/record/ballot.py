"""Ballots (protocol doc §5): parsing with every structural check, making, trackers.

`parse_ballot` refuses anything a Belenios 3.x server would: non-canonical bytes, wrong
field order, elements off the group, scalars out of range, wrong proof sizes. `check_ballot`
then verifies every proof and the signature. Both raise `BallotError` naming the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from saylau.crypto import credentials as creds
from saylau.crypto.answers import EncryptedAnswer, encrypt_answer, verify_answer
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.errors import CryptoError, InvalidProof
from saylau.crypto.group import SYSTEM_RNG, Rng
from saylau.crypto.proofs import ProofItem, prove_schnorr, verify_schnorr

from .canonical import b64_sha256, dumpb, dumps, loads_strict
from .election import AnyGroup, Election
from .errors import MalformedRecord
from .fields import lst, obj, string

BALLOT_KEYS = ("election_uuid", "election_hash", "credential", "answers", "signature")
ANSWER_KEYS = ("choices", "individual_proofs", "overall_proof", "blank_proof")


class BallotError(MalformedRecord):
    """A ballot that is malformed or whose proofs fail; `check` is a stable finding code."""

    def __init__(self, where: str, reason: str, check: str) -> None:
        super().__init__(where, reason)
        self.check = check


@dataclass(frozen=True, slots=True)
class Ballot:
    raw: bytes
    election_uuid: str
    election_hash: str
    credential: str  # the public credential as written
    answers: tuple[EncryptedAnswer[Any], ...]
    signature_hash: str
    signature: ProofItem
    unsigned: bytes  # canonical bytes without the signature: what the signature hash covers

    @property
    def tracker(self) -> str:
        return b64_sha256(self.raw)


def tracker_of(raw: bytes) -> str:
    return b64_sha256(raw)


def _proof_items(group: AnyGroup, value: object, where: str, n: int) -> tuple[ProofItem, ...]:
    items = lst(value, where)
    if len(items) != n:
        raise BallotError(where, f"{len(items)} proof items, expected {n}", "ballot.shape")
    out = []
    for i, it in enumerate(items):
        d = obj(it, f"{where}[{i}]", ("challenge", "response"))
        out.append(ProofItem(group.parse_scalar(d["challenge"], field=f"{where}[{i}].challenge"),
                             group.parse_scalar(d["response"], field=f"{where}[{i}].response")))
    return tuple(out)


def parse_ballot(raw: bytes, election: Election, where: str = "ballot") -> Ballot:
    """Decode and structurally check a ballot (no proof is checked here)."""
    try:
        return _parse(raw, election, where)
    except BallotError:
        raise
    except MalformedRecord as exc:
        raise BallotError(exc.where, exc.reason, "ballot.malformed") from exc
    except CryptoError as exc:
        raise BallotError(where, str(exc), "ballot.malformed") from exc


def _parse(raw: bytes, election: Election, where: str) -> Ballot:
    group = election.group
    value = loads_strict(raw, where)
    d = obj(value, where, BALLOT_KEYS)
    if dumpb(value) != raw:
        raise BallotError(where, "not in canonical JSON form (Belenios refuses it as NonCanonical)", "ballot.noncanonical")
    answers_json = lst(d["answers"], f"{where}.answers")
    if len(answers_json) != len(election.questions):
        raise BallotError(f"{where}.answers", f"{len(answers_json)} answers for {len(election.questions)} questions", "ballot.shape")
    answers = []
    for qi, (aj, question) in enumerate(zip(answers_json, election.questions, strict=True)):
        w = f"{where}.answers[{qi}]"
        shape = question.shape
        a = obj(aj, w, ANSWER_KEYS, optional=() if shape.blank else ("blank_proof",))
        if not shape.blank and "blank_proof" in a:
            raise BallotError(f"{w}.blank_proof", "present for a question without blank", "ballot.shape")
        choices_json = lst(a["choices"], f"{w}.choices")
        if len(choices_json) != shape.slots:
            raise BallotError(f"{w}.choices", f"{len(choices_json)} ciphertexts, expected {shape.slots}", "ballot.shape")
        choices = []
        for ci, cj in enumerate(choices_json):
            c = obj(cj, f"{w}.choices[{ci}]", ("alpha", "beta"))
            choices.append(Ciphertext(group.parse(c["alpha"], field=f"{w}.choices[{ci}].alpha"),
                                      group.parse(c["beta"], field=f"{w}.choices[{ci}].beta")))
        indiv_json = lst(a["individual_proofs"], f"{w}.individual_proofs")
        if len(indiv_json) != shape.slots:
            raise BallotError(f"{w}.individual_proofs", f"{len(indiv_json)} proofs, expected {shape.slots}", "ballot.shape")
        indiv = tuple(_proof_items(group, p, f"{w}.individual_proofs[{i}]", 2) for i, p in enumerate(indiv_json))
        overall = _proof_items(group, a["overall_proof"], f"{w}.overall_proof", shape.overall_items)
        blank = _proof_items(group, a["blank_proof"], f"{w}.blank_proof", 2) if shape.blank else None
        answers.append(EncryptedAnswer(tuple(choices), indiv, overall, blank))
    sig = obj(d["signature"], f"{where}.signature", ("hash", "proof"))
    proof = obj(sig["proof"], f"{where}.signature.proof", ("challenge", "response"))
    unsigned = {k: v for k, v in d.items() if k != "signature"}
    return Ballot(
        raw, string(d["election_uuid"], f"{where}.election_uuid"),
        string(d["election_hash"], f"{where}.election_hash"),
        string(d["credential"], f"{where}.credential"), tuple(answers),
        string(sig["hash"], f"{where}.signature.hash"),
        ProofItem(group.parse_scalar(proof["challenge"], field=f"{where}.signature.proof.challenge"),
                  group.parse_scalar(proof["response"], field=f"{where}.signature.proof.response")),
        dumpb(unsigned),
    )


def check_ballot(ballot: Ballot, election: Election, where: str = "ballot") -> None:
    """Every check of a parsed ballot except credential membership and re-voting."""
    group = election.group
    if ballot.election_uuid != election.uuid:
        raise BallotError(f"{where}.election_uuid", f"{ballot.election_uuid!r} is not this election ({election.uuid!r})", "ballot.election")
    if ballot.election_hash != election.fingerprint:
        raise BallotError(f"{where}.election_hash", f"{ballot.election_hash!r} is not this election's fingerprint {election.fingerprint!r}", "ballot.election")
    try:
        cred = group.parse(ballot.credential, field=f"{where}.credential")
    except CryptoError as exc:
        raise BallotError(f"{where}.credential", str(exc), "ballot.malformed") from exc
    s0 = f"{election.fingerprint}|{ballot.credential}"
    for qi, (answer, question) in enumerate(zip(ballot.answers, election.questions, strict=True)):
        try:
            verify_answer(group, election.public_key, s0, question.shape, answer)
        except InvalidProof as exc:
            raise BallotError(f"{where}.answers[{qi}]", str(exc), "ballot.proof") from exc
    expected_hash = b64_sha256(ballot.unsigned)
    if ballot.signature_hash != expected_hash:
        raise BallotError(f"{where}.signature.hash", f"{ballot.signature_hash!r}, expected {expected_hash!r}", "ballot.signature")
    try:
        verify_schnorr(group, f"sig|{ballot.signature_hash}|", cred, ballot.signature)
    except InvalidProof as exc:
        raise BallotError(f"{where}.signature.proof", f"{exc} (not signed with this credential)", "ballot.signature") from exc


def make_ballot(
    election: Election, private_credential: str, choices: Sequence[Sequence[int]], *, rng: Rng = SYSTEM_RNG
) -> tuple[bytes, list[tuple[int, ...]]]:
    """Encrypt a choice (one 0/1 list per question, blank flag first) and sign it.

    Returns the ballot bytes and the encryption nonces (the Benaloh audit reveals them).
    """
    group = election.group
    if len(choices) != len(election.questions):
        raise MalformedRecord("choice", f"{len(choices)} answers for {len(election.questions)} questions")
    x = creds.derive(group, election.uuid, private_credential)
    cred = group.encode(group.g_pow(x))
    s0 = f"{election.fingerprint}|{cred}"
    answers_json = []
    nonces = []
    for qi, (q, choice) in enumerate(zip(election.questions, choices, strict=True)):
        try:
            ans, rs = encrypt_answer(group, election.public_key, s0, q.shape, list(choice), rng=rng)
        except ValueError as exc:
            raise MalformedRecord(f"choice[{qi}]", str(exc)) from exc
        nonces.append(rs)
        aj: dict[str, object] = {
            "choices": [{"alpha": group.encode(c.alpha), "beta": group.encode(c.beta)} for c in ans.choices],
            "individual_proofs": [[_pj(p) for p in ps] for ps in ans.individual_proofs],
            "overall_proof": [_pj(p) for p in ans.overall_proof],
        }
        if ans.blank_proof is not None:
            aj["blank_proof"] = [_pj(p) for p in ans.blank_proof]
        answers_json.append(aj)
    unsigned = {"election_uuid": election.uuid, "election_hash": election.fingerprint, "credential": cred, "answers": answers_json}
    h = b64_sha256(dumpb(unsigned))
    proof = prove_schnorr(group, f"sig|{h}|", x, rng=rng)
    ballot = dict(unsigned, signature={"hash": h, "proof": _pj(proof)})
    return dumps(ballot).encode(), nonces


def _pj(p: ProofItem) -> dict[str, str]:
    return {"challenge": str(p.challenge), "response": str(p.response)}
