"""Ballots that must be rejected, made from valid ones (Python side, test-only).

Every tampered ballot is re-signed with the voter's key (unless the signature itself is the
target), so that each defect shows up as exactly one finding code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from saylau.crypto import credentials as creds
from saylau.crypto.answers import _individual_statements, _pairs_string, _range_statements, _sum
from saylau.crypto.elgamal import encrypt
from saylau.crypto.group import ED25519, ED_P, ED_Q, Rng
from saylau.crypto.proofs import prove_disjunction, prove_schnorr
from saylau.record.canonical import b64_sha256, dumpb
from saylau.record.election import Election

Ballot = dict[str, Any]
_D = (-121665 * pow(121666, -1, ED_P)) % ED_P


def _encode(y: int, sign: int) -> str:
    """Belenios hex of the 32-byte RFC 8032 encoding `y + 2^255·sign` (big-endian hex)."""
    return f"{y + (sign << 255):064x}"


def _x2(y: int) -> int:
    return (y * y - 1) * pow(_D * y * y + 1, -1, ED_P) % ED_P


def _is_square(v: int) -> bool:
    return v == 0 or pow(v, (ED_P - 1) // 2, ED_P) == 1


def _off_curve() -> str:
    y = 2
    while _is_square(_x2(y)):
        y += 1
    return _encode(y, 0)


def _noncanonical_y() -> str:
    """A valid point's y written as y + p (still below 2^255): RFC 8032 forbids it."""
    y = next(y for y in range(2, 19) if _is_square(_x2(y)))
    return _encode(y + ED_P, 0)


_G_Y = 4 * pow(5, -1, ED_P) % ED_P

POINTS = {
    "point.off_curve": _off_curve(),
    "point.noncanonical": _noncanonical_y(),
    "point.noncanonical/x0": _encode(1, 1),  # the identity with the sign bit set
    "point.small_order": _encode(0, 0),  # (√-1, 0): order 4
    "point.torsion": _encode(ED_P - _G_Y, 1),  # g + (0, -1): order 2q
    "point.encoding": "ABCD" * 16,  # upper-case hex
}
IDENTITY = _encode(1, 0)


def load(raw: bytes | str) -> Ballot:
    value: Ballot = json.loads(raw)
    return value


def resign(ballot: Ballot, election: Election, private_credential: str, rng: Rng) -> bytes:
    """Recompute the signature hash and signature over the ballot as it now stands."""
    x = creds.derive(ED25519, election.uuid, private_credential)
    unsigned = {k: v for k, v in ballot.items() if k != "signature"}
    h = b64_sha256(dumpb(unsigned))
    p = prove_schnorr(ED25519, f"sig|{h}|", x, rng=rng)
    out = dict(unsigned, signature={"hash": h, "proof": {"challenge": str(p.challenge), "response": str(p.response)}})
    return dumpb(out)


def flip_digit(s: str) -> str:
    """Change a middle digit of a decimal scalar (stays canonical and below q)."""
    i = len(s) // 2
    return s[:i] + ("1" if s[i] != "1" else "2") + s[i + 1:]


def forged_answer(election: Election, credential_hex: str, qi: int, choice: list[int], rng: Rng,
                  *, widen: bool = False) -> dict[str, Any]:
    """An answer whose ciphertexts encrypt `choice` (possibly outside [min, max]) with valid
    individual proofs and a forged overall proof: either an honest-looking proof over the wrong
    true index (it cannot hold), or (`widen`) a genuine proof for the range [min, max + 1]."""
    g, y = ED25519, election.public_key
    q = election.questions[qi]
    assert not q.blank
    s0 = f"{election.fingerprint}|{credential_hex}"
    cts, nonces, indiv = [], [], []
    for m in choice:
        ct, r = encrypt(g, y, m, rng=rng)
        cts.append(ct)
        nonces.append(r)
        prefix = f"prove|{s0}|{g.encode(ct.alpha)},{g.encode(ct.beta)}|"
        indiv.append(prove_disjunction(g, prefix, y, _individual_statements(ct), m, r, rng=rng))
    total = _sum(g, cts)
    s = f"{s0}|{_pairs_string(g, cts)}"
    prefix = f"prove|{s}|{g.encode(total.alpha)},{g.encode(total.beta)}|"
    hi = q.max + 1 if widen else q.max
    index = sum(choice) - q.min if widen else 0
    overall = prove_disjunction(g, prefix, y, _range_statements(total, q.min, hi), index, sum(nonces) % ED_Q, rng=rng)

    def pj(p: Any) -> dict[str, str]:
        return {"challenge": str(p.challenge), "response": str(p.response)}

    return {"choices": [{"alpha": g.encode(c.alpha), "beta": g.encode(c.beta)} for c in cts],
            "individual_proofs": [[pj(p) for p in ps] for ps in indiv], "overall_proof": [pj(p) for p in overall]}


Tamper = Callable[[Ballot], None]


def set_alpha(value: str) -> Tamper:
    def f(b: Ballot) -> None:
        b["answers"][0]["choices"][0]["alpha"] = value
    return f
