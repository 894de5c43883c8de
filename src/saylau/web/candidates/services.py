"""Writes of candidates, parties, lists and mandates: decided by the domain
(`saylau.domain.nomination`, `eligibility`, `parties`), audited, and published on the board.

Every function takes the time as `now` and runs in one transaction: the rows, the audit entry
and the board event exist together or not at all. Commission decisions check the actor's
scope (`commissions.selectors.commission_may_act` at `now`) and raise `CommissionScopeRefused`
without it; a party representative may act only for a party they represent
(`PartyScopeRefused`). Board events carry public data only: names of candidates and parties,
rule ids with their references and statuses — never an IIN, an address, or a document.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from saylau.domain.election import ElectionType, Stage, require_aware
from saylau.domain.errors import CommissionScopeRefused
from saylau.domain.iin import Iin
from saylau.domain.nomination import (
    CandidateId,
    Ground,
    NominationStatus,
    NominationStatusRefused,
    NominationWrongStage,
    NominatorKind,
    RegistrationBlocked,
    Step,
    WithdrawnBy,
    nominate,
    refuse,
    register,
    require_step_window,
    submit_documents,
    withdraw,
)
from saylau.domain.parties import (
    MandateAwarded,
    MandateEnded,
    MandateEndReason,
    MandateEvent,
    PartyListInvalid,
    SeatHolderRefused,
    SeatLeftVacant,
    VacancyOpened,
    VacancyPolicy,
    award_mandate,
    check_list,
    end_mandate,
    fill_vacancy,
)
from saylau.domain.parties import (
    Vacancy as DomainVacancy,
)
from saylau.errors import SaylauError
from saylau.web.candidates import mapping
from saylau.web.candidates.models import (
    PUBLIC_DOCUMENT_KINDS,
    Candidate,
    CandidateDocument,
    ListEntry,
    ListStatus,
    Mandate,
    Party,
    PartyList,
    Vacancy,
    VacancyStatus,
)
from saylau.web.candidates.selectors import candidate_report, list_seats
from saylau.web.commissions.selectors import commission_may_act
from saylau.web.core.access import PARTY_GROUP
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.core.uploads import store_upload
from saylau.web.elections.models import Election
from saylau.web.results.selectors import require_seat_available
from saylau.web.voters.services import iin_digest


class PartyScopeRefused(SaylauError):
    """The user does not represent the party concerned (the views answer 403)."""

    def __init__(self, party: int | None) -> None:
        super().__init__(f"not a representative of party {party}")
        self.party = party


def _grounds_json(grounds: Iterable[Ground]) -> list[dict[str, str]]:
    return [{"rule_id": g.rule_id, "reference": g.reference, "status": g.status.value} for g in grounds]


def _public(candidate: Candidate) -> dict[str, object]:
    """What the board says about a candidate: public facts only."""
    return {"election": candidate.election.code, "candidate": candidate.pk, "name": candidate.full_name,
            "nominator": candidate.nominator_kind,
            "party": candidate.party.short_name if candidate.party is not None else None}


def _require_commission(actor: User | None, election: Election, now: datetime) -> None:
    if actor is not None and not commission_may_act(actor, election, now=now):
        raise CommissionScopeRefused(election.code)


def _require_representative(actor: User | None, party: Party) -> None:
    if actor is not None and not party.representatives.filter(pk=actor.pk).exists():
        raise PartyScopeRefused(party.pk)


def _locked(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update(of=("self",)).select_related("election", "party").get(pk=candidate.pk)


# --- parties -------------------------------------------------------------------------------------


def _sync_party_group(user: User) -> None:
    """A user is in the party group iff they represent at least one party that has not ceased."""
    group = Group.objects.get(name=PARTY_GROUP)
    if user.represented_parties.filter(ceased_on__isnull=True).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def party_save(*, actor: User | None, party: Party, now: datetime) -> Party:
    """Record a registered political party (new or changed; the operator enters them from the
    state register). Audited and published."""
    require_aware(now, "now")
    created = party.pk is None
    party.full_clean()
    party.save()
    public = {"party": party.pk, "short_name": party.short_name, "name_kk": party.name_kk,
              "name_ru": party.name_ru, "name_en": party.name_en,
              "registered_on": party.registered_on.isoformat(),
              "ceased_on": party.ceased_on.isoformat() if party.ceased_on else None}
    audit_record(actor=actor, action="party.create" if created else "party.change", target=party, at=now,
                 data=public)
    board_record("party.recorded", at=now, data=public)
    for user in party.representatives.all():
        _sync_party_group(user)
    return party


@transaction.atomic
def party_representatives_set(*, actor: User | None, party: Party, users: Iterable[User],
                              now: datetime) -> None:
    """Make `users` the party's representatives, keeping the `party` group in step."""
    require_aware(now, "now")
    new = {u.pk: u for u in users}
    old = {u.pk: u for u in party.representatives.all()}
    party.representatives.set(list(new.values()))
    for user in {**old, **new}.values():
        _sync_party_group(user)
    audit_record(actor=actor, action="party.representatives", target=party, at=now,
                 data={"added": sorted(set(new) - set(old)), "removed": sorted(set(old) - set(new))})


