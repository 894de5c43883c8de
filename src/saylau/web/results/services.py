"""Writes of results: the ballot definition, precinct protocols read from verified election records,
aggregation up the territory tree with the outcome under the rule pack, the second round, the
commissions' signing keys and the signed PDF protocols.

Every function takes the time as `now`, runs in one transaction, writes an audit entry and (for
everything public) a board event: `results.ballot`, `results.protocol` (the protocol's JSON,
its SHA-256 and, for a precinct, the record's hash), `results.outcome`, `results.runoff`,
`results.signing_key` (the commission's vkey) and `results.document` (a signed PDF's SHA-256
and the signature note). Commission scope is checked with `commissions.selectors`
(`CommissionScopeRefused` otherwise; the views answer 403).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from saylau.board.errors import BoardError
from saylau.board.note import parse_vkey
from saylau.domain.commissions import CommissionLevel
from saylau.domain.election import ElectionType, Stage, require_aware
from saylau.domain.errors import CommissionScopeRefused
from saylau.domain.protocol import Level, Protocol, aggregate, from_json, to_json
from saylau.domain.results import (
    COUNTRY,
    BallotDefinition,
    Contestant,
    RecordNotVerified,
    ResultsStepRefused,
    counting_rule,
    decide,
    definition_from_json,
    kazakh_sort_key,
    protocol_sha256,
    require_control,
    rule_from_json,
    votes_from_result,
)
from saylau.domain.rulepack import builtin_pack_digests, load_builtin_pack
from saylau.domain.seats.common import AGAINST_ALL
from saylau.record.docsig import DocumentSignatureInvalid, check_document
from saylau.verify.errors import UnreadableRecord
from saylau.verify.verifier import verify_record
from saylau.web.candidates.models import Candidate, ListStatus, Party, PartyList
from saylau.web.commissions.models import Commission, Membership
from saylau.web.commissions.selectors import acting_membership, memberships_of, term_of
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.core.uploads import open_upload, store_upload
from saylau.web.elections.models import Election
from saylau.web.elections.services import election_create
from saylau.web.results.models import (
    BallotDefinition as BallotRow,
)
from saylau.web.results.models import (
    CommissionSigningKey,
    ElectionOutcome,
    PartySeats,
    ProtocolDocument,
    ResultProtocol,
)
from saylau.web.territory.models import Precinct, TerritorialUnit
from saylau.web.territory.selectors import unit_chain
from saylau.web.voters.models import Voter

AGAINST_ALL_LABEL = "Against all"
"""The default text of the "against all" answer in the precincts' records (the board says which)."""
DOCUMENT_KIND = "results-protocol"
INVALID_NOTE = "electronic ballots are never invalid: an encrypted ballot either verifies (and counts) or is refused when cast"
COUNTING_STAGES = (Stage.COUNTING, Stage.RESULTS)
LANGUAGES = ("kk", "ru", "en")


def _scope(actor: User | None, election: Election, now: datetime, *, decision: bool = True) -> Membership | None:
    """The acting membership (None for a system action without an actor)."""
    if actor is None:
        return None
    found = acting_membership(actor, election, decision=decision, now=now)
    if found is None:
        raise CommissionScopeRefused(election.code)
    return found


def _stage(election: Election) -> None:
    if Stage(election.stage) not in COUNTING_STAGES:
        raise ResultsStepRefused(election.code, "wrong_stage", election.stage)


# --- the ballot definition -----------------------------------------------------------------------


