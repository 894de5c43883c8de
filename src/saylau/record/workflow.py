"""Running an election in a directory, as belenios-tool does: the operations behind the CLI.

The directory holds `election.json`, `trustees.json`, `public_creds.json` and the archive
`<uuid>.bel`, which grows one event at a time: Setup, Ballot…, EndBallots,
EncryptedTally, PartialDecryption…, Result. Every operation checks what it appends: a
ballot is cast only if it verifies and its credential is known; the tally applies the
re-vote rule (the last ballot of each credential counts).

`cast` and `close_and_tally` read the archive once (one `read_events` pass) and append
through `ArchiveWriter.resume`, which does not read it again; the tally streams, keeping
per credential only where its last ballot is.
"""

from __future__ import annotations

import json
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

from .archive import ArchiveWriter, Event, Header, read_data_at, read_events
from .ballot import BallotError, check_ballot, parse_ballot
from .canonical import dumpb, loads_strict, sha256_hex
from .directory import archive_credentials, read_file
from .election import Election, parse_election
from .errors import MalformedRecord, RecordError


class WorkflowError(RecordError):
    """An operation that the election's state does not allow (e.g. a ballot after the tally)."""


@dataclass
class ElectionDir:
    path: Path

    @property
    def election(self) -> Election:
        return parse_election(read_file(self.path / "election.json"))

    @property
    def archive(self) -> Path:
        return self.path / f"{self.election.uuid}.bel"

    def trustees(self) -> TrusteeKeys[Any]:
        return verify_trustees(self.election.group, loads_strict(read_file(self.path / "trustees.json"), "trustees.json"))

    def credentials(self) -> dict[str, int]:
        out: dict[str, int] = {}
        entries = loads_strict(read_file(self.path / "public_creds.json"), "public_creds.json")
        if not isinstance(entries, list):
            raise MalformedRecord("public_creds.json", "expected a list")
        for e in entries:
            cred, _, weight = str(e).partition(",")
            out[cred] = int(weight.split(",")[0] or 1) if weight else 1
        return out

    def events(self) -> list[str]:
        return [e.type for e in read_events(self.archive) if isinstance(e, Event)]


def init_archive(d: ElectionDir, *, timestamp: int) -> Path:
    """Create `<uuid>.bel` with the Setup event."""
    election = read_file(d.path / "election.json")
    parse_election(election)
    trustees = read_file(d.path / "trustees.json")
    d.trustees()
    creds = archive_credentials(json.loads(read_file(d.path / "public_creds.json")))
    setup = dumpb({"election": sha256_hex(election), "trustees": sha256_hex(trustees), "credentials": sha256_hex(creds)})
    archive = d.archive
    if archive.exists():
        raise WorkflowError(f"{archive} already exists")
    w = ArchiveWriter(archive, timestamp=timestamp)
    w.add_event("Setup", [election, trustees, creds, setup])
    return archive


def cast(d: ElectionDir, raw: bytes) -> str:
    """Check a ballot completely and append it; return its tracker.

    One pass over the archive: is voting closed, was this exact ballot already cast, and
    which event is last (so that the writer need not read the archive again).
    """
    header: Header | None = None
    last: Event | None = None
    duplicate = False
    for e in read_events(d.archive):
        if isinstance(e, Header):
            header = e
            continue
        if e.height < 0:
            continue
        last = e
        if e.type == "EndBallots":
            raise WorkflowError("voting is closed (EndBallots is in the archive)")
        if e.type == "Ballot" and e.payload == raw:
            duplicate = True
    election = d.election
    ballot = parse_ballot(raw, election)
    check_ballot(ballot, election)
    if ballot.credential not in d.credentials():
        raise BallotError("ballot.credential", "this credential is not on the election's list", "ballot.unknown_credential")
    if duplicate:
        raise BallotError("ballot", "this exact ballot was already cast", "ballot.duplicate")
    # `follows` re-checks, under the writer's lock, that voting was not closed meanwhile.
    ArchiveWriter.resume(d.archive, header, last).add_event("Ballot", [raw], follows=("Setup", "Ballot"))
    return ballot.tracker


@dataclass
class _Counted:
    tally: list[list[Ciphertext[Any]]]
    num_tallied: int
    total_weight: int
    header: Header | None
    last: Event | None  # the archive's last event (height ≥ 0)


