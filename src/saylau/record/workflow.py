"""Running an election in a directory, as belenios-tool does: the operations behind the CLI.

The directory holds `election.json`, `trustees.json`, `public_creds.json` and the archive
`<uuid>.bel`, which grows one event at a time: Setup, Ballot…, EndBallots,
EncryptedTally, PartialDecryption…, Result. Every operation checks what it appends: a
ballot is cast only if it verifies and its credential is known; the tally applies the
re-vote rule (the last ballot of each credential counts).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saylau.crypto import elgamal
from saylau.crypto.decryption import (
    combine,
    decrypt_result,
    partial_decrypt,
    verify_partial_decryption,
)
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.group import SYSTEM_RNG, Rng
from saylau.crypto.trustees import TrusteeKeys, verify_trustees

from .archive import ArchiveWriter, Event, read_events
from .ballot import BallotError, check_ballot, parse_ballot
from .canonical import dumpb, loads_strict, sha256_hex
from .election import Election, parse_election
from .errors import MalformedRecord, RecordError


class WorkflowError(RecordError):
    """An operation that the election's state does not allow (e.g. a ballot after the tally)."""


@dataclass
class ElectionDir:
    path: Path

    @property
    def election(self) -> Election:
        return parse_election(_read(self.path / "election.json"))

    @property
    def archive(self) -> Path:
        return self.path / f"{self.election.uuid}.bel"

    def trustees(self) -> TrusteeKeys[Any]:
        return verify_trustees(self.election.group, loads_strict(_read(self.path / "trustees.json"), "trustees.json"))

    def credentials(self) -> dict[str, int]:
        out: dict[str, int] = {}
        entries = loads_strict(_read(self.path / "public_creds.json"), "public_creds.json")
        if not isinstance(entries, list):
            raise MalformedRecord("public_creds.json", "expected a list")
        for e in entries:
            cred, _, weight = str(e).partition(",")
            out[cred] = int(weight.split(",")[0] or 1) if weight else 1
        return out

    def events(self) -> list[str]:
        return [e.type for e in read_events(self.archive) if isinstance(e, Event)]


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return data[:-1] if data.endswith(b"\n") else data


def archive_credentials(public_creds: Sequence[str]) -> bytes:
    """The archive's credential list: `cred` or `cred,weight` (logins dropped)."""
    out = []
    for e in public_creds:
        parts = e.split(",")
        out.append(parts[0] if len(parts) < 2 or not parts[1] else f"{parts[0]},{parts[1]}")
    return dumpb(out)


def init_archive(d: ElectionDir, *, timestamp: int) -> Path:
    """Create `<uuid>.bel` with the Setup event."""
    election = _read(d.path / "election.json")
    parse_election(election)
    trustees = _read(d.path / "trustees.json")
    d.trustees()
    creds = archive_credentials([str(x) for x in json.loads(_read(d.path / "public_creds.json"))])
    setup = dumpb({"election": sha256_hex(election), "trustees": sha256_hex(trustees), "credentials": sha256_hex(creds)})
    archive = d.archive
    if archive.exists():
        raise WorkflowError(f"{archive} already exists")
    w = ArchiveWriter(archive, timestamp=timestamp)
    w.add_event("Setup", [election, trustees, creds, setup])
    return archive


def cast(d: ElectionDir, raw: bytes) -> str:
    """Check a ballot completely and append it; return its tracker."""
    if "EndBallots" in d.events():
        raise WorkflowError("voting is closed (EndBallots is in the archive)")
    election = d.election
    ballot = parse_ballot(raw, election)
    check_ballot(ballot, election)
    if ballot.credential not in d.credentials():
        raise BallotError("ballot.credential", "this credential is not on the election's list", "ballot.unknown_credential")
    for e in read_events(d.archive):
        if isinstance(e, Event) and e.type == "Ballot" and e.payload == raw:
            raise BallotError("ballot", "this exact ballot was already cast", "ballot.duplicate")
    ArchiveWriter(d.archive).add_event("Ballot", [raw])
    return ballot.tracker


def _counted(d: ElectionDir) -> tuple[list[list[Ciphertext[Any]]], int, int]:
    election, creds = d.election, d.credentials()
    group = election.group
    last: dict[str, tuple[bytes, int]] = {}
    for e in read_events(d.archive):
        if isinstance(e, Event) and e.type == "Ballot" and e.payload is not None:
            try:
                b = parse_ballot(e.payload, election)
                check_ballot(b, election)
            except BallotError:
                continue
            if b.credential in creds:
                last[b.credential] = (e.payload, creds[b.credential])
    tally = [[elgamal.identity(group) for _ in range(q.shape.slots)] for q in election.questions]
    for raw, weight in last.values():
        b = parse_ballot(raw, election)
        for qi, ans in enumerate(b.answers):
            for ai, ct in enumerate(ans.choices):
                tally[qi][ai] = elgamal.multiply(group, tally[qi][ai], ct if weight == 1 else elgamal.power(group, ct, weight))
    return tally, len(last), sum(w for _, w in last.values())


