"""The one door to the native libraries: libsodium (through PyNaCl) and GMP (through gmpy2).

No other module imports `nacl` or `gmpy2`. Failures of the bindings are translated into
`BackendError` here. Points are libsodium's 32-byte little-endian Ed25519 encodings;
scalars are Python ints, reduced by the caller into [0, q).
"""

from __future__ import annotations

import gmpy2
from nacl import bindings as _nacl
from nacl import exceptions as _nacl_exc

from . import _ed25519
from .errors import BackendError, SecretFileError

ED_IDENTITY = b"\x01" + b"\x00" * 31


def ed_is_valid_point(p: bytes) -> bool:
    """libsodium's check: canonical, on the curve, not of small order, in the prime-order subgroup."""
    return bool(_nacl.crypto_core_ed25519_is_valid_point(p))


def ed_add(p: bytes, q: bytes) -> bytes:
    try:
        return bytes(_nacl.crypto_core_ed25519_add(p, q))
    except (_nacl_exc.RuntimeError, _nacl_exc.ValueError, _nacl_exc.TypeError) as exc:
        raise BackendError(f"point addition failed: {exc}") from exc


def ed_sub(p: bytes, q: bytes) -> bytes:
    try:
        return bytes(_nacl.crypto_core_ed25519_sub(p, q))
    except (_nacl_exc.RuntimeError, _nacl_exc.ValueError, _nacl_exc.TypeError) as exc:
        raise BackendError(f"point subtraction failed: {exc}") from exc


def ed_scalarmult(n: int, p: bytes) -> bytes:
    """`p^n` for a validated point `p` other than the identity and 0 < n < q.

    libsodium refuses (RuntimeError) only when the result is the identity, which for a
    validated point of prime order and a nonzero scalar cannot happen, but we map it anyway.
    """
    try:
        return bytes(_nacl.crypto_scalarmult_ed25519_noclamp(n.to_bytes(32, "little"), p))
    except _nacl_exc.RuntimeError:
        return ED_IDENTITY
    except (_nacl_exc.ValueError, _nacl_exc.TypeError) as exc:
        raise BackendError(f"scalar multiplication failed: {exc}") from exc


def ed_scalarmult_base(n: int) -> bytes:
    """`g^n` for 0 < n < q."""
    try:
        return bytes(_nacl.crypto_scalarmult_ed25519_base_noclamp(n.to_bytes(32, "little")))
    except _nacl_exc.RuntimeError:
        return ED_IDENTITY
    except (_nacl_exc.ValueError, _nacl_exc.TypeError) as exc:
        raise BackendError(f"base scalar multiplication failed: {exc}") from exc


def ed_msm(points: list[bytes], scalars: list[int]) -> bytes:
    """`Π points[i]^scalars[i]` for points libsodium already validated; 0 ≤ scalars < q.

    Variable time: for verifying public data only (see `_ed25519.c`). It does not re-check
    subgroup membership, which the points passed at parsing.
    """
    try:
        return _ed25519.msm(points, [n.to_bytes(32, "little") for n in scalars])
    except ValueError as exc:
        raise BackendError(f"multi-scalar multiplication failed: {exc}") from exc


def ed_msm_many(points: list[bytes], jobs: list[tuple[list[int], list[int]]]) -> list[bytes]:
    """For each job `(indices, scalars)`, `Π points[i]^s`: many `ed_msm` in one native call,
    each distinct point decoded once and one field inversion shared by all the results (same
    conditions as `ed_msm`)."""
    if not jobs:
        return []
    try:
        return _ed25519.msm_many(points, [(ix, [n.to_bytes(32, "little") for n in sc]) for ix, sc in jobs])
    except ValueError as exc:
        raise BackendError(f"multi-scalar multiplication failed: {exc}") from exc


def ed_sum(points: list[bytes]) -> bytes:
    """The product (in additive terms, the sum) of validated points, in one native call."""
    try:
        return _ed25519.sum(points)
    except ValueError as exc:
        raise BackendError(f"point sum failed: {exc}") from exc


def powmod(base: int, exp: int, mod: int) -> int:
    """`base^exp mod mod` with GMP (≈6× faster than Python's `pow` at 2048 bits)."""
    return int(gmpy2.powmod(base, exp, mod))


