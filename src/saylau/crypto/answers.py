"""Encrypted answers to one question, with their proofs (protocol doc §5.2–5.3).

A question has `n` answers, bounds `min ≤ Σm ≤ max` and, when `blank` is allowed, a
leading blank flag `m0`: a blank vote is `m0 = 1` with every other slot 0.

Hash strings (`φ` the election fingerprint, `cred` the public credential):
- `S0 = φ|cred`; individual proof of `(α, β)`: `prove|S0|α,β|`
- `S = S0|α1,β1,α2,β2,…` over all ciphertexts of the question
- overall (no blank): `prove|S|Πα,Πβ|`; blank: `bproof0|S|`; overall with blank: `bproof1|S|`
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic

from .elgamal import Ciphertext, encrypt
from .errors import InvalidProof
from .group import E, Group, Rng
from .proofs import DisjunctionCheck, ProofItem, Statement, prove_disjunction, verify_disjunctions


@dataclass(frozen=True, slots=True)
class QuestionShape:
    """What the cryptography needs of a question: answer count, bounds, blank allowed."""

    answers: int
    min: int
    max: int
    blank: bool

    @property
    def slots(self) -> int:
        """Number of ciphertexts: one per answer, plus the blank flag."""
        return self.answers + (1 if self.blank else 0)

    @property
    def overall_items(self) -> int:
        return self.max - self.min + (2 if self.blank else 1)


@dataclass(frozen=True, slots=True)
class EncryptedAnswer(Generic[E]):
    """`choices`, `individual_proofs`, `overall_proof`, `blank_proof` of a ballot answer."""

    choices: tuple[Ciphertext[E], ...]
    individual_proofs: tuple[tuple[ProofItem, ...], ...]
    overall_proof: tuple[ProofItem, ...]
    blank_proof: tuple[ProofItem, ...] | None


class InvalidChoice(ValueError):
    """A plaintext choice that does not satisfy the question's rules."""


def check_choice(shape: QuestionShape, choice: Sequence[int]) -> None:
    """Raise InvalidChoice unless `choice` is a valid plaintext for `shape` (blank flag first)."""
    if len(choice) != shape.slots:
        raise InvalidChoice(f"expected {shape.slots} entries, got {len(choice)}")
    if any(m not in (0, 1) for m in choice):
        raise InvalidChoice("every entry must be 0 or 1")
    body = choice[1:] if shape.blank else choice
    if shape.blank and choice[0] == 1:
        if any(body):
            raise InvalidChoice("a blank vote selects no answer")
        return
    if not shape.min <= sum(body) <= shape.max:
        raise InvalidChoice(f"select between {shape.min} and {shape.max} answers, got {sum(body)}")


def _pairs_string(group: Group[E], cts: Sequence[Ciphertext[E]]) -> str:
    return ",".join(f"{group.encode(c.alpha)},{group.encode(c.beta)}" for c in cts)


def _individual_statements(ct: Ciphertext[E]) -> list[Statement[E]]:
    return [(ct.alpha, ct.beta, 0), (ct.alpha, ct.beta, 1)]


def _sum(group: Group[E], cts: Sequence[Ciphertext[E]]) -> Ciphertext[E]:
    return Ciphertext(group.prod([c.alpha for c in cts]), group.prod([c.beta for c in cts]))


def _range_statements(total: Ciphertext[E], lo: int, hi: int) -> list[Statement[E]]:
    return [(total.alpha, total.beta, m) for m in range(lo, hi + 1)]


