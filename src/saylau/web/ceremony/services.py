"""Writes of the trustees' ceremonies. The web app never sees a private key: trustees run the
`saylau` commands on their own computers and upload public files, each checked by
`saylau.domain.ceremony` before it is stored.

Key ceremony: `ceremony_create` (a commission with decision scope names the trustees and the
threshold) → `trustee_upload` for each step (single: the public key; Pedersen: certificate →
polynomial → [the server routes the encrypted shares] → voutput → [the server combines them into
`trustees.json`]). Decryption ceremony: `record_register` (a precinct's election directory, from
the voting layer) → `records_tally` (close voting, encrypted tally) → `decryptions_upload` (a
trustee's partial decryptions of many precincts); once any `threshold` trustees have decrypted a
precinct, the server combines them (`compute_result`), verifies the record (`verify_record`) and
hands it to `results.services.precinct_protocol_record`.

Every function takes the time as `now`, runs in one transaction, writes an audit entry and a board
event: `ceremony.created`, `ceremony.public_key`, `ceremony.certificate`, `ceremony.polynomial`,
`ceremony.routed`, `ceremony.voutput`, `ceremony.completed` (the election key and the SHA-256 of
`trustees.json`), `ceremony.record`, `ceremony.tally`, `ceremony.decryption`, `ceremony.result`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from saylau.crypto import dkg
from saylau.domain.ceremony import (
    DEFAULT_GROUP,
    CeremonyKind,
    CeremonySetupInvalid,
    CeremonyStepRefused,
    CeremonyUploadInvalid,
    Step,
    check_certificate,
    check_partial_decryption,
    check_polynomial,
    check_public_key,
    check_setup,
    check_voutput,
    min_group_size,
    pedersen_trustees,
    read_decryptions,
    require_step,
    route,
    single_trustees,
)
from saylau.domain.election import Stage, require_aware
from saylau.domain.errors import CommissionScopeRefused, DomainError
from saylau.domain.rulepack import load_builtin_pack
from saylau.errors import SaylauError
from saylau.record.archive import Event, read_events
from saylau.record.canonical import sha256_hex
from saylau.record.directory import read_file
from saylau.record.tallymany import Tallied, tally_many
from saylau.record.workflow import (
    ElectionDir,
    add_partial_decryption,
    compute_result,
)
from saylau.verify.errors import UnreadableRecord
from saylau.verify.verifier import verify_record
from saylau.web.ceremony.models import KeyCeremony, PartialDecryption, PrecinctRecord, Trustee
from saylau.web.ceremony.selectors import display_name, done_counts
from saylau.web.commissions.models import Membership
from saylau.web.commissions.selectors import acting_membership
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.elections.models import Election
from saylau.web.results import services as results
from saylau.web.territory.models import Precinct

COUNTING_STAGES = (Stage.COUNTING, Stage.RESULTS)


def _scope(actor: User | None, election: Election, now: datetime, *, decision: bool) -> Membership | None:
    if actor is None:
        return None
    found = acting_membership(actor, election, decision=decision, now=now)
    if found is None:
        raise CommissionScopeRefused(election.code)
    return found


def _ceremony(election: Election, *, lock: bool = True) -> KeyCeremony:
    rows = KeyCeremony.objects.select_for_update(of=("self",)) if lock else KeyCeremony.objects.all()
    found = rows.filter(election=election).first()
    if found is None:
        raise CeremonyStepRefused(election.code, "no_ceremony")
    return found


def trustee_acting(ceremony: KeyCeremony, actor: User, now: datetime) -> Trustee:
    """The actor's trustee row, if the actor is a trustee still sitting on a commission that
    covers the election. Raises `CommissionScopeRefused` (no longer in scope) or
    `CeremonyStepRefused` (`not_trustee`)."""
    _scope(actor, ceremony.election, now, decision=False)
    trustee = Trustee.objects.filter(ceremony=ceremony, user=actor).first()
    if trustee is None:
        raise CeremonyStepRefused(ceremony.election.code, "not_trustee")
    return trustee


# --- the key ceremony ------------------------------------------------------------------------------


@transaction.atomic
def ceremony_create(*, actor: User | None, election: Election, trustees: Sequence[User], threshold: int,
                    now: datetime, group: str = DEFAULT_GROUP) -> KeyCeremony:
    """Set up the key ceremony of `election`: `trustees` in this order (their numbers 1…n), each a
    member of a commission whose scope covers the election; `threshold` of them will decrypt.

    Raises `CommissionScopeRefused`, `CeremonyStepRefused` (`exists`), `CeremonySetupInvalid`."""
    require_aware(now, "now")
    election = Election.objects.select_for_update(of=("self",)).get(pk=election.pk)
    _scope(actor, election, now, decision=True)
    if KeyCeremony.objects.filter(election=election).exists():
        raise CeremonyStepRefused(election.code, "exists")
    kind = check_setup(len(trustees), threshold)
    if len({u.pk for u in trustees}) != len(trustees):
        raise CeremonySetupInvalid("trustees", "twice")
    memberships = []
    for user in trustees:
        m = acting_membership(user, election, decision=False, now=now)
        if m is None:
            raise CeremonySetupInvalid("trustees", "not_member", display_name(user))
        memberships.append(m)
    ceremony = KeyCeremony.objects.create(
        election=election, kind=kind.value, group=group, size=len(trustees), threshold=threshold,
        min_ballots=min_group_size(load_builtin_pack(election.pack_id)), created_at=now, created_by=actor)
    listed = []
    for index, (user, m) in enumerate(zip(trustees, memberships, strict=True), start=1):
        Trustee.objects.create(ceremony=ceremony, index=index, user=user, membership=m, name=display_name(user))
        listed.append({"index": index, "name": display_name(user), "commission": m.commission.code, "role": m.role})
    public = {"election": election.code, "kind": kind.value, "group": group, "size": len(trustees),
              "threshold": threshold, "min_ballots": ceremony.min_ballots, "trustees": listed}
    audit_record(actor=actor, action="ceremony.create", target=ceremony, at=now, data=public)
    board_record("ceremony.created", at=now, data=public)
    return ceremony


def _complete(ceremony: KeyCeremony, outcome: Any, actor: User, now: datetime) -> None:
    ceremony.trustees_json, ceremony.trustees_sha256 = outcome.text, outcome.sha256
    ceremony.public_key, ceremony.completed_at = outcome.election_key, now
    ceremony.save(update_fields=["trustees_json", "trustees_sha256", "public_key", "completed_at"])
    public = {"election": ceremony.election.code, "kind": ceremony.kind, "threshold": ceremony.threshold,
              "size": ceremony.size, "public_key": outcome.election_key, "trustees_sha256": outcome.sha256}
    audit_record(actor=actor, action="ceremony.complete", target=ceremony, at=now, data=public)
    board_record("ceremony.completed", at=now, data=public)


def _event(ceremony: KeyCeremony, trustee: Trustee, actor: User, now: datetime, kind: str,
           **data: object) -> None:
    public = {"election": ceremony.election.code, "trustee": trustee.index, "name": trustee.name, **data}
    audit_record(actor=actor, action=f"ceremony.{kind}", target=trustee, at=now, data=public)
    board_record(f"ceremony.{kind}", at=now, data=public)


def _all(election: Election, values: Sequence[Any]) -> list[dict[str, Any]]:
    """Every trustee's file of an earlier step (all present once the ceremony is past it)."""
    if any(v is None for v in values):
        raise CeremonyStepRefused(election.code, "wrong_step")
    return [dict(v) for v in values]


