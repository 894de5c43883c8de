"""Prime-order groups of Belenios (protocol doc §2): Ed25519 and BELENIOS-2048.

One interface, `Group[E]`, written multiplicatively as Belenios does. Elements are plain
values for speed: `bytes` (libsodium's 32-byte encoding) for Ed25519, `int` for the finite
field. Every element that enters from outside goes through `parse`, which checks the
encoding and membership in the prime-order subgroup and names the field on failure.
"""

from __future__ import annotations

import abc
import hashlib
import re
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from . import _sodium
from .errors import InvalidElement, InvalidScalar

E = TypeVar("E", bytes, int)

_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class Group(abc.ABC, Generic[E]):
    """A cyclic group of prime order `q` with generator `g`."""

    name: str
    q: int
    g: E
    identity: E

    @abc.abstractmethod
    def parse(self, value: object, *, field: str) -> E:
        """Decode a JSON value into a checked element; raise InvalidElement naming `field`."""

    @abc.abstractmethod
    def encode(self, e: E) -> str:
        """The JSON string form of `e` (decimal or 64 hex digits)."""

    @abc.abstractmethod
    def mul(self, a: E, b: E) -> E: ...

    @abc.abstractmethod
    def div(self, a: E, b: E) -> E: ...

    @abc.abstractmethod
    def pow(self, a: E, n: int) -> E:
        """`a^n` for any integer n (reduced mod q)."""

    @abc.abstractmethod
    def g_pow(self, n: int) -> E:
        """`g^n` for any integer n (reduced mod q)."""

    def g_pow_small(self, m: int) -> E:
        """`g^m` for small m, cached (used for the messages of range proofs)."""
        cache = self._small_cache
        if m not in cache:
            if len(cache) > 4096:
                cache.clear()
            cache[m] = self.g_pow(m)
        return cache[m]

    def __init__(self) -> None:
        self._small_cache: dict[int, E] = {}

    def prod(self, items: list[E]) -> E:
        acc = self.identity
        for x in items:
            acc = self.mul(acc, x)
        return acc

    def multi_pow(self, terms: Sequence[tuple[E, int]]) -> E:
        """`Π base^exponent` over public values (verification only: may be variable time)."""
        acc = self.identity
        for base, n in terms:
            acc = self.mul(acc, self.pow(base, n))
        return acc

    def multi_pow_many(self, jobs: Sequence[Sequence[tuple[E, int]]]) -> list[E]:
        """`multi_pow` of each job (a group may share work between them)."""
        return [self.multi_pow(terms) for terms in jobs]

    def parse_scalar(self, value: object, *, field: str) -> int:
        """A scalar in JSON: a canonical decimal string in [0, q)."""
        if not isinstance(value, str):
            raise InvalidScalar(field, f"expected a decimal string, got {type(value).__name__}")
        if not _DECIMAL.fullmatch(value):
            raise InvalidScalar(field, "not a canonical decimal integer")
        n = int(value)
        if n >= self.q:
            raise InvalidScalar(field, "scalar is not below the group order q")
        return n

    def random_scalar(self, rng: Rng) -> int:
        """Uniform in [0, q): 512 random bits reduced mod q (bias below 2^-250)."""
        return int.from_bytes(rng(64), "big") % self.q

    def hash_to_scalar(self, prefix: str, elements: list[str]) -> int:
        """Belenios `Hq`: SHA-256 of prefix ‖ e1 "," e2 … read big-endian, mod q (§1)."""
        digest = hashlib.sha256((prefix + ",".join(elements)).encode()).hexdigest()
        return int(digest, 16) % self.q


class Rng:
    """Source of random bytes; tests pass a seeded one. Call it with a byte count."""

    def __call__(self, n: int) -> bytes:
        return _sodium.random_bytes(n)


SYSTEM_RNG = Rng()


# --------------------------------------------------------------------------------- Ed25519

ED_P = 2**255 - 19
ED_Q = 2**252 + 27742317777372353535851937790883648493
_ED_D = (-121665 * pow(121666, -1, ED_P)) % ED_P
_ED_G = bytes.fromhex("5866666666666666666666666666666666666666666666666666666666666666")


class Ed25519(Group[bytes]):
    """Belenios' Ed25519 group (§2.1); JSON hex is the big-endian reversal of libsodium's bytes."""

    name = "Ed25519"
    q = ED_Q
    g = _ED_G
    identity = _sodium.ED_IDENTITY

    def parse(self, value: object, *, field: str) -> bytes:
        if not isinstance(value, str):
            raise InvalidElement(field, f"expected a hex string, got {type(value).__name__}")
        if not _HEX64.fullmatch(value):
            raise InvalidElement(field, "expected exactly 64 lowercase hex digits")
        raw = bytes.fromhex(value)[::-1]
        if raw == self.identity or _sodium.ed_is_valid_point(raw):
            return raw
        raise InvalidElement(field, _ed_reject_reason(raw))

    def encode(self, e: bytes) -> str:
        return e[::-1].hex()

    def mul(self, a: bytes, b: bytes) -> bytes:
        return _sodium.ed_add(a, b)

    def div(self, a: bytes, b: bytes) -> bytes:
        return _sodium.ed_sub(a, b)

    def pow(self, a: bytes, n: int) -> bytes:
        n %= ED_Q
        if n == 0 or a == self.identity:
            return self.identity
        return _sodium.ed_scalarmult(n, a)

    def g_pow(self, n: int) -> bytes:
        n %= ED_Q
        if n == 0:
            return self.identity
        return _sodium.ed_scalarmult_base(n)

    def multi_pow(self, terms: Sequence[tuple[bytes, int]]) -> bytes:
        # One native pass over already-validated public points (see crypto/_ed25519.c).
        return _sodium.ed_msm([b for b, _ in terms], [n % ED_Q for _, n in terms])

    def multi_pow_many(self, jobs: Sequence[Sequence[tuple[bytes, int]]]) -> list[bytes]:
        # One native call: each distinct point decoded once, one inversion for all the results.
        index: dict[bytes, int] = {}
        native = [([index.setdefault(b, len(index)) for b, _ in terms], [n % ED_Q for _, n in terms])
                  for terms in jobs]
        return _sodium.ed_msm_many(list(index), native)

    def prod(self, items: list[bytes]) -> bytes:
        return _sodium.ed_sum(items) if items else self.identity