def _apply(group: Any, tally: list[list[Ciphertext[Any]]], ballot: Any, weight: int, *, divide: bool = False) -> None:
    """Multiply the ballot's ciphertexts (to the power `weight`) into the tally, or divide them out."""
    op = group.div if divide else group.mul
    for qi, ans in enumerate(ballot.answers):
        row = tally[qi]
        for ai, ct in enumerate(ans.choices):
            c = ct if weight == 1 else elgamal.power(group, ct, weight)
            row[ai] = Ciphertext(op(row[ai].alpha, c.alpha), op(row[ai].beta, c.beta))


def _counted(d: ElectionDir, *, recheck: bool = False) -> _Counted:
    """One streaming pass: the product of the last ballot of each listed credential.

    Every ballot is parsed once and multiplied in; when a credential votes again, its
    previous ballot is re-read by offset and divided out. Memory: per credential, only
    (height, offset, size, weight). Proofs were checked by `cast`, so they are re-checked
    only with `recheck`; ballots that do not parse or have an unknown credential never count.
    Raises `WorkflowError` if the archive already holds EndBallots.
    """
    election, creds, archive = d.election, d.credentials(), d.archive
    group = election.group
    tally = [[elgamal.identity(group) for _ in range(q.shape.slots)] for q in election.questions]
    last: dict[str, tuple[int, int, int, int]] = {}  # credential -> (height, offset, size, weight)
    total_weight = 0
    header: Header | None = None
    last_event: Event | None = None
    for e in read_events(archive):
        if isinstance(e, Header):
            header = e
            continue
        if e.height < 0:
            continue
        last_event = e
        if e.type == "EndBallots":
            raise WorkflowError("the tally has already been computed")
        if e.type != "Ballot" or e.payload is None or e.payload_offset is None:
            continue
        try:
            ballot = parse_ballot(e.payload, election)
            if recheck:
                check_ballot(ballot, election)
        except BallotError:
            continue
        weight = creds.get(ballot.credential)
        if weight is None:
            continue
        _apply(group, tally, ballot, weight)
        previous = last.get(ballot.credential)
        if previous is None:
            total_weight += weight
        else:
            h, off, size, w = previous
            _apply(group, tally, parse_ballot(read_data_at(archive, off, size), election, f"ballot at height {h}"), w, divide=True)
        last[ballot.credential] = (e.height, e.payload_offset, len(e.payload), weight)
    return _Counted(tally, len(last), total_weight, header, last_event)


def _tally_json(d: ElectionDir, tally: list[list[Ciphertext[Any]]]) -> bytes:
    g = d.election.group
    return dumpb([[{"alpha": g.encode(c.alpha), "beta": g.encode(c.beta)} for c in row] for row in tally])


def close_and_tally(d: ElectionDir, *, recheck: bool = False) -> dict[str, object]:
    """Append EndBallots and the EncryptedTally; return the sized tally.

    One pass over the archive (see `_counted`); `recheck` also re-verifies every ballot's
    proofs, for archives whose ballots were not appended by `cast`.
    """
    counted = _counted(d, recheck=recheck)
    data = _tally_json(d, counted.tally)
    sized = {"num_tallied": counted.num_tallied, "total_weight": counted.total_weight, "encrypted_tally": sha256_hex(data)}
    writer = ArchiveWriter.resume(d.archive, counted.header, counted.last)
    writer.add_event("EndBallots", follows=("Setup", "Ballot"), unchanged=True)  # no ballot missed
    writer.add_event("EncryptedTally", [data, dumpb(sized)], follows=("EndBallots",))
    return sized


def _tally_event(d: ElectionDir) -> Event | None:
    for e in read_events(d.archive):
        if isinstance(e, Event) and e.type == "EncryptedTally" and e.payload is not None:
            return e
    return None


def sized_tally(d: ElectionDir) -> dict[str, object] | None:
    """The archive's published sized tally (`num_tallied`, `total_weight`, `encrypted_tally`:
    the hash of the encrypted tally), as `close_and_tally` returned it; None before the tally."""
    e = _tally_event(d)
    if e is None or e.payload is None:
        return None
    sized: dict[str, object] = json.loads(e.payload)
    return sized


def encrypted_tally(d: ElectionDir) -> tuple[list[list[Ciphertext[Any]]], int]:
    g = d.election.group
    e = _tally_event(d)
    if e is None or e.payload is None:
        raise WorkflowError("no encrypted tally yet: run the tally first")
    sized = json.loads(e.payload)
    rows = json.loads(e.linked[sized["encrypted_tally"]])
    return ([[Ciphertext(g.parse(c["alpha"], field="tally"), g.parse(c["beta"], field="tally")) for c in row] for row in rows],
            int(sized["total_weight"]))


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
