"""Signed documents: a commission's signature on what it publishes (the results protocol as a
PDF in each language, its JSON), checkable by anyone with the commission's public key.

A signature is a C2SP signed note (`saylau.board.note`, the same format as the board's
checkpoints) signed by the commission's note key, whose text binds the document's bytes and
what it claims to be:

    saylau-document/v1
    <kind>               e.g. results-protocol
    <election>           the election's code
    <unit>               the territorial unit or precinct the document is for
    <language>           kk, ru, en, or - for a language-neutral document (JSON)
    <size in bytes>
    <SHA-256 of the bytes, hex>

`sign_document` makes it; `check_document` verifies the signature with a given key, checks
the bytes against the size and hash, and returns the claims. The commission's private key
stays on its own computer (`saylau commission keygen`, sealed with a passphrase); the web
platform only ever receives the public key and the signature.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from saylau.board.errors import BoardError
from saylau.board.note import Signer, Verifier, parse_note, sign_note, verify_note

from .errors import RecordError

HEADER = "saylau-document/v1"
_FIELD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}\Z")
LANGUAGES = frozenset({"kk", "ru", "en", "-"})


class DocumentSignatureInvalid(RecordError):
    """A document signature that does not verify, or does not match the document's bytes."""


@dataclass(frozen=True, slots=True)
class DocumentClaims:
    kind: str
    election: str
    unit: str
    language: str
    size: int
    sha256: str
    signer: str
    """The name of the key that signed it."""


def _text(kind: str, election: str, unit: str, language: str, data: bytes) -> str:
    for name, value in (("kind", kind), ("election", election), ("unit", unit)):
        if not _FIELD.match(value):
            raise ValueError(f"{name} {value!r}: letters, digits and . _ : / - only, at most 128")
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: one of {sorted(LANGUAGES)}")
    return "\n".join((HEADER, kind, election, unit, language, str(len(data)),
                      hashlib.sha256(data).hexdigest())) + "\n"


def sign_document(data: bytes, signer: Signer, *, kind: str, election: str, unit: str, language: str) -> str:
    """The signed note over `data` and its claims."""
    return sign_note(_text(kind, election, unit, language, data), signer)


def check_document(data: bytes, signature: str | bytes, verifier: Verifier) -> DocumentClaims:
    """The claims of a valid signature by `verifier` over exactly `data`.

    Raises `DocumentSignatureInvalid` if the note is malformed, not signed by that key, not a
    document signature, or names other bytes (size or hash).
    """
    try:
        names = verify_note(signature, [verifier])
        text = parse_note(signature).text
    except BoardError as exc:
        raise DocumentSignatureInvalid(f"the signature does not verify with key {verifier.name}: {exc}") from None
    lines = text.split("\n")[:-1]
    if len(lines) != 7 or lines[0] != HEADER:
        raise DocumentSignatureInvalid(f"not a {HEADER} signature")
    _header, kind, election, unit, language, size, digest = lines
    if not size.isdigit() or int(size) != len(data):
        raise DocumentSignatureInvalid(f"the signature is for {size} bytes; the document has {len(data)}")
    if hashlib.sha256(data).hexdigest() != digest:
        raise DocumentSignatureInvalid("the signature is for other bytes (SHA-256 differs)")
    return DocumentClaims(kind=kind, election=election, unit=unit, language=language, size=int(size),
                          sha256=digest, signer=names[0])