def encrypt_answer(
    group: Group[E], y: E, s0: str, shape: QuestionShape, choice: Sequence[int], *, rng: Rng
) -> tuple[EncryptedAnswer[E], tuple[int, ...]]:
    """Encrypt a valid choice; return the answer and the nonces (for a Benaloh audit)."""
    check_choice(shape, choice)
    q = group.q
    cts: list[Ciphertext[E]] = []
    nonces: list[int] = []
    indiv: list[tuple[ProofItem, ...]] = []
    for m in choice:
        ct, r = encrypt(group, y, m, rng=rng)
        cts.append(ct)
        nonces.append(r)
        prefix = f"prove|{s0}|{group.encode(ct.alpha)},{group.encode(ct.beta)}|"
        stmts = _individual_statements(ct)
        indiv.append(tuple(prove_disjunction(group, prefix, y, stmts, m, r, rng=rng)))
    s = f"{s0}|{_pairs_string(group, cts)}"
    blank_proof: tuple[ProofItem, ...] | None = None
    if not shape.blank:
        total = _sum(group, cts)
        prefix = f"prove|{s}|{group.encode(total.alpha)},{group.encode(total.beta)}|"
        stmts = _range_statements(total, shape.min, shape.max)
        overall = prove_disjunction(
            group, prefix, y, stmts, sum(choice) - shape.min, sum(nonces) % q, rng=rng
        )
    else:
        flag, rest = cts[0], _sum(group, cts[1:])
        r0, r_rest = nonces[0], sum(nonces[1:]) % q
        is_blank = choice[0] == 1
        blank_stmts: list[Statement[E]] = [(flag.alpha, flag.beta, 0), (rest.alpha, rest.beta, 0)]
        blank_proof = tuple(
            prove_disjunction(
                group, f"bproof0|{s}|", y, blank_stmts, 1 if is_blank else 0,
                r_rest if is_blank else r0, rng=rng,
            )
        )
        overall_stmts: list[Statement[E]] = [(flag.alpha, flag.beta, 1)]
        overall_stmts += _range_statements(rest, shape.min, shape.max)
        index = 0 if is_blank else 1 + sum(choice[1:]) - shape.min
        overall = prove_disjunction(
            group, f"bproof1|{s}|", y, overall_stmts, index, r0 if is_blank else r_rest, rng=rng
        )
    answer = EncryptedAnswer(tuple(cts), tuple(indiv), tuple(overall), blank_proof)
    return answer, tuple(nonces)


def verify_answer(group: Group[E], y: E, s0: str, shape: QuestionShape, answer: EncryptedAnswer[E]) -> None:
    """Check every proof of one answer; raise InvalidProof naming the failing proof."""
    cts = answer.choices
    if len(cts) != shape.slots:
        raise InvalidProof(f"{len(cts)} ciphertexts, expected {shape.slots}")
    if len(answer.individual_proofs) != len(cts):
        raise InvalidProof(f"{len(answer.individual_proofs)} individual proofs, expected {len(cts)}")
    checks: list[DisjunctionCheck[E]] = [
        DisjunctionCheck(f"prove|{s0}|{group.encode(ct.alpha)},{group.encode(ct.beta)}|", _individual_statements(ct),
                         proof, f"individual proof of choice {i}")
        for i, (ct, proof) in enumerate(zip(cts, answer.individual_proofs, strict=True))]
    s = f"{s0}|{_pairs_string(group, cts)}"
    if not shape.blank:
        if answer.blank_proof is not None:
            verify_disjunctions(group, y, checks)  # (their failures come first, as they always have)
            raise InvalidProof("blank proof present but the question does not allow blank")
        total = _sum(group, cts)
        prefix = f"prove|{s}|{group.encode(total.alpha)},{group.encode(total.beta)}|"
        stmts = _range_statements(total, shape.min, shape.max)
        checks.append(DisjunctionCheck(prefix, stmts, answer.overall_proof, "overall proof"))
        verify_disjunctions(group, y, checks)  # every commitment of the answer in one native call
        return
    if answer.blank_proof is None:
        verify_disjunctions(group, y, checks)
        raise InvalidProof("blank proof missing for a question that allows blank")
    flag, rest = cts[0], _sum(group, cts[1:])
    checks.append(DisjunctionCheck(f"bproof0|{s}|", [(flag.alpha, flag.beta, 0), (rest.alpha, rest.beta, 0)],
                                   answer.blank_proof, "blank proof"))
    blank_overall: list[Statement[E]] = [(flag.alpha, flag.beta, 1)]
    blank_overall += _range_statements(rest, shape.min, shape.max)
    checks.append(DisjunctionCheck(f"bproof1|{s}|", blank_overall, answer.overall_proof, "overall proof"))
    verify_disjunctions(group, y, checks)