def _ed_reject_reason(raw: bytes) -> str:
    """Why libsodium refused a point: for the report only (slow path)."""
    y = int.from_bytes(raw, "little") & ((1 << 255) - 1)
    sign = raw[31] >> 7
    if y >= ED_P:
        return "non-canonical encoding (y is not below 2^255 - 19)"
    y2 = y * y % ED_P
    x2 = (y2 - 1) * pow(_ED_D * y2 + 1, -1, ED_P) % ED_P
    if pow(x2, (ED_P - 1) // 2, ED_P) not in (0, 1):
        return "not a point on the curve edwards25519"
    if x2 == 0 and sign == 1:
        return "non-canonical encoding (x = 0 with the sign bit set)"
    return "point is not in the prime-order subgroup (small-order or mixed-order point)"


# --------------------------------------------------------------------------- BELENIOS-2048

FF_P = int(
    "20694785691422546401013643657505008064922989295751104097100884787057374219242717401922237254"
    "49768433812906663313807895840496005438963628979639303877390572280360597374942767137677761889"
    "85898727358650490811670993105358677809800307904916540637771737641986785272734744763418356000"
    "35698305193144284561701911000786737307333564123971732897913240474578834468260652327974647951"
    "13767265869358218004631792207366886005262718636338608879688212076943236614949100292344434637"
    "32221458841005864210502421203654335612013204811188524087310770141516662001623131771693721892"
    "48078507711827842317498073276598828825169183103125680162072880719"
)
FF_Q = 78571733251071885079927659812671450121821421258408794611510081919805623223441
FF_G = int(
    "24023526775018522092276877035323999327122876573783649165100753187876632741463532193202856761"
    "55269678799694668298749389095083896573425601900601068477164491735474137283104610458681314511"
    "78164675540052740288984613986453266121505579709716201616827031288643245666383486363578210615"
    "49184199825343151897406581868686511513585764101388822153960160432288436039309893336627728484"
    "06593138406010231675095763777982665103606822406635076697764025346253773085133173495194248967"
    "75405257365904949247763147599157519877517771148149092045660020547812705472823814097251863985"
    "8334115700568353695553423781475582491896050296680037745308460627"
)


class FiniteField(Group[int]):
    """The BELENIOS-2048 subgroup of Z_p^* (§2.2); elements are decimal strings in JSON."""

    name = "BELENIOS-2048"
    q = FF_Q
    g = FF_G
    identity = 1
    p = FF_P

    def parse(self, value: object, *, field: str) -> int:
        if not isinstance(value, str):
            raise InvalidElement(field, f"expected a decimal string, got {type(value).__name__}")
        if not _DECIMAL.fullmatch(value):
            raise InvalidElement(field, "not a canonical decimal integer")
        if len(value) > 617:
            raise InvalidElement(field, "integer is not below the field prime p")
        x = int(value)
        if not 0 < x < FF_P:
            raise InvalidElement(field, "integer is not in [1, p)")
        if _sodium.powmod(x, FF_Q, FF_P) != 1:
            raise InvalidElement(field, "not in the prime-order subgroup (x^q mod p != 1)")
        return x

    def encode(self, e: int) -> str:
        return str(e)

    def mul(self, a: int, b: int) -> int:
        return a * b % FF_P

    def div(self, a: int, b: int) -> int:
        return a * _sodium.invert(b, FF_P) % FF_P

    def pow(self, a: int, n: int) -> int:
        return _sodium.powmod(a, n % FF_Q, FF_P)

    def g_pow(self, n: int) -> int:
        return _sodium.powmod(FF_G, n % FF_Q, FF_P)


ED25519 = Ed25519()
BELENIOS_2048 = FiniteField()
GROUPS: dict[str, Ed25519 | FiniteField] = {ED25519.name: ED25519, BELENIOS_2048.name: BELENIOS_2048}


def group_by_name(name: object, *, field: str = "group") -> Group[Any]:
    # Group[Any]: which group (and so which element type) is known only from the record.
    """The group a record names; only Ed25519 and BELENIOS-2048 are supported."""
    if isinstance(name, str) and name in GROUPS:
        return GROUPS[name]
    raise InvalidElement(field, f"unsupported group {name!r}; expected one of {sorted(GROUPS)}")
