"""Trustees (protocol doc §6): single trustees and Pedersen threshold trustees.

`trustees.json` is a list of `["Single", {"pok","public_key"}]` and
`["Pedersen", threshold_parameters]` items; trustee ids are 1-based over the flattened
list. `verify_trustees` checks every proof and signature and returns, per id, the public
key that partial decryptions are checked against, and the election key `y` (§6.4).
The distributed key generation itself (steps 1–6) lives in `dkg.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Generic

from .errors import CryptoError, InvalidElement, InvalidKey, InvalidProof, InvalidScalar
from .group import E, Group, Rng
from .proofs import ProofItem, pok_prefix, prove_schnorr, sigmsg_prefix, verify_schnorr


class MalformedTrustees(CryptoError):
    """The trustee structure does not have the Belenios shape; `field` says where."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field


def expect_dict(value: object, keys: tuple[str, ...], field: str, optional: tuple[str, ...] = ()) -> dict[str, object]:
    """A JSON object with exactly `keys` (plus any of `optional`)."""
    if not isinstance(value, dict):
        raise MalformedTrustees(field, f"expected an object, got {type(value).__name__}")
    missing = [k for k in keys if k not in value]
    extra = [k for k in value if k not in keys and k not in optional]
    if missing or extra:
        raise MalformedTrustees(field, f"fields missing {missing}, unexpected {extra}")
    return value


def expect_list(value: object, field: str) -> list[object]:
    if not isinstance(value, list):
        raise MalformedTrustees(field, f"expected a list, got {type(value).__name__}")
    return value


def parse_proof(group: Group[E], value: object, field: str) -> ProofItem:
    d = expect_dict(value, ("challenge", "response"), field)
    return ProofItem(
        group.parse_scalar(d["challenge"], field=f"{field}.challenge"),
        group.parse_scalar(d["response"], field=f"{field}.response"),
    )


def proof_json(p: ProofItem) -> dict[str, str]:
    return {"challenge": str(p.challenge), "response": str(p.response)}


# ---------------------------------------------------------------------------- single trustee


def single_generate(group: Group[E], *, rng: Rng) -> tuple[int, dict[str, object]]:
    """A fresh single trustee: its secret `x` and its public `{"pok","public_key"}`."""
    x = group.random_scalar(rng)
    public = group.g_pow(x)
    pok = prove_schnorr(group, pok_prefix(group, public), x, rng=rng)
    return x, {"pok": proof_json(pok), "public_key": group.encode(public)}


def verify_public_key(group: Group[E], value: object, field: str, *, signed: bool = False) -> E:
    """Check a `{"pok","public_key"[,"signature"]}` object; return the key."""
    opt = ("signature",)
    d = expect_dict(value, ("pok", "public_key"), field, optional=opt)
    public = group.parse(d["public_key"], field=f"{field}.public_key")
    try:
        verify_schnorr(group, pok_prefix(group, public), public, parse_proof(group, d["pok"], f"{field}.pok"))
    except InvalidProof as exc:
        raise InvalidProof(f"{field}.pok: {exc}") from exc
    return public


# ------------------------------------------------------------------------- signed messages


def sign_message(group: Group[E], sk: int, message: str, *, rng: Rng) -> ProofItem:
    return prove_schnorr(group, sigmsg_prefix(message), sk, rng=rng)


def signed_msg(group: Group[E], sk: int, message: str, *, rng: Rng) -> dict[str, object]:
    return {"message": message, "signature": proof_json(sign_message(group, sk, message, rng=rng))}


def verify_signed_msg(group: Group[E], vk: E, value: object, field: str) -> str:
    """Check a `{"message","signature"}` signed by `vk`; return the message text."""
    d = expect_dict(value, ("message", "signature"), field)
    message = d["message"]
    if not isinstance(message, str):
        raise MalformedTrustees(f"{field}.message", "expected a string")
    try:
        verify_schnorr(group, sigmsg_prefix(message), vk, parse_proof(group, d["signature"], f"{field}.signature"))
    except InvalidProof as exc:
        raise InvalidProof(f"{field}.signature: {exc}") from exc
    return message