def invert(x: int, mod: int) -> int:
    """`x^-1 mod mod`; raises BackendError when x is not invertible."""
    try:
        return int(gmpy2.invert(x, mod))
    except ZeroDivisionError as exc:
        raise BackendError("value is not invertible") from exc


def random_bytes(n: int) -> bytes:
    return bytes(_nacl.randombytes(n))


# -- secret files: Argon2id key derivation + XSalsa20-Poly1305 ---------------------------------

SALT_BYTES = _nacl.crypto_pwhash_SALTBYTES
NONCE_BYTES = _nacl.crypto_secretbox_NONCEBYTES
KEY_BYTES = _nacl.crypto_secretbox_KEYBYTES
OPSLIMIT = _nacl.crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE
MEMLIMIT = _nacl.crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE
OPSLIMIT_MIN = _nacl.crypto_pwhash_argon2id_OPSLIMIT_MIN
MEMLIMIT_MIN = _nacl.crypto_pwhash_argon2id_MEMLIMIT_MIN


def derive_key(passphrase: bytes, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    try:
        return bytes(
            _nacl.crypto_pwhash_alg(
                KEY_BYTES, passphrase, salt, opslimit, memlimit, _nacl.crypto_pwhash_ALG_ARGON2ID13
            )
        )
    except (_nacl_exc.RuntimeError, _nacl_exc.ValueError, _nacl_exc.TypeError) as exc:
        raise SecretFileError("cannot derive a key from this passphrase") from exc


def seal(key: bytes, nonce: bytes, plaintext: bytes) -> bytes:
    return bytes(_nacl.crypto_secretbox(plaintext, nonce, key))


def unseal(key: bytes, nonce: bytes, ciphertext: bytes) -> bytes:
    try:
        return bytes(_nacl.crypto_secretbox_open(ciphertext, nonce, key))
    except (_nacl_exc.CryptoError, _nacl_exc.ValueError, _nacl_exc.TypeError) as exc:
        raise SecretFileError("wrong passphrase or damaged secret file") from exc


# -- Ed25519 signatures (RFC 8032), for signed notes and checkpoints ----------------------------

SIGN_SEED_BYTES = _nacl.crypto_sign_SEEDBYTES
SIGN_PUBLIC_KEY_BYTES = _nacl.crypto_sign_PUBLICKEYBYTES
SIGN_SECRET_KEY_BYTES = _nacl.crypto_sign_SECRETKEYBYTES
SIGNATURE_BYTES = _nacl.crypto_sign_BYTES


def sign_seed_keypair(seed: bytes) -> tuple[bytes, bytes]:
    """The Ed25519 key pair of a 32-byte seed: (32-byte public key, 64-byte secret key)."""
    try:
        public, secret = _nacl.crypto_sign_seed_keypair(seed)
    except (_nacl_exc.ValueError, _nacl_exc.TypeError) as exc:
        raise BackendError(f"cannot derive an Ed25519 key pair: {exc}") from exc
    return bytes(public), bytes(secret)


def sign_detached(message: bytes, secret_key: bytes) -> bytes:
    """The 64-byte Ed25519 signature of `message` (libsodium returns signature ‖ message)."""
    try:
        signed = _nacl.crypto_sign(message, secret_key)
    except (_nacl_exc.ValueError, _nacl_exc.TypeError) as exc:
        raise BackendError(f"Ed25519 signing failed: {exc}") from exc
    return bytes(signed[:SIGNATURE_BYTES])


def verify_detached(signature: bytes, message: bytes, public_key: bytes) -> bool:
    """Whether `signature` is a valid Ed25519 signature of `message` under `public_key`.

    False (never an exception) for a wrong signature, a signature or key of the wrong length,
    or a key libsodium refuses.
    """
    if len(signature) != SIGNATURE_BYTES or len(public_key) != SIGN_PUBLIC_KEY_BYTES:
        return False
    try:
        _nacl.crypto_sign_open(signature + message, public_key)
    except (_nacl_exc.BadSignatureError, _nacl_exc.ValueError, _nacl_exc.TypeError):
        return False
    return True