def _contestants(election: Election, system: str) -> tuple[list[Contestant], list[dict[str, object]]]:
    """The registered contestants in ballot order, and what ties each to its row."""
    if system == "party-list":
        lists = list(PartyList.objects.filter(election=election, status=ListStatus.REGISTERED)
                     .select_related("party").order_by("registered_at", "id"))
        rank = {p.pk: i for i, p in enumerate(sorted((pl.party for pl in lists), key=lambda p: (p.registered_on, p.pk)))}
        contestants = [Contestant(f"party-{pl.party.pk}", pl.party.name_kk, rank[pl.party.pk]) for pl in lists]
        refs: list[dict[str, object]] = [{"kind": "party", "ref": pl.party.pk} for pl in lists]
        return contestants, refs
    people = sorted(Candidate.objects.filter(election=election, status="registered", on_list=False),
                    key=lambda c: (kazakh_sort_key(c.surname), kazakh_sort_key(c.given_name),
                                   kazakh_sort_key(c.patronymic), c.pk))
    by_registration = sorted(people, key=lambda c: (c.registered_at or c.nominated_at, c.pk))
    rank = {c.pk: i for i, c in enumerate(by_registration)}
    return ([Contestant(f"candidate-{c.pk}", c.full_name, rank[c.pk]) for c in people],
            [{"kind": "candidate", "ref": c.pk} for c in people])


@transaction.atomic
def ballot_define(*, actor: User | None, election: Election, now: datetime, question: int = 0,
                  against_all_label: str = AGAINST_ALL_LABEL) -> BallotRow:
    """Fix the ballot of `election` from its registered candidates (alphabetical order) or party
    lists (in the order the commission registered them), "against all" last when the pack's
    `ballot.against_all` says so; publish it with the counting rule read from the pack.

    Raises `CommissionScopeRefused`, `ResultsStepRefused` (already defined, no contestants,
    an unsupported system)."""
    require_aware(now, "now")
    election = Election.objects.select_for_update().get(pk=election.pk)
    _scope(actor, election, now)
    if BallotRow.objects.filter(election=election).exists():
        raise ResultsStepRefused(election.code, "already_recorded", "ballot definition")
    pack = load_builtin_pack(election.pack_id)
    rule = counting_rule(pack, ElectionType(election.type), election.code)
    contestants, refs = _contestants(election, rule.system.value)
    against = pack.rule("ballot", "against_all")
    has_against = against is not None and not against.is_unknown and against.as_bool()
    if has_against and against_all_label in {c.label for c in contestants}:
        raise ResultsStepRefused(election.code, "no_contestants", "a contestant is named like the 'against all' line")
    definition = BallotDefinition(election.code, question, tuple(contestants),
                                  len(contestants) if has_against else None,
                                  against_all_label if has_against else "")
    data = definition.to_json()
    for item, ref in zip(data["contestants"], refs, strict=True):  # type: ignore[call-overload]
        item.update(ref)
    row = BallotRow.objects.create(election=election, question=question, data=data, rule=rule.to_json(),
                                   created_at=now)
    public = {"election": election.code, "election_type": election.type, "pack": election.pack_id,
              "pack_sha256": builtin_pack_digests(election.pack_id), "ballot": data, "rule": rule.to_json(),
              "answers": list(definition.answers()), "against_all_name": AGAINST_ALL}
    audit_record(actor=actor, action="results.ballot", target=row, at=now, data=public)
    board_record("results.ballot", at=now, data=public)
    return row


def definition_of(election: Election) -> tuple[BallotRow, BallotDefinition]:
    row = BallotRow.objects.filter(election=election).first()
    if row is None:
        raise ResultsStepRefused(election.code, "no_ballot_definition")
    return row, definition_from_json(row.data)


# --- precinct protocols ----------------------------------------------------------------------------


def _record_digest(path: Path) -> str:
    """SHA-256 of the record: the archive file, or of a directory's files (names and hashes)."""
    if path.is_file():
        return _file_sha256(path)
    archives = sorted(path.glob("*.bel"))
    if len(archives) == 1:
        return _file_sha256(archives[0])
    listing = "".join(f"{p.name}\t{_file_sha256(p)}\n" for p in sorted(path.iterdir()) if p.is_file())
    return hashlib.sha256(listing.encode()).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _within(election: Election, precinct: Precinct) -> bool:
    return election.territory is None or election.territory.code in unit_chain(precinct.territory)


def _public_protocol(row: ResultProtocol, **extra: object) -> dict[str, object]:
    return {"election": row.election.code, "level": row.level, "unit": row.unit, "sha256": row.sha256,
            "protocol": row.data, **extra}