# --- nominations ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """Who is nominated, and what their evidence establishes (the nomination form's data)."""

    iin: Iin
    surname: str
    given_name: str
    patronymic: str
    birth_date: date
    profile: dict[str, object]
    """Values of the `Candidate` profile fields (citizenship, education, ... is_party_member)."""
    texts: dict[str, str]
    """biography_kk/ru/en, platform_kk/ru/en."""


PROFILE_FIELDS = (
    "citizenship", "resident_since", "education", "public_service_years", "state_language_exam_passed",
    "has_unexpunged_criminal_record", "has_corruption_offence", "declared_legally_incapable",
    "serving_prison_sentence", "medical_exam_passed", "is_party_member", "is_woman", "is_youth",
    "has_disability")
TEXT_FIELDS = ("biography_kk", "biography_ru", "biography_en", "platform_kk", "platform_ru", "platform_en")


def is_list_election(election: Election) -> bool:
    return ElectionType(election.type).has_party_list


@transaction.atomic
def candidate_nominate(*, actor: User, election: Election, person: Person, party: Party | None,
                       documents: Sequence[tuple[str, UploadedFile]] = (), now: datetime) -> Candidate:
    """Nominate `person`: self-nomination when `party` is None (the actor is the candidate),
    else by the party (the actor must represent it). In a party-list election a party's
    nominee is a list candidate. `documents` (kind, file) are attached at once. Raises the
    domain's nomination errors or `PartyScopeRefused`."""
    require_aware(now, "now")
    election = Election.objects.select_for_update().get(pk=election.pk)
    if party is not None:
        _require_representative(actor, party)
    kind = NominatorKind.POLITICAL_PARTY if party is not None else NominatorKind.SELF
    on_list = party is not None and is_list_election(election)
    digest = iin_digest(person.iin)
    existing = [mapping.nomination_of(c) for c in Candidate.objects.filter(election=election).select_related("election", "party")]
    _, event = nominate(election=mapping.election_of(election), pack=mapping.pack_of(election),
                        candidate=CandidateId("new"), nominator=kind,
                        party=mapping.party_id(party) if party is not None else None, on_list=on_list,
                        person=digest, existing=existing, now=now)
    candidate = Candidate(
        election=election, surname=person.surname.strip(), given_name=person.given_name.strip(),
        patronymic=person.patronymic.strip(), birth_date=person.birth_date, identity_digest=digest,
        nominator_kind=str(kind.value), party=party, on_list=on_list, user=actor if party is None else None,
        filed_by=actor, status=NominationStatus.NOMINATED.value, nominated_at=now,
        **{k: v for k, v in person.profile.items() if k in PROFILE_FIELDS},
        **{k: v for k, v in person.texts.items() if k in TEXT_FIELDS})
    candidate.full_clean()
    candidate.save()
    audit_record(actor=actor, action="candidate.nominate", target=candidate, at=now,
                 data={**_public(candidate), "on_list": on_list, "grounds": _grounds_json(event.grounds)})
    for document_kind, upload in documents:
        document_add(actor=actor, candidate=candidate, kind=document_kind, upload=upload, now=now)
    return candidate


def may_file(user: User | None, candidate: Candidate) -> bool:
    """The candidate's side: the candidate's own account, or a representative of the nominating party."""
    if user is None or not user.is_authenticated:
        return False
    if candidate.user_id is not None and candidate.user_id == user.pk:
        return True
    return candidate.party is not None and candidate.party.representatives.filter(pk=user.pk).exists()


