"""Pedersen distributed key generation, Belenios 3.x style (protocol doc §6.3).

Each member holds a 22-character base58 seed `s`: `sk = H("sk|s")` signs, `dk = H("dk|s")`
decrypts the private channel. Steps (t + 1 = threshold, n members):

1. `make_cert`: `{"context","verification","encryption"}` signed by `sk`.
3. `make_polynomial`: a random polynomial of degree t; each share `f_i(j)` is sent to member
   j over the channel; the coefficient commitments `g^a_ik` are signed.
4. `route`: the server's routing of the shares to each member (`vinput`).
5. `make_voutput`: member j checks its shares against the commitments, sums them into `S_j`,
   keeps `S_j` encrypted to itself (`private_key`) and publishes `g^S_j` with proofs.
6. `combine`: the `threshold_parameters` for `trustees.json`.

The channel: ElGamal-encapsulated key `g^t`, AES-256-CCM (8-byte tag, 13-byte nonce from
`H("iv|alpha")`), as belenios-tool 3.0 does, so that Belenios' `.key`/`.dkey` files work.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESCCM

from .credentials import _random_base58
from .errors import InvalidKey
from .group import E, Group, Rng
from .proofs import pok_prefix, prove_schnorr
from .trustees import (
    compact,
    expect_dict,
    expect_list,
    lagrange_point,
    parse_json_text,
    proof_json,
    sign_message,
    signed_msg,
    verify_cert,
    verify_pedersen,
    verify_signed_msg,
)


def new_seed(rng: Rng) -> str:
    return _random_base58(22, rng)


def seed_keys(group: Group[E], seed: str) -> tuple[int, int]:
    """`(sk, dk)` of a member's seed."""
    sk = int(hashlib.sha256(f"sk|{seed}".encode()).hexdigest(), 16) % group.q
    dk = int(hashlib.sha256(f"dk|{seed}".encode()).hexdigest(), 16) % group.q
    return sk, dk


# ------------------------------------------------------------------------------- the channel


def _aead_params(group: Group[E], alpha: E, gt: E) -> tuple[AESCCM, bytes]:
    key = hashlib.sha256(f"key|{group.encode(gt)}".encode()).digest()
    nonce = hashlib.sha256(f"iv|{group.encode(alpha)}".encode()).digest()[:13]
    return AESCCM(key, tag_length=8), nonce


def channel_encrypt(group: Group[E], ek: E, plaintext: str, *, rng: Rng) -> dict[str, str]:
    r, t = group.random_scalar(rng), group.random_scalar(rng)
    alpha, gt = group.g_pow(r), group.g_pow(t)
    beta = group.mul(group.pow(ek, r), gt)
    aead, nonce = _aead_params(group, alpha, gt)
    data = aead.encrypt(nonce, plaintext.encode(), None)
    return {"alpha": group.encode(alpha), "beta": group.encode(beta), "data": data.hex()}


def channel_decrypt(group: Group[E], dk: int, value: object, field: str) -> str:
    d = expect_dict(value, ("alpha", "beta", "data"), field)
    alpha = group.parse(d["alpha"], field=f"{field}.alpha")
    beta = group.parse(d["beta"], field=f"{field}.beta")
    gt = group.div(beta, group.pow(alpha, dk))
    aead, nonce = _aead_params(group, alpha, gt)
    try:
        data = bytes.fromhex(str(d["data"]))
        return aead.decrypt(nonce, data, None).decode()
    except (ValueError, InvalidTag) as exc:
        raise InvalidKey(f"{field}: cannot decrypt (not addressed to this key, or damaged)") from exc


def send(group: Group[E], sk_from: int, ek_to: E, message: str, *, rng: Rng) -> dict[str, str]:
    inner = compact({"recipient": group.encode(ek_to), "message": message})
    return channel_encrypt(group, ek_to, compact(signed_msg(group, sk_from, inner, rng=rng)), rng=rng)


def receive(group: Group[E], dk: int, vk_from: E, value: object, field: str) -> str:
    """Decrypt, check the sender's signature and that we are the recipient; return the message."""
    text = channel_decrypt(group, dk, value, field)
    inner_text = verify_signed_msg(group, vk_from, parse_json_text(text, field), field)
    inner = expect_dict(parse_json_text(inner_text, field), ("recipient", "message"), field)
    if inner["recipient"] != group.encode(group.g_pow(dk)):
        raise InvalidKey(f"{field}: message is addressed to another trustee")
    if not isinstance(inner["message"], str):
        raise InvalidKey(f"{field}: message is not text")
    return inner["message"]


# ------------------------------------------------------------------------------------- steps


def make_cert(group: Group[E], seed: str, *, index: int, size: int, threshold: int, rng: Rng) -> dict[str, object]:
    """Step 1: the member's signed certificate (3.x, with its context)."""
    sk, dk = seed_keys(group, seed)
    message = compact({
        "context": {"group": group.name, "size": size, "threshold": threshold, "index": index},
        "verification": group.encode(group.g_pow(sk)),
        "encryption": group.encode(group.g_pow(dk)),
    })
    return signed_msg(group, sk, message, rng=rng)


