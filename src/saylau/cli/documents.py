"""`saylau commission keygen` and `saylau document sign|verify`: a commission's signature on
the documents it publishes (results protocols), made on the commission's own computer.

    saylau commission keygen --name saylau.kz/tec-atyrau --out tec-atyrau
        → tec-atyrau.secret (the note key, sealed with a passphrase) and tec-atyrau.vkey
    saylau document sign --key tec-atyrau.secret --kind results-protocol --election E \\
        --unit atyrau --language kk protocol-kk.pdf            → protocol-kk.pdf.sig
    saylau document verify --key tec-atyrau.vkey protocol-kk.pdf [protocol-kk.pdf.sig]

The passphrase comes from --passphrase-file, SAYLAU_PASSPHRASE, or a prompt.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from saylau.board.note import Signer, load_vkey, parse_skey
from saylau.crypto.secretfile import open_secret, seal_secret
from saylau.errors import SaylauError
from saylau.record.docsig import DocumentSignatureInvalid, check_document, sign_document


def _write_new(path: Path, text: str, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def cmd_commission_keygen(args: argparse.Namespace) -> int:
    from .main import _passphrase

    out = Path(args.out)
    secret, vkey = out.with_name(out.name + ".secret"), out.with_name(out.name + ".vkey")
    for p in (secret, vkey):
        if p.exists():
            raise SaylauError(f"{p} already exists")
    key = Signer.generate(args.name)
    _write_new(secret, seal_secret({"note-skey": key.skey()}, _passphrase(args, confirm=True)), 0o600)
    _write_new(vkey, key.vkey() + "\n", 0o644)
    print(key.vkey())
    return 0


def _signer(args: argparse.Namespace) -> Signer:
    from .main import _passphrase

    payload = open_secret(Path(args.key).read_text(), _passphrase(args))
    key = parse_skey(str(payload.get("note-skey", "")))
    if not isinstance(key, Signer):
        raise SaylauError(f"{args.key} does not hold a commission's signing key")
    return key


def cmd_document_sign(args: argparse.Namespace) -> int:
    data = Path(args.document).read_bytes()
    note = sign_document(data, _signer(args), kind=args.kind, election=args.election, unit=args.unit,
                         language=args.language)
    out = Path(args.out or f"{args.document}.sig")
    _write_new(out, note, 0o644)
    print(out)
    return 0


def cmd_document_verify(args: argparse.Namespace) -> int:
    data = Path(args.document).read_bytes()
    signature = Path(args.signature or f"{args.document}.sig").read_text()
    try:
        claims = check_document(data, signature, load_vkey(args.key))
    except DocumentSignatureInvalid as exc:
        print(f"INVALID: {exc}", file=sys.stderr)
        return 1
    print(f"OK: signed by {claims.signer}: {claims.kind} of election {claims.election}, unit {claims.unit}, "
          f"language {claims.language}, {claims.size} bytes, SHA-256 {claims.sha256}")
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("commission", help="a commission's signing key").add_subparsers(dest="what", required=True)
    k = c.add_parser("keygen", help="a new signing key: OUT.secret (sealed) and OUT.vkey (public)")
    k.add_argument("--name", required=True, help="the key's name, e.g. saylau.kz/tec-atyrau")
    k.add_argument("--out", required=True, help="path prefix of the two files")
    k.add_argument("--passphrase-file")
    k.set_defaults(fn=cmd_commission_keygen)

    d = sub.add_parser("document", help="sign and verify published documents").add_subparsers(
        dest="what", required=True)
    s = d.add_parser("sign", help="sign a document with the commission's key")
    s.add_argument("--key", required=True, help="the commission's .secret file")
    s.add_argument("--kind", default="results-protocol")
    s.add_argument("--election", required=True)
    s.add_argument("--unit", required=True)
    s.add_argument("--language", required=True, choices=["kk", "ru", "en", "-"])
    s.add_argument("--out", help="where to write the signature (default: DOCUMENT.sig)")
    s.add_argument("--passphrase-file")
    s.add_argument("document")
    s.set_defaults(fn=cmd_document_sign)
    v = d.add_parser("verify", help="check a document's signature (exit 0: valid)")
    v.add_argument("--key", required=True, help="the commission's public key (vkey text or file)")
    v.add_argument("document")
    v.add_argument("signature", nargs="?", help="default: DOCUMENT.sig")
    v.set_defaults(fn=cmd_document_verify)
