"""Writes of credentials, channels, polling-station ballot issues and the audio ballot: checked by
`saylau.domain.credentials`, audited, and on the public board when the public needs them.

What is recorded where (decided for privacy; see also `privacy`):
- the board: each public list's precinct, channel, count and SHA-256 (`credentials.published`);
  replacements with counts and the two public values, never a voter reference
  (`credentials.replaced`); the fixed lists when voting opens (`credentials.fixed`); the
  polling-station control figures when the commission publishes them — counts only, batched,
  never one event per voter (`credentials.station_counts`); the audio files' hashes.
- the audit log of a ballot issue: the member, the precinct and the running count; no voter, no
  IIN, and the time only to the hour (`at` is rounded down), so that it does not tell who came
  when. The `BallotIssue` row itself has a random key and no time.

The roll export for the CA gives each remote voter an opaque random reference (`VoterRef`), per
election. Mailing: the printing house receives the letters keyed by voter reference; the address
labels are merged from the list of references that the commission matches with its own roll file
(names and addresses are never on the server nor with the CA).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext

from saylau.board.errors import BoardError
from saylau.board.note import Verifier, parse_vkey
from saylau.domain.credentials import (
    LANGUAGES,
    BallotIssueRefused,
    Channel,
    CredentialListInvalid,
    CredentialsRefused,
    require_count,
    require_issue,
    require_open_for_changes,
)
from saylau.domain.election import Stage, require_aware
from saylau.domain.errors import CommissionScopeRefused, VoterNotFound
from saylau.domain.iin import Iin, parse_iin
from saylau.domain.results import definition_from_json
from saylau.record import credauthority as ca
from saylau.web.commissions.models import Membership
from saylau.web.commissions.selectors import acting_membership
from saylau.web.core.i18n import localized
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.credentials.models import (
    AudioClip,
    BallotIssue,
    CertificationAuthorityKey,
    CredentialSet,
    PublicCredential,
    VoterChannel,
    VoterRef,
)
from saylau.web.credentials.selectors import (
    ca_keys,
    election_precincts,
    roll_counts,
    station_cards,
    station_issued_count,
    station_membership,
)
from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct
from saylau.web.voters.models import Voter
from saylau.web.voters.services import iin_digest


def _decision(actor: User | None, election: Election, now: datetime) -> Membership | None:
    if actor is None:
        return None
    found = acting_membership(actor, election, decision=True, now=now)
    if found is None:
        raise CommissionScopeRefused(election.code)
    return found


def _open(election: Election) -> None:
    fixed = CredentialSet.objects.filter(election=election, fixed_at__isnull=False).exists()
    require_open_for_changes(election.code, Stage(election.stage), fixed=fixed)


def _hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def ca_key_register(*, actor: User | None, election: Election | None, vkey: str,
                    now: datetime) -> CertificationAuthorityKey:
    """Register a credential authority's public key (ca.vkey) for `election` (None: every election,
    a system action). Raises `CommissionScopeRefused` or `CredentialListInvalid` (a bad key)."""
    require_aware(now, "now")
    if election is not None:
        _decision(actor, election, now)
    text = vkey.strip()
    try:
        verifier = parse_vkey(text)
    except (BoardError, ValueError) as exc:
        raise CredentialListInvalid("", "key", str(exc)) from None
    key = CertificationAuthorityKey.objects.create(election=election, name=verifier.name, vkey=text,
                                                   registered_at=now, registered_by=actor)
    public = {"election": election.code if election is not None else None, "name": verifier.name, "vkey": text}
    audit_record(actor=actor, action="credentials.ca_key", target=key, at=now, data=public)
    board_record("credentials.ca_key", at=now, data=public)
    return key


def _voter(iin: str, birth_date: date) -> Voter:
    """The roll entry of this IIN and birth date; one `VoterNotFound` for an unknown IIN or a wrong date."""
    parse_iin(iin)  # InvalidIin for a malformed one (the forms check it first)
    found = Voter.objects.filter(iin_digest=iin_digest(Iin(iin))).first()
    if found is None or found.birth_date != birth_date:
        raise VoterNotFound()
    return found


def _precinct_of(election: Election, code: str) -> Precinct:
    found = election_precincts(election).filter(code=code).first()
    if found is None:
        raise CredentialsRefused(election.code, "precinct_unknown", code)
    return found


def _channel_open(election: Election, precinct: str) -> None:
    _open(election)
    if CredentialSet.objects.filter(election=election, precinct__code=precinct).exists():
        raise CredentialsRefused(election.code, "channel_fixed", precinct)


@transaction.atomic
def voter_channel_set(*, actor: User | None, election: Election, iin: str, birth_date: date, channel: Channel,
                      language: str, now: datetime) -> VoterChannel:
    """Put one voter (found by IIN and birth date) on `channel`, with the letter's `language`.
    Refused once the voter's precinct has credentials. Audited without the voter."""
    require_aware(now, "now")
    _decision(actor, election, now)
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}")
    voter = _voter(iin, birth_date)
    precinct = _precinct_of(election, voter.precinct)
    _channel_open(election, precinct.code)
    row, _ = VoterChannel.objects.update_or_create(voter=voter, election=election,
                                                   defaults={"channel": channel.value, "language": language})
    audit_record(actor=actor, action="credentials.channel", target=precinct, at=now,
                 data={"election": election.code, "precinct": precinct.code, "voters": 1, "channel": channel.value})
    return row