def _file_sha256(value: object) -> str:
    return hashlib.sha256(json.dumps(value, separators=(",", ":")).encode()).hexdigest()


@transaction.atomic
def trustee_upload(*, actor: User, election: Election, step: Step, text: str, now: datetime) -> Trustee:
    """A trustee hands in the public file of a key-ceremony step, checked before it is stored.
    The last polynomial makes the server route the shares; the last voutput (or the single
    trustee's public key) completes the ceremony.

    Raises `CommissionScopeRefused`, `CeremonyStepRefused` (no_ceremony, not_trustee, wrong_step,
    done) or `CeremonyUploadInvalid` (naming the step and what failed)."""
    require_aware(now, "now")
    ceremony = _ceremony(election)
    trustee = trustee_acting(ceremony, actor, now)
    kind = CeremonyKind(ceremony.kind)
    if step is Step.DECRYPTION or step is Step.COMPLETED:
        raise CeremonyStepRefused(election.code, "wrong_step", step.value)
    require_step(election.code, kind, done_counts(ceremony), ceremony.size, step)
    if getattr(trustee, step.value) is not None:
        raise CeremonyStepRefused(election.code, "done", step.value)
    trustees = list(ceremony.trustees.order_by("index"))
    if step is Step.PUBLIC_KEY:
        trustee.public_key = check_public_key(ceremony.group, text)
        trustee.public_key_at = now
        trustee.save(update_fields=["public_key", "public_key_at"])
        _event(ceremony, trustee, actor, now, "public_key", public_key=trustee.public_key)
        _complete(ceremony, single_trustees(ceremony.group, trustee.public_key), actor, now)
        return trustee
    if step is Step.CERTIFICATE:
        others = [t.certificate for t in trustees if t.certificate is not None]
        trustee.certificate = check_certificate(ceremony.group, text, index=trustee.index, size=ceremony.size,
                                                threshold=ceremony.threshold, others=others)
        trustee.certificate_at = now
        trustee.save(update_fields=["certificate", "certificate_at"])
        _event(ceremony, trustee, actor, now, "certificate", certificate=trustee.certificate,
               sha256=dkg.cert_name(trustee.certificate))
        return trustee
    certs = _all(election, [t.certificate for t in trustees])
    if step is Step.POLYNOMIAL:
        trustee.polynomial = check_polynomial(ceremony.group, text, index=trustee.index, certs=certs,
                                              threshold=ceremony.threshold)
        trustee.polynomial_at = now
        trustee.save(update_fields=["polynomial", "polynomial_at"])
        _event(ceremony, trustee, actor, now, "polynomial", coefexps=trustee.polynomial["coefexps"],
               signature=trustee.polynomial["signature"], sha256=_file_sha256(trustee.polynomial))
        given = [t.polynomial if t.pk != trustee.pk else trustee.polynomial for t in trustees]
        if all(p is not None for p in given):
            routed = route(_all(election, given))
            for t, vinput in zip(trustees, routed, strict=True):
                Trustee.objects.filter(pk=t.pk).update(vinput=vinput)
            public = {"election": election.code, "vinputs": [_file_sha256(v) for v in routed]}
            audit_record(actor=actor, action="ceremony.route", target=ceremony, at=now, data=public)
            board_record("ceremony.routed", at=now, data=public)
        return trustee
    # the voutput step
    polynomials = _all(election, [t.polynomial for t in trustees])
    trustee.voutput = check_voutput(ceremony.group, text, index=trustee.index, certs=certs, polynomials=polynomials)
    trustee.voutput_at = now
    trustee.save(update_fields=["voutput", "voutput_at"])
    _event(ceremony, trustee, actor, now, "voutput", public_key=trustee.voutput["public_key"]["public_key"])
    voutputs = [t.voutput if t.pk != trustee.pk else trustee.voutput for t in trustees]
    if all(v is not None for v in voutputs):
        _complete(ceremony, pedersen_trustees(ceremony.group, certs, polynomials, _all(election, voutputs),
                                              ceremony.threshold),
                  actor, now)
    return trustee


