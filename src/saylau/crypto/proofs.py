"""Belenios' Fiat–Shamir proofs (protocol doc §5.3), generic over the group.

Every proof item is `(challenge, response)` with `response = w − x·challenge mod q`; the
verifier recomputes each commitment as `g^response · X^challenge`. Verifiers return None
and raise `InvalidProof`.

- Schnorr (`pok|`, `sig|`, `sigmsg|`): knowledge of `x` with `X = g^x`.
- Chaum–Pedersen (`decrypt|`): `f = α^x` and `X = g^x`.
- Disjunctive (`prove|`, `bproof0|`, `bproof1|`): one of the statements `(a_j, b_j, m_j)`
  says that `(a_j, b_j)` encrypts `m_j` under `y`, i.e. `a_j = g^ρ`, `b_j / g^m_j = y^ρ`.

Verifiers compute every commitment as one multi-exponentiation over public values
(`Group.multi_pow`); provers use only the constant-time single exponentiations for
anything that involves a secret.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic

from .errors import InvalidProof
from .group import E, Group, Rng


@dataclass(frozen=True, slots=True)
class ProofItem:
    """One `{"challenge","response"}` pair: `c` and `r` in [0, q)."""

    challenge: int
    response: int


Statement = tuple[E, E, int]  # (a, b, m): "(a, b) is an encryption of m"


def _terms(group: Group[E], base_exp: int, x: E, c: int) -> list[tuple[E, int]]:
    """The terms of `g^r · X^c`."""
    return [(group.g, base_exp), (x, c)]


def _terms_b(group: Group[E], y: E, r: int, b: E, m: int, c: int) -> list[tuple[E, int]]:
    """The terms of `y^r · (b / g^m)^c = y^r · b^c · g^(−m·c)` (no division)."""
    return [(y, r), (b, c)] if m == 0 else [(y, r), (b, c), (group.g, -m * c % group.q)]


def _commit(group: Group[E], base_exp: int, x: E, c: int) -> E:
    """`g^r · X^c` (public values only)."""
    return group.multi_pow(_terms(group, base_exp, x, c))


def _commit_b(group: Group[E], y: E, r: int, b: E, m: int, c: int) -> E:
    """`y^r · (b / g^m)^c` (public values only)."""
    return group.multi_pow(_terms_b(group, y, r, b, m, c))


# ---------------------------------------------------------------- Schnorr (pok, sig, sigmsg)


def prove_schnorr(group: Group[E], prefix: str, x: int, *, rng: Rng) -> ProofItem:
    """Prove knowledge of `x`; the hash input is `prefix` then the commitment `g^w`."""
    w = group.random_scalar(rng)
    a = group.g_pow(w)
    c = group.hash_to_scalar(prefix, [group.encode(a)])
    return ProofItem(c, (w - x * c) % group.q)


def verify_schnorr(group: Group[E], prefix: str, public: E, proof: ProofItem) -> None:
    a = _commit(group, proof.response, public, proof.challenge)
    if group.hash_to_scalar(prefix, [group.encode(a)]) != proof.challenge:
        raise InvalidProof(f"{prefix.split('|', 1)[0]} proof: challenge does not match the hash")


def pok_prefix(group: Group[E], public: E) -> str:
    return f"pok|{group.name}|{group.encode(public)}|"


def sigmsg_prefix(message: str) -> str:
    return f"sigmsg|{message}|"


# ------------------------------------------------------------------- Chaum–Pedersen (decrypt)


def prove_decryption(
    group: Group[E], prefix: str, x: int, alpha: E, *, rng: Rng
) -> tuple[E, ProofItem]:
    """Return `f = α^x` and its proof."""
    f = group.pow(alpha, x)
    w = group.random_scalar(rng)
    a, b = group.g_pow(w), group.pow(alpha, w)
    c = group.hash_to_scalar(prefix, [group.encode(a), group.encode(b)])
    return f, ProofItem(c, (w - x * c) % group.q)


def verify_decryption(
    group: Group[E], prefix: str, public: E, alpha: E, factor: E, proof: ProofItem
) -> None:
    c, r = proof.challenge, proof.response
    a = _commit(group, r, public, c)
    b = group.multi_pow([(alpha, r), (factor, c)])
    if group.hash_to_scalar(prefix, [group.encode(a), group.encode(b)]) != c:
        raise InvalidProof("decryption proof: challenge does not match the hash")


# --------------------------------------------------------------------------------- disjunctive


def prove_disjunction(
    group: Group[E],
    prefix: str,
    y: E,
    statements: Sequence[Statement[E]],
    true_index: int,
    rho: int,
    *,
    rng: Rng,
) -> list[ProofItem]:
    """Prove that `statements[true_index]` holds with nonce `rho`, hiding which index."""
    q = group.q
    items: list[ProofItem | None] = []
    commitments: list[str] = []
    w = 0
    for j, (a_j, b_j, m_j) in enumerate(statements):
        if j == true_index:
            w = group.random_scalar(rng)  # secret: constant-time exponentiations only
            big_a, big_b = group.g_pow(w), group.pow(y, w)
            items.append(None)
        else:  # simulated branch: c_j and r_j are published, so public arithmetic is fine
            c_j, r_j = group.random_scalar(rng), group.random_scalar(rng)
            big_a = _commit(group, r_j, a_j, c_j)
            big_b = _commit_b(group, y, r_j, b_j, m_j, c_j)
            items.append(ProofItem(c_j, r_j))
        commitments += [group.encode(big_a), group.encode(big_b)]
    total = group.hash_to_scalar(prefix, commitments)
    c_true = (total - sum(it.challenge for it in items if it is not None)) % q
    items[true_index] = ProofItem(c_true, (w - rho * c_true) % q)
    return [it for it in items if it is not None]


def _commitment_terms(
    group: Group[E], y: E, statements: Sequence[Statement[E]], proof: Sequence[ProofItem]
) -> list[list[tuple[E, int]]]:
    """The multi-exponentiations of the commitments `A_j = g^r · a^c`, `B_j = y^r · (b / g^m)^c`."""
    jobs: list[list[tuple[E, int]]] = []
    for (a_j, b_j, m_j), item in zip(statements, proof, strict=True):
        c, r = item.challenge, item.response
        jobs += [_terms(group, r, a_j, c), _terms_b(group, y, r, b_j, m_j, c)]
    return jobs


def disjunction_commitments(
    group: Group[E], y: E, statements: Sequence[Statement[E]], proof: Sequence[ProofItem]
) -> list[str]:
    """The commitments `A_j, B_j` a verifier recomputes, as JSON strings."""
    return [group.encode(x) for x in group.multi_pow_many(_commitment_terms(group, y, statements, proof))]


@dataclass(frozen=True, slots=True)
class DisjunctionCheck(Generic[E]):
    """One disjunctive proof to verify: its hash prefix, statements, items and a name for errors."""

    prefix: str
    statements: Sequence[Statement[E]]
    proof: Sequence[ProofItem]
    what: str


def verify_disjunctions(group: Group[E], y: E, checks: Sequence[DisjunctionCheck[E]]) -> None:
    """Verify several disjunctive proofs (those of one answer), their commitments computed in one
    `multi_pow_many`; raise `InvalidProof` for the first that fails, in order."""
    jobs: list[list[tuple[E, int]]] = []
    for ch in checks:
        if len(ch.proof) == len(ch.statements):
            jobs += _commitment_terms(group, y, ch.statements, ch.proof)
    points = iter(group.multi_pow_many(jobs))
    for ch in checks:
        if len(ch.proof) != len(ch.statements):
            raise InvalidProof(f"{ch.what}: {len(ch.proof)} proof items, expected {len(ch.statements)}")
        commitments = [group.encode(next(points)) for _ in range(2 * len(ch.statements))]
        if sum(it.challenge for it in ch.proof) % group.q != group.hash_to_scalar(ch.prefix, commitments):
            raise InvalidProof(f"{ch.what}: challenges do not sum to the hash")


def verify_disjunction(
    group: Group[E],
    prefix: str,
    y: E,
    statements: Sequence[Statement[E]],
    proof: Sequence[ProofItem],
    *,
    what: str,
) -> None:
    verify_disjunctions(group, y, [DisjunctionCheck(prefix, statements, proof, what)])
