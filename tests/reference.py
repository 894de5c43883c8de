"""Naive reference implementations (RFC 9162 recursions, written as plainly as possible)."""

from __future__ import annotations

import hashlib


def _lh(d: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + d).digest()


def _nh(a: bytes, b: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + a + b).digest()


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def naive_root(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return _lh(leaves[0])
    k = _k(len(leaves))
    return _nh(naive_root(leaves[:k]), naive_root(leaves[k:]))


def naive_path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) <= 1:
        return []
    k = _k(len(leaves))
    if m < k:
        return naive_path(m, leaves[:k]) + [naive_root(leaves[k:])]
    return naive_path(m - k, leaves[k:]) + [naive_root(leaves[:k])]


def _subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [naive_root(leaves)]
    k = _k(n)
    if m <= k:
        return _subproof(m, leaves[:k], b) + [naive_root(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [naive_root(leaves[:k])]


def naive_consistency(m: int, leaves: list[bytes]) -> list[bytes]:
    return _subproof(m, leaves, True)