@transaction.atomic
def document_add(*, actor: User, candidate: Candidate, kind: str, upload: UploadedFile,
                 now: datetime) -> CandidateDocument:
    """Attach a document (only while the nomination is open for documents)."""
    require_aware(now, "now")
    candidate = _locked(candidate)
    if not may_file(actor, candidate):
        raise PartyScopeRefused(candidate.party_id)
    if candidate.status != NominationStatus.NOMINATED.value:
        raise NominationStatusRefused(candidate=str(candidate.pk), step=Step.SUBMIT_DOCUMENTS,
                                      status=NominationStatus(candidate.status))
    require_step_window(mapping.election_of(candidate.election), Step.SUBMIT_DOCUMENTS, now)
    stored = store_upload(upload, at=now)
    document = CandidateDocument.objects.create(candidate=candidate, kind=kind, file=stored,
                                                public=kind in PUBLIC_DOCUMENT_KINDS, uploaded_at=now,
                                                uploaded_by=actor)
    audit_record(actor=actor, action="candidate.document", target=candidate, at=now,
                 data={"candidate": candidate.pk, "kind": kind, "sha256": stored.sha256, "size": stored.size})
    return document


@transaction.atomic
def documents_submit(*, actor: User, candidate: Candidate, now: datetime) -> Candidate:
    candidate = _locked(candidate)
    if not may_file(actor, candidate):
        raise PartyScopeRefused(candidate.party_id)
    nomination, _ = submit_documents(mapping.nomination_of(candidate), election=mapping.election_of(candidate.election),
                                     now=now)
    candidate.status = nomination.status.value
    candidate.documents_submitted_at = now
    candidate.save(update_fields=["status", "documents_submitted_at"])
    audit_record(actor=actor, action="candidate.submit", target=candidate, at=now,
                 data={"candidate": candidate.pk, "documents": candidate.documents.count()})
    return candidate


@transaction.atomic
def candidate_register(*, actor: User | None, candidate: Candidate, now: datetime) -> Candidate:
    """The commission registers the candidate (blocked while a rule is not met)."""
    candidate = _locked(candidate)
    election = candidate.election
    _require_commission(actor, election, now)
    pack = mapping.pack_of(election)
    report, extra = candidate_report(candidate)
    nomination, event = register(mapping.nomination_of(candidate), election=mapping.election_of(election),
                                 pack=pack, report=report, extra=extra, now=now)
    candidate.status = nomination.status.value
    candidate.registered_at = now
    candidate.assumed_rules = _grounds_json(event.assumed)
    candidate.save(update_fields=["status", "registered_at", "assumed_rules"])
    data = {**_public(candidate), "pack": pack.id, "pack_version": pack.version,
            "assumed": candidate.assumed_rules}
    audit_record(actor=actor, action="candidate.register", target=candidate, at=now, data=data)
    board_record("candidate.registered", at=now, data=data)
    return candidate


@transaction.atomic
def candidate_refuse(*, actor: User | None, candidate: Candidate, rule_ids: Sequence[str], reason: str,
                     now: datetime) -> Candidate:
    """The commission refuses registration, citing ≥ 1 rule of the election's pack."""
    candidate = _locked(candidate)
    election = candidate.election
    _require_commission(actor, election, now)
    pack = mapping.pack_of(election)
    nomination, event = refuse(mapping.nomination_of(candidate), election=mapping.election_of(election),
                               pack=pack, rule_ids=rule_ids, reason=reason, now=now)
    candidate.status = nomination.status.value
    candidate.refused_at = now
    candidate.refusal_rules = _grounds_json(event.grounds)
    candidate.refusal_reason = event.reason
    candidate.save(update_fields=["status", "refused_at", "refusal_rules", "refusal_reason"])
    data = {**_public(candidate), "pack": pack.id, "pack_version": pack.version,
            "rules": candidate.refusal_rules, "reason": event.reason}
    audit_record(actor=actor, action="candidate.refuse", target=candidate, at=now, data=data)
    board_record("candidate.refused", at=now, data=data)
    return candidate


@transaction.atomic
def candidate_withdraw(*, actor: User, candidate: Candidate, now: datetime) -> Candidate:
    """The candidate withdraws (their own account), or the nominating party recalls them."""
    candidate = _locked(candidate)
    if candidate.user_id is not None and candidate.user_id == actor.pk:
        by = WithdrawnBy.CANDIDATE
    elif candidate.party is not None and candidate.party.representatives.filter(pk=actor.pk).exists():
        by = WithdrawnBy.NOMINATOR
    else:
        raise PartyScopeRefused(candidate.party_id)
    nomination, _ = withdraw(mapping.nomination_of(candidate), election=mapping.election_of(candidate.election),
                             by=by, now=now)
    candidate.status = nomination.status.value
    candidate.withdrawn_at = now
    candidate.withdrawn_by = by.value
    candidate.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
    data = {**_public(candidate), "by": by.value}
    audit_record(actor=actor, action="candidate.withdraw", target=candidate, at=now, data=data)
    board_record("candidate.withdrawn", at=now, data=data)
    return candidate