# --- the decryption ceremony -----------------------------------------------------------------------


@transaction.atomic
def record_register(*, actor: User | None, election: Election, precinct: Precinct, directory: Path,
                    ballots_issued: int, issued_source: str = "", now: datetime) -> PrecinctRecord:
    """Register a precinct's election directory (`election.json`, `trustees.json`,
    `public_creds.json`, `<uuid>.bel`) held by the voting layer: its trustees must be the
    ceremony's. Raises `CeremonyStepRefused` (no_ceremony, not_completed, record_key,
    record_twice, record_state) or `CommissionScopeRefused`."""
    require_aware(now, "now")
    ceremony = _ceremony(election)
    _scope(actor, election, now, decision=False)
    if ceremony.completed_at is None:
        raise CeremonyStepRefused(election.code, "not_completed")
    if PrecinctRecord.objects.filter(ceremony=ceremony, precinct=precinct).exists():
        raise CeremonyStepRefused(election.code, "record_twice", precinct.code)
    d = ElectionDir(Path(directory).resolve())
    try:
        same_key = sha256_hex(read_file(d.path / "trustees.json")) == ceremony.trustees_sha256
        uuid = d.election.uuid
    except (OSError, SaylauError) as exc:
        raise CeremonyStepRefused(election.code, "record_state", f"{precinct.code}: {exc}") from None
    if not same_key:
        raise CeremonyStepRefused(election.code, "record_key", precinct.code)
    row = PrecinctRecord.objects.create(ceremony=ceremony, precinct=precinct, path=str(d.path), uuid=uuid,
                                        ballots_issued=ballots_issued, issued_source=issued_source[:200],
                                        registered_at=now)
    public = {"election": election.code, "precinct": precinct.code, "uuid": uuid,
              "trustees_sha256": ceremony.trustees_sha256}
    audit_record(actor=actor, action="ceremony.record", target=row, at=now, data=public)
    board_record("ceremony.record", at=now, data=public)
    return row