@transaction.atomic
def precinct_channel_set(*, actor: User | None, election: Election, precinct: str, channel: Channel,
                         now: datetime) -> int:
    """Put every voter of `precinct` on `channel` (e.g. a precinct without internet votes at the
    station). Returns the number of voters. Refused once the precinct has credentials."""
    require_aware(now, "now")
    _decision(actor, election, now)
    place = _precinct_of(election, precinct)
    _channel_open(election, place.code)
    voters = list(Voter.objects.filter(precinct=place.code).values_list("pk", flat=True))
    existing = set(VoterChannel.objects.filter(election=election, voter__in=voters).values_list("voter_id", flat=True))
    VoterChannel.objects.filter(election=election, voter__in=existing).update(channel=channel.value)
    VoterChannel.objects.bulk_create([VoterChannel(voter_id=v, election=election, channel=channel.value)
                                      for v in voters if v not in existing], batch_size=1000)
    data = {"election": election.code, "precinct": place.code, "voters": len(voters), "channel": channel.value}
    audit_record(actor=actor, action="credentials.channel", target=place, at=now, data=data)
    board_record("credentials.channel", at=now, data=data)
    return len(voters)


@transaction.atomic
def roll_export(*, actor: User | None, election: Election, now: datetime) -> list[list[str]]:
    """The roll export for the CA (rows of `credauthority.ROLL_HEADER`): one row per remote voter
    with its opaque reference (made now if missing) and language; one row per precinct with
    polling-station voters, with their number. Never an IIN. Audited with counts."""
    require_aware(now, "now")
    _decision(actor, election, now)
    precincts = list(election_precincts(election).values_list("code", flat=True))
    voters = list(Voter.objects.filter(precinct__in=precincts).order_by("precinct", "pk").values_list("pk", "precinct"))
    channels = {v: (c, lang) for v, c, lang in VoterChannel.objects.filter(election=election)
                .values_list("voter_id", "channel", "language")}
    refs = dict(VoterRef.objects.filter(election=election).values_list("voter_id", "token"))
    new = [VoterRef(voter_id=v, election=election, token=secrets.token_urlsafe(12))
           for v, _p in voters if v not in refs and channels.get(v, ("remote", ""))[0] == Channel.REMOTE.value]
    VoterRef.objects.bulk_create(new, batch_size=1000)
    refs.update({r.voter_id: r.token for r in new})
    rows: list[list[str]] = []
    station: dict[str, int] = {}
    remote = 0
    for voter, precinct in voters:
        channel, language = channels.get(voter, (Channel.REMOTE.value, "kk"))
        if channel == Channel.STATION.value:
            station[precinct] = station.get(precinct, 0) + 1
        else:
            rows.append(ca.roll_export_row(election.code, precinct, "remote", 1, refs[voter], language))
            remote += 1
    rows.extend(ca.roll_export_row(election.code, p, "station", n) for p, n in sorted(station.items()))
    rows.sort(key=lambda r: (r[1], r[2], r[4]))  # by precinct, channel, reference: no roll order leaks
    audit_record(actor=actor, action="credentials.roll_export", target=election, at=now,
                 data={"election": election.code, "remote": remote, "station": sum(station.values()),
                       "precincts": len({r[1] for r in rows})})
    return rows


def _verifiers(election: Election) -> list[Verifier]:
    keys = [parse_vkey(k.vkey) for k in ca_keys(election)]
    if not keys:
        raise CredentialsRefused(election.code, "no_key")
    return keys