@transaction.atomic
def precinct_protocol_record(*, actor: User | None, election: Election, precinct: Precinct, record: Path,
                             ballots_issued: int, issued_source: str = "", now: datetime) -> ResultProtocol:
    """The precinct's results protocol from its verified Belenios record (archive or directory).

    Figures: voters on the roll = the roll's entries for the precinct; ballots issued = the
    credentials or cards issued (`ballots_issued`, recorded with its `issued_source`); ballots
    cast = the ballots the record counts (its num_tallied); invalid = 0 (`INVALID_NOTE`); votes
    per contestant and "against all" = the record's Result mapped through the ballot definition.

    Raises `CommissionScopeRefused` (a precinct commission acts only for its own precinct),
    `ResultsStepRefused` (wrong stage, no ballot definition, the precinct outside the election,
    already recorded, a record already used for another precinct), `RecordNotVerified` (any
    verification finding), `BallotMismatch`, `ProtocolInvalid`, or `ControlFiguresFailed`.
    """
    require_aware(now, "now")
    election = Election.objects.select_for_update().get(pk=election.pk)
    membership = _scope(actor, election, now, decision=False)
    if (membership is not None and membership.commission.level == CommissionLevel.PRECINCT
            and membership.commission.precinct_id != precinct.pk):
        raise CommissionScopeRefused(precinct.code)
    _stage(election)
    _row, definition = definition_of(election)
    if not _within(election, precinct):
        raise ResultsStepRefused(election.code, "precinct_outside", precinct.code)
    if ResultProtocol.objects.filter(election=election, unit=precinct.code).exists():
        raise ResultsStepRefused(election.code, "already_recorded", precinct.code)
    try:
        report = verify_record(record, progress=False)
    except UnreadableRecord:
        raise RecordNotVerified(precinct.code, ["archive.unreadable"]) from None
    if not report.ok:
        raise RecordNotVerified(precinct.code, sorted(report.checks()))
    if report.result is None or definition.question >= len(report.result):
        raise RecordNotVerified(precinct.code, ["result.missing"])
    fingerprint = str(report.stats.get("fingerprint", ""))
    if ResultProtocol.objects.filter(election=election, source_uuid=fingerprint).exclude(source_uuid="").exists():
        raise ResultsStepRefused(election.code, "duplicate_record", precinct.code)
    _text, answers, blank = report.questions[definition.question]
    votes, against = votes_from_result(definition, precinct.code, answers, report.result[definition.question],
                                       blank=blank)
    cast = int(str(report.stats.get("ballots counted (last per credential)", 0)))
    protocol = Protocol(election=election.code, unit=precinct.code, level=Level.PRECINCT,
                        voters_on_roll=Voter.objects.filter(precinct=precinct.code).count(),
                        ballots_issued=ballots_issued, ballots_cast=cast, ballots_invalid=0,
                        votes=votes, against_all=against)
    require_control(protocol)
    row = ResultProtocol.objects.create(
        election=election, level=Level.PRECINCT.value, unit=precinct.code, data=to_json(protocol),
        sha256=protocol_sha256(protocol), source_sha256=_record_digest(Path(record)), source_uuid=fingerprint,
        ballots_issued_note=issued_source[:200], created_at=now)
    public = _public_protocol(row, record_sha256=row.source_sha256, record_fingerprint=fingerprint,
                              ballots_issued_source=row.ballots_issued_note, invalid_note=INVALID_NOTE)
    audit_record(actor=actor, action="results.protocol", target=row, at=now, data=public)
    board_record("results.protocol", at=now, data=public)
    return row


# --- aggregation and outcome -------------------------------------------------------------------------


_LEVELS = {"region": Level.REGION, "district": Level.DISTRICT, "locality": Level.LOCALITY}


