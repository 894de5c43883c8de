"""Signed notes, checkpoints and witness cosignatures (bulletin-board.md §5).

Implements C2SP `signed-note` v1.0.0 with Ed25519 keys (signature type 0x01),
`tlog-checkpoint` v1.0.0 and the Ed25519 `cosignature/v1` of `tlog-cosignature`
(signature type 0x04). Every refusal raises `InvalidNote` naming what is wrong.

Choices where the specifications leave room:

- Control characters: as the spec says, only ASCII controls below U+0020 other than `\\n`
  are refused (DEL and C1 controls are ordinary characters).
- Base64 is strict: standard alphabet, padding required, canonical (unused bits zero).
- A note may carry at most `MAX_SIGNATURES` (100) signature lines; the spec asks for ≥ 16.
- Every signature line from a known (name, key ID) is verified, duplicates included; any
  failure rejects the whole note. Unknown (name, key ID) pairs are ignored.
- Checkpoints: Saylau logs use no extension lines, so `parse_checkpoint_text` **rejects**
  them; a `Checkpoint` then always re-encodes to exactly the text that was signed and
  cosigned. The origin must follow the recommended form (non-empty, no Unicode spaces, no
  `+`), and the size is bounded by 2^64 − 1.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple, NewType, Self

from saylau.crypto import signing
from saylau.crypto.group import SYSTEM_RNG, Rng

from .errors import InvalidNote

KeyId = NewType("KeyId", int)
"""The 4-byte key ID of a signed-note key, as a big-endian uint32."""

SIG_TYPE_ED25519 = 0x01
"""signed-note: Ed25519 signature over the note text."""
SIG_TYPE_COSIGNATURE_V1 = 0x04
"""tlog-cosignature: timestamped Ed25519 `cosignature/v1`."""

MAX_SIGNATURES = 100
MAX_TIMESTAMP = 2**63 - 1
MAX_TREE_SIZE = 2**64 - 1
ROOT_HASH_BYTES = 32
SEED_BYTES = signing.SEED_BYTES
PUBLIC_KEY_BYTES = signing.PUBLIC_KEY_BYTES
SIGNATURE_BYTES = signing.SIGNATURE_BYTES

SIGNATURE_PREFIX = "\u2014 "
"""An EM DASH (U+2014) and a space open every signature line."""
COSIGNATURE_HEADER = "cosignature/v1\n"
SKEY_PREFIX = "PRIVATE+KEY+"

_SUPPORTED_TYPES = {SIG_TYPE_ED25519: "Ed25519", SIG_TYPE_COSIGNATURE_V1: "cosignature/v1"}
_PAYLOAD_BYTES = {SIG_TYPE_ED25519: SIGNATURE_BYTES, SIG_TYPE_COSIGNATURE_V1: 8 + SIGNATURE_BYTES}
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_HEX_KEY_ID = re.compile(r"[0-9a-fA-F]{8}")
_TREE_SIZE = re.compile(r"0|[1-9][0-9]{0,19}")


# -- encodings and checks ------------------------------------------------------------------------


def _show(value: str, limit: int = 48) -> str:
    """A short printable rendering of untrusted input for error messages."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64decode(text: str, what: str) -> bytes:
    """Strict standard Base64: alphabet, padding and canonical unused bits; InvalidNote else."""
    if not _BASE64.fullmatch(text):
        raise InvalidNote(f"{what}: not standard padded base64: {_show(text)}")
    try:
        data = base64.b64decode(text, validate=True)
    except binascii.Error as exc:  # pragma: no cover - the pattern already excludes this
        raise InvalidNote(f"{what}: not standard padded base64: {_show(text)}") from exc
    if _b64encode(data) != text:
        raise InvalidNote(f"{what}: non-canonical base64 (unused bits set): {_show(text)}")
    return data


