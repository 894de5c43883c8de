"""Writes of voting: setting up each precinct's Belenios election (before voting opens), the trackers
audited in the booth, the remote voters' passwords. Casting is `casting` (its own critical section).

Setup of a precinct (`voting_setup`): a directory `settings.ELECTIONS_DIR/<code>/<precinct>/`
made with the record layer — `election.json` (the precinct's identifier, as the credential
authority used it; group Ed25519; one question, min 1, max 1, no blank, the ballot definition's
answers in order, "against all" included; the ceremony's election key), `trustees.json` (the
ceremony's, byte for byte), `public_creds.json` (the precinct's valid public credentials, both
channels), the archive with its Setup event, and the precinct's own board (`saylau board init`'s
layout: `board/` and `board-log.skey`). Each is audited and announced on the public board
(`voting.setup`: precinct, identifier, fingerprint, the board's key). The booth's file manifest
is published with it (`voting.booth`), and the audio ballot is made for the ballot unless it
already is (`credentials.audio_ensure`: espeak-ng, every language). Until voting opens, a setup
may be run again: a precinct whose credential list changed (a replaced letter) gets a fresh
directory; others are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from saylau.board.note import Signer
from saylau.board.publish import publish_checkpoint
from saylau.board.store import LogStore
from saylau.crypto.group import group_by_name
from saylau.crypto.trustees import verify_trustees
from saylau.domain.election import Stage, require_aware
from saylau.domain.errors import CommissionScopeRefused
from saylau.domain.results import definition_from_json
from saylau.domain.voting import SetupReason, VotingSetupRefused, require_setup_allowed
from saylau.record.boardlog import mirror_archive
from saylau.record.canonical import dumpb, loads_strict
from saylau.record.election import election_from_template
from saylau.record.workflow import ElectionDir, init_archive
from saylau.web.ceremony.selectors import ceremony_of
from saylau.web.commissions.selectors import acting_membership
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.credentials.models import CredentialSet, VoterChannel, VoterRef
from saylau.web.credentials.selectors import public_credentials
from saylau.web.credentials.services import audio_ensure
from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct
from saylau.web.voting import booth
from saylau.web.voting.auth import new_password, password_digest
from saylau.web.voting.models import AuditedTracker, BoothManifest, PrecinctElection, VoterPassword
from saylau.web.voting.selectors import station_figures

GROUP = "Ed25519"


def _scope(actor: User | None, election: Election, now: datetime) -> None:
    if actor is not None and acting_membership(actor, election, decision=True, now=now) is None:
        raise CommissionScopeRefused(election.code)


def precinct_dir(election: Election, precinct: str) -> Path:
    return Path(settings.ELECTIONS_DIR) / election.code / precinct


def credentials_digest(values: list[str]) -> str:
    return hashlib.sha256(dumpb(values)).hexdigest()


@dataclass(frozen=True)
class _Plan:
    precinct: Precinct
    uuid: str
    credentials: list[str]


def _plans(election: Election) -> list[_Plan]:
    sets = list(CredentialSet.objects.filter(election=election).select_related("precinct")
                .order_by("precinct__number", "channel"))
    if not sets:
        raise VotingSetupRefused(election.code, SetupReason.NO_CREDENTIALS)
    by_precinct: dict[str, list[CredentialSet]] = {}
    for s in sets:
        by_precinct.setdefault(s.precinct.code, []).append(s)
    plans, seen = [], set()
    for code, rows in by_precinct.items():
        uuids = {r.uuid for r in rows}
        if len(uuids) != 1 or rows[0].uuid in seen or rows[0].group != GROUP:
            raise VotingSetupRefused(election.code, SetupReason.UUID_CONFLICT, code)
        seen.add(rows[0].uuid)
        plans.append(_Plan(rows[0].precinct, rows[0].uuid, public_credentials(election, code)))
    if PrecinctElection.objects.filter(uuid__in=seen).exclude(election=election).exists():
        raise VotingSetupRefused(election.code, SetupReason.UUID_CONFLICT)
    return plans


def _template(election: Election) -> dict[str, object]:
    row = getattr(election, "ballot_definition", None)
    if row is None:
        raise VotingSetupRefused(election.code, SetupReason.NO_BALLOT)
    definition = definition_from_json(row.data)
    return {"description": f"{election.code}", "name": election.title_kk or election.code,
            "questions": [{"question": election.title_kk or election.code, "answers": list(definition.answers()),
                           "min": 1, "max": 1}]}


def _make_dir(d: Path, *, uuid: str, template: dict[str, object], trustees: bytes, credentials: list[str],
              now: datetime) -> tuple[str, str]:
    """Write the precinct's election directory; return (fingerprint, board vkey)."""
    if d.exists():
        shutil.rmtree(d)  # an earlier setup's directory (its row is replaced in this transaction)
    d.mkdir(parents=True)
    group = group_by_name(GROUP)
    (d / "trustees.json").write_bytes(trustees)
    election_key = verify_trustees(group, loads_strict(trustees, "trustees.json")).election_key
    raw = election_from_template(template, uuid=uuid, group=group, public_key=election_key)
    (d / "election.json").write_bytes(raw)
    (d / "public_creds.json").write_bytes(dumpb(credentials))
    init_archive(ElectionDir(d), timestamp=int(now.timestamp()))
    vkey = _board_init(d, f"saylau.local/election/{uuid}")
    return ElectionDir(d).election.fingerprint, vkey


