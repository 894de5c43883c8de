"""Property tests: group laws, encodings, ElGamal, every proof, threshold decryption."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.crypto import elgamal
from saylau.crypto.answers import QuestionShape, encrypt_answer, verify_answer
from saylau.crypto.decryption import (
    combine,
    decrypt_result,
    partial_decrypt,
    verify_partial_decryption,
)
from saylau.crypto.errors import InvalidElement, InvalidProof
from saylau.crypto.group import BELENIOS_2048, ED25519
from saylau.crypto.proofs import ProofItem, prove_schnorr, verify_schnorr

from .conftest import SeededRng

GROUPS = [ED25519, BELENIOS_2048]
scalars = st.integers(min_value=0, max_value=ED25519.q - 1)
seeds = st.integers(min_value=0, max_value=2**32)


@pytest.mark.parametrize("g", GROUPS, ids=lambda g: g.name)
@given(a=scalars, b=scalars)
def test_group_laws(g, a, b):
    ga, gb = g.g_pow(a), g.g_pow(b)
    assert g.mul(ga, gb) == g.g_pow(a + b)
    assert g.mul(ga, gb) == g.mul(gb, ga)
    assert g.div(ga, gb) == g.g_pow(a - b)
    assert g.pow(ga, b) == g.g_pow(a * b)
    assert g.mul(ga, g.identity) == ga
    assert g.pow(ga, g.q) == g.identity


@pytest.mark.parametrize("g", GROUPS, ids=lambda g: g.name)
@given(a=scalars)
def test_encoding_round_trip(g, a):
    e = g.g_pow(a)
    assert g.parse(g.encode(e), field="x") == e


@given(data=st.binary(min_size=32, max_size=32))
def test_ed25519_parse_refuses_or_round_trips(data):
    text = data.hex()
    try:
        e = ED25519.parse(text, field="x")
    except InvalidElement as exc:
        assert exc.field == "x"
    else:
        assert ED25519.encode(e) == text


@pytest.mark.parametrize("g", GROUPS, ids=lambda g: g.name)
@given(x=scalars, m=st.integers(0, 50), seed=seeds)
def test_elgamal_decrypts(g, x, m, seed):
    y = g.g_pow(x)
    ct, _ = elgamal.encrypt(g, y, m, rng=SeededRng(seed))
    assert g.div(ct.beta, g.pow(ct.alpha, x)) == g.g_pow(m)


@given(x=st.integers(1, ED25519.q - 1), seed=seeds, field=st.sampled_from(["challenge", "response"]), delta=st.integers(1, 2**64))
def test_schnorr_valid_verifies_and_any_change_fails(x, seed, field, delta):
    g = ED25519
    prefix = "pok|Ed25519|x|"
    p = prove_schnorr(g, prefix, x, rng=SeededRng(seed))
    verify_schnorr(g, prefix, g.g_pow(x), p)
    bad = ProofItem((p.challenge + delta) % g.q, p.response) if field == "challenge" else ProofItem(p.challenge, (p.response + delta) % g.q)
    with pytest.raises(InvalidProof):
        verify_schnorr(g, prefix, g.g_pow(x), bad)


shapes = st.sampled_from([QuestionShape(4, 1, 1, False), QuestionShape(4, 0, 4, False), QuestionShape(3, 1, 2, True), QuestionShape(2, 0, 2, False)])


@st.composite
def shaped_choice(draw):
    shape = draw(shapes)
    if shape.blank and draw(st.booleans()):
        return shape, [1] + [0] * shape.answers
    chosen = draw(st.lists(st.integers(0, shape.answers - 1), unique=True, min_size=shape.min, max_size=shape.max))
    body = [1 if i in chosen else 0 for i in range(shape.answers)]
    return shape, ([0] if shape.blank else []) + body


@given(sc=shaped_choice(), seed=seeds, which=st.integers(0, 10_000), delta=st.integers(1, 1000))
def test_answer_proofs_verify_and_any_changed_field_fails(sc, seed, which, delta):
    g = ED25519
    shape, choice = sc
    y = g.g_pow(12345)
    ans, _ = encrypt_answer(g, y, "phi|cred", shape, choice, rng=SeededRng(seed))
    verify_answer(g, y, "phi|cred", shape, ans)
    # change one field of one proof item
    proofs = [("i", i, j) for i in range(len(ans.individual_proofs)) for j in range(2)]
    proofs += [("o", 0, j) for j in range(len(ans.overall_proof))]
    proofs += [("b", 0, j) for j in range(2)] if ans.blank_proof else []
    kind, i, j = proofs[which % len(proofs)]
    bump = lambda p: ProofItem(p.challenge, (p.response + delta) % g.q) if which % 2 else ProofItem((p.challenge + delta) % g.q, p.response)  # noqa: E731
    if kind == "i":
        row = list(ans.individual_proofs[i])
        row[j] = bump(row[j])
        indiv = list(ans.individual_proofs)
        indiv[i] = tuple(row)
        bad = type(ans)(ans.choices, tuple(indiv), ans.overall_proof, ans.blank_proof)
    elif kind == "o":
        o = list(ans.overall_proof)
        o[j] = bump(o[j])
        bad = type(ans)(ans.choices, ans.individual_proofs, tuple(o), ans.blank_proof)
    else:
        assert ans.blank_proof is not None
        b = list(ans.blank_proof)
        b[j] = bump(b[j])
        bad = type(ans)(ans.choices, ans.individual_proofs, ans.overall_proof, tuple(b))
    with pytest.raises(InvalidProof):
        verify_answer(g, y, "phi|cred", shape, bad)


@given(seed=seeds)
def test_invalid_choice_cannot_be_proven(seed):
    from saylau.crypto.answers import InvalidChoice

    with pytest.raises(InvalidChoice):
        encrypt_answer(ED25519, ED25519.g, "s", QuestionShape(4, 1, 1, False), [1, 1, 0, 0], rng=SeededRng(seed))


@pytest.mark.parametrize(("t", "n"), [(1, 1), (2, 3), (3, 5)])
@given(seed=seeds, votes=st.lists(st.integers(0, 1), min_size=1, max_size=6))
def test_threshold_decryption_with_every_subset(t, n, seed, votes):
    """A t-of-n Pedersen key from the real ceremony decrypts with every subset of t members."""
    from saylau.crypto import dkg
    from saylau.crypto.trustees import verify_trustees

    g = ED25519
    rng = SeededRng(seed)
    seeds_ = [dkg.new_seed(rng) for _ in range(n)]
    certs = [dkg.make_cert(g, s, index=i + 1, size=n, threshold=t, rng=rng) for i, s in enumerate(seeds_)]
    polys = [dkg.make_polynomial(g, s, certs, t, rng=rng) for s in seeds_]
    vouts = [dkg.make_voutput(g, s, certs, v, rng=rng) for s, v in zip(seeds_, dkg.route(polys), strict=True)]
    params = dkg.combine(g, certs, polys, vouts, t)
    keys = verify_trustees(g, [["Pedersen", params]])
    secrets = {i + 1: dkg.decryption_key(g, s, v["private_key"]) for i, (s, v) in enumerate(zip(seeds_, vouts, strict=True))}
    tally = [[elgamal.product(g, [elgamal.encrypt(g, keys.election_key, m, rng=rng)[0] for m in votes])]]
    for subset in itertools.combinations(range(1, n + 1), t):
        shares = {}
        for tid in subset:
            f, p = partial_decrypt(g, "phi", secrets[tid], tally, rng=rng)
            verify_partial_decryption(g, "phi", keys.keys[tid], tally, f, p)
            shares[tid] = f
        combined = combine(g, keys.items, shares, [1])
        assert decrypt_result(g, tally, combined, len(votes)) == [[sum(votes)]]