def _check_utf8(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidNote(f"{what} is not valid UTF-8 (position {exc.start})") from exc


def _check_controls(text: str, what: str) -> None:
    """No ASCII control characters other than newline (signed-note §Format)."""
    for i, ch in enumerate(text):
        if ch < "\x20" and ch != "\n":
            raise InvalidNote(f"{what} contains control character U+{ord(ch):04X} at offset {i}")


def _check_name(name: str, what: str) -> None:
    """Key names and origins: non-empty, no Unicode spaces, no `+`, no control characters."""
    if not name:
        raise InvalidNote(f"{what} is empty")
    _check_utf8(name, what)
    for ch in name:
        if ch.isspace() or ch < "\x20":
            raise InvalidNote(f"{what} {_show(name)} contains a space or control character")
        if ch == "+":
            raise InvalidNote(f"{what} {_show(name)} contains '+'")


def _check_text(text: str) -> bytes:
    """A note text: non-empty, newline-terminated, UTF-8, no controls. Returns its bytes."""
    if not text:
        raise InvalidNote("note text is empty")
    if not text.endswith("\n"):
        raise InvalidNote("note text does not end in a newline")
    _check_utf8(text, "note text")
    _check_controls(text, "note text")
    return text.encode("utf-8")


def _check_timestamp(timestamp: int) -> None:
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise InvalidNote(f"cosignature timestamp must be an integer, got {type(timestamp).__name__}")
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise InvalidNote(f"cosignature timestamp {timestamp} is outside [0, 2^63 - 1]")


def key_id(name: str, sig_type: int, public: bytes) -> KeyId:
    """`SHA-256(name ‖ 0x0A ‖ sig_type ‖ public)[0:4]` as a big-endian uint32 (signed-note)."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([sig_type]) + public).digest()
    return KeyId(int.from_bytes(digest[:4], "big"))


def _cosigned_message(checkpoint_text: bytes, timestamp: int) -> bytes:
    """tlog-cosignature: `cosignature/v1\\ntime <ts>\\n` ‖ the checkpoint text."""
    return f"{COSIGNATURE_HEADER}time {timestamp}\n".encode("ascii") + checkpoint_text


# -- notes ---------------------------------------------------------------------------------------


class NoteSignature(NamedTuple):
    """One signature line: key name, key ID, and the bytes after the key ID."""

    name: str
    key_id: KeyId
    payload: bytes
    """Ed25519: the 64-byte signature; cosignature/v1: 8-byte timestamp ‖ signature."""

    def line(self) -> str:
        """The signature line, `— <name> <base64(key ID ‖ payload)>\\n`."""
        raw = self.key_id.to_bytes(4, "big") + self.payload
        return f"{SIGNATURE_PREFIX}{self.name} {_b64encode(raw)}\n"


@dataclass(frozen=True, slots=True)
class Note:
    """A parsed (not yet verified) signed note."""

    text: str
    """The signed text, including its final newline, without the separating empty line."""
    signatures: tuple[NoteSignature, ...]

    def __str__(self) -> str:
        return self.text + "\n" + "".join(sig.line() for sig in self.signatures)


def _parse_signature_line(line: str, number: int) -> NoteSignature:
    where = f"signature line {number}"
    if not line.startswith(SIGNATURE_PREFIX):
        raise InvalidNote(f"{where} does not start with an em dash and a space: {_show(line)}")
    fields = line[len(SIGNATURE_PREFIX):].split(" ")
    if len(fields) != 2:
        raise InvalidNote(f"{where} is not '— <name> <base64>' ({len(fields)} fields): {_show(line)}")
    name, encoded = fields
    _check_name(name, f"{where}: key name")
    raw = _b64decode(encoded, where)
    if len(raw) < 4:
        raise InvalidNote(f"{where}: signature is {len(raw)} bytes, shorter than a key ID")
    return NoteSignature(name, KeyId(int.from_bytes(raw[:4], "big")), raw[4:])


def parse_note(note: str | bytes, *, max_signatures: int = MAX_SIGNATURES) -> Note:
    """Split a signed note into text and signature lines, checking its syntax only.

    The text ends at the last empty line. Raises InvalidNote for invalid UTF-8, control
    characters, a missing separator, a malformed signature line, or too many signatures.
    """
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidNote(f"note is not valid UTF-8 (byte offset {exc.start})") from exc
    else:
        _check_utf8(note, "note")
    _check_controls(note, "note")
    split = note.rfind("\n\n")
    if split < 0:
        raise InvalidNote("note has no empty line separating the text from the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block:
        raise InvalidNote("note has no signature lines after its last empty line")
    if not block.endswith("\n"):
        raise InvalidNote("the last signature line does not end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > max_signatures:
        raise InvalidNote(f"note has {len(lines)} signature lines, more than the limit {max_signatures}")
    return Note(text, tuple(_parse_signature_line(line, n) for n, line in enumerate(lines, 1)))


# -- keys ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verifier:
    """A trusted public key: (name, key ID) selects the signature lines it checks."""

    name: str
    sig_type: int
    """0x01 (Ed25519 note signer) or 0x04 (cosignature/v1 witness)."""
    public: bytes
    """The 32-byte Ed25519 public key."""
    key_id: KeyId = field(init=False)

    def __post_init__(self) -> None:
        _check_name(self.name, "key name")
        if self.sig_type not in _SUPPORTED_TYPES:
            raise InvalidNote(f"key {self.name}: unsupported signature type 0x{self.sig_type:02x}")
        if len(self.public) != PUBLIC_KEY_BYTES:
            raise InvalidNote(
                f"key {self.name}: Ed25519 public key must be {PUBLIC_KEY_BYTES} bytes, "
                f"got {len(self.public)}"
            )
        object.__setattr__(self, "key_id", key_id(self.name, self.sig_type, self.public))

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        """Parse `<name>+<8 hex key ID>+<base64(type ‖ public key)>` (split on the first two `+`)."""
        parts = vkey.split("+", 2)
        if len(parts) != 3:
            raise InvalidNote(f"verifier key is not '<name>+<key id>+<key>': {_show(vkey)}")
        name, hex_id, encoded = parts
        _check_name(name, "verifier key name")
        if not _HEX_KEY_ID.fullmatch(hex_id):
            raise InvalidNote(f"verifier key {name}: key ID {_show(hex_id)} is not 8 hex digits")
        raw = _b64decode(encoded, f"verifier key {name}")
        if not raw:
            raise InvalidNote(f"verifier key {name}: empty key material")
        verifier = cls(name, raw[0], raw[1:])
        if verifier.key_id != int(hex_id, 16):
            raise InvalidNote(
                f"verifier key {name}: key ID {hex_id} does not match the key "
                f"(computed {verifier.key_id:08x})"
            )
        return verifier

    def vkey(self) -> str:
        """The verifier key text, `<name>+<key ID>+<base64(type ‖ public key)>`."""
        return f"{self.name}+{self.key_id:08x}+{_b64encode(bytes([self.sig_type]) + self.public)}"

    def check(self, text: bytes, payload: bytes) -> int | None:
        """Verify one signature payload over a note text.

        Returns the cosignature timestamp for a 0x04 key, None for a 0x01 key; raises
        InvalidNote if the signature does not verify.
        """
        label = f"{self.name}+{self.key_id:08x}"
        want = _PAYLOAD_BYTES[self.sig_type]
        if len(payload) != want:
            raise InvalidNote(f"signature by {label} is {len(payload)} bytes, expected {want}")
        if self.sig_type == SIG_TYPE_ED25519:
            timestamp, message, signature = None, text, payload
        else:
            timestamp = int.from_bytes(payload[:8], "big")
            if timestamp > MAX_TIMESTAMP:
                raise InvalidNote(f"cosignature by {label} has timestamp {timestamp} > 2^63 - 1")
            message, signature = _cosigned_message(text, timestamp), payload[8:]
        if not signing.verify(self.public, message, signature):
            raise InvalidNote(f"bad signature by {label}")
        return timestamp


def load_vkey(value: str) -> Verifier:
    """A verifier key given either as its text or as the path of a file holding it."""
    from pathlib import Path

    path = Path(value)
    return parse_vkey(path.read_text().strip() if path.is_file() else value.strip())


def parse_vkey(vkey: str) -> Verifier:
    """The Verifier of a vkey string; see `Verifier.from_vkey`."""
    return Verifier.from_vkey(vkey)


class _NoteKey:
    """An Ed25519 private key with a note key name; subclasses fix the signature type."""

    sig_type: ClassVar[int]
    __slots__ = ("_key", "_seed", "key_id", "name", "public")

    def __init__(self, name: str, seed: bytes) -> None:
        """Requires a valid key name and a 32-byte seed; raises InvalidNote otherwise."""
        _check_name(name, "key name")
        if len(seed) != SEED_BYTES:
            raise InvalidNote(f"key {name}: Ed25519 seed must be {SEED_BYTES} bytes, got {len(seed)}")
        self.name = name
        self._seed = bytes(seed)
        self._key = signing.SigningKey(self._seed)
        self.public = self._key.public
        self.key_id = key_id(name, self.sig_type, self.public)

    @classmethod
    def generate(cls, name: str, *, rng: Rng = SYSTEM_RNG) -> Self:
        """A fresh key for `name` from `rng`."""
        return cls(name, rng(SEED_BYTES))

    @classmethod
    def from_skey(cls, skey: str) -> Self:
        """Parse `PRIVATE+KEY+<name>+<hex key ID>+<base64(type ‖ seed)>` (first four `+`)."""
        parts = skey.split("+", 4)
        if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
            raise InvalidNote("private key is not 'PRIVATE+KEY+<name>+<key id>+<key>'")
        name, hex_id, encoded = parts[2:]
        _check_name(name, "private key name")
        if not _HEX_KEY_ID.fullmatch(hex_id):
            raise InvalidNote(f"private key {name}: key ID {_show(hex_id)} is not 8 hex digits")
        try:
            raw = _b64decode(encoded, f"private key {name}")
        except InvalidNote:  # do not echo secret material
            raise InvalidNote(f"private key {name}: key material is not standard base64") from None
        if not raw or raw[0] != cls.sig_type:
            got = f"0x{raw[0]:02x}" if raw else "none"
            raise InvalidNote(
                f"private key {name}: signature type {got}, expected 0x{cls.sig_type:02x} "
                f"for a {cls.__name__}"
            )
        key = cls(name, raw[1:])
        if key.key_id != int(hex_id, 16):
            raise InvalidNote(
                f"private key {name}: key ID {hex_id} does not match the key (computed {key.key_id:08x})"
            )
        return key

    def skey(self) -> str:
        """The private key text (contains the seed: keep it secret)."""
        material = _b64encode(bytes([self.sig_type]) + self._seed)
        return f"{SKEY_PREFIX}{self.name}+{self.key_id:08x}+{material}"

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.sig_type, self.public)

    def vkey(self) -> str:
        return self.verifier().vkey()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name}+{self.key_id:08x})"


class Signer(_NoteKey):
    """A note signer (signed-note Ed25519, type 0x01), e.g. the log's checkpoint key."""

    sig_type = SIG_TYPE_ED25519
    __slots__ = ()

    def sign(self, text: str) -> NoteSignature:
        """The signature of a note text (requires a valid text; see `sign_note`)."""
        return NoteSignature(self.name, self.key_id, self._key.sign(_check_text(text)))


class Cosigner(_NoteKey):
    """A witness key (tlog-cosignature Ed25519 `cosignature/v1`, type 0x04)."""

    sig_type = SIG_TYPE_COSIGNATURE_V1
    __slots__ = ()

    def cosign(self, checkpoint: Checkpoint | str, timestamp: int) -> NoteSignature:
        """The cosignature of a checkpoint at `timestamp` (POSIX seconds, ≤ 2^63 − 1)."""
        _check_timestamp(timestamp)
        if isinstance(checkpoint, str):
            checkpoint = parse_checkpoint_text(checkpoint)
        message = _cosigned_message(checkpoint.text().encode("utf-8"), timestamp)
        payload = timestamp.to_bytes(8, "big") + self._key.sign(message)
        return NoteSignature(self.name, self.key_id, payload)


def parse_skey(skey: str) -> Signer | Cosigner:
    """A Signer (type 0x01) or Cosigner (type 0x04) from private key text."""
    parts = skey.split("+", 4)
    if len(parts) == 5:
        try:
            raw_type = base64.b64decode(parts[4][:4], validate=True)[:1]
        except binascii.Error:
            raw_type = b""
        if raw_type == bytes([SIG_TYPE_COSIGNATURE_V1]):
            return Cosigner.from_skey(skey)
    return Signer.from_skey(skey)


# -- signing and verifying notes -----------------------------------------------------------------


def sign_note(text: str, signers: Signer | Sequence[Signer]) -> str:
    """The signed note of `text` with one signature line per signer, in order.

    Requires a non-empty, newline-terminated text without control characters (other than
    newlines) and at least one signer.
    """
    chosen = [signers] if isinstance(signers, Signer) else list(signers)
    if not chosen:
        raise InvalidNote("at least one signer is required")
    _check_text(text)
    return str(Note(text, tuple(signer.sign(text) for signer in chosen)))


def add_signatures(note: str, lines: str | Iterable[str | NoteSignature]) -> str:
    """Append signature lines (e.g. witness cosignatures) to a signed note, checking syntax."""
    parsed = parse_note(note)
    extra = [lines] if isinstance(lines, str) else list(lines)
    added: list[NoteSignature] = []
    for number, item in enumerate(extra, len(parsed.signatures) + 1):
        if isinstance(item, NoteSignature):
            added.append(item)
            continue
        line = item[:-1] if item.endswith("\n") else item
        if "\n" in line:
            raise InvalidNote(f"signature line {number} contains a newline; pass lines separately")
        _check_utf8(line, f"signature line {number}")
        _check_controls(line, f"signature line {number}")
        added.append(_parse_signature_line(line, number))
    total = len(parsed.signatures) + len(added)
    if total > MAX_SIGNATURES:
        raise InvalidNote(f"note would have {total} signature lines, more than {MAX_SIGNATURES}")
    return str(Note(parsed.text, parsed.signatures + tuple(added)))


def _verifier_table(verifiers: Iterable[Verifier]) -> dict[tuple[str, int], Verifier]:
    table: dict[tuple[str, int], Verifier] = {}
    for v in verifiers:
        other = table.setdefault((v.name, v.key_id), v)
        if other != v:
            raise InvalidNote(f"two different keys share the name {v.name} and key ID {v.key_id:08x}")
    return table


def _check_signatures(note: Note, verifiers: Iterable[Verifier]) -> dict[str, int | None]:
    """Verify every line from a known key; names (first-seen order) → timestamp or None."""
    table = _verifier_table(verifiers)
    text = note.text.encode("utf-8")
    verified: dict[str, int | None] = {}
    for number, sig in enumerate(note.signatures, 1):
        verifier = table.get((sig.name, sig.key_id))
        if verifier is None:
            continue  # an unknown (name, key ID): ignored, as signed-note requires
        try:
            timestamp = verifier.check(text, sig.payload)
        except InvalidNote as exc:
            raise InvalidNote(f"signature line {number}: {exc}") from None
        verified.setdefault(sig.name, timestamp)
    return verified


def verify_note(
    note: str | bytes, verifiers: Iterable[Verifier], *, max_signatures: int = MAX_SIGNATURES
) -> list[str]:
    """The names of the known keys whose signatures verify; at least one is required.

    Signature lines from unknown (name, key ID) pairs are ignored; a failing signature from
    a known key rejects the whole note.
    """
    parsed = parse_note(note, max_signatures=max_signatures)
    names = list(_check_signatures(parsed, verifiers))
    if not names:
        raise InvalidNote("note carries no signature from a known key")
    return names


# -- checkpoints ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A tlog-checkpoint tree head (without extension lines)."""

    origin: str
    """The log's identity, e.g. `saylau.example/election/42`."""
    size: int
    """Number of leaves in the tree."""
    root_hash: bytes
    """The 32-byte RFC 9162 root hash `MTH(D[0:size])`."""

    def __post_init__(self) -> None:
        _check_name(self.origin, "checkpoint origin")
        if isinstance(self.size, bool) or not isinstance(self.size, int):
            raise InvalidNote(f"checkpoint size must be an integer, got {type(self.size).__name__}")
        if not 0 <= self.size <= MAX_TREE_SIZE:
            raise InvalidNote(f"checkpoint size {self.size} is outside [0, 2^64 - 1]")
        if len(self.root_hash) != ROOT_HASH_BYTES:
            raise InvalidNote(
                f"checkpoint root hash must be {ROOT_HASH_BYTES} bytes, got {len(self.root_hash)}"
            )

    def text(self) -> str:
        """The checkpoint's note text: origin, size and Base64 root, each ending in a newline."""
        return f"{self.origin}\n{self.size}\n{_b64encode(self.root_hash)}\n"


def parse_checkpoint_text(text: str) -> Checkpoint:
    """Parse a checkpoint's note text (without signatures); extension lines are refused."""
    if not text.endswith("\n"):
        raise InvalidNote("checkpoint text does not end in a newline")
    _check_controls(text, "checkpoint text")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise InvalidNote(f"checkpoint text has {len(lines)} lines, expected 3 (origin, size, root)")
    if len(lines) > 3:
        raise InvalidNote(
            f"checkpoint has {len(lines) - 3} extension line(s); Saylau logs use none"
        )
    origin, size_text, root_text = lines
    if not _TREE_SIZE.fullmatch(size_text):
        raise InvalidNote(
            f"checkpoint size {_show(size_text)} is not a decimal number without leading zeros"
        )
    root = _b64decode(root_text, "checkpoint root hash")
    return Checkpoint(origin, int(size_text), root)


def sign_checkpoint(checkpoint: Checkpoint, signers: Signer | Sequence[Signer]) -> str:
    """The signed checkpoint note (the log's key name should equal the origin)."""
    return sign_note(checkpoint.text(), signers)


def open_checkpoint(
    note: str | bytes, log_verifier: Verifier, *, origin: str | None = None
) -> Checkpoint:
    """The checkpoint of a note that carries a valid signature by the log's key.

    Other signature lines (witness cosignatures, rotated keys) are ignored. If `origin` is
    given, the checkpoint must be for that origin.
    """
    if log_verifier.sig_type != SIG_TYPE_ED25519:
        raise InvalidNote(
            f"log key {log_verifier.name} has signature type 0x{log_verifier.sig_type:02x}, "
            f"expected 0x{SIG_TYPE_ED25519:02x}"
        )
    parsed = parse_note(note)
    if not _check_signatures(parsed, [log_verifier]):
        raise InvalidNote(f"checkpoint is not signed by the log key {log_verifier.vkey()}")
    checkpoint = parse_checkpoint_text(parsed.text)
    if origin is not None and checkpoint.origin != origin:
        raise InvalidNote(f"checkpoint origin {_show(checkpoint.origin)}, expected {_show(origin)}")
    return checkpoint


# -- cosignatures --------------------------------------------------------------------------------


def cosign(checkpoint_text: Checkpoint | str, cosigner: Cosigner, timestamp: int) -> str:
    """A witness's cosignature line (ending in a newline) for a checkpoint text without
    signatures, at `timestamp` (POSIX seconds)."""
    return cosigner.cosign(checkpoint_text, timestamp).line()


def _require_witness_keys(verifiers: Iterable[Verifier]) -> list[Verifier]:
    chosen = list(verifiers)
    for v in chosen:
        if v.sig_type != SIG_TYPE_COSIGNATURE_V1:
            raise InvalidNote(
                f"witness key {v.name} has signature type 0x{v.sig_type:02x}, "
                f"expected 0x{SIG_TYPE_COSIGNATURE_V1:02x} (cosignature/v1)"
            )
    return chosen


def verify_cosignatures(note: str | bytes, witness_verifiers: Iterable[Verifier]) -> dict[str, int]:
    """Witness name → cosignature timestamp for each known witness that cosigned the checkpoint.

    Does not check the log's own signature (see `open_checkpoint`). May be empty; a failing
    cosignature from a known witness rejects the note.
    """
    witnesses = _require_witness_keys(witness_verifiers)
    parsed = parse_note(note)
    parse_checkpoint_text(parsed.text)
    return {
        name: timestamp
        for name, timestamp in _check_signatures(parsed, witnesses).items()
        if timestamp is not None
    }


@dataclass(frozen=True, slots=True)
class PolicyResult:
    """Which configured witnesses cosigned, and whether that meets the quorum."""

    cosigned: Mapping[str, int]
    """Witness name → cosignature timestamp."""
    missing: tuple[str, ...]
    """Configured witnesses without a cosignature, sorted."""
    quorum: int

    @property
    def is_met(self) -> bool:
        return len(self.cosigned) >= self.quorum


@dataclass(frozen=True, slots=True)
class Policy:
    """A k-of-n witness policy: `quorum` distinct witnesses (by name) must cosign."""

    witnesses: tuple[Verifier, ...]
    quorum: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "witnesses", tuple(_require_witness_keys(self.witnesses)))
        names = {v.name for v in self.witnesses}
        if not 0 <= self.quorum <= len(names):
            raise InvalidNote(f"quorum {self.quorum} is outside [0, {len(names)}] witnesses")

    @classmethod
    def from_vkeys(cls, vkeys: Iterable[str], quorum: int) -> Policy:
        return cls(tuple(parse_vkey(vkey) for vkey in vkeys), quorum)

    def evaluate(self, note: str | bytes) -> PolicyResult:
        """Verify the cosignatures of the configured witnesses on a checkpoint note."""
        cosigned = verify_cosignatures(note, self.witnesses)
        missing = tuple(sorted({v.name for v in self.witnesses} - cosigned.keys()))
        return PolicyResult(cosigned, missing, self.quorum)

    def require(self, note: str | bytes) -> PolicyResult:
        """Like `evaluate`, but raises InvalidNote if the quorum is not met."""
        result = self.evaluate(note)
        if not result.is_met:
            raise InvalidNote(
                f"{len(result.cosigned)} of the required {self.quorum} witness cosignatures; "
                f"missing: {', '.join(result.missing)}"
            )
        return result