def _invalid(exc: ca.CredentialFileInvalid) -> CredentialListInvalid:
    return CredentialListInvalid(exc.precinct, exc.reason, exc.detail)


@transaction.atomic
def credentials_upload(*, actor: User | None, election: Election, text: str | bytes,
                       now: datetime) -> list[CredentialSet]:
    """Store the CA's signed public lists (an upload bundle), all or nothing.

    Each list must be signed by a registered CA key for this election, name a precinct of the
    election not uploaded yet, and hold exactly as many credentials as the roll has voters of that
    precinct on that channel. Raises `CommissionScopeRefused`, `CredentialsRefused` (fixed,
    no_key, precinct_unknown, already_uploaded, duplicate), `CredentialListInvalid`, or
    `CredentialCountMismatch` naming the precinct."""
    require_aware(now, "now")
    _decision(actor, election, now)
    _open(election)
    try:
        group, lists = ca.read_upload_bundle(text, election.code, _verifiers(election))
    except ca.CredentialFileInvalid as exc:
        raise _invalid(exc) from None
    places = {p.precinct: _precinct_of(election, p.precinct) for p in lists}
    counts = roll_counts(election, sorted(places))
    values = [v for p in lists for v in p.credentials]
    if len(set(values)) != len(values):
        raise CredentialListInvalid("", "duplicate", "a public credential is in two lists")
    out: list[CredentialSet] = []
    for p in sorted(lists, key=lambda x: (x.precinct, x.channel)):
        channel = Channel(p.channel)
        if CredentialSet.objects.filter(election=election, precinct=places[p.precinct], channel=p.channel).exists():
            raise CredentialsRefused(election.code, "already_uploaded", p.precinct)
        require_count(p.precinct, channel, expected=counts[(p.precinct, channel)], got=len(p.credentials))
        if PublicCredential.objects.filter(election=election, value__in=p.credentials).exists():
            raise CredentialsRefused(election.code, "duplicate", p.precinct)
        row = CredentialSet.objects.create(
            election=election, precinct=places[p.precinct], channel=p.channel, uuid=p.uuid, group=group,
            count=len(p.credentials), sha256=p.sha256, data=p.data.decode(), signature=p.signature,
            signer=p.signer, uploaded_at=now)
        PublicCredential.objects.bulk_create([PublicCredential(credential_set=row, election=election, value=v)
                                              for v in p.credentials], batch_size=2000)
        public = {"election": election.code, "precinct": p.precinct, "channel": p.channel, "count": row.count,
                  "sha256": row.sha256, "fingerprint": ca.fingerprint(p.data), "uuid": p.uuid, "signer": p.signer}
        audit_record(actor=actor, action="credentials.upload", target=row, at=now, data=public)
        board_record("credentials.published", at=now, data=public)
        out.append(row)
    return out


@transaction.atomic
def credentials_replace(*, actor: User | None, election: Election, text: str | bytes,
                        now: datetime) -> PublicCredential:
    """Apply a CA-signed replacement record (a lost letter, before voting opens): the old public
    credential revoked, the new one added to the same list. Raises `CommissionScopeRefused`,
    `CredentialsRefused` (fixed, no_key, not_found, revoked, duplicate) or `CredentialListInvalid`."""
    require_aware(now, "now")
    _decision(actor, election, now)
    _open(election)
    group = CredentialSet.objects.filter(election=election).values_list("group", flat=True).first() or "Ed25519"
    try:
        record = ca.read_replacement(text, election.code, group, _verifiers(election))
    except ca.CredentialFileInvalid as exc:
        raise _invalid(exc) from None
    old = (PublicCredential.objects.select_for_update().filter(
        election=election, value=record.old, credential_set__precinct__code=record.precinct,
        credential_set__channel=record.channel).select_related("credential_set").first())
    if old is None:
        raise CredentialsRefused(election.code, "not_found", record.precinct)
    if old.revoked_at is not None:
        raise CredentialsRefused(election.code, "revoked", record.precinct)
    if PublicCredential.objects.filter(election=election, value=record.new).exists():
        raise CredentialsRefused(election.code, "duplicate", record.precinct)
    new = PublicCredential.objects.create(credential_set=old.credential_set, election=election, value=record.new)
    old.revoked_at, old.replaced_by = now, new
    old.save(update_fields=["revoked_at", "replaced_by"])
    valid = PublicCredential.objects.filter(credential_set=old.credential_set, revoked_at__isnull=True).count()
    revoked = PublicCredential.objects.filter(credential_set=old.credential_set, revoked_at__isnull=False).count()
    public = {"election": election.code, "precinct": record.precinct, "channel": record.channel, "valid": valid,
              "revoked": revoked, "old": record.old, "new": record.new,
              "record_sha256": hashlib.sha256(record.data).hexdigest()}
    audit_record(actor=actor, action="credentials.replace", target=old.credential_set, at=now, data=public)
    board_record("credentials.replaced", at=now, data=public)
    return new