# --- party lists ---------------------------------------------------------------------------------


def _list_for(party: Party, election: Election) -> PartyList:
    found, _ = PartyList.objects.select_for_update().get_or_create(party=party, election=election)
    return found


@transaction.atomic
def list_entry_add(*, actor: User, party: Party, election: Election, candidate: Candidate,
                   now: datetime) -> ListEntry:
    """Put one of the party's list candidates at the end of its list (while the list is a draft)."""
    require_aware(now, "now")
    _require_representative(actor, party)
    party_list = _list_for(party, election)
    if party_list.status != ListStatus.DRAFT:
        raise PartyListInvalid(party=str(party.pk), problem="not_draft")
    if (candidate.party_id != party.pk or candidate.election_id != election.pk or not candidate.on_list
            or not NominationStatus(candidate.status).is_active):
        raise PartyListInvalid(party=str(party.pk), problem="not_party_candidate", candidate=str(candidate.pk))
    if ListEntry.objects.filter(candidate=candidate).exists():
        raise PartyListInvalid(party=str(party.pk), problem="duplicate", candidate=str(candidate.pk))
    last = party_list.entries.aggregate(m=Max("position"))["m"] or 0
    entry = ListEntry.objects.create(party_list=party_list, position=last + 1, candidate=candidate)
    audit_record(actor=actor, action="party_list.add", target=party_list, at=now,
                 data={"candidate": candidate.pk, "position": entry.position})
    return entry


@transaction.atomic
def list_entry_remove(*, actor: User, entry: ListEntry, now: datetime) -> None:
    """Take a name off a draft list; the names after it move up one place."""
    require_aware(now, "now")
    party_list = PartyList.objects.select_for_update(of=("self",)).select_related("party").get(pk=entry.party_list_id)
    _require_representative(actor, party_list.party)
    if party_list.status != ListStatus.DRAFT:
        raise PartyListInvalid(party=str(party_list.party_id), problem="not_draft")
    position = entry.position
    entry.delete()
    for later in party_list.entries.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    audit_record(actor=actor, action="party_list.remove", target=party_list, at=now,
                 data={"candidate": entry.candidate_id, "position": position})


@transaction.atomic
def list_submit(*, actor: User, party: Party, election: Election, now: datetime) -> PartyList:
    """The party files its list (nomination stage, before nomination closes)."""
    require_aware(now, "now")
    _require_representative(actor, party)
    party_list = _list_for(party, election)
    if party_list.status != ListStatus.DRAFT:
        raise PartyListInvalid(party=str(party.pk), problem="not_draft")
    if party.ceased_on is not None:
        raise PartyListInvalid(party=str(party.pk), problem="party_ceased")
    require_step_window(mapping.election_of(election), Step.SUBMIT_LIST, now)
    mapping.list_of(party_list)  # refuses a name twice
    if not party_list.entries.exists():
        raise PartyListInvalid(party=str(party.pk), problem="empty")
    party_list.status = ListStatus.SUBMITTED
    party_list.submitted_at = now
    party_list.save(update_fields=["status", "submitted_at"])
    audit_record(actor=actor, action="party_list.submit", target=party_list, at=now,
                 data={"party": party.pk, "election": election.code, "names": party_list.entries.count()})
    return party_list


@transaction.atomic
def list_register(*, actor: User | None, party_list: PartyList, now: datetime) -> PartyList:
    """The commission registers a submitted list, unless a list rule is not met."""
    party_list = PartyList.objects.select_for_update(of=("self",)).select_related("party", "election").get(pk=party_list.pk)
    election = party_list.election
    _require_commission(actor, election, now)
    if party_list.status != ListStatus.SUBMITTED:
        raise PartyListInvalid(party=str(party_list.party_id), problem="not_submitted")
    require_step_window(mapping.election_of(election), Step.REGISTER_LIST, now)
    pack = mapping.pack_of(election)
    report = check_list(pack, mapping.list_of(party_list), seats=list_seats(election, len(party_list.entries.all())),
                        election_day=mapping.election_day(election))
    failed = [f.rule_id for f in report.unmet if f.outcome.value == "not_met"]
    if failed:
        raise RegistrationBlocked(candidate=f"list:{party_list.pk}", rules=failed)
    party_list.status = ListStatus.REGISTERED
    party_list.registered_at = now
    party_list.save(update_fields=["status", "registered_at"])
    names = [{"position": e.position, "candidate": e.candidate_id, "name": e.candidate.full_name}
             for e in party_list.entries.select_related("candidate").order_by("position")]
    data = {"election": election.code, "party": party_list.party.short_name, "party_id": party_list.party_id,
            "pack": pack.id, "names": names,
            "assumed": [{"rule_id": f.rule_id, "reference": f.reference, "status": f.status.value}
                        for f in report.unmet]}
    audit_record(actor=actor, action="party_list.register", target=party_list, at=now, data=data)
    board_record("party_list.registered", at=now, data=data)
    return party_list


