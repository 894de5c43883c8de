"""The trustees' key ceremony and decryption ceremony: the order of the steps and the check of
every file a trustee hands in (protocol doc §6 and §7). Plain Python over `saylau.crypto` and
`saylau.record`; the web app (`web.ceremony`) stores what passes, the CLI (`saylau trustee
decrypt-many`) writes and reads the decryption files. No function here ever sees a private key:
trustees run the `saylau` commands on their own computers and hand in public material only.

Key ceremony:
- a single trustee (1 of 1): `saylau trustee generate` → the public key (`NAME.pubkey`);
- Pedersen t of n: every trustee's certificate (`saylau threshold cert`) → every trustee's
  polynomial (`saylau threshold polynomial`, over the set of n certificates) → the server routes
  the encrypted shares (`route`) → every trustee's verification output (`saylau threshold
  voutput`) → the server combines them into `trustees.json` (`combine`).

Decryption ceremony: the server tallies each precinct's record; every trustee downloads one
bundle (`bundle_manifest` + the records), checks and partially decrypts every tally with
`saylau trustee decrypt-many`, and uploads one decryptions file (`decryptions_file`); each partial
decryption is checked against the trustee's public key (`check_partial_decryption`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from saylau.crypto import dkg
from saylau.crypto.decryption import verify_partial_decryption
from saylau.crypto.errors import CryptoError
from saylau.crypto.group import group_by_name
from saylau.crypto.proofs import ProofItem, sigmsg_prefix, verify_schnorr
from saylau.crypto.trustees import (
    compact,
    lagrange_point,
    parse_proof,
    verify_cert,
    verify_public_key,
    verify_signed_msg,
    verify_trustees,
)
from saylau.domain.errors import DomainError, ErrorCode
from saylau.domain.rulepack import RulePack
from saylau.errors import SaylauError
from saylau.record.canonical import sha256_hex
from saylau.record.errors import RecordError
from saylau.record.workflow import ElectionDir, encrypted_tally

DEFAULT_GROUP = "Ed25519"
MAX_TRUSTEES = 15
DEFAULT_MIN_GROUP_SIZE = 1
"""The minimum number of ballots a tally must cover before trustees decrypt it, when the rule
pack gives none (`tally.min_group_size`): no pack states one yet (reference to be confirmed)."""
DECRYPTIONS_FORMAT = "saylau-decryptions"
BUNDLE_FORMAT = "saylau-tallies"
RECORD_FILES = ("election.json", "trustees.json", "public_creds.json")
_SLUG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class CeremonyKind(StrEnum):
    SINGLE = "single"
    PEDERSEN = "pedersen"


class Step(StrEnum):
    """The ceremony's steps; an upload names the step it is for."""

    PUBLIC_KEY = "public_key"
    CERTIFICATE = "certificate"
    POLYNOMIAL = "polynomial"
    VOUTPUT = "voutput"
    COMPLETED = "completed"
    DECRYPTION = "decryption"


# --- errors ----------------------------------------------------------------------------------------


class CeremonySetupInvalid(DomainError):
    """The ceremony's trustees or threshold refused: `field` (trustees, threshold), `reason`
    (count, range, twice, not_member)."""

    code = ErrorCode.CEREMONY_SETUP_INVALID

    def __init__(self, field: str, reason: str, detail: str = "") -> None:
        super().__init__(f"ceremony setup: {field}: {reason}{': ' + detail if detail else ''}",
                         {"field": field, "reason": reason, "detail": detail})
        self.field, self.reason, self.detail = field, reason, detail


class CeremonyStepRefused(DomainError):
    """A step out of order: `reason` is a stable key (exists, no_ceremony, wrong_step, done,
    not_trustee, not_completed, wrong_stage, no_records, record_key, record_twice, record_state)."""

    code = ErrorCode.CEREMONY_STEP_REFUSED

    def __init__(self, election: str, reason: str, detail: str = "") -> None:
        super().__init__(f"election {election!r}: ceremony: {reason}{': ' + detail if detail else ''}",
                         {"election": election, "reason": reason, "detail": detail})
        self.election, self.reason, self.detail = election, reason, detail