def _tally(paths: list[str]) -> list[Tallied]:
    """The records' tallies: on the Dask cluster at `settings.DASK_SCHEDULER` when one is
    configured (its workers must see the election directories), else in a local process pool."""
    address = getattr(settings, "DASK_SCHEDULER", "")
    if not address:
        return list(tally_many(paths))
    from distributed import Client

    with Client(address, timeout=30) as client:  # type: ignore[no-untyped-call]  # distributed is untyped
        return list(tally_many(paths, executor=client.get_executor()))


@transaction.atomic
def records_tally(*, actor: User | None, election: Election, now: datetime) -> list[PrecinctRecord]:
    """Close voting in every registered precinct record and compute its encrypted tally; publish
    each tally's SHA-256 and ballot count. Raises `CommissionScopeRefused`, `CeremonyStepRefused`
    (no_ceremony, not_completed, wrong_stage, no_records)."""
    require_aware(now, "now")
    ceremony = _ceremony(election)
    _scope(actor, election, now, decision=True)
    if ceremony.completed_at is None:
        raise CeremonyStepRefused(election.code, "not_completed")
    if Stage(election.stage) not in COUNTING_STAGES:
        raise CeremonyStepRefused(election.code, "wrong_stage", election.stage)
    rows = list(PrecinctRecord.objects.select_for_update(of=("self",)).filter(ceremony=ceremony, state="registered")
                .select_related("precinct"))
    if not rows:
        raise CeremonyStepRefused(election.code, "no_records")
    results = {t.path: t for t in _tally([row.path for row in rows])}
    failed = [f"{row.precinct.code}: {results[row.path].error}" for row in rows if results[row.path].error]
    if failed:
        raise CeremonyStepRefused(election.code, "record_state", "; ".join(failed[:5]))
    for row in rows:
        tallied = results[row.path]
        digest, counted, weight = tallied.encrypted_tally, tallied.num_tallied, tallied.total_weight
        row.encrypted_tally, row.num_tallied, row.tallied_at, row.state = digest, counted, now, "tallied"
        row.save(update_fields=["encrypted_tally", "num_tallied", "tallied_at", "state"])
        public = {"election": election.code, "precinct": row.precinct.code, "uuid": row.uuid,
                  "num_tallied": counted, "total_weight": weight, "encrypted_tally": digest}
        audit_record(actor=actor, action="ceremony.tally", target=row, at=now, data=public)
        board_record("ceremony.tally", at=now, data=public)
    return rows


@dataclass
class DecryptionsOutcome:
    accepted: list[str] = field(default_factory=list)
    """Precincts whose partial decryption was checked and stored."""
    skipped: list[str] = field(default_factory=list)
    """Precincts already decrypted, or already decrypted by this trustee."""
    decrypted: list[str] = field(default_factory=list)
    """Precincts whose result was computed now."""