@transaction.atomic
def credentials_fix(election: Election, now: datetime) -> int:
    """Fix the election's credential lists (called when voting opens): nothing changes afterwards.
    Publishes each precinct's final list (valid credentials, sorted) by its SHA-256. Returns the
    number of lists fixed. Idempotent."""
    require_aware(now, "now")
    rows = list(CredentialSet.objects.select_for_update().filter(election=election, fixed_at__isnull=True)
                .select_related("precinct"))
    if not rows:
        return 0
    summary = []
    for row in rows:
        row.fixed_at = now
        row.save(update_fields=["fixed_at"])
        values = list(PublicCredential.objects.filter(credential_set=row, revoked_at__isnull=True)
                      .values_list("value", flat=True))
        data = ca.list_bytes(values)
        summary.append({"precinct": row.precinct.code, "channel": row.channel, "count": len(values),
                        "sha256": hashlib.sha256(data).hexdigest(), "fingerprint": ca.fingerprint(data)})
    public = {"election": election.code, "lists": sorted(summary, key=lambda s: (str(s["precinct"]), str(s["channel"])))}
    audit_record(actor=None, action="credentials.fix", target=election, at=now, data={"lists": len(rows)})
    board_record("credentials.fixed", at=now, data=public)
    return len(rows)


# --- polling-station mode --------------------------------------------------------------------------


def _station(actor: User, election: Election, precinct: Precinct, now: datetime) -> Membership:
    found = station_membership(actor, election, precinct, now=now)
    if found is None:
        raise CommissionScopeRefused(precinct.code)
    return found


def station_lookup(*, actor: User, election: Election, precinct: Precinct, iin: str, birth_date: date,
                   now: datetime) -> tuple[Channel, bool, bool]:
    """(channel, issued already, voter of this precinct) of the voter with this IIN and birth date.
    Raises `CommissionScopeRefused` or `VoterNotFound`."""
    _station(actor, election, precinct, now)
    voter = _voter(iin, birth_date)
    channel = VoterChannel.objects.filter(voter=voter, election=election).values_list("channel", flat=True).first()
    issued = BallotIssue.objects.filter(election=election, voter=voter).exists()
    return Channel(channel or Channel.REMOTE.value), issued, voter.precinct == precinct.code


def ballot_issue(*, actor: User, election: Election, precinct: Precinct, iin: str, birth_date: date,
                 now: datetime) -> int:
    """Mark that the station voter with this IIN and birth date was issued a ballot, once. Returns
    the precinct's count of ballots issued. Raises `CommissionScopeRefused`, `VoterNotFound` or
    `BallotIssueRefused` (already_issued, remote, other_precinct, not_voting)."""
    require_aware(now, "now")
    _station(actor, election, precinct, now)
    try:
        with transaction.atomic():
            voter = _voter(iin, birth_date)
            channel = VoterChannel.objects.filter(voter=voter, election=election).values_list("channel", flat=True).first()
            already = BallotIssue.objects.filter(election=election, voter=voter).exists()
            require_issue(stage=Stage(Election.objects.get(pk=election.pk).stage), voter_precinct=voter.precinct,
                          precinct=precinct.code, channel=Channel(channel or Channel.REMOTE.value),
                          already_issued=already)
            BallotIssue.objects.create(election=election, voter=voter, precinct=precinct)
            count = station_issued_count(election, precinct)
            audit_record(actor=actor, action="credentials.ballot_issued", target=precinct, at=_hour(now),
                         data={"election": election.code, "precinct": precinct.code, "issued": count})
    except IntegrityError:  # the same voter marked concurrently by another member
        raise BallotIssueRefused("already_issued", precinct.code) from None
    return count


@transaction.atomic
def station_counts_publish(*, actor: User, election: Election, precinct: Precinct, now: datetime) -> dict[str, object]:
    """Publish the precinct's polling-station control figures (a batch: counts only): voters marked
    as issued a ballot, and cards printed. The voting server adds the ballots cast with the cards."""
    require_aware(now, "now")
    _station(actor, election, precinct, now)
    public: dict[str, object] = {"election": election.code, "precinct": precinct.code,
                                 "issued": station_issued_count(election, precinct),
                                 "cards": station_cards(election, precinct)}
    audit_record(actor=actor, action="credentials.station_counts", target=precinct, at=now, data=public)
    board_record("credentials.station_counts", at=now, data=public)
    return public