def _paths(election: Election, precinct_codes: list[str]) -> tuple[str, Level, dict[str, str], dict[str, Level]]:
    """The top unit and its level, each node's parent (precincts and units) and each unit's level."""
    root_unit = election.territory
    root = root_unit.code if root_unit is not None else COUNTRY
    root_level = _LEVELS[root_unit.level] if root_unit is not None else Level.COUNTRY
    parent: dict[str, str] = {}
    levels: dict[str, Level] = {root: root_level}
    precincts = {p.code: p for p in Precinct.objects.filter(code__in=precinct_codes)
                 .select_related("territory__parent__parent")}
    for code in precinct_codes:
        chain: list[TerritorialUnit] = []
        unit = precincts[code].territory
        while unit is not None and unit.code != root:
            chain.append(unit)
            unit = unit.parent
        node = code
        for u in chain:
            parent[node] = u.code
            levels[u.code] = _LEVELS[u.level]
            node = u.code
        parent[node] = root
    return root, root_level, parent, levels


@transaction.atomic
def results_aggregate(*, actor: User | None, election: Election, now: datetime) -> ElectionOutcome:
    """Sum the precinct protocols up the territory tree to the election's territory (the country
    for a nationwide election) with `domain.protocol.aggregate`, publish every level's protocol,
    and decide the outcome under the pack (seats per party for a party-list election).

    Re-running after more precinct protocols replaces the aggregates and the outcome (each
    version is on the board; the last one counts). Raises `CommissionScopeRefused`,
    `ResultsStepRefused` (wrong stage, no ballot definition, no precinct protocol), `ProtocolInvalid`.
    """
    require_aware(now, "now")
    election = Election.objects.select_for_update(of=("self",)).select_related("territory").get(pk=election.pk)
    _scope(actor, election, now)
    _stage(election)
    row_def, definition = definition_of(election)
    precinct_rows = {r.unit: r for r in ResultProtocol.objects.filter(election=election, level=Level.PRECINCT.value)}
    if not precinct_rows:
        raise ResultsStepRefused(election.code, "no_protocols")
    root, _root_level, parent, levels = _paths(election, sorted(precinct_rows))
    protocols: dict[str, Protocol] = {u: from_json(r.data) for u, r in precinct_rows.items()}
    children: dict[str, list[str]] = {}
    for node, up in parent.items():
        children.setdefault(up, []).append(node)

    def depth(unit: str) -> int:
        n = 0
        while unit in parent:
            unit, n = parent[unit], n + 1
        return n

    for unit in sorted(children, key=lambda u: (-depth(u), u)):
        parts = [protocols[c] for c in sorted(children[unit])]
        summed = aggregate(election=election.code, unit=unit, level=levels[unit], parts=parts)
        protocols[unit] = summed
        row, _ = ResultProtocol.objects.update_or_create(
            election=election, unit=unit,
            defaults={"level": summed.level.value, "parent_unit": parent.get(unit, ""), "data": to_json(summed),
                      "sha256": protocol_sha256(summed), "created_at": now, "source_sha256": "", "source_uuid": ""})
        public = _public_protocol(row, parts=list(summed.parts))
        audit_record(actor=actor, action="results.protocol", target=row, at=now, data=public)
        board_record("results.protocol", at=now, data=public)
    for code, row in precinct_rows.items():
        if row.parent_unit != parent[code]:
            row.parent_unit = parent[code]
            row.save(update_fields=["parent_unit"])
    top_row = ResultProtocol.objects.get(election=election, unit=root)
    second_round = ElectionOutcome.objects.filter(runoff_election=election).exists()
    outcome = decide(rule_from_json(row_def.rule), definition, protocols[root], second_round=second_round)
    found, _ = ElectionOutcome.objects.update_or_create(
        election=election, defaults={"protocol": top_row, "data": outcome, "second_round": second_round,
                                     "created_at": now})
    PartySeats.objects.filter(election=election).delete()
    seats = outcome.get("seats")
    if isinstance(seats, dict):
        refs = {str(c["id"]): c.get("ref") for c in row_def.data["contestants"]}
        for contestant, n in seats.items():
            ref = refs.get(contestant)
            party = Party.objects.filter(pk=ref).first() if isinstance(ref, int) else None
            if party is not None:
                PartySeats.objects.create(election=election, party=party, seats=int(n))
    public = {"election": election.code, "unit": root, "protocol_sha256": top_row.sha256, "outcome": outcome,
              "second_round": second_round, "pack": election.pack_id}
    audit_record(actor=actor, action="results.outcome", target=found, at=now, data=public)
    board_record("results.outcome", at=now, data=public)
    return found