@transaction.atomic
def decryptions_upload(*, actor: User, election: Election, text: str, now: datetime) -> DecryptionsOutcome:
    """A trustee's decryptions file (`saylau trustee decrypt-many`): every partial decryption is
    checked against the trustee's public key before any is stored (one bad proof refuses the file);
    every precinct that now has `threshold` of them is decrypted and its protocol made.

    Raises `CommissionScopeRefused`, `CeremonyStepRefused` (not_trustee, wrong_step) or
    `CeremonyUploadInvalid`."""
    require_aware(now, "now")
    ceremony = _ceremony(election)
    trustee = trustee_acting(ceremony, actor, now)
    require_step(election.code, CeremonyKind(ceremony.kind), done_counts(ceremony), ceremony.size, Step.DECRYPTION)
    items = read_decryptions(text, election=election.code, trustee=trustee.index)
    records = {r.precinct.code: r for r in PrecinctRecord.objects.select_for_update(of=("self",))
               .filter(ceremony=ceremony).select_related("precinct")}
    outcome = DecryptionsOutcome()
    accepted = []
    for item in items:
        record = records.get(item.precinct)
        if record is None or record.state == "registered":
            raise CeremonyUploadInvalid(Step.DECRYPTION, trustee.index, "precinct", item.precinct[:64])
        if record.state == "decrypted" or record.decryptions.filter(trustee=trustee).exists():
            outcome.skipped.append(item.precinct)
            continue
        if item.encrypted_tally != record.encrypted_tally:
            raise CeremonyUploadInvalid(Step.DECRYPTION, trustee.index, "tally", item.precinct)
        check_partial_decryption(ElectionDir(Path(record.path)), trustee.index, item)
        accepted.append((record, item))
    for record, item in accepted:
        PartialDecryption.objects.create(record=record, trustee=trustee, partial_decryption=item.partial_decryption,
                                         owned=item.owned, uploaded_at=now)
        _event(ceremony, trustee, actor, now, "decryption", precinct=record.precinct.code,
               encrypted_tally=record.encrypted_tally,
               partial_decryption_sha256=hashlib.sha256(item.partial_decryption).hexdigest())
        outcome.accepted.append(record.precinct.code)
        if record.decryptions.count() >= ceremony.threshold:
            _decrypt(ceremony, record, actor, now)
            outcome.decrypted.append(record.precinct.code)
    return outcome


def _archive_state(d: ElectionDir) -> tuple[set[int], list[list[int]] | None]:
    owners: set[int] = set()
    result = None
    for e in read_events(d.archive):
        if isinstance(e, Event) and e.payload is not None:
            if e.type == "PartialDecryption":
                owners.add(int(json.loads(e.payload)["owner"]))
            elif e.type == "Result":
                result = json.loads(e.payload)["result"]
    return owners, result


def _decrypt(ceremony: KeyCeremony, record: PrecinctRecord, actor: User, now: datetime) -> None:
    """Combine the first `threshold` partial decryptions into the Result, verify the record, and
    make the precinct's results protocol (a refusal there is recorded, not raised)."""
    election = ceremony.election
    d = ElectionDir(Path(record.path))
    chosen = list(record.decryptions.select_related("trustee").order_by("trustee__index")[:ceremony.threshold])
    owners, result = _archive_state(d)
    if result is None:
        for pd in chosen:
            if pd.trustee.index not in owners:
                add_partial_decryption(d, bytes(pd.partial_decryption), bytes(pd.owned))
        result = compute_result(d)
    try:
        report = verify_record(d.path, progress=False)
        findings = sorted(report.checks()) if not report.ok else []
    except UnreadableRecord:
        findings = ["archive.unreadable"]
    record.result, record.decrypted_at, record.state = result, now, "decrypted"
    refusal = ""
    if findings:
        refusal = "verification findings: " + ", ".join(findings)
    else:
        try:
            with transaction.atomic():
                record.protocol = results.precinct_protocol_record(
                    actor=None, election=election, precinct=record.precinct, record=d.path,
                    ballots_issued=record.ballots_issued, issued_source=record.issued_source, now=now)
        except DomainError as err:
            refusal = f"{err.code.value}: {err}"
    record.protocol_refusal = refusal
    record.save(update_fields=["result", "decrypted_at", "state", "protocol", "protocol_refusal"])
    public = {"election": election.code, "precinct": record.precinct.code, "uuid": record.uuid, "result": result,
              "trustees": [pd.trustee.index for pd in chosen], "encrypted_tally": record.encrypted_tally,
              "verified": not findings, "protocol_sha256": record.protocol.sha256 if record.protocol else None}
    audit_record(actor=actor, action="ceremony.result", target=record, at=now, data={**public, "refusal": refusal})
    board_record("ceremony.result", at=now, data=public)
