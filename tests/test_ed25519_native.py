"""The native multi-exponentiation agrees with libsodium (the reference) on every input shape."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.crypto.errors import BackendError
from saylau.crypto.group import ED25519 as G

scalars = st.one_of(st.integers(0, G.q - 1), st.sampled_from([0, 1, 2, 15, 16, 31, G.q - 1, G.q - 2, 2**252, 2**128 - 1]))
points = st.integers(0, G.q - 1).map(G.g_pow)


def reference(terms):
    acc = G.identity
    for p, n in terms:
        acc = G.mul(acc, G.pow(p, n))
    return acc


@given(st.lists(st.tuples(st.one_of(points, st.just(G.g), st.just(G.identity)), scalars), min_size=1, max_size=8))
def test_multi_pow_matches_libsodium(terms):
    assert G.multi_pow(terms) == reference(terms)


pool = st.lists(st.one_of(points, st.just(G.g), st.just(G.identity)), min_size=1, max_size=6)


@given(pool.flatmap(lambda ps: st.lists(st.lists(st.tuples(st.sampled_from(ps), scalars), min_size=1, max_size=8),
                                        max_size=12)))
def test_multi_pow_many_matches_libsodium(jobs):
    """Many multi-exponentiations in one call, sharing (repeated) points and one inversion."""
    assert G.multi_pow_many(jobs) == [reference(terms) for terms in jobs]


def test_multi_pow_many_refuses_what_is_not_a_point():
    not_on_curve = bytes.fromhex("0" * 63 + "2")[::-1]
    with pytest.raises(BackendError):
        G.multi_pow_many([[(G.g, 3)], [(not_on_curve, 5)]])


@given(st.lists(points, max_size=12))
def test_prod_matches_libsodium(pts):
    acc = G.identity
    for p in pts:
        acc = G.mul(acc, p)
    assert G.prod(pts) == acc


def test_refuses_what_is_not_a_point():
    not_on_curve = bytes.fromhex("0" * 63 + "2")[::-1]
    with pytest.raises(BackendError):
        G.multi_pow([(not_on_curve, 5)])
    with pytest.raises(BackendError):
        G.prod([(2**255 - 1).to_bytes(32, "little")])  # y >= p: non-canonical