def cert_name(cert: dict[str, object]) -> str:
    """Belenios' `<H>`: SHA-256 hex of the certificate message."""
    return hashlib.sha256(str(cert["message"]).encode()).hexdigest()


def make_polynomial(group: Group[E], seed: str, certs: list[object], threshold: int, *, rng: Rng) -> dict[str, object]:
    """Step 3 for the member owning `seed`."""
    checked = [verify_cert(group, c, f"certs[{i}]") for i, c in enumerate(certs)]
    sk, dk = seed_keys(group, seed)
    me = [i for i, c in enumerate(checked) if c.verification == group.g_pow(sk)]
    if len(me) != 1:
        raise InvalidKey("this seed's certificate is not (exactly once) among the certificates")
    my_ek = checked[me[0]].encryption
    coeffs = [group.random_scalar(rng) for _ in range(threshold)]

    def f(x: int) -> int:
        return sum(a * pow(x, k, group.q) for k, a in enumerate(coeffs)) % group.q

    exps = [group.encode(group.g_pow(a)) for a in coeffs]
    return {
        "polynomial": compact(send(group, sk, my_ek, compact({"polynomial": [str(a) for a in coeffs]}), rng=rng)),
        "secrets": [
            compact(send(group, sk, c.encryption, compact({"secret": str(f(j))}), rng=rng))
            for j, c in enumerate(checked, start=1)
        ],
        "coefexps": signed_msg(group, sk, compact({"coefexps": exps}), rng=rng),
        "signature": proof_json(
            sign_message(group, sk, "certs_sig|" + compact({"certs": certs, "coefexps": exps}), rng=rng)
        ),
    }


def route(polynomials: list[dict[str, object]]) -> list[dict[str, object]]:
    """Step 4: the `vinput` of each member."""
    out = []
    for j, own in enumerate(polynomials):
        out.append({
            "polynomial": own["polynomial"],
            "secrets": [expect_list(p["secrets"], "secrets")[j] for p in polynomials],
            "coefexps": [p["coefexps"] for p in polynomials],
            "signatures": [p["signature"] for p in polynomials],
        })
    return out


def make_voutput(group: Group[E], seed: str, certs: list[object], vinput: dict[str, object], *, rng: Rng) -> dict[str, object]:
    """Step 5: check the received shares, publish `g^S_j`; keep `S_j` encrypted to ourselves."""
    checked = [verify_cert(group, c, f"certs[{i}]") for i, c in enumerate(certs)]
    sk, dk = seed_keys(group, seed)
    js = [i + 1 for i, c in enumerate(checked) if c.verification == group.g_pow(sk)]
    if len(js) != 1:
        raise InvalidKey("this seed's certificate is not (exactly once) among the certificates")
    j = js[0]
    coefexps = []
    for i, (c, ce) in enumerate(zip(checked, expect_list(vinput["coefexps"], "coefexps"), strict=True)):
        body = expect_dict(parse_json_text(verify_signed_msg(group, c.verification, ce, f"coefexps[{i}]"), "coefexps"), ("coefexps",), "coefexps")
        coefexps.append([group.parse(a, field=f"coefexps[{i}]") for a in expect_list(body["coefexps"], "coefexps")])
    total = 0
    for i, (c, enc) in enumerate(zip(checked, expect_list(vinput["secrets"], "secrets"), strict=True)):
        f = f"secrets[{i}]"
        msg = expect_dict(parse_json_text(receive(group, dk, c.verification, parse_json_text(str(enc), f), f), f), ("secret",), f)
        s_ij = group.parse_scalar(msg["secret"], field=f)
        if group.g_pow(s_ij) != lagrange_point(group, [coefexps[i]], j):
            raise InvalidKey(f"{f}: the share from member {i + 1} does not match its commitments")
        total = (total + s_ij) % group.q
    public = group.g_pow(total)
    return {
        "private_key": send(group, sk, group.g_pow(dk), compact({"decryption_key": str(total)}), rng=rng),
        "public_key": {
            "pok": proof_json(prove_schnorr(group, pok_prefix(group, public), total, rng=rng)),
            "public_key": group.encode(public),
            "signature": proof_json(sign_message(group, sk, group.encode(public), rng=rng)),
        },
    }


def combine(group: Group[E], certs: list[object], polynomials: list[dict[str, object]], voutputs: list[dict[str, object]], threshold: int) -> dict[str, object]:
    """Step 6: the `threshold_parameters`, checked as a verifier would."""
    params: dict[str, object] = {
        "threshold": threshold,
        "certs": certs,
        "coefexps": [p["coefexps"] for p in polynomials],
        "signatures": [p["signature"] for p in polynomials],
        "verification_keys": [v["public_key"] for v in voutputs],
    }
    verify_pedersen(group, params, "threshold_parameters")
    return params


def decryption_key(group: Group[E], seed: str, dkey: object) -> int:
    """`S_j` from a member's seed and its `.dkey` (the step 5 `private_key`)."""
    sk, dk = seed_keys(group, seed)
    msg = expect_dict(parse_json_text(receive(group, dk, group.g_pow(sk), dkey, "dkey"), "dkey"), ("decryption_key",), "dkey")
    return group.parse_scalar(msg["decryption_key"], field="dkey.decryption_key")

