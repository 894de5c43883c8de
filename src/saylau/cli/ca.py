"""`saylau ca …`: the credential authority, run on its own machine with its own key.

    saylau ca init --out CA --name saylau.kz/ca
        → CA/ca.secret (the CA's note signing key, sealed with a passphrase) and CA/ca.vkey
          (public: the commission registers it on the server)
    saylau ca generate --ca CA --roll-export roll.csv --election E --uuid U --out CA/E
        → CA/E/private.secret   every private credential (sealed; stays with the CA)
          CA/E/public/P.C.json  each precinct's public list per channel (+ .sig, the CA's signature)
          CA/E/upload.json      all signed lists in one file: what the commission uploads
          CA/E/letters/REF.pdf  a letter per remote voter, in the voter's language (text + QR code)
          CA/E/cards/P.pdf      sealed cards for precinct P's polling-station voters (kk/ru/en)
    saylau ca replace --ca CA --dir CA/E --voter-ref REF
        → a new credential for a lost letter (before voting opens): CA/E/replacements/REF-N.json
          (the signed record old → new, to upload) and CA/E/letters/REF-N.pdf

The roll export comes from the server (one election): precinct, channel, an opaque voter
reference and the language; never an IIN or a name. The printing house merges the address
labels from the server's list of voter references. The passphrase comes from
--passphrase-file, SAYLAU_PASSPHRASE, or a prompt.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from saylau.board.note import Signer, parse_skey
from saylau.crypto.group import SYSTEM_RNG
from saylau.crypto.secretfile import open_secret, seal_secret
from saylau.errors import SaylauError
from saylau.record import credauthority as ca
from saylau.record import credletters


def _write_new(path: Path, data: str | bytes, mode: int = 0o644) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def _replace_file(path: Path, text: str, mode: int = 0o600) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _signer(ca_dir: Path, passphrase: str) -> Signer:
    payload = open_secret((ca_dir / "ca.secret").read_text(), passphrase)
    key = parse_skey(str(payload.get("ca-note-skey", "")))
    if not isinstance(key, Signer):
        raise SaylauError(f"{ca_dir / 'ca.secret'} does not hold a credential authority's key")
    return key


def cmd_ca_init(args: argparse.Namespace) -> int:
    from .main import _passphrase

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("ca.secret", "ca.vkey"):
        if (out / name).exists():
            raise SaylauError(f"{out / name} already exists")
    key = Signer.generate(args.name)
    _write_new(out / "ca.secret", seal_secret({"ca-note-skey": key.skey()}, _passphrase(args, confirm=True)), 0o600)
    _write_new(out / "ca.vkey", key.vkey() + "\n")
    print(key.vkey())
    return 0


def cmd_ca_generate(args: argparse.Namespace) -> int:
    from .main import _passphrase

    out = Path(args.out)
    if out.exists() and any(out.iterdir()):
        raise SaylauError(f"{out} is not empty; refusing to overwrite an election's credentials")
    passphrase = _passphrase(args)
    signer = _signer(Path(args.ca), passphrase)
    with open(args.roll_export, encoding="utf-8", newline="") as f:
        roll = ca.parse_roll_export(f, args.election)
    if not roll:
        raise SaylauError(f"{args.roll_export}: no voters")
    uuid: str | dict[str, str] = args.uuid
    if args.uuid_map:
        mapping = json.loads(Path(args.uuid_map).read_text())
        if not isinstance(mapping, dict):
            raise SaylauError(f"{args.uuid_map}: a JSON object {{precinct: uuid}}")
        uuid = {str(k): str(v) for k, v in mapping.items()}
    made = ca.generate(roll, election=args.election, uuid=uuid, group_name=args.group, signer=signer,
                       rng=SYSTEM_RNG, v2=args.v2)
    for sub in ("public", "letters", "cards", "replacements"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    _write_new(out / "private.secret", seal_secret(made.store, passphrase), 0o600)
    for p in made.lists:
        _write_new(out / "public" / f"{p.precinct}.{p.channel}.json", p.data)
        _write_new(out / "public" / f"{p.precinct}.{p.channel}.json.sig", p.signature)
    _write_new(out / "upload.json", ca.upload_bundle(args.election, made.store["group"], made.lists))
    for letter in made.letters:
        html = credletters.letter_html(credential=letter.credential, ref=letter.ref, election=args.election,
                                       election_title=args.title, precinct=letter.precinct, language=letter.language)
        _write_new(out / "letters" / f"{letter.ref}.pdf", credletters.render_pdf(html), 0o600)
    for precinct, creds in made.cards.items():
        html = credletters.cards_html(credentials=creds, election=args.election, election_title=args.title,
                                      precinct=precinct)
        _write_new(out / "cards" / f"{precinct}.pdf", credletters.render_pdf(html), 0o600)
    for p in made.lists:
        print(f"{p.precinct} {p.channel}: {len(p.credentials)} credentials, SHA-256 {p.sha256}, "
              f"fingerprint {ca.fingerprint(p.data)}")
    print(f"{len(made.letters)} letters, {sum(map(len, made.cards.values()))} cards; upload {out / 'upload.json'}")
    return 0


def cmd_ca_replace(args: argparse.Namespace) -> int:
    from .main import _passphrase

    d = Path(args.dir)
    passphrase = _passphrase(args)
    signer = _signer(Path(args.ca), passphrase)
    store = open_secret((d / "private.secret").read_text(), passphrase)
    record, letter = ca.replace(store, args.voter_ref, signer=signer, rng=SYSTEM_RNG)
    n = len(store["voters"][args.voter_ref]["revoked"])  # type: ignore[index]
    (d / "replacements").mkdir(exist_ok=True)
    (d / "letters").mkdir(exist_ok=True)
    target = d / "replacements" / f"{args.voter_ref}-{n}.json"
    _write_new(target, record.file_text())
    html = credletters.letter_html(credential=letter.credential, ref=letter.ref, election=record.election,
                                   election_title=args.title, precinct=letter.precinct, language=letter.language)
    _write_new(d / "letters" / f"{args.voter_ref}-{n}.pdf", credletters.render_pdf(html), 0o600)
    _replace_file(d / "private.secret", seal_secret(store, passphrase))
    print(f"replacement for precinct {record.precinct}: upload {target}; new letter "
          f"{d / 'letters' / f'{args.voter_ref}-{n}.pdf'}")
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("ca", help="the credential authority (its own machine and key)").add_subparsers(
        dest="what", required=True)
    i = c.add_parser("init", help="the CA's signing key: OUT/ca.secret (sealed) and OUT/ca.vkey")
    i.add_argument("--out", required=True)
    i.add_argument("--name", default="saylau/credential-authority", help="the key's name")
    i.add_argument("--passphrase-file")
    i.set_defaults(fn=cmd_ca_init)

    g = c.add_parser("generate", help="credentials, signed public lists, letters and cards for one election")
    g.add_argument("--ca", required=True, help="the CA directory (ca.secret)")
    g.add_argument("--roll-export", required=True, help="the server's roll export (CSV)")
    g.add_argument("--election", required=True, help="the election's code")
    g.add_argument("--uuid", required=True, help="the Belenios election identifier")
    g.add_argument("--uuid-map", help="JSON {precinct: uuid} when each precinct has its own")
    g.add_argument("--group", default="Ed25519")
    g.add_argument("--title", default="", help="the election's title, printed on letters and cards")
    g.add_argument("--v2", action="store_true", help="Belenios 2.0 credential format")
    g.add_argument("--out", required=True)
    g.add_argument("--passphrase-file")
    g.set_defaults(fn=cmd_ca_generate)

    r = c.add_parser("replace", help="replace a lost letter's credential (before voting opens)")
    r.add_argument("--ca", required=True)
    r.add_argument("--dir", required=True, help="the election's CA directory (from generate)")
    r.add_argument("--voter-ref", required=True)
    r.add_argument("--title", default="")
    r.add_argument("--passphrase-file")
    r.set_defaults(fn=cmd_ca_replace)