# --- mandates ------------------------------------------------------------------------------------

MANDATE_STAGES = (Stage.RESULTS, Stage.CLOSED)


def _require_mandate_stage(election: Election) -> None:
    if Stage(election.stage) not in MANDATE_STAGES:
        raise NominationWrongStage(election=election.code, step=Step.AWARD_MANDATE, stage=Stage(election.stage),
                                   allowed=MANDATE_STAGES)


def _board_mandate(kind: str, election: Election, party: Party, now: datetime, **data: object) -> None:
    board_record(kind, at=now, data={"election": election.code, "party": party.short_name,
                                     "party_id": party.pk, **data})


def _record(actor: User | None, election: Election, party: Party, events: Sequence[MandateEvent],
            *, ended: Mandate | None, act: str, now: datetime) -> list[Mandate]:
    """Write the domain's mandate events: rows, audit, board. Returns the mandates awarded."""
    awarded: list[Mandate] = []
    vacancy: Vacancy | None = None
    for event in events:
        if isinstance(event, MandateEnded):
            assert ended is not None
            ended.ended_at, ended.end_reason, ended.end_act = now, event.reason.value, act
            ended.save(update_fields=["ended_at", "end_reason", "end_act"])
            data = {"candidate": ended.holder_id, "name": ended.holder.full_name, "reason": event.reason.value,
                    "act": act, "rule": _grounds_json([event.ground])[0]}
            audit_record(actor=actor, action="mandate.end", target=ended, at=now, data=data)
            _board_mandate("mandate.ended", election, party, now, **data)
        elif isinstance(event, VacancyOpened):
            assert ended is not None
            vacancy = Vacancy.objects.create(election=election, party=party, ended_mandate=ended, opened_at=now,
                                             policy=event.policy.value, deadline=event.deadline,
                                             status=VacancyStatus.AWAITING_PARTY)
            data = {"vacancy": vacancy.pk, "policy": event.policy.value,
                    "deadline": event.deadline.isoformat() if event.deadline else None,
                    "rule": _grounds_json([event.ground])[0]}
            audit_record(actor=actor, action="vacancy.open", target=vacancy, at=now, data=data)
            _board_mandate("vacancy.opened", election, party, now, **data)
        elif isinstance(event, MandateAwarded):
            holder = Candidate.objects.get(pk=int(event.holder))
            mandate = Mandate.objects.create(election=election, party=party, holder=holder, started_at=now)
            awarded.append(mandate)
            data = {"candidate": holder.pk, "name": holder.full_name,
                    "rule": _grounds_json([event.ground])[0] if event.ground else None,
                    "vacancy": vacancy.pk if vacancy is not None else None}
            if vacancy is not None:
                vacancy.status, vacancy.filled_by = VacancyStatus.FILLED, mandate
                vacancy.save(update_fields=["status", "filled_by"])
            audit_record(actor=actor, action="mandate.award", target=mandate, at=now, data=data)
            _board_mandate("mandate.awarded", election, party, now, **data)
        elif isinstance(event, SeatLeftVacant):
            assert vacancy is not None
            vacancy.status = VacancyStatus.VACANT
            vacancy.save(update_fields=["status"])
            data = {"vacancy": vacancy.pk, "outcome": event.outcome, "rule": _grounds_json([event.ground])[0]}
            audit_record(actor=actor, action="vacancy.vacant", target=vacancy, at=now, data=data)
            _board_mandate("seat.vacant", election, party, now, **data)
    return awarded