def _board_init(d: Path, origin: str) -> str:
    """The precinct's own board, in `saylau board init`'s layout (`board/`, `board-log.skey` 0600):
    the archive mirrored onto it and a first signed checkpoint. Returns the log's vkey."""
    signer = Signer.generate(origin)
    fd = os.open(d / "board-log.skey", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(signer.skey() + "\n")
    with LogStore(d / "board", create=True) as store:
        (d / "board" / "log.vkey").write_text(signer.vkey() + "\n")
        mirror_archive(ElectionDir(d).archive, store)
        publish_checkpoint(store, signer, [])
    return signer.vkey()


def voting_setup(*, actor: User | None, election: Election, now: datetime) -> list[PrecinctElection]:
    """Set up (or bring up to date) every precinct's Belenios election of `election`; return those
    made now. Raises `CommissionScopeRefused` or `VotingSetupRefused` (voting_open, no_key,
    no_ballot, no_credentials, uuid_conflict)."""
    require_aware(now, "now")
    _scope(actor, election, now)
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        require_setup_allowed(election.code, Stage(election.stage), now, election.voting_opens)
        ceremony = ceremony_of(election)
        if ceremony is None or ceremony.completed_at is None or not ceremony.trustees_json:
            raise VotingSetupRefused(election.code, SetupReason.NO_KEY)
        trustees = bytes(ceremony.trustees_json)
        template = _template(election)
        audio_ensure(actor=actor, election=election, now=now)  # the audio ballot, made with the ballot
        made: list[PrecinctElection] = []
        existing = {pe.precinct_id: pe for pe in PrecinctElection.objects.filter(election=election)}
        for plan in _plans(election):
            digest = credentials_digest(plan.credentials)
            old = existing.get(plan.precinct.pk)
            if old is not None and old.credentials_sha256 == digest and old.uuid == plan.uuid:
                continue
            d = precinct_dir(election, plan.precinct.code)
            fingerprint, vkey = _make_dir(d, uuid=plan.uuid, template=template, trustees=trustees,
                                          credentials=plan.credentials, now=now)
            if old is not None:
                old.delete()
            row = PrecinctElection.objects.create(
                election=election, precinct=plan.precinct, uuid=plan.uuid, path=str(d), fingerprint=fingerprint,
                board_vkey=vkey, credentials_sha256=digest, credentials_count=len(plan.credentials), created_at=now)
            public = {"election": election.code, "precinct": plan.precinct.code, "uuid": plan.uuid,
                      "fingerprint": fingerprint, "board_vkey": vkey, "credentials": len(plan.credentials),
                      "credentials_sha256": digest, "trustees_sha256": ceremony.trustees_sha256}
            audit_record(actor=actor, action="voting.setup", target=row, at=now, data=public)
            board_record("voting.setup", at=now, data=public)
            made.append(row)
        _publish_booth(actor, election, now)
    return made


def _publish_booth(actor: User | None, election: Election, now: datetime) -> BoothManifest:
    data = booth.manifest(fresh=True)
    digest = booth.manifest_sha256(data)
    latest = BoothManifest.objects.filter(election=election).first()
    if latest is not None and latest.sha256 == digest:
        return latest
    row = BoothManifest.objects.create(election=election, data=data, sha256=digest, published_at=now)
    public = {"election": election.code, "sha256": digest, **data}
    audit_record(actor=actor, action="voting.booth", target=row, at=now, data={"election": election.code,
                                                                                  "sha256": digest})
    board_record("voting.booth", at=now, data=public)
    return row


def audited_add(*, election: Election, tracker: str) -> bool:
    """Remember that the booth revealed the ballot `tracker` for an audit (no secret is sent);
    returns False if it was known already. A tracker that was cast already stays cast (it was
    not audited before casting)."""
    _, created = AuditedTracker.objects.get_or_create(tracker=tracker, defaults={"election": election})
    return created


def passwords_issue(*, actor: User | None, election: Election, now: datetime) -> list[tuple[str, str, str]]:
    """Issue a password to every remote voter of `election` who has a voter reference and none yet;
    return (precinct, voter reference, password) for the separate mailing channel — the only time
    the passwords exist in the clear. Audited with counts only."""
    require_aware(now, "now")
    _scope(actor, election, now)
    station = set(VoterChannel.objects.filter(election=election, channel="station").values_list("voter_id", flat=True))
    have = set(VoterPassword.objects.filter(election=election).values_list("ref", flat=True))
    out: list[tuple[str, str, str]] = []
    rows: list[VoterPassword] = []
    for ref in VoterRef.objects.filter(election=election).select_related("voter").order_by("token"):
        if ref.voter_id in station or ref.token in have:
            continue
        password = new_password()
        rows.append(VoterPassword(election=election, ref=ref.token, precinct=ref.voter.precinct,
                                  digest=password_digest(password), issued_at=now))
        out.append((ref.voter.precinct, ref.token, password))
    with transaction.atomic():
        VoterPassword.objects.bulk_create(rows, batch_size=1000)
        audit_record(actor=actor, action="voting.passwords", target=election, at=now,
                     data={"election": election.code, "issued": len(rows)})
    out.sort()
    return out


def manifest_json(row: BoothManifest) -> str:
    return json.dumps(row.data, indent=1, sort_keys=True)


def voting_records_register(*, actor: User | None, election: Election, now: datetime) -> int:
    """Hand every precinct election of `election` to the decryption ceremony (those not handed
    yet); returns how many. The ballots issued in a precinct, for its results protocol, are its
    remote voters' credentials (letters) plus the ballots issued at its polling station (the
    station cards drawn are at most those). Raises what `ceremony.services.record_register` raises."""
    from saylau.web.ceremony.models import PrecinctRecord
    from saylau.web.ceremony.services import record_register

    done = set(PrecinctRecord.objects.filter(ceremony__election=election).values_list("precinct_id", flat=True))
    figures = station_figures(election)
    handed = 0
    for f in sorted(figures, key=lambda f: f.precinct.code):
        if f.precinct.pk in done:
            continue
        record_register(actor=actor, election=election, precinct=f.precinct, directory=Path(f.path),
                        ballots_issued=f.letters + f.marked,
                        issued_source="remote credentials + polling-station ballots issued", now=now)
        handed += 1
    if handed:  # the voting figures, published once voting is over (the public page shows them live)
        board_record("voting.figures", at=now, data={"election": election.code, "precincts": [
            {"precinct": f.precinct.code, "letters": f.letters, "station_marked": f.marked,
             "station_cards_used": f.cards_used, "ballots_accepted": f.ballots, "control_holds": f.control_holds}
            for f in figures]})
    return handed
