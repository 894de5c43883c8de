"""The credential authority's files (protocol doc §4): the roll export it reads, the signed
public credential lists and replacement records it writes, and its generation of credentials.

The CA runs on its own machine (`saylau ca …`), with its own note signing key; the voting server
only ever receives public credentials, and checks the CA's signature on each list.

**Roll export** (CSV, UTF-8, written by the server for one election), header
`election,precinct,channel,count,voter_ref,language`:
- one row per remote voter: `E,P,remote,1,<voter_ref>,<kk|ru|en>` — `voter_ref` is an opaque
  random token the server keeps (never the IIN, never a name);
- one row per precinct with polling-station voters: `E,P,station,<N>,,`.

**Public credential list** of precinct P, channel C: the Belenios archive credential list
(compact JSON list of `"<public credential>"`, sorted, so that the order reveals nothing about
who got which credential), signed with `record.docsig.sign_document(kind="public-credentials",
election=E, unit="P:C:UUID", language="-")`; its fingerprint is Belenios's
`b64(SHA256(list bytes))`.

**Upload bundle** (what the commission uploads to the server): JSON
`{"format": "saylau-public-credentials/v1", "election": E, "group": G,
  "lists": [{"data": "<list bytes as text>", "signature": "<signed note>"}, …]}`.

**Replacement record** (a lost letter replaced before voting opens): JSON
`{"format": "saylau-credential-replacement/v1", "data": "<text>", "signature": "<note>"}` where
`data` is the compact JSON `{"election","precinct","channel","uuid","old","new"}` signed with
kind `credential-replacement` and unit `P:C:UUID`.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from saylau.board.note import Signer, Verifier
from saylau.crypto import credentials
from saylau.crypto.errors import CryptoError
from saylau.crypto.group import Group, Rng, group_by_name

from .docsig import DocumentSignatureInvalid, check_document, sign_document
from .errors import RecordError

ROLL_HEADER = ("election", "precinct", "channel", "count", "voter_ref", "language")
CHANNELS = ("remote", "station")
LANGUAGES = ("kk", "ru", "en")
KIND_LIST = "public-credentials"
KIND_REPLACEMENT = "credential-replacement"
UPLOAD_FORMAT = "saylau-public-credentials/v1"
REPLACEMENT_FORMAT = "saylau-credential-replacement/v1"
STORE_FORMAT = "saylau-ca-private/v1"
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")
_REF = re.compile(r"[A-Za-z0-9_-]{8,64}\Z")
_UUID = re.compile(r"[1-9A-HJ-NP-Za-km-z]{1,40}\Z")


class CredentialFileInvalid(RecordError):
    """A CA file refused. `precinct` names the list ("" for the file); `reason` is a stable key:
    shape, signature, election, element, duplicate (the domain's `CredentialListInvalid` reasons)."""

    def __init__(self, precinct: str, reason: str, detail: str = "") -> None:
        super().__init__(f"{'precinct ' + precinct + ': ' if precinct else ''}{reason}{': ' + detail if detail else ''}")
        self.precinct, self.reason, self.detail = precinct, reason, detail


# --- the roll export ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemoteVoter:
    ref: str
    language: str


@dataclass(slots=True)
class PrecinctRoll:
    precinct: str
    remote: list[RemoteVoter] = field(default_factory=list)
    station: int = 0


def roll_export_row(election: str, precinct: str, channel: str, count: int, ref: str = "",
                    language: str = "") -> list[str]:
    return [election, precinct, channel, str(count), ref, language]


def parse_roll_export(lines: Iterable[str], election: str) -> dict[str, PrecinctRoll]:
    """The precincts of a roll export for `election`; `CredentialFileInvalid` names the line."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or tuple(h.strip().lstrip("\ufeff") for h in header) != ROLL_HEADER:
        raise CredentialFileInvalid("", "shape", f"the header must be {','.join(ROLL_HEADER)}")
    out: dict[str, PrecinctRoll] = {}
    refs: set[str] = set()
    for number, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(ROLL_HEADER):
            raise CredentialFileInvalid("", "shape", f"line {number}: {len(row)} columns, want {len(ROLL_HEADER)}")
        e, precinct, channel, count, ref, language = row
        if e != election:
            raise CredentialFileInvalid("", "election", f"line {number}: election {e!r}, want {election!r}")
        if not _CODE.match(precinct) or channel not in CHANNELS or not count.isdigit():
            raise CredentialFileInvalid(precinct, "shape", f"line {number}: precinct, channel or count")
        entry = out.setdefault(precinct, PrecinctRoll(precinct))
        if channel == "remote":
            if count != "1" or not _REF.match(ref) or language not in LANGUAGES:
                raise CredentialFileInvalid(precinct, "shape", f"line {number}: a remote voter has count 1, "
                                            "a voter reference and a language (kk, ru, en)")
            if ref in refs:
                raise CredentialFileInvalid(precinct, "duplicate", f"line {number}: voter reference listed twice")
            refs.add(ref)
            entry.remote.append(RemoteVoter(ref, language))
        else:
            if ref or language or entry.station:
                raise CredentialFileInvalid(precinct, "shape", f"line {number}: one station row per precinct, "
                                            "without reference or language")
            entry.station = int(count)
    return out


# --- signed public lists --------------------------------------------------------------------------


def list_unit(precinct: str, channel: str, uuid: str) -> str:
    return f"{precinct}:{channel}:{uuid}"


def list_bytes(public: Iterable[str]) -> bytes:
    """The Belenios archive credential list, sorted: compact JSON of the public credentials."""
    return json.dumps(sorted(public), separators=(",", ":")).encode()


def fingerprint(data: bytes) -> str:
    """Belenios's fingerprint of a public credential list: b64(SHA256(bytes))."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")


@dataclass(frozen=True, slots=True)
class PublicList:
    precinct: str
    channel: str
    uuid: str
    credentials: tuple[str, ...]
    data: bytes
    signature: str
    signer: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sign_list(election: str, precinct: str, channel: str, uuid: str, public: Iterable[str],
              signer: Signer) -> PublicList:
    data = list_bytes(public)
    note = sign_document(data, signer, kind=KIND_LIST, election=election, unit=list_unit(precinct, channel, uuid),
                         language="-")
    return PublicList(precinct, channel, uuid, tuple(json.loads(data)), data, note, signer.name)


def upload_bundle(election: str, group: str, lists: Sequence[PublicList]) -> str:
    return json.dumps({"format": UPLOAD_FORMAT, "election": election, "group": group,
                       "lists": [{"data": p.data.decode(), "signature": p.signature} for p in lists]},
                      separators=(",", ":")) + "\n"


def _check(data: bytes, signature: str, verifiers: Sequence[Verifier], *, kind: str, election: str,
           where: str) -> tuple[str, str, str, str]:
    """(precinct, channel, uuid, signer) of a document signed by one of `verifiers`."""
    for verifier in verifiers:
        try:
            claims = check_document(data, signature, verifier)
        except DocumentSignatureInvalid:
            continue
        if claims.kind != kind:
            raise CredentialFileInvalid(where, "shape", f"a {claims.kind} signature, want {kind}")
        if claims.election != election:
            raise CredentialFileInvalid(where, "election", f"signed for election {claims.election!r}")
        parts = claims.unit.split(":")
        if len(parts) != 3 or parts[1] not in CHANNELS or not _UUID.match(parts[2]):
            raise CredentialFileInvalid(where, "shape", f"unit {claims.unit!r}")
        return parts[0], parts[1], parts[2], claims.signer
    raise CredentialFileInvalid(where, "signature", "not signed by a registered credential authority key")


def _elements(group: Group[Any], values: object, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise CredentialFileInvalid(where, "shape", "a list must be a JSON list of strings")
    for i, value in enumerate(values):
        try:
            group.parse(value, field=f"credential {i}")
        except CryptoError as exc:
            raise CredentialFileInvalid(where, "element", str(exc)) from None
    if len(set(values)) != len(values):
        raise CredentialFileInvalid(where, "duplicate", "a public credential is listed twice")
    return tuple(values)


def _json_object(text: str | bytes, fmt: str) -> dict[str, Any]:
    try:
        top = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise CredentialFileInvalid("", "shape", "not JSON") from None
    if not isinstance(top, dict) or top.get("format") != fmt:
        raise CredentialFileInvalid("", "shape", f"not a {fmt} file")
    return top


def read_upload_bundle(text: str | bytes, election: str, verifiers: Sequence[Verifier]) -> tuple[str, list[PublicList]]:
    """The group and the checked lists of an upload bundle for `election`: each signed by one of
    `verifiers`, for this election, of valid and distinct group elements."""
    top = _json_object(text, UPLOAD_FORMAT)
    if top.get("election") != election:
        raise CredentialFileInvalid("", "election", f"made for election {top.get('election')!r}")
    try:
        group = group_by_name(top.get("group"))
    except CryptoError as exc:
        raise CredentialFileInvalid("", "shape", str(exc)) from None
    items = top.get("lists")
    if not isinstance(items, list) or not items:
        raise CredentialFileInvalid("", "shape", "no lists")
    out: list[PublicList] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("data"), str) or not isinstance(
                item.get("signature"), str):
            raise CredentialFileInvalid("", "shape", "each list is {data, signature}")
        data = item["data"].encode()
        precinct, channel, uuid, signer = _check(data, item["signature"], verifiers, kind=KIND_LIST,
                                                 election=election, where="")
        if (precinct, channel) in seen:
            raise CredentialFileInvalid(precinct, "duplicate", f"two {channel} lists")
        seen.add((precinct, channel))
        values = _elements(group, json.loads(data), precinct)
        out.append(PublicList(precinct, channel, uuid, values, data, item["signature"], signer))
    return group.name, out


@dataclass(frozen=True, slots=True)
class Replacement:
    election: str
    precinct: str
    channel: str
    uuid: str
    old: str
    new: str
    data: bytes
    signature: str

    def file_text(self) -> str:
        return json.dumps({"format": REPLACEMENT_FORMAT, "data": self.data.decode(), "signature": self.signature},
                          separators=(",", ":")) + "\n"


def sign_replacement(election: str, precinct: str, channel: str, uuid: str, old: str, new: str,
                     signer: Signer) -> Replacement:
    data = json.dumps({"election": election, "precinct": precinct, "channel": channel, "uuid": uuid,
                       "old": old, "new": new}, separators=(",", ":")).encode()
    note = sign_document(data, signer, kind=KIND_REPLACEMENT, election=election,
                         unit=list_unit(precinct, channel, uuid), language="-")
    return Replacement(election, precinct, channel, uuid, old, new, data, note)


def read_replacement(text: str | bytes, election: str, group_name: str,
                     verifiers: Sequence[Verifier]) -> Replacement:
    top = _json_object(text, REPLACEMENT_FORMAT)
    if not isinstance(top.get("data"), str) or not isinstance(top.get("signature"), str):
        raise CredentialFileInvalid("", "shape", "a replacement is {format, data, signature}")
    data = str(top["data"]).encode()
    precinct, channel, uuid, _signer = _check(data, str(top["signature"]), verifiers, kind=KIND_REPLACEMENT,
                                              election=election, where="")
    body = json.loads(data)
    if not isinstance(body, dict) or (body.get("precinct"), body.get("channel"), body.get("uuid")) != (
            precinct, channel, uuid):
        raise CredentialFileInvalid(precinct, "shape", "the record does not match its signature's claims")
    old, new = _elements(group_by_name(group_name), [body.get("old"), body.get("new")], precinct)
    return Replacement(election, precinct, channel, uuid, old, new, data, str(top["signature"]))


# --- the credential authority's work ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Letter:
    ref: str
    precinct: str
    language: str
    credential: str


@dataclass(slots=True)
class Generation:
    store: dict[str, Any]
    """The CA's private store (to seal): every private credential, by voter reference or precinct."""
    lists: list[PublicList]
    letters: list[Letter]
    cards: dict[str, list[str]]
    """Private credentials of each precinct's sealed cards."""


def generate(roll: Mapping[str, PrecinctRoll], *, election: str, uuid: str | Mapping[str, str],
             group_name: str, signer: Signer, rng: Rng, v2: bool = False) -> Generation:
    """One private credential per remote voter (a letter) and per station voter (a card); the
    public lists per precinct and channel, signed. `uuid` is the Belenios election identifier,
    one for all precincts or one per precinct."""
    group = group_by_name(group_name)
    make = credentials.generate_v2 if v2 else credentials.generate
    store: dict[str, Any] = {"format": STORE_FORMAT, "election": election, "group": group.name,
                             "voters": {}, "cards": {}}
    lists: list[PublicList] = []
    letters: list[Letter] = []
    cards: dict[str, list[str]] = {}
    for precinct in sorted(roll):
        entry = roll[precinct]
        u = uuid if isinstance(uuid, str) else uuid.get(precinct, "")
        if not _UUID.match(u):
            raise CredentialFileInvalid(precinct, "shape", "no valid election identifier (uuid) for this precinct")
        if entry.remote:
            public = []
            for voter in entry.remote:
                cred = make(rng)
                pub = group.encode(credentials.public_credential(group, u, cred))
                public.append(pub)
                store["voters"][voter.ref] = {"precinct": precinct, "uuid": u, "language": voter.language,
                                              "credential": cred, "public": pub, "revoked": []}
                letters.append(Letter(voter.ref, precinct, voter.language, cred))
            lists.append(sign_list(election, precinct, "remote", u, public, signer))
        if entry.station:
            privs = [make(rng) for _ in range(entry.station)]
            public = [group.encode(credentials.public_credential(group, u, c)) for c in privs]
            store["cards"][precinct] = {"uuid": u, "credentials": privs}
            cards[precinct] = privs
            lists.append(sign_list(election, precinct, "station", u, public, signer))
    return Generation(store, lists, letters, cards)


def replace(store: dict[str, Any], ref: str, *, signer: Signer, rng: Rng) -> tuple[Replacement, Letter]:
    """A new credential for the remote voter `ref` (a lost letter); the store is updated (the old
    one listed as revoked) and the signed replacement record returned with the new letter."""
    if store.get("format") != STORE_FORMAT:
        raise CredentialFileInvalid("", "shape", "not the CA's private store")
    voter = store["voters"].get(ref)
    if voter is None:
        raise CredentialFileInvalid("", "shape", f"no voter reference {ref!r} in this election")
    group = group_by_name(store["group"])
    v2 = "-" in voter["credential"] and len(voter["credential"]) == 19
    cred = (credentials.generate_v2 if v2 else credentials.generate)(rng)
    pub = group.encode(credentials.public_credential(group, voter["uuid"], cred))
    record = sign_replacement(store["election"], voter["precinct"], "remote", voter["uuid"], voter["public"], pub,
                              signer)
    voter["revoked"].append(voter["public"])
    voter["credential"], voter["public"] = cred, pub
    return record, Letter(ref, voter["precinct"], voter["language"], cred)