def parse_json_text(text: str, field: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedTrustees(field, f"not JSON text: {exc.msg}") from exc


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------------- threshold parameters


@dataclass(frozen=True, slots=True)
class Cert(Generic[E]):
    """A Pedersen member's certificate: verification key `vk = g^sk`, encryption key `ek = g^dk`."""

    verification: E
    encryption: E
    index: int | None  # 3.x context index, 1-based; None for 2.0 certificates


def verify_cert(group: Group[E], value: object, field: str) -> Cert[E]:
    d = expect_dict(value, ("message", "signature"), field)
    if not isinstance(d["message"], str):
        raise MalformedTrustees(f"{field}.message", "expected a string")
    body = expect_dict(
        parse_json_text(d["message"], f"{field}.message"), ("verification", "encryption"),
        f"{field}.message", optional=("context",),
    )
    vk = group.parse(body["verification"], field=f"{field}.verification")
    ek = group.parse(body["encryption"], field=f"{field}.encryption")
    index = None
    if "context" in body:
        ctx = expect_dict(body["context"], ("group", "size", "threshold", "index"), f"{field}.context")
        if ctx["group"] != group.name:
            raise InvalidKey(f"{field}.context.group is {ctx['group']!r}, election uses {group.name}")
        if not isinstance(ctx["index"], int):
            raise MalformedTrustees(f"{field}.context.index", "expected an integer")
        index = ctx["index"]
    verify_signed_msg(group, vk, d, field)
    return Cert(vk, ek, index)


def lagrange_point(group: Group[E], coefexps: list[list[E]], j: int) -> E:
    """`Π_i Π_k A_ik^(j^k)`: the public value of member j's share."""
    acc = group.identity
    for row in coefexps:
        power = 1
        for a in row:
            acc = group.mul(acc, group.pow(a, power))
            power = power * j % group.q
    return acc


@dataclass(frozen=True, slots=True)
class PedersenPublic(Generic[E]):
    """A checked Pedersen item: the threshold, the members' keys, the item's share of `y`."""

    threshold: int
    verification_keys: tuple[E, ...]
    public_key: E


def verify_pedersen(group: Group[E], value: object, field: str) -> PedersenPublic[E]:
    """All checks of §6.3 on `threshold_parameters` (2.0 or 3.x shape)."""
    d = expect_dict(value, ("threshold", "certs", "coefexps", "verification_keys"), field, optional=("signatures",))
    threshold = d["threshold"]
    certs_json = expect_list(d["certs"], f"{field}.certs")
    n = len(certs_json)
    if not isinstance(threshold, int) or isinstance(threshold, bool) or not 1 <= threshold <= n:
        raise InvalidKey(f"{field}.threshold must be an integer in [1, {n}], got {threshold!r}")
    certs = [verify_cert(group, c, f"{field}.certs[{i}]") for i, c in enumerate(certs_json)]
    for i, c in enumerate(certs):
        if c.index is not None and c.index != i + 1:
            raise InvalidKey(f"{field}.certs[{i}] has context index {c.index}, expected {i + 1}")
    coefexps_json = expect_list(d["coefexps"], f"{field}.coefexps")
    if len(coefexps_json) != n:
        raise InvalidKey(f"{field}.coefexps has {len(coefexps_json)} entries, expected {n}")
    coefexps: list[list[E]] = []
    for i, (c, ce) in enumerate(zip(certs, coefexps_json, strict=True)):
        f = f"{field}.coefexps[{i}]"
        body = expect_dict(parse_json_text(verify_signed_msg(group, c.verification, ce, f), f), ("coefexps",), f)
        row = expect_list(body["coefexps"], f)
        if len(row) != threshold:
            raise InvalidKey(f"{f} has {len(row)} coefficients, expected {threshold}")
        coefexps.append([group.parse(a, field=f"{f}[{k}]") for k, a in enumerate(row)])
    is_v3 = all(c.index is not None for c in certs)
    if is_v3 or "signatures" in d:
        sigs = expect_list(d.get("signatures"), f"{field}.signatures")
        if len(sigs) != n:
            raise InvalidKey(f"{field}.signatures has {len(sigs)} entries, expected {n}")
        for i, (c, sig) in enumerate(zip(certs, sigs, strict=True)):
            text = "certs_sig|" + compact({"certs": certs_json, "coefexps": [group.encode(a) for a in coefexps[i]]})
            try:
                verify_schnorr(group, sigmsg_prefix(text), c.verification, parse_proof(group, sig, f"{field}.signatures[{i}]"))
            except InvalidProof as exc:
                raise InvalidProof(f"{field}.signatures[{i}]: {exc}") from exc
    vks_json = expect_list(d["verification_keys"], f"{field}.verification_keys")
    if len(vks_json) != n:
        raise InvalidKey(f"{field}.verification_keys has {len(vks_json)} entries, expected {n}")
    vks: list[E] = []
    for j, vk_json in enumerate(vks_json, start=1):
        f = f"{field}.verification_keys[{j - 1}]"
        public = verify_public_key(group, vk_json, f)
        if public != lagrange_point(group, coefexps, j):
            raise InvalidKey(f"{f}.public_key does not match the committed polynomials")
        if is_v3:
            vkd = expect_dict(vk_json, ("pok", "public_key", "signature"), f)
            try:
                verify_schnorr(
                    group, sigmsg_prefix(group.encode(public)), certs[j - 1].verification,
                    parse_proof(group, vkd["signature"], f"{f}.signature"),
                )
            except InvalidProof as exc:
                raise InvalidProof(f"{f}.signature: {exc}") from exc
        vks.append(public)
    return PedersenPublic(threshold, tuple(vks), group.prod([row[0] for row in coefexps]))


@dataclass(frozen=True, slots=True)
class TrusteeKeys(Generic[E]):
    """Checked trustees: each id's public key, its Pedersen item (if any), and `y`."""

    keys: dict[int, E]
    items: tuple[tuple[str, tuple[int, ...], int], ...]  # (kind, trustee ids, threshold)
    election_key: E


def verify_trustees(group: Group[E], value: object, field: str = "trustees") -> TrusteeKeys[E]:
    """Check `trustees.json` and compute the election key `y`."""
    items_json = expect_list(value, field)
    if not items_json:
        raise InvalidKey(f"{field}: no trustees")
    keys: dict[int, E] = {}
    items: list[tuple[str, tuple[int, ...], int]] = []
    y = group.identity
    next_id = 1
    for i, item in enumerate(items_json):
        f = f"{field}[{i}]"
        pair = expect_list(item, f)
        if len(pair) != 2 or pair[0] not in ("Single", "Pedersen"):
            raise MalformedTrustees(f, 'expected ["Single", key] or ["Pedersen", parameters]')
        if pair[0] == "Single":
            public = verify_public_key(group, pair[1], f"{f}[1]")
            keys[next_id] = public
            items.append(("Single", (next_id,), 1))
            y = group.mul(y, public)
            next_id += 1
        else:
            ped = verify_pedersen(group, pair[1], f"{f}[1]")
            ids = tuple(range(next_id, next_id + len(ped.verification_keys)))
            for tid, vk in zip(ids, ped.verification_keys, strict=True):
                keys[tid] = vk
            items.append(("Pedersen", ids, ped.threshold))
            y = group.mul(y, ped.public_key)
            next_id += len(ids)
    return TrusteeKeys(keys, tuple(items), y)


__all__ = [
    "Cert", "InvalidElement", "InvalidScalar", "MalformedTrustees", "PedersenPublic", "TrusteeKeys",
    "single_generate", "verify_pedersen", "verify_public_key", "verify_trustees",
]
