"""Partial decryption, combination and result (protocol doc §7).

A trustee with secret `x` and public `X` publishes, for every tally cell `(α, β)`,
`f = α^x` with a `decrypt|φ|X|` proof. For a Pedersen item the first `threshold` valid
shares are combined with Lagrange coefficients at 0; single trustees' factors enter
directly. Then `g^m = β / F` for each cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .elgamal import Ciphertext
from .errors import CryptoError, InvalidProof
from .group import E, Group, Rng
from .proofs import ProofItem, prove_decryption, verify_decryption

Tally = Sequence[Sequence[Ciphertext[E]]]
Factors = Sequence[Sequence[E]]


class NotEnoughShares(CryptoError):
    """Fewer valid partial decryptions than a trustee item's threshold."""


def decrypt_prefix(group: Group[E], phi: str, public: E) -> str:
    return f"decrypt|{phi}|{group.encode(public)}|"


def partial_decrypt(
    group: Group[E], phi: str, x: int, tally: Tally[E], *, rng: Rng
) -> tuple[list[list[E]], list[list[ProofItem]]]:
    """Decryption factors `α^x` of every cell, with proofs."""
    prefix = decrypt_prefix(group, phi, group.g_pow(x))
    factors: list[list[E]] = []
    proofs: list[list[ProofItem]] = []
    for row in tally:
        fs, ps = [], []
        for ct in row:
            f, p = prove_decryption(group, prefix, x, ct.alpha, rng=rng)
            fs.append(f)
            ps.append(p)
        factors.append(fs)
        proofs.append(ps)
    return factors, proofs


def verify_partial_decryption(
    group: Group[E], phi: str, public: E, tally: Tally[E], factors: Factors[E],
    proofs: Sequence[Sequence[ProofItem]],
) -> None:
    """Check shape and every proof; raise InvalidProof naming the cell."""
    if [len(r) for r in factors] != [len(r) for r in tally] or [len(r) for r in proofs] != [len(r) for r in tally]:
        raise InvalidProof("decryption factors or proofs do not have the shape of the tally")
    prefix = decrypt_prefix(group, phi, public)
    for qi, (row, frow, prow) in enumerate(zip(tally, factors, proofs, strict=True)):
        for ai, (ct, f, p) in enumerate(zip(row, frow, prow, strict=True)):
            try:
                verify_decryption(group, prefix, public, ct.alpha, f, p)
            except InvalidProof as exc:
                raise InvalidProof(f"question {qi}, answer {ai}: {exc}") from exc


def lagrange_at_zero(indices: Sequence[int], delta: int, q: int) -> int:
    """`λ_δ = Π_{k ∈ I, k ≠ δ} k / (k − δ) mod q`."""
    num, den = 1, 1
    for k in indices:
        if k != delta:
            num = num * k % q
            den = den * (k - delta) % q
    return num * pow(den, -1, q) % q


def combine(
    group: Group[E],
    items: Sequence[tuple[str, tuple[int, ...], int]],
    shares: Mapping[int, Factors[E]],
    shape: Sequence[int],
) -> list[list[E]]:
    """The combined factor `F` of every cell from the valid shares (by trustee id, in order)."""
    total = [[group.identity] * n for n in shape]
    for kind, ids, threshold in items:
        present = [tid for tid in ids if tid in shares]
        if kind == "Single":
            if not present:
                raise NotEnoughShares(f"trustee {ids[0]} has not decrypted")
            parts = [(ids[0], 1)]
        else:
            if len(present) < threshold:
                raise NotEnoughShares(
                    f"Pedersen trustees {list(ids)}: {len(present)} valid shares, threshold {threshold}"
                )
            chosen = present[:threshold]
            member = [ids.index(t) + 1 for t in chosen]
            parts = [(t, lagrange_at_zero(member, m, group.q)) for t, m in zip(chosen, member, strict=True)]
        for tid, coeff in parts:
            for qi, row in enumerate(shares[tid]):
                for ai, f in enumerate(row):
                    total[qi][ai] = group.mul(total[qi][ai], group.pow(f, coeff) if coeff != 1 else f)
    return total


def check_result(group: Group[E], tally: Tally[E], combined: Factors[E], result: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """Cells where `g^result ≠ β / F`, as (question, answer) pairs (empty when all match)."""
    bad = []
    for qi, (row, frow, rrow) in enumerate(zip(tally, combined, result, strict=True)):
        for ai, (ct, f, m) in enumerate(zip(row, frow, rrow, strict=True)):
            if group.g_pow(m) != group.div(ct.beta, f):
                bad.append((qi, ai))
    return bad


def decrypt_result(group: Group[E], tally: Tally[E], combined: Factors[E], bound: int) -> list[list[int]]:
    """The plaintext counts: discrete logs of `β / F`, each in [0, bound]."""
    from .dlog import dlog

    return [
        [dlog(group, group.div(ct.beta, f), bound) for ct, f in zip(row, frow, strict=True)]
        for row, frow in zip(tally, combined, strict=True)
    ]