# --- the second round ----------------------------------------------------------------------------


_ROUND_TWO = {"kk": " — екінші тур", "ru": " — второй тур", "en": " — second round"}


@transaction.atomic
def runoff_create(*, actor: User | None, election: Election, voting_opens: datetime, voting_closes: datetime,
                  now: datetime) -> Election:
    """The second round between the top two, as a new election (`elections.services.election_create`)
    with the two candidates registered in it. Raises `CommissionScopeRefused`,
    `ResultsStepRefused` (no outcome calling for a runoff, or already created), `InvalidSchedule`."""
    require_aware(now, "now")
    election = Election.objects.select_for_update().get(pk=election.pk)
    _scope(actor, election, now)
    outcome = ElectionOutcome.objects.select_for_update().filter(election=election).first()
    if outcome is None or outcome.data.get("outcome") != "runoff":
        raise ResultsStepRefused(election.code, "no_runoff")
    if outcome.runoff_election_id is not None:
        raise ResultsStepRefused(election.code, "already_recorded", "second round")
    pair = [str(x) for x in outcome.data.get("runoff") or []]
    row_def, _definition = definition_of(election)
    refs = {str(c["id"]): c.get("ref") for c in row_def.data["contestants"]}
    code = f"{election.code}-round-2"[:64]
    second = election_create(
        actor=actor, code=code, type=ElectionType(election.type),
        title_kk=election.title_kk + _ROUND_TWO["kk"], title_ru=(election.title_ru + _ROUND_TWO["ru"]) if election.title_ru else "",
        title_en=(election.title_en + _ROUND_TWO["en"]) if election.title_en else "", territory=election.territory,
        nomination_closes=now, registration_closes=now, voting_opens=voting_opens, voting_closes=voting_closes,
        latest_call=now - timedelta(seconds=1), now=now)
    names = []
    for contestant in pair:
        original = Candidate.objects.get(pk=refs[contestant])
        copy = Candidate.objects.get(pk=original.pk)
        copy.pk = None
        copy.election, copy.status, copy.registered_at, copy.nominated_at = second, "registered", now, now
        copy.documents_submitted_at = now
        copy.save()
        names.append({"first_round": original.pk, "candidate": copy.pk, "name": copy.full_name})
    outcome.runoff_election = second
    outcome.save(update_fields=["runoff_election"])
    public = {"election": election.code, "second_round": second.code, "candidates": names,
              "voting_opens": voting_opens.isoformat(), "voting_closes": voting_closes.isoformat()}
    audit_record(actor=actor, action="results.runoff", target=second, at=now, data=public)
    board_record("results.runoff", at=now, data=public)
    return second


# --- signing keys and signed documents -----------------------------------------------------------


class SigningKeyInvalid(ValueError):
    """A text that is not a note verifier key (the form says so)."""


def _member_of(actor: User | None, commission: Commission, now: datetime) -> None:
    if actor is None:
        return
    from saylau.domain.commissions import MemberRole, may_act

    for m in memberships_of(actor, now=now):
        if m.commission.pk == commission.pk and may_act(MemberRole(m.role), term_of(m), now):
            return
    raise CommissionScopeRefused(commission.code)


@transaction.atomic
def signing_key_register(*, actor: User | None, commission: Commission, vkey: str,
                         now: datetime) -> CommissionSigningKey:
    """Register the commission's public key for its signed documents (the `.vkey` text).
    Raises `CommissionScopeRefused` (not a member with a deciding vote) or `SigningKeyInvalid`."""
    require_aware(now, "now")
    _member_of(actor, commission, now)
    text = vkey.strip()
    try:
        verifier = parse_vkey(text)
    except (BoardError, ValueError) as exc:
        raise SigningKeyInvalid(str(exc)) from None
    key = CommissionSigningKey.objects.create(commission=commission, name=verifier.name, vkey=text,
                                              registered_at=now, registered_by=actor)
    public = {"commission": commission.code, "name": verifier.name, "vkey": text, "key": key.pk}
    audit_record(actor=actor, action="results.signing_key", target=key, at=now, data=public)
    board_record("results.signing_key", at=now, data=public)
    return key


