"""Reads of candidates, parties, lists and mandates, and who may see what.

Public: every candidate's name, nominator, status, biography and platform, the rules cited by
a refusal (refusals are public in Kazakhstan), the published documents (`public=True`), the
parties and their lists, the mandates. Private: every other document, seen by the commission
members whose scope covers the election and by the candidate's side (the candidate's own
account, the nominating party's representatives).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from saylau.domain.eligibility import Finding, RuleReport, check_eligibility
from saylau.domain.nomination import NominationStatus, nomination_findings
from saylau.domain.parties import check_list
from saylau.web.candidates import mapping
from saylau.web.candidates.models import (
    Candidate,
    CandidateDocument,
    ListEntry,
    ListStatus,
    Mandate,
    Party,
    PartyList,
    Vacancy,
)
from saylau.web.commissions.selectors import commission_may_act
from saylau.web.elections.models import Election

AnyUser = AbstractBaseUser | AnonymousUser
PUBLIC_STATUSES = tuple(s.value for s in NominationStatus)
"""Every status is public: nominations, registrations, refusals (with their rules), withdrawals."""
PENDING = (NominationStatus.NOMINATED.value, NominationStatus.DOCUMENTS_SUBMITTED.value)


def candidate_list(election: Election) -> QuerySet[Candidate]:
    return Candidate.objects.filter(election=election).select_related("party").order_by("surname", "given_name", "id")


def candidate_get(pk: int) -> Candidate | None:
    return Candidate.objects.select_related("election", "election__territory", "party", "user").filter(pk=pk).first()


def review_queue(election: Election) -> QuerySet[Candidate]:
    """Nominations awaiting a decision: documents submitted first, then the oldest."""
    return (Candidate.objects.filter(election=election, status__in=PENDING).select_related("party")
            .order_by("-status", "nominated_at", "id"))


def nominations_of(user: AnyUser) -> QuerySet[Candidate]:
    """The nominations the user filed or is the candidate of, or filed by their parties."""
    if not user.is_authenticated:
        return Candidate.objects.none()
    return (Candidate.objects.filter(Q(user_id=user.pk) | Q(filed_by_id=user.pk)
                                     | Q(party__representatives__id=user.pk))
            .select_related("election", "party").distinct().order_by("-nominated_at", "id"))


def parties_of(user: AnyUser) -> QuerySet[Party]:
    """The parties the user represents and that have not ceased."""
    if not user.is_authenticated:
        return Party.objects.none()
    return Party.objects.filter(representatives__id=user.pk, ceased_on__isnull=True).distinct()


def party_list() -> QuerySet[Party]:
    return Party.objects.order_by("registered_on", "id")


def party_get(pk: int) -> Party | None:
    return Party.objects.filter(pk=pk).first()


def party_lists(party: Party) -> QuerySet[PartyList]:
    return party.lists.select_related("election").order_by("-election__voting_opens", "id")


def list_entries(party_list: PartyList) -> QuerySet[ListEntry]:
    return party_list.entries.select_related("candidate").order_by("position")


def may_see_private(user: AnyUser, candidate: Candidate) -> bool:
    """The commission (in scope), the candidate, or the nominating party's representatives."""
    if not user.is_authenticated or not user.is_active or getattr(user, "is_superuser", False):
        return False
    if candidate.user_id is not None and candidate.user_id == user.pk:
        return True
    if candidate.party is not None and candidate.party.representatives.filter(pk=user.pk).exists():
        return True
    return commission_may_act(user, candidate.election)


def documents_visible(user: AnyUser, candidate: Candidate) -> QuerySet[CandidateDocument]:
    docs = candidate.documents.select_related("file").order_by("kind", "id")
    return docs if may_see_private(user, candidate) else docs.filter(public=True)


def document_get(pk: int) -> CandidateDocument | None:
    return (CandidateDocument.objects.select_related("file", "candidate", "candidate__election",
                                                     "candidate__party").filter(pk=pk).first())


def candidate_report(candidate: Candidate) -> tuple[RuleReport, tuple[Finding, ...]]:
    """The automatic report: `check_eligibility` of the candidate's profile under the election's
    pack on the voting day, and the nomination rules about the nominee."""
    election = candidate.election
    pack = mapping.pack_of(election)
    report = check_eligibility(mapping.profile_of(candidate), pack, election_day=mapping.election_day(election))
    extra = nomination_findings(mapping.nomination_of(candidate), pack, is_party_member=candidate.is_party_member)
    return report, extra


def list_seats(election: Election, names: int) -> int:
    """The seats a list is measured against: the pack's `counting_list.seats`. Without it (a body
    whose size varies, `seats_share`) Saylau does not know the seats yet and uses the list's own
    length, which the size cap always allows (to be replaced once the body's size is recorded)."""
    rule = mapping.pack_of(election).rule("counting_list", "seats")
    if rule is not None and not rule.is_unknown:
        return rule.as_int()
    return max(1, names)


def list_report(party_list: PartyList) -> RuleReport | None:
    if not party_list.entries.exists():
        return None
    election = party_list.election
    return check_list(mapping.pack_of(election), mapping.list_of(party_list),
                      seats=list_seats(election, party_list.entries.count()),
                      election_day=mapping.election_day(election))


def registered_list_candidates(election: Election, party: Party) -> list[Candidate]:
    found = PartyList.objects.filter(election=election, party=party, status=ListStatus.REGISTERED).first()
    return [e.candidate for e in list_entries(found)] if found is not None else []


def mandates_of(election: Election) -> QuerySet[Mandate]:
    return Mandate.objects.filter(election=election).select_related("party", "holder").order_by("party__registered_on", "started_at", "id")


def vacancies_of(election: Election) -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(election=election).select_related("party", "ended_mandate__holder", "filled_by__holder").order_by(
        "opened_at", "id")