# --- the audio ballot ------------------------------------------------------------------------------

ESPEAK = "espeak-ng"
VOICES = {"kk": "kk", "ru": "ru", "en": "en"}


def audio_dir() -> Path:
    return Path(getattr(settings, "SAYLAU_AUDIO_DIR", None) or Path(settings.VAR_DIR) / "audio")


def audio_path(sha256: str) -> Path:
    return audio_dir() / sha256[:2] / f"{sha256}.wav"


def audio_texts(election: Election, language: str) -> list[tuple[int | None, str]]:
    """What the audio ballot reads in `language`: the question, then each answer in ballot order."""
    row = getattr(election, "ballot_definition", None)
    if row is None:
        raise CredentialsRefused(election.code, "no_ballot")
    definition = definition_from_json(row.data)
    with translation.override(language):
        title = localized(election, "title")
        out: list[tuple[int | None, str]] = [(None, gettext("%(title)s. Choose one answer.") % {"title": title})]
        labels = [c.label for c in definition.contestants]
        if definition.against_all_position is not None:
            labels.insert(definition.against_all_position, gettext("Against all"))
        out += [(i, gettext("Answer %(number)s: %(label)s.") % {"number": i + 1, "label": label})
                for i, label in enumerate(labels)]
    return out


def speak(text: str, language: str) -> bytes:
    """WAV bytes of `text` read by espeak-ng in `language`; `CredentialsRefused(audio_unavailable)`
    if espeak-ng is missing (scripts/install-system.sh installs it)."""
    exe = shutil.which(ESPEAK)
    if exe is None:
        raise CredentialsRefused("-", "audio_unavailable", detail="espeak-ng is not installed")
    with tempfile.TemporaryDirectory(prefix="saylau-audio-") as tmp:
        out = Path(tmp) / "clip.wav"
        subprocess.run([exe, "-v", VOICES[language], "-s", "150", "-w", str(out), "--stdin"],  # noqa: S603
                       input=text.encode(), check=True, capture_output=True, timeout=60)
        data = out.read_bytes()
    with wave.open(io.BytesIO(data)) as w:  # a valid WAV, or wave.Error
        if w.getnframes() == 0:
            raise CredentialsRefused("-", "audio_unavailable", detail="espeak-ng produced no sound")
    return data


def _store(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = audio_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return digest


def audio_ensure(*, actor: User | None, election: Election, now: datetime) -> list[AudioClip]:
    """The audio ballot of `election` for its current ballot, in every language: generated (and
    published) unless clips with exactly these texts already exist (voting setup calls this, so a
    ballot set up for voting always has its audio). Raises as `audio_generate`."""
    have = {(c.language, c.answer_index): c for c in AudioClip.objects.filter(election=election)}
    want = {(language, index): text for language in LANGUAGES for index, text in audio_texts(election, language)}
    if len(have) == len(want) and all(key in have and have[key].text == text for key, text in want.items()):
        return list(have.values())
    return audio_generate(actor=actor, election=election, now=now)


def audio_generate(*, actor: User | None, election: Election, now: datetime,
                   languages: Sequence[str] = LANGUAGES) -> list[AudioClip]:
    """Generate the audio ballot (one WAV per question and answer, per language) and publish the
    files' SHA-256 on the board. Raises `CommissionScopeRefused` or `CredentialsRefused`
    (no_ballot, audio_unavailable)."""
    require_aware(now, "now")
    _decision(actor, election, now)
    made = [(language, index, text, _store(speak(text, language)))
            for language in languages for index, text in audio_texts(election, language)]
    with transaction.atomic():
        AudioClip.objects.filter(election=election, language__in=list(languages)).delete()
        rows = AudioClip.objects.bulk_create([
            AudioClip(election=election, language=language, answer_index=index, text=text, sha256=digest,
                      size=audio_path(digest).stat().st_size, created_at=now)
            for language, index, text, digest in made])
        public = {"election": election.code,
                  "files": [{"language": r.language, "answer_index": r.answer_index, "sha256": r.sha256} for r in rows]}
        audit_record(actor=actor, action="credentials.audio", target=election, at=now,
                     data={"election": election.code, "files": len(rows)})
        board_record("credentials.audio", at=now, data=public)
    return rows
