"""Rows → the domain's values: nominations, profiles, parties, lists, mandates and seatings."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from saylau.domain.election import Election as DomainElection
from saylau.domain.election import ElectionId
from saylau.domain.eligibility import CandidateProfile, Citizenship, Education
from saylau.domain.nomination import (
    CandidateId,
    Nomination,
    NominationStatus,
    NominatorKind,
    PartyId,
)
from saylau.domain.parties import ListCandidate, MandateEndReason, Seating
from saylau.domain.parties import Mandate as DomainMandate
from saylau.domain.parties import Party as DomainParty
from saylau.domain.parties import PartyList as DomainPartyList
from saylau.domain.rulepack import RulePack, load_builtin_pack
from saylau.web.candidates.models import Candidate, ListStatus, Mandate, Party, PartyList
from saylau.web.elections.mapping import election_to_domain
from saylau.web.elections.models import Election


def candidate_id(candidate: Candidate) -> CandidateId:
    return CandidateId(str(candidate.pk))


def party_id(party: Party) -> PartyId:
    return PartyId(str(party.pk))


def election_of(election: Election) -> DomainElection:
    return election_to_domain(election, election.stage_changes.order_by("at", "id"))


def pack_of(election: Election) -> RulePack:
    """The election's rule pack (fixed when it was created)."""
    return load_builtin_pack(election.pack_id)


def election_day(election: Election) -> date:
    return timezone.localdate(election.voting_opens)


def nomination_of(candidate: Candidate) -> Nomination:
    return Nomination(candidate=candidate_id(candidate), election=ElectionId(candidate.election.code),
                      nominator=NominatorKind(candidate.nominator_kind),
                      party=party_id(candidate.party) if candidate.party is not None else None,
                      on_list=candidate.on_list, status=NominationStatus(candidate.status),
                      person=candidate.identity_digest)


def profile_of(candidate: Candidate) -> CandidateProfile:
    return CandidateProfile(
        birth_date=candidate.birth_date,
        citizenship=Citizenship(candidate.citizenship) if candidate.citizenship else None,
        resident_since=candidate.resident_since,
        education=Education(candidate.education) if candidate.education else None,
        public_service_years=candidate.public_service_years,
        state_language_exam_passed=candidate.state_language_exam_passed,
        has_unexpunged_criminal_record=candidate.has_unexpunged_criminal_record,
        has_corruption_offence=candidate.has_corruption_offence,
        declared_legally_incapable=candidate.declared_legally_incapable,
        serving_prison_sentence=candidate.serving_prison_sentence,
        medical_exam_passed=candidate.medical_exam_passed)


def party_of(party: Party) -> DomainParty:
    return DomainParty(party_id(party), party.short_name, party.registered_on, party.ceased_on)


def list_of(party_list: PartyList) -> DomainPartyList:
    return DomainPartyList(party_id(party_list.party), tuple(
        ListCandidate(candidate_id(e.candidate), e.candidate.is_woman, e.candidate.is_youth,
                      e.candidate.has_disability, e.candidate.is_party_member)
        for e in party_list.entries.select_related("candidate").order_by("position")))


def mandate_of(mandate: Mandate) -> DomainMandate:
    return DomainMandate(party_id(mandate.party), candidate_id(mandate.holder), mandate.started_at,
                         mandate.ended_at, MandateEndReason(mandate.end_reason) if mandate.end_reason else None)


def seating_of(election: Election, party: Party) -> Seating:
    """The party's registered list in the election (in order), every active holder in the
    election, and who on the list cannot take a seat (not registered, or lost a mandate)."""
    registered = PartyList.objects.filter(election=election, party=party, status=ListStatus.REGISTERED).first()
    entries = list(registered.entries.select_related("candidate").order_by("position")) if registered else []
    holders = frozenset(CandidateId(str(pk)) for pk in Mandate.objects.filter(
        election=election, ended_at__isnull=True).values_list("holder_id", flat=True))
    lost = {CandidateId(str(pk)) for pk in Mandate.objects.filter(
        election=election, party=party, ended_at__isnull=False).values_list("holder_id", flat=True)}
    not_registered = {candidate_id(e.candidate) for e in entries
                      if e.candidate.status != NominationStatus.REGISTERED.value}
    return Seating(tuple(candidate_id(e.candidate) for e in entries), holders, frozenset(lost | not_registered))