def _tally_json(d: ElectionDir, tally: list[list[Ciphertext[Any]]]) -> bytes:
    g = d.election.group
    return dumpb([[{"alpha": g.encode(c.alpha), "beta": g.encode(c.beta)} for c in row] for row in tally])


def close_and_tally(d: ElectionDir) -> dict[str, object]:
    """Append EndBallots and the EncryptedTally; return the sized tally."""
    if "EndBallots" in d.events():
        raise WorkflowError("the tally has already been computed")
    tally, n, w = _counted(d)
    data = _tally_json(d, tally)
    sized = {"num_tallied": n, "total_weight": w, "encrypted_tally": sha256_hex(data)}
    writer = ArchiveWriter(d.archive)
    writer.add_event("EndBallots")
    writer.add_event("EncryptedTally", [data, dumpb(sized)])
    return sized


def encrypted_tally(d: ElectionDir) -> tuple[list[list[Ciphertext[Any]]], int]:
    election = d.election
    g = election.group
    for e in read_events(d.archive):
        if isinstance(e, Event) and e.type == "EncryptedTally" and e.payload is not None:
            sized = json.loads(e.payload)
            rows = json.loads(e.linked[sized["encrypted_tally"]])
            return ([[Ciphertext(g.parse(c["alpha"], field="tally"), g.parse(c["beta"], field="tally")) for c in row] for row in rows],
                    int(sized["total_weight"]))
    raise WorkflowError("no encrypted tally yet: run the tally first")


def make_partial_decryption(d: ElectionDir, trustee_id: int, secret: int, *, rng: Rng = SYSTEM_RNG) -> tuple[bytes, bytes]:
    """The partial decryption of trustee `trustee_id` and its owner object."""
    election = d.election
    g = election.group
    keys = d.trustees()
    if trustee_id not in keys.keys:
        raise WorkflowError(f"trustee {trustee_id} does not exist (ids {sorted(keys.keys)})")
    if g.g_pow(secret) != keys.keys[trustee_id]:
        raise WorkflowError(f"this secret is not trustee {trustee_id}'s key")
    tally, _ = encrypted_tally(d)
    factors, proofs = partial_decrypt(g, election.fingerprint, secret, tally, rng=rng)
    pd = dumpb({
        "decryption_factors": [[g.encode(f) for f in row] for row in factors],
        "decryption_proofs": [[{"challenge": str(p.challenge), "response": str(p.response)} for p in row] for row in proofs],
    })
    return pd, dumpb({"owner": trustee_id, "payload": sha256_hex(pd)})


def add_partial_decryption(d: ElectionDir, pd: bytes, owned: bytes) -> int:
    election = d.election
    g = election.group
    o = loads_strict(owned, "owned_partial_decryption")
    if not isinstance(o, dict) or o.get("payload") != sha256_hex(pd):
        raise MalformedRecord("owned_partial_decryption", "payload does not point at this partial decryption")
    owner = int(o["owner"])
    keys = d.trustees()
    if owner not in keys.keys:
        raise WorkflowError(f"trustee {owner} does not exist")
    body = loads_strict(pd, "partial_decryption")
    assert isinstance(body, dict)
    tally, _ = encrypted_tally(d)
    from saylau.crypto.proofs import ProofItem

    factors = [[g.parse(f, field="decryption_factors") for f in row] for row in body["decryption_factors"]]
    proofs = [[ProofItem(g.parse_scalar(p["challenge"], field="challenge"), g.parse_scalar(p["response"], field="response")) for p in row]
              for row in body["decryption_proofs"]]
    verify_partial_decryption(g, election.fingerprint, keys.keys[owner], tally, factors, proofs)
    ArchiveWriter(d.archive).add_event("PartialDecryption", [pd, owned])
    return owner


def compute_result(d: ElectionDir) -> list[list[int]]:
    """Combine the partial decryptions in the archive, find the counts, append the Result."""
    election = d.election
    g = election.group
    keys = d.trustees()
    tally, total_weight = encrypted_tally(d)
    shares: dict[int, list[list[Any]]] = {}
    for e in read_events(d.archive):
        if isinstance(e, Event) and e.type == "PartialDecryption" and e.payload is not None:
            o = json.loads(e.payload)
            body = json.loads(e.linked[o["payload"]])
            shares.setdefault(int(o["owner"]), [[g.parse(f, field="factor") for f in row] for row in body["decryption_factors"]])
    combined = combine(g, keys.items, shares, [len(r) for r in tally])
    result = decrypt_result(g, tally, combined, total_weight)
    ArchiveWriter(d.archive).add_event("Result", [dumpb({"result": result})])
    return result