class CeremonyUploadInvalid(DomainError):
    """A trustee's file refused at `step`: `trustee` is its index, `reason` a stable key (not_json,
    shape, signature, proof, context, duplicate, commitments, other_election, precinct, tally),
    `detail` what the check observed (English, for the audit log and the CLI)."""

    code = ErrorCode.CEREMONY_UPLOAD_INVALID

    def __init__(self, step: Step, trustee: int, reason: str, detail: str = "") -> None:
        super().__init__(f"{step.value} of trustee {trustee}: {reason}{': ' + detail if detail else ''}",
                         {"step": step.value, "trustee": trustee, "reason": reason, "detail": detail})
        self.step, self.trustee, self.reason, self.detail = step, trustee, reason, detail


# --- the order of the steps ------------------------------------------------------------------------


def check_setup(size: int, threshold: int) -> CeremonyKind:
    """The kind of ceremony for `size` trustees and `threshold`: one trustee is a single trustee
    (threshold 1); two or more form a Pedersen t-of-n group with 1 ≤ t ≤ n."""
    if not 1 <= size <= MAX_TRUSTEES:
        raise CeremonySetupInvalid("trustees", "count", f"{size} (1 to {MAX_TRUSTEES})")
    if not 1 <= threshold <= size:
        raise CeremonySetupInvalid("threshold", "range", f"{threshold} (1 to {size})")
    return CeremonyKind.SINGLE if size == 1 else CeremonyKind.PEDERSEN


def steps_of(kind: CeremonyKind) -> tuple[Step, ...]:
    if kind is CeremonyKind.SINGLE:
        return (Step.PUBLIC_KEY,)
    return (Step.CERTIFICATE, Step.POLYNOMIAL, Step.VOUTPUT)


def current_step(kind: CeremonyKind, done: Mapping[Step, int], size: int) -> Step:
    """The step the ceremony waits for: the first one not yet done by all `size` trustees."""
    for step in steps_of(kind):
        if done.get(step, 0) < size:
            return step
    return Step.COMPLETED


def require_step(election: str, kind: CeremonyKind, done: Mapping[Step, int], size: int, step: Step) -> None:
    """Refuse an upload for `step` unless the ceremony is at that step (decryptions: completed)."""
    now = current_step(kind, done, size)
    wanted = Step.COMPLETED if step is Step.DECRYPTION else step
    if now is not wanted:
        raise CeremonyStepRefused(election, "wrong_step", f"{step.value} while waiting for {now.value}")


def min_group_size(pack: RulePack) -> int:
    """The pack's minimum group size (`tally.min_group_size`), else `DEFAULT_MIN_GROUP_SIZE`."""
    rule = pack.rule("tally", "min_group_size")
    if rule is None or rule.is_unknown:
        return DEFAULT_MIN_GROUP_SIZE
    try:
        return max(1, int(str(rule.value)))
    except ValueError:
        return DEFAULT_MIN_GROUP_SIZE


# --- checks of the key ceremony's files ------------------------------------------------------------


