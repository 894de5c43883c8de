"""Discrete logarithms of tallies: baby-step giant-step with one shared table.

A count can be as large as the number of voters (12.5 million nationally). The baby-step
table `{g^j : j}` for `j < m` is built once per process and group, with
`m = ceil(sqrt(bound + 1))` rounded up to a power of two (4,096 entries covers 16.7 million),
and then serves every cell: each lookup needs at most `m` giant steps, so no call builds a
table of the bound's size.
"""

from __future__ import annotations

import math

from .errors import CryptoError
from .group import E, Group

_TABLES: dict[tuple[str, int], dict[object, int]] = {}


class DlogNotFound(CryptoError):
    """No `m` in [0, bound] with `g^m` equal to the value: the decryption does not add up."""


def _table(group: Group[E], size: int) -> dict[object, int]:
    key = (group.name, size)
    if key not in _TABLES:
        table: dict[object, int] = {}
        acc = group.identity
        for j in range(size):
            table[acc] = j
            acc = group.mul(acc, group.g)
        _TABLES[key] = table
    return _TABLES[key]


def dlog(group: Group[E], target: E, bound: int) -> int:
    """The `m` in [0, bound] with `g^m = target`; raises DlogNotFound otherwise."""
    size = 1 << max(8, math.isqrt(bound) .bit_length())
    table = _table(group, size)
    giant = group.g_pow(-size)
    acc = target
    for i in range(bound // size + 1):
        j = table.get(acc)
        if j is not None:
            m = i * size + j
            if m <= bound:
                return m
            break
        acc = group.mul(acc, giant)
    raise DlogNotFound(f"no count in [0, {bound}] decrypts this cell")
