"""Exponential ElGamal (protocol doc §5.2): `α = g^r`, `β = y^r · g^m`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic

from .group import E, Group, Rng


@dataclass(frozen=True, slots=True)
class Ciphertext(Generic[E]):
    """An ElGamal ciphertext: `alpha` = g^r, `beta` = y^r·g^m."""

    alpha: E
    beta: E


def encrypt_with_nonce(group: Group[E], y: E, m: int, r: int) -> Ciphertext[E]:
    return Ciphertext(group.g_pow(r), group.mul(group.pow(y, r), group.g_pow_small(m)))


def encrypt(group: Group[E], y: E, m: int, *, rng: Rng) -> tuple[Ciphertext[E], int]:
    """Encrypt `m`; also return the nonce `r`, which proofs (and ballot audits) need."""
    r = group.random_scalar(rng)
    return encrypt_with_nonce(group, y, m, r), r


def multiply(group: Group[E], a: Ciphertext[E], b: Ciphertext[E]) -> Ciphertext[E]:
    """Componentwise product: an encryption of the sum of the messages."""
    return Ciphertext(group.mul(a.alpha, b.alpha), group.mul(a.beta, b.beta))


def power(group: Group[E], a: Ciphertext[E], k: int) -> Ciphertext[E]:
    """`a^k`: an encryption of k times the message (credential weights)."""
    return Ciphertext(group.pow(a.alpha, k), group.pow(a.beta, k))


def product(group: Group[E], cts: Iterable[Ciphertext[E]]) -> Ciphertext[E]:
    alpha, beta = group.identity, group.identity
    for ct in cts:
        alpha, beta = group.mul(alpha, ct.alpha), group.mul(beta, ct.beta)
    return Ciphertext(alpha, beta)


def identity(group: Group[E]) -> Ciphertext[E]:
    return Ciphertext(group.identity, group.identity)