def _parse(step: Step, trustee: int, text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise CeremonyUploadInvalid(step, trustee, "not_json") from None
    if not isinstance(value, dict):
        raise CeremonyUploadInvalid(step, trustee, "shape", "expected a JSON object")
    return value


def _crypto(step: Step, trustee: int, exc: Exception) -> CeremonyUploadInvalid:
    text = str(exc)
    reason = ("signature" if "signature" in text else "proof" if "pok" in text or "proof" in text.lower()
              else "shape")
    return CeremonyUploadInvalid(step, trustee, reason, text[:300])


def check_public_key(group_name: str, text: str) -> dict[str, Any]:
    """A single trustee's `NAME.pubkey`: `{"pok","public_key"}` whose proof of knowledge verifies."""
    value = _parse(Step.PUBLIC_KEY, 1, text)
    try:
        verify_public_key(group_by_name(group_name), value, "public_key")
    except (CryptoError, KeyError, TypeError, ValueError) as exc:
        raise _crypto(Step.PUBLIC_KEY, 1, exc) from None
    return {"pok": value["pok"], "public_key": value["public_key"]}


def check_certificate(group_name: str, text: str, *, index: int, size: int, threshold: int,
                      others: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A Pedersen member's certificate: its signature, its context (group, size, threshold and
    this trustee's index), and keys that no other trustee's certificate already holds."""
    step = Step.CERTIFICATE
    value = _parse(step, index, text)
    group = group_by_name(group_name)
    try:
        cert = verify_cert(group, value, "certificate")
        context = json.loads(str(value["message"])).get("context")
    except (CryptoError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _crypto(step, index, exc) from None
    want = {"group": group.name, "size": size, "threshold": threshold, "index": index}
    if context != want:
        raise CeremonyUploadInvalid(step, index, "context", f"context {context!r}, expected {want!r}")
    for other in others:
        theirs = verify_cert(group, other, "other")
        if theirs.verification == cert.verification or theirs.encryption == cert.encryption:
            raise CeremonyUploadInvalid(step, index, "duplicate")
    return {"message": value["message"], "signature": value["signature"]}


def check_polynomial(group_name: str, text: str, *, index: int, certs: Sequence[Mapping[str, Any]],
                     threshold: int) -> dict[str, Any]:
    """A member's polynomial: commitments signed by its certificate's key (`threshold` of them), the
    `certs_sig` signature over the whole certificate set, and one well-formed encrypted share for
    every member (their contents can be read by their recipients only)."""
    step = Step.POLYNOMIAL
    value = _parse(step, index, text)
    group = group_by_name(group_name)
    if set(value) != {"polynomial", "secrets", "coefexps", "signature"}:
        raise CeremonyUploadInvalid(step, index, "shape", f"fields {sorted(value)}")
    try:
        checked = [verify_cert(group, c, f"certs[{i}]") for i, c in enumerate(certs)]
        vk = checked[index - 1].verification
        body = json.loads(verify_signed_msg(group, vk, value["coefexps"], "coefexps"))
        exps = body["coefexps"]
        if not isinstance(exps, list) or len(exps) != threshold:
            raise CeremonyUploadInvalid(step, index, "shape", f"expected {threshold} commitments")
        for k, a in enumerate(exps):
            group.parse(a, field=f"coefexps[{k}]")
        sig_text = "certs_sig|" + compact({"certs": list(certs), "coefexps": exps})
        verify_schnorr(group, sigmsg_prefix(sig_text), vk, parse_proof(group, value["signature"], "signature"))
        secrets = value["secrets"]
        if not isinstance(secrets, list) or len(secrets) != len(certs):
            raise CeremonyUploadInvalid(step, index, "shape", f"expected {len(certs)} encrypted shares")
        for i, item in enumerate([value["polynomial"], *secrets]):
            enc = json.loads(item) if isinstance(item, str) else None
            if not isinstance(enc, dict) or set(enc) != {"alpha", "beta", "data"}:
                raise CeremonyUploadInvalid(step, index, "shape", f"encrypted item {i} is not a channel message")
            group.parse(enc["alpha"], field="alpha")
            group.parse(enc["beta"], field="beta")
            bytes.fromhex(str(enc["data"]))
    except CeremonyUploadInvalid:
        raise
    except (CryptoError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _crypto(step, index, exc) from None
    return {k: value[k] for k in ("polynomial", "secrets", "coefexps", "signature")}


def route(polynomials: Sequence[Mapping[str, Any]]) -> list[dict[str, object]]:
    """Each member's input of the voutput step (the server only moves encrypted shares)."""
    return dkg.route([dict(p) for p in polynomials])


def _coefexps(group: Any, certs: Sequence[Mapping[str, Any]], polynomials: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    checked = [verify_cert(group, c, f"certs[{i}]") for i, c in enumerate(certs)]
    out = []
    for i, (c, p) in enumerate(zip(checked, polynomials, strict=True)):
        body = json.loads(verify_signed_msg(group, c.verification, p["coefexps"], f"coefexps[{i}]"))
        out.append([group.parse(a, field=f"coefexps[{i}]") for a in body["coefexps"]])
    return out


def check_voutput(group_name: str, text: str, *, index: int, certs: Sequence[Mapping[str, Any]],
                  polynomials: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A member's verification output: the proof of knowledge of its share, its signature by the
    member's certificate key, and `g^S_j` equal to what the committed polynomials give. Only the
    public part is kept (`private_key`, encrypted to the trustee itself, is dropped)."""
    step = Step.VOUTPUT
    value = _parse(step, index, text)
    if "public_key" not in value or not set(value) <= {"public_key", "private_key"}:
        raise CeremonyUploadInvalid(step, index, "shape", f"fields {sorted(value)}")
    group = group_by_name(group_name)
    public_json = value["public_key"]
    try:
        public = verify_public_key(group, public_json, "public_key")
        if not isinstance(public_json, dict) or set(public_json) != {"pok", "public_key", "signature"}:
            raise CeremonyUploadInvalid(step, index, "shape", "public_key needs pok, public_key and signature")
        vk = verify_cert(group, certs[index - 1], "certificate").verification
        verify_schnorr(group, sigmsg_prefix(group.encode(public)), vk,
                       parse_proof(group, public_json["signature"], "public_key.signature"))
        if public != lagrange_point(group, _coefexps(group, certs, polynomials), index):
            raise CeremonyUploadInvalid(step, index, "commitments")
    except CeremonyUploadInvalid:
        raise
    except (CryptoError, KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise _crypto(step, index, exc) from None
    return {"public_key": public_json}


@dataclass(frozen=True, slots=True)
class Trustees:
    """The ceremony's outcome: `trustees.json` (exact bytes), its SHA-256, the election key."""

    text: bytes
    sha256: str
    election_key: str


def _trustees(group_name: str, items: list[object]) -> Trustees:
    group = group_by_name(group_name)
    text = compact(items).encode()
    keys = verify_trustees(group, json.loads(text))
    return Trustees(text, sha256_hex(text), group.encode(keys.election_key))


def single_trustees(group_name: str, public: Mapping[str, Any]) -> Trustees:
    return _trustees(group_name, [["Single", dict(public)]])


def pedersen_trustees(group_name: str, certs: Sequence[Mapping[str, Any]], polynomials: Sequence[Mapping[str, Any]],
                      voutputs: Sequence[Mapping[str, Any]], threshold: int) -> Trustees:
    """`combine`, checked as a verifier checks `trustees.json`."""
    params = dkg.combine(group_by_name(group_name), [dict(c) for c in certs], [dict(p) for p in polynomials],
                         [dict(v) for v in voutputs], threshold)
    return _trustees(group_name, [["Pedersen", params]])


# --- the decryption ceremony's files ---------------------------------------------------------------


def bundle_manifest(*, election: str, trustees_sha256: str, min_ballots: int,
                    records: Sequence[Mapping[str, object]]) -> bytes:
    """`manifest.json` of a tallies bundle: each record's precinct (its directory in the zip),
    Belenios uuid, ballots tallied and encrypted tally SHA-256 (as published on the board)."""
    return compact({"format": BUNDLE_FORMAT, "version": 1, "election": election, "trustees_sha256": trustees_sha256,
                    "min_ballots": min_ballots, "records": [dict(r) for r in records]}).encode()


@dataclass(frozen=True, slots=True)
class Manifest:
    election: str
    trustees_sha256: str
    min_ballots: int
    records: tuple[dict[str, Any], ...]


def read_manifest(text: bytes) -> Manifest:
    try:
        d = json.loads(text)
        if d.get("format") != BUNDLE_FORMAT or d.get("version") != 1:
            raise ValueError("not a tallies bundle")
        records = tuple(dict(r) for r in d["records"])
        for r in records:
            if not _SLUG.match(str(r["precinct"])) or not _SLUG.match(str(r["uuid"])):
                raise ValueError("bad precinct or uuid")
        return Manifest(str(d["election"]), str(d["trustees_sha256"]), int(d["min_ballots"]), records)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SaylauError(f"manifest.json: {exc}") from None


def bundle_member_ok(name: str) -> bool:
    """Names a tallies bundle may hold: `manifest.json` and `<precinct>/<record file>`."""
    if name == "manifest.json":
        return True
    parts = name.split("/")
    return (len(parts) == 2 and bool(_SLUG.match(parts[0]))
            and (parts[1] in RECORD_FILES or bool(re.match(r"^[A-Za-z0-9_-]{1,64}\.bel$", parts[1]))))


def decryptions_file(*, election: str, trustee: int, items: Sequence[Mapping[str, object]]) -> str:
    """The upload file of `saylau trustee decrypt-many`: every precinct's partial decryption."""
    return json.dumps({"format": DECRYPTIONS_FORMAT, "version": 1, "election": election, "trustee": trustee,
                       "decryptions": [dict(i) for i in items]}, separators=(",", ":")) + "\n"


@dataclass(frozen=True, slots=True)
class Decryption:
    precinct: str
    encrypted_tally: str
    partial_decryption: bytes
    owned: bytes


def read_decryptions(text: str, *, election: str, trustee: int) -> list[Decryption]:
    """Parse a decryptions file for `election` by `trustee` (its Belenios trustee id)."""
    step = Step.DECRYPTION
    d = _parse(step, trustee, text)
    if d.get("format") != DECRYPTIONS_FORMAT or d.get("version") != 1 or not isinstance(d.get("decryptions"), list):
        raise CeremonyUploadInvalid(step, trustee, "shape", "not a saylau decryptions file")
    if d.get("election") != election:
        raise CeremonyUploadInvalid(step, trustee, "other_election", str(d.get("election"))[:64])
    if d.get("trustee") != trustee:
        raise CeremonyUploadInvalid(step, trustee, "wrong_owner", f"file of trustee {d.get('trustee')!r}")
    out = []
    for i, item in enumerate(d["decryptions"]):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in
                                                 ("precinct", "encrypted_tally", "partial_decryption", "owned")):
            raise CeremonyUploadInvalid(step, trustee, "shape", f"decryptions[{i}]")
        out.append(Decryption(item["precinct"], item["encrypted_tally"], item["partial_decryption"].encode(),
                              item["owned"].encode()))
    if len({x.precinct for x in out}) != len(out):
        raise CeremonyUploadInvalid(step, trustee, "shape", "a precinct appears twice")
    return out


def tally_sha256(d: ElectionDir) -> tuple[str, int]:
    """The record's published encrypted tally: its SHA-256 and the ballots it covers."""
    from saylau.record.workflow import sized_tally

    sized = sized_tally(d)
    if sized is None:
        raise CeremonyStepRefused(d.election.uuid, "record_state", "no encrypted tally")
    return str(sized["encrypted_tally"]), int(str(sized["num_tallied"]))


def check_partial_decryption(d: ElectionDir, trustee: int, item: Decryption) -> None:
    """One precinct's partial decryption: owned by `trustee`, of this record's tally, every proof
    valid against the trustee's public key in the record's `trustees.json`."""
    step = Step.DECRYPTION
    try:
        published, _count = tally_sha256(d)
        if item.encrypted_tally != published:
            raise CeremonyUploadInvalid(step, trustee, "tally", f"precinct {item.precinct}")
        owned = json.loads(item.owned)
        if not isinstance(owned, dict) or owned.get("owner") != trustee:
            raise CeremonyUploadInvalid(step, trustee, "wrong_owner", f"precinct {item.precinct}")
        if owned.get("payload") != hashlib.sha256(item.partial_decryption).hexdigest():
            raise CeremonyUploadInvalid(step, trustee, "shape", f"precinct {item.precinct}: owner payload hash")
        election = d.election
        group = election.group
        keys = d.trustees()
        if trustee not in keys.keys:
            raise CeremonyUploadInvalid(step, trustee, "wrong_owner", f"precinct {item.precinct}: no such trustee")
        body = json.loads(item.partial_decryption)
        factors = [[group.parse(f, field="decryption_factors") for f in row] for row in body["decryption_factors"]]
        proofs = [[ProofItem(group.parse_scalar(p["challenge"], field="challenge"),
                             group.parse_scalar(p["response"], field="response")) for p in row]
                  for row in body["decryption_proofs"]]
        tally, _ = encrypted_tally(d)
        verify_partial_decryption(group, election.fingerprint, keys.keys[trustee], tally, factors, proofs)
    except CeremonyUploadInvalid:
        raise
    except (CryptoError, RecordError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CeremonyUploadInvalid(step, trustee, "proof", f"precinct {item.precinct}: {str(exc)[:300]}") from None