def render_protocol_pdf(protocol: ResultProtocol, language: str, commission: Commission) -> bytes:
    from saylau.web.results.pdf import render_pdf

    return render_pdf(protocol, language, commission)


@transaction.atomic
def protocol_document_prepare(*, actor: User | None, protocol: ResultProtocol, language: str,
                              now: datetime, commission: Commission | None = None) -> ProtocolDocument:
    """The unsigned PDF of the protocol in `language`, in the name of the actor's commission (or
    `commission` for a system action), stored (its bytes fixed and hashed) for the commission to
    sign offline. An unsigned PDF already made for the same protocol version is returned again."""
    require_aware(now, "now")
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}")
    membership = _scope(actor, protocol.election, now)
    if membership is not None:
        commission = membership.commission
    if commission is None:
        raise CommissionScopeRefused(protocol.election.code)
    existing = (ProtocolDocument.objects.filter(protocol=protocol, language=language, commission=commission,
                                                signature="", created_at__gte=protocol.created_at)
                .order_by("-id").first())
    if existing is not None:
        return existing
    data = render_protocol_pdf(protocol, language, commission)
    name = f"protocol-{protocol.election.code}-{protocol.unit}-{language}.pdf"
    stored = store_upload(SimpleUploadedFile(name, data, content_type="application/pdf"), kinds=("pdf",), at=now)
    doc = ProtocolDocument.objects.create(protocol=protocol, language=language, commission=commission, pdf=stored,
                                          created_at=now)
    audit_record(actor=actor, action="results.document_prepare", target=doc, at=now,
                 data={"election": protocol.election.code, "unit": protocol.unit, "language": language,
                       "pdf_sha256": stored.sha256, "size": stored.size, "commission": commission.code})
    return doc


@transaction.atomic
def protocol_document_sign(*, actor: User | None, document: ProtocolDocument, signature: str,
                           now: datetime) -> ProtocolDocument:
    """Publish the PDF once `signature` (a `saylau document sign` note) verifies with a key the
    commission registered, over exactly the stored PDF bytes, with the document's claims
    (kind, election, unit, language). Raises `CommissionScopeRefused`, `ResultsStepRefused`
    (no registered key, already signed, claims that name another document), or
    `DocumentSignatureInvalid`."""
    require_aware(now, "now")
    document = ProtocolDocument.objects.select_for_update(of=("self",)).select_related(
        "protocol__election", "commission", "pdf").get(pk=document.pk)
    election = document.protocol.election
    _member_of(actor, document.commission, now)
    if document.signature:
        raise ResultsStepRefused(election.code, "already_recorded", "signature")
    keys = list(CommissionSigningKey.objects.filter(commission=document.commission))
    if not keys:
        raise ResultsStepRefused(election.code, "no_signing_key", document.commission.code)
    with open_upload(document.pdf) as f:
        data = f.read()
    claims = None
    problem = "no key"
    for key in keys:
        try:
            claims = check_document(data, signature, parse_vkey(key.vkey))
        except DocumentSignatureInvalid as exc:
            problem = str(exc)
            continue
        break
    if claims is None:
        raise DocumentSignatureInvalid(problem)
    wanted = (DOCUMENT_KIND, election.code, document.protocol.unit, document.language)
    if (claims.kind, claims.election, claims.unit, claims.language) != wanted:
        raise ResultsStepRefused(election.code, "signature_claims",
                                 f"signed as {claims.kind} {claims.election} {claims.unit} {claims.language}")
    document.key, document.signature, document.signed_at = key, signature, now
    document.save(update_fields=["key", "signature", "signed_at"])
    public = {"election": election.code, "unit": document.protocol.unit, "language": document.language,
              "protocol_sha256": document.protocol.sha256, "pdf_sha256": document.pdf.sha256,
              "size": document.pdf.size, "commission": document.commission.code, "key": key.name,
              "signature": signature}
    audit_record(actor=actor, action="results.document", target=document, at=now, data=public)
    board_record("results.document", at=now, data=public)
    return document