@transaction.atomic
def mandate_award(*, actor: User | None, election: Election, party: Party, candidate: Candidate,
                  now: datetime) -> Mandate:
    """Record the party's choice of a deputy for a seat it won (from its registered list)."""
    require_aware(now, "now")
    election = Election.objects.select_for_update().get(pk=election.pk)
    _require_commission(actor, election, now)
    _require_mandate_stage(election)
    require_seat_available(election, party)  # no more mandates than the seats the party won (web.results)
    event = award_mandate(mapping.pack_of(election), party=mapping.party_of(party),
                          candidate=mapping.candidate_id(candidate), seating=mapping.seating_of(election, party),
                          now=now)
    (mandate,) = _record(actor, election, party, [event], ended=None, act="", now=now)
    return mandate


@transaction.atomic
def mandate_end(*, actor: User | None, mandate: Mandate, reason: MandateEndReason, act: str,
                now: datetime) -> list[Mandate]:
    """End a party-list mandate on a ground of the pack; the vacancy is filled per the pack.
    Returns the mandates awarded in consequence (none when the party must choose)."""
    require_aware(now, "now")
    mandate = Mandate.objects.select_for_update(of=("self",)).select_related("election", "party", "holder").get(pk=mandate.pk)
    election = Election.objects.select_for_update().get(pk=mandate.election_id)
    _require_commission(actor, election, now)
    events = end_mandate(mapping.pack_of(election), mapping.mandate_of(mandate), reason,
                         seating=mapping.seating_of(election, mandate.party), now=now)
    return _record(actor, election, mandate.party, events, ended=mandate, act=act.strip(), now=now)


@transaction.atomic
def vacancy_fill(*, actor: User | None, vacancy: Vacancy, candidate: Candidate, now: datetime) -> Mandate:
    """Record the party's choice for an open vacancy (`party_nominates_from_registered_list`)."""
    require_aware(now, "now")
    vacancy = Vacancy.objects.select_for_update(of=("self",)).select_related("election", "party").get(pk=vacancy.pk)
    election = vacancy.election
    _require_commission(actor, election, now)
    if vacancy.status != VacancyStatus.AWAITING_PARTY:
        raise SeatHolderRefused(candidate=str(candidate.pk), party=str(vacancy.party_id), problem="not_open")
    domain = DomainVacancy(mapping.party_id(vacancy.party), vacancy.opened_at, VacancyPolicy(vacancy.policy),
                           vacancy.deadline)
    event = fill_vacancy(mapping.pack_of(election), domain, candidate=mapping.candidate_id(candidate),
                         seating=mapping.seating_of(election, vacancy.party), now=now)
    mandate = Mandate.objects.create(election=election, party=vacancy.party, holder=candidate, started_at=now)
    vacancy.status, vacancy.filled_by = VacancyStatus.FILLED, mandate
    vacancy.save(update_fields=["status", "filled_by"])
    data = {"candidate": candidate.pk, "name": candidate.full_name, "vacancy": vacancy.pk,
            "rule": _grounds_json([event.ground])[0] if event.ground else None}
    audit_record(actor=actor, action="mandate.award", target=mandate, at=now, data=data)
    _board_mandate("mandate.awarded", election, vacancy.party, now, **data)
    return mandate


@transaction.atomic
def party_cease(*, actor: User | None, election: Election, party: Party, on: date, act: str,
                now: datetime) -> int:
    """The party ceased to exist on `on`: record it, and end every active mandate of it in
    `election` (the seats are left as the pack's `list_exhausted` says). Returns how many ended."""
    require_aware(now, "now")
    election = Election.objects.select_for_update().get(pk=election.pk)
    _require_commission(actor, election, now)
    party = Party.objects.select_for_update().get(pk=party.pk)
    if party.ceased_on is None:
        party.ceased_on = on
        party.save(update_fields=["ceased_on"])
        audit_record(actor=actor, action="party.cease", target=party, at=now,
                     data={"party": party.pk, "ceased_on": on.isoformat(), "act": act})
        _board_mandate("party.ceased", election, party, now, ceased_on=on.isoformat(), act=act)
        for user in party.representatives.all():
            _sync_party_group(user)
    count = 0
    pack = mapping.pack_of(election)
    for mandate in Mandate.objects.filter(election=election, party=party, ended_at__isnull=True).select_related(
            "holder", "party"):
        events = end_mandate(pack, mapping.mandate_of(mandate), MandateEndReason.PARTY_CEASED,
                             seating=mapping.seating_of(election, party), now=now)
        _record(actor, election, party, events, ended=mandate, act=act.strip(), now=now)
        count += 1
    return count

