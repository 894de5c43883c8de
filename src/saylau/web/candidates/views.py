"""Candidates' pages: public lists and profiles, the nomination workspace (citizens nominate
themselves, party representatives nominate and build lists), the commission's review, party
lists and mandates. Views parse and render; selectors and services decide; domain errors
become messages through `core.errors.error_message`. A commission member acts only on an
election their commission covers (`commission_may_act`), else 403; a representative only for
their party, else 403."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.domain.election import ElectionType, Stage
from saylau.domain.eligibility import (
    CandidateProfile,
    Citizenship,
    Education,
    Finding,
    RuleReport,
    check_eligibility,
)
from saylau.domain.errors import CommissionScopeRefused, DomainError
from saylau.domain.iin import Iin
from saylau.domain.nomination import (
    NominationStatus,
    NominatorKind,
    NominatorNotAllowed,
    Step,
    nominator_rule,
    refusal_rules,
)
from saylau.domain.parties import MandateEndReason
from saylau.domain.rulepack import RulePack
from saylau.web.candidates import mapping, selectors, services
from saylau.web.candidates.forms import (
    AwardForm,
    CeaseForm,
    ConfirmForm,
    DecisionForm,
    DocumentForm,
    EndForm,
    ListAddForm,
    ListRemoveForm,
    NominationForm,
)
from saylau.web.candidates.messages import (
    OUTCOME_LABELS,
    STEP_LABELS,
    reference_label,
    status_label,
)
from saylau.web.candidates.models import (
    END_REASON_LABELS,
    NOMINATOR_LABELS,
    STATUS_LABELS,
    Candidate,
    ListStatus,
    Mandate,
    Party,
    PartyList,
    Vacancy,
    VacancyStatus,
)
from saylau.web.candidates.services import PartyScopeRefused, Person
from saylau.web.commissions.selectors import commission_may_act
from saylau.web.core.access import EVERYONE, Role, access, role_of
from saylau.web.core.errors import error_message
from saylau.web.core.i18n import localized
from saylau.web.core.labels import STAGE_LABELS
from saylau.web.core.uploads import download_response
from saylau.web.elections.models import Election
from saylau.web.elections.selectors import election_get

clock: Callable[[], datetime] = timezone.now
"""The views' clock (tests replace it); services take the time as a parameter."""

NOMINATORS_AND_PARTIES = {Role.CITIZEN, Role.PARTY}
COMMISSION = {Role.COMMISSION}
ACT = ("POST",)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _election(code: str) -> Election:
    found = election_get(code=code)
    if found is None:
        raise Http404
    return found


def _candidate(pk: int) -> Candidate:
    found = selectors.candidate_get(pk)
    if found is None:
        raise Http404
    return found


def _require_scope(request: HttpRequest, election: Election) -> None:
    if not commission_may_act(request.user, election, now=clock()):
        raise PermissionDenied


def _status(candidate: Candidate) -> str:
    return str(STATUS_LABELS[NominationStatus(candidate.status)])


def _nominator(candidate: Candidate) -> str:
    label = str(NOMINATOR_LABELS[NominatorKind(candidate.nominator_kind)])
    return f"{label}: {localized(candidate.party, 'name')}" if candidate.party is not None else label


def _finding_rows(findings: list[Finding] | tuple[Finding, ...]) -> list[dict[str, str]]:
    return [{"rule_id": f.rule_id, "reference": reference_label(f.reference), "status": status_label(f.status),
             "outcome": str(OUTCOME_LABELS[f.outcome]), "required": f.required, "observed": f.observed,
             "met": "1" if f.is_met else ""} for f in findings]


def _report_context(report: RuleReport, extra: tuple[Finding, ...] = ()) -> dict[str, Any]:
    findings = [*report.findings, *extra]
    return {"findings": _finding_rows(findings), "unmet": _finding_rows([f for f in findings if not f.is_met]),
            "pack_id": report.pack_id, "pack_version": report.pack_version}


def _election_context(election: Election) -> dict[str, Any]:
    return {"election": election, "election_title": localized(election, "title"),
            "stage": STAGE_LABELS[Stage(election.stage)]}


# --- public pages ------------------------------------------------------------------------------


@access(EVERYONE)
def candidate_list(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    rows = [{"candidate": c, "status": _status(c), "nominator": _nominator(c),
             "rules": [{**r, "reference": reference_label(r.get("reference", "")),
                        "status": status_label(r.get("status", ""))} for r in c.refusal_rules]}
            for c in selectors.candidate_list(election)]
    lists = [{"list": pl, "party": localized(pl.party, "name"), "status": ListStatus(pl.status).label}
             for pl in PartyList.objects.filter(election=election).select_related("party").order_by(
                 "party__registered_on")]
    context = {**_election_context(election), "rows": rows, "lists": lists,
               "may_review": role_of(request.user) is Role.COMMISSION and commission_may_act(
                   request.user, election, now=clock()),
               "may_nominate": role_of(request.user) in NOMINATORS_AND_PARTIES
               and Stage(election.stage) is Stage.NOMINATION}
    return render(request, "candidates/candidate_list.html", context)


@access(EVERYONE)
def candidate_detail(request: HttpRequest, candidate: int) -> HttpResponse:
    found = _candidate(candidate)
    context = {
        **_election_context(found.election), "candidate": found, "status": _status(found),
        "nominator": _nominator(found), "biography": localized(found, "biography"),
        "platform": localized(found, "platform"),
        "documents": selectors.documents_visible(request.user, found),
        "refusal_rules": [{**r, "reference": reference_label(r.get("reference", "")),
                           "status": status_label(r.get("status", ""))} for r in found.refusal_rules],
        "may_manage": services.may_file(request.user if isinstance(request.user, User) else None, found),
        "may_review": role_of(request.user) is Role.COMMISSION and commission_may_act(
            request.user, found.election, now=clock()),
    }
    return render(request, "candidates/candidate_detail.html", context)


@access(EVERYONE)
def document_download(request: HttpRequest, document: int) -> HttpResponse:
    found = selectors.document_get(document)
    if found is None or not (found.public or selectors.may_see_private(request.user, found.candidate)):
        raise Http404  # a private document's existence is not revealed
    response: HttpResponse = download_response(found.file)
    return response


@access(EVERYONE)
def party_index(request: HttpRequest) -> HttpResponse:
    rows = [{"party": p, "name": localized(p, "name")} for p in selectors.party_list()]
    return render(request, "candidates/party_list.html", {"rows": rows})


@access(EVERYONE)
def party_detail(request: HttpRequest, party: int) -> HttpResponse:
    found = selectors.party_get(party)
    if found is None:
        raise Http404
    lists = [{"list": pl, "election_title": localized(pl.election, "title"), "status": ListStatus(pl.status).label,
              "entries": list(selectors.list_entries(pl))} for pl in selectors.party_lists(found)]
    return render(request, "candidates/party_detail.html",
                  {"party": found, "name": localized(found, "name"), "lists": lists,
                   "is_representative": found.representatives.filter(pk=request.user.pk).exists()
                   if request.user.is_authenticated else False})


# --- nomination workspace ----------------------------------------------------------------------


def _nomination_notice(election: Election, pack: RulePack, kind: NominatorKind, on_list: bool) -> str:
    """Why this user cannot nominate here (a translated message), or ""."""
    try:
        nominator_rule(pack, kind, on_list=on_list)
    except NominatorNotAllowed as refused:
        return error_message(refused)
    return ""


def _profile_report(form: NominationForm, election: Election) -> dict[str, Any] | None:
    """The eligibility report for what the form says (before anything is filed)."""
    data = form.cleaned_data
    profile = CandidateProfile(
        birth_date=data.get("birth_date"),
        citizenship=Citizenship(data["citizenship"]) if data.get("citizenship") else None,
        resident_since=data.get("resident_since"),
        education=Education(data["education"]) if data.get("education") else None,
        public_service_years=data.get("public_service_years"),
        state_language_exam_passed=data.get("state_language_exam_passed"),
        has_unexpunged_criminal_record=data.get("has_unexpunged_criminal_record"),
        has_corruption_offence=data.get("has_corruption_offence"),
        declared_legally_incapable=data.get("declared_legally_incapable"),
        serving_prison_sentence=data.get("serving_prison_sentence"),
        medical_exam_passed=data.get("medical_exam_passed"))
    report = check_eligibility(profile, mapping.pack_of(election), election_day=mapping.election_day(election))
    return _report_context(report)


@access(NOMINATORS_AND_PARTIES, methods=("GET", "HEAD", "POST"))
def nominate_view(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    user = _user(request)
    as_party = role_of(user) is Role.PARTY
    parties = selectors.parties_of(user) if as_party else None
    pack = mapping.pack_of(election)
    kind = NominatorKind.POLITICAL_PARTY if as_party else NominatorKind.SELF
    on_list = as_party and services.is_list_election(election)
    notice = _nomination_notice(election, pack, kind, on_list)
    if not notice and Stage(election.stage) is not Stage.NOMINATION:
        notice = _("Nominations are accepted only while the election is in the stage “%(stage)s”.") % {
            "stage": STAGE_LABELS[Stage.NOMINATION]}
    if as_party and parties is not None and not parties.exists():
        notice = _("You do not represent a party that can nominate.")
    context: dict[str, Any] = {**_election_context(election), "notice": notice, "as_party": as_party,
                               "on_list": on_list, "step": STEP_LABELS[Step.NOMINATE]}
    if request.method != "POST":
        form = NominationForm(parties=parties)
        return render(request, "candidates/nominate.html", {**context, "form": form})
    form = NominationForm(request.POST, request.FILES, parties=parties)
    if not form.is_valid():
        return render(request, "candidates/nominate.html", {**context, "form": form}, status=400)
    report = _profile_report(form, election)
    if request.POST.get("action") != "nominate":
        return render(request, "candidates/nominate.html", {**context, "form": form, "report": report,
                                                             "checked": True})
    data = form.cleaned_data
    person = Person(iin=Iin(data["iin"]), surname=data["surname"], given_name=data["given_name"],
                    patronymic=data.get("patronymic", ""), birth_date=data["birth_date"],
                    profile={k: data.get(k) if data.get(k) is not None else (
                        "" if k in ("citizenship", "education") else None)
                        for k in services.PROFILE_FIELDS if k in data},
                    texts={k: data.get(k, "") for k in services.TEXT_FIELDS})
    for flag in ("is_woman", "is_youth", "has_disability"):
        person.profile[flag] = bool(data.get(flag))
    try:
        candidate = services.candidate_nominate(actor=user, election=election, person=person,
                                                party=data.get("party"), documents=form.documents(), now=clock())
    except PartyScopeRefused:
        raise PermissionDenied from None
    except DomainError as refused:
        return render(request, "candidates/nominate.html",
                      {**context, "form": form, "report": report, "refusal": error_message(refused)}, status=409)
    messages.success(request, _("The nomination was filed. Add any missing documents, then submit them "
                                "to the commission."))
    return redirect("candidates:manage", candidate=candidate.pk)


@access(NOMINATORS_AND_PARTIES)
def my_nominations(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = [{"candidate": c, "status": _status(c), "election_title": localized(c.election, "title")}
            for c in selectors.nominations_of(user)]
    open_elections = [{"election": e, "title": localized(e, "title")}
                      for e in Election.objects.filter(stage=Stage.NOMINATION.value).order_by("voting_opens")]
    lists = []
    for party in selectors.parties_of(user):
        for e in Election.objects.filter(stage=Stage.NOMINATION.value).order_by("voting_opens"):
            if ElectionType(e.type).has_party_list:
                lists.append({"party": party, "election": e, "title": localized(e, "title"),
                              "name": localized(party, "name")})
    return render(request, "candidates/mine.html", {"rows": rows, "open_elections": open_elections,
                                                    "lists": lists})


def _own(request: HttpRequest, pk: int) -> Candidate:
    found = _candidate(pk)
    if not services.may_file(_user(request), found):
        raise PermissionDenied
    return found


def _render_manage(request: HttpRequest, candidate: Candidate, *, upload: DocumentForm | None = None,
                   confirm: ConfirmForm | None = None, withdraw: ConfirmForm | None = None, refusal: str = "",
                   status: int = 200) -> HttpResponse:
    report, extra = selectors.candidate_report(candidate)
    context = {**_election_context(candidate.election), "candidate": candidate, "status_label": _status(candidate),
               "nominator": _nominator(candidate), "documents": selectors.documents_visible(request.user, candidate),
               "upload": upload or DocumentForm(), "confirm": confirm or ConfirmForm(prefix="submit"),
               "withdraw": withdraw or ConfirmForm(prefix="withdraw"), "refusal": refusal,
               "open": candidate.status == NominationStatus.NOMINATED.value,
               "active": NominationStatus(candidate.status).is_active, **_report_context(report, extra)}
    return render(request, "candidates/manage.html", context, status=status)


@access(NOMINATORS_AND_PARTIES)
def manage(request: HttpRequest, candidate: int) -> HttpResponse:
    return _render_manage(request, _own(request, candidate))


def _act(request: HttpRequest, found: Candidate, work: Callable[[], object], *, success: str,
         status_forms: dict[str, Any]) -> HttpResponse:
    try:
        work()
    except PartyScopeRefused:
        raise PermissionDenied from None
    except DomainError as refused:
        return _render_manage(request, found, refusal=error_message(refused), status=409, **status_forms)
    messages.success(request, success)
    return redirect("candidates:manage", candidate=found.pk)


@access(NOMINATORS_AND_PARTIES, methods=ACT)
def document_upload(request: HttpRequest, candidate: int) -> HttpResponse:
    found = _own(request, candidate)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_manage(request, found, upload=form, status=400)
    return _act(request, found, lambda: services.document_add(
        actor=_user(request), candidate=found, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
        now=clock()), success=_("The document was added."), status_forms={"upload": form})


@access(NOMINATORS_AND_PARTIES, methods=ACT)
def documents_submit(request: HttpRequest, candidate: int) -> HttpResponse:
    found = _own(request, candidate)
    form = ConfirmForm(request.POST, prefix="submit")
    if not form.is_valid():
        return _render_manage(request, found, confirm=form, status=400)
    return _act(request, found, lambda: services.documents_submit(actor=_user(request), candidate=found, now=clock()),
                success=_("The documents were submitted to the commission."), status_forms={"confirm": form})


@access(NOMINATORS_AND_PARTIES, methods=ACT)
def withdraw_view(request: HttpRequest, candidate: int) -> HttpResponse:
    found = _own(request, candidate)
    form = ConfirmForm(request.POST, prefix="withdraw")
    if not form.is_valid():
        return _render_manage(request, found, withdraw=form, status=400)
    return _act(request, found, lambda: services.candidate_withdraw(actor=_user(request), candidate=found,
                                                                     now=clock()),
                success=_("The candidacy was withdrawn."), status_forms={"withdraw": form})


# --- party lists -------------------------------------------------------------------------------


def _represented(request: HttpRequest, pk: int) -> Party:
    found = selectors.party_get(pk)
    if found is None:
        raise Http404
    if not found.representatives.filter(pk=_user(request).pk).exists():
        raise PermissionDenied
    return found


def _render_list(request: HttpRequest, election: Election, party: Party, *, add: ListAddForm | None = None,
                 remove: ListRemoveForm | None = None, refusal: str = "", status: int = 200) -> HttpResponse:
    party_list = PartyList.objects.filter(party=party, election=election).first()
    entries = list(selectors.list_entries(party_list)) if party_list is not None else []
    available = Candidate.objects.filter(election=election, party=party, on_list=True,
                                         list_entry__isnull=True).exclude(
        status__in=[NominationStatus.REFUSED.value, NominationStatus.WITHDRAWN.value])
    add = add or ListAddForm()
    add.fields["candidate"].queryset = available  # type: ignore[attr-defined]
    remove = remove or ListRemoveForm()
    if party_list is not None:
        remove.fields["entry"].queryset = party_list.entries.all()  # type: ignore[attr-defined]
    report = selectors.list_report(party_list) if party_list is not None else None
    context = {**_election_context(election), "party": party, "name": localized(party, "name"),
               "party_list": party_list, "entries": entries, "add": add, "remove": remove, "refusal": refusal,
               "draft": party_list is None or party_list.status == ListStatus.DRAFT,
               "list_status": ListStatus(party_list.status).label if party_list else ListStatus.DRAFT.label,
               **(_report_context(report) if report is not None else {})}
    return render(request, "candidates/list_edit.html", context, status=status)


@access({Role.PARTY}, methods=("GET", "HEAD", "POST"))
def list_edit(request: HttpRequest, code: str, party: int) -> HttpResponse:
    election = _election(code)
    found = _represented(request, party)
    if request.method != "POST":
        return _render_list(request, election, found)
    action = request.POST.get("action", "")
    user, now = _user(request), clock()
    party_list = PartyList.objects.filter(party=found, election=election).first()
    try:
        if action == "add":
            add = ListAddForm(request.POST)
            add.fields["candidate"].queryset = Candidate.objects.filter(  # type: ignore[attr-defined]
                election=election, party=found, on_list=True)
            if not add.is_valid():
                return _render_list(request, election, found, add=add, status=400)
            services.list_entry_add(actor=user, party=found, election=election,
                                    candidate=add.cleaned_data["candidate"], now=now)
        elif action == "remove":
            remove = ListRemoveForm(request.POST)
            if party_list is not None:
                remove.fields["entry"].queryset = party_list.entries.all()  # type: ignore[attr-defined]
            if not remove.is_valid():
                return _render_list(request, election, found, remove=remove, status=400)
            services.list_entry_remove(actor=user, entry=remove.cleaned_data["entry"], now=now)
        elif action == "submit":
            services.list_submit(actor=user, party=found, election=election, now=now)
        else:
            return _render_list(request, election, found, refusal=_("Choose an action."), status=400)
    except PartyScopeRefused:
        raise PermissionDenied from None
    except DomainError as refused:
        return _render_list(request, election, found, refusal=error_message(refused), status=409)
    messages.success(request, _("The party list was updated."))
    return redirect("candidates:list_edit", code=election.code, party=found.pk)


# --- commission review -------------------------------------------------------------------------


@access(COMMISSION)
def review_queue(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    rows = []
    for c in selectors.review_queue(election):
        report, extra = selectors.candidate_report(c)
        unmet = [f for f in (*report.findings, *extra) if not f.is_met]
        rows.append({"candidate": c, "status": _status(c), "nominator": _nominator(c), "unmet": len(unmet)})
    lists = [{"list": pl, "name": localized(pl.party, "name")}
             for pl in PartyList.objects.filter(election=election, status=ListStatus.SUBMITTED).select_related("party")]
    return render(request, "candidates/review_queue.html", {**_election_context(election), "rows": rows,
                                                            "lists": lists})


def _rule_choices(pack: RulePack) -> list[tuple[str, str]]:
    return [(r.id, f"{r.id} — {reference_label(r.reference)} ({status_label(r.status)})")
            for r in refusal_rules(pack)]


def _render_review(request: HttpRequest, candidate: Candidate, *, form: DecisionForm | None = None,
                   refusal: str = "", status: int = 200) -> HttpResponse:
    report, extra = selectors.candidate_report(candidate)
    pack = mapping.pack_of(candidate.election)
    unmet = [f.rule_id for f in (*report.findings, *extra) if not f.is_met]
    form = form or DecisionForm(rules=_rule_choices(pack), initial={"rules": unmet})
    context = {**_election_context(candidate.election), "candidate": candidate, "status_label": _status(candidate),
               "nominator": _nominator(candidate), "documents": selectors.documents_visible(request.user, candidate),
               "form": form, "refusal": refusal, "pending": candidate.status in selectors.PENDING,
               **_report_context(report, extra)}
    return render(request, "candidates/review.html", context, status=status)


@access(COMMISSION, methods=("GET", "HEAD", "POST"))
def review(request: HttpRequest, candidate: int) -> HttpResponse:
    found = _candidate(candidate)
    _require_scope(request, found.election)
    if request.method != "POST":
        return _render_review(request, found)
    form = DecisionForm(request.POST, rules=_rule_choices(mapping.pack_of(found.election)))
    if not form.is_valid():
        return _render_review(request, found, form=form, status=400)
    user, now = _user(request), clock()
    try:
        if form.cleaned_data["decision"] == "register":
            services.candidate_register(actor=user, candidate=found, now=now)
            done = _("The candidate was registered.")
        else:
            services.candidate_refuse(actor=user, candidate=found, rule_ids=form.cleaned_data["rules"],
                                      reason=form.cleaned_data["reason"], now=now)
            done = _("Registration was refused.")
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except DomainError as refused:
        return _render_review(request, found, form=form, refusal=error_message(refused), status=409)
    messages.success(request, done)
    return redirect("candidates:review_queue", code=found.election.code)


@access(COMMISSION, methods=ACT)
def list_register(request: HttpRequest, code: str, party: int) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    party_list = PartyList.objects.filter(election=election, party_id=party).first()
    if party_list is None:
        raise Http404
    try:
        services.list_register(actor=_user(request), party_list=party_list, now=clock())
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except DomainError as refused:
        messages.error(request, error_message(refused))
        return redirect("candidates:review_queue", code=election.code)
    messages.success(request, _("The party list was registered."))
    return redirect("candidates:review_queue", code=election.code)


# --- mandates ------------------------------------------------------------------------------------


def _registered_candidates(election: Election) -> Any:
    return Candidate.objects.filter(election=election, list_entry__party_list__status=ListStatus.REGISTERED,
                                    status=NominationStatus.REGISTERED.value).select_related("party")


def _render_mandates(request: HttpRequest, election: Election, *, award: AwardForm | None = None,
                     refusal: str = "", status: int = 200) -> HttpResponse:
    in_scope = role_of(request.user) is Role.COMMISSION and commission_may_act(request.user, election, now=clock())
    award = award or AwardForm()
    award.fields["candidate"].queryset = _registered_candidates(election)  # type: ignore[attr-defined]
    vacancies = []
    for v in selectors.vacancies_of(election):
        choices = selectors.registered_list_candidates(election, v.party)
        vacancies.append({"vacancy": v, "party": localized(v.party, "name"), "choices": choices,
                          "status": VacancyStatus(v.status).label})
    parties = Party.objects.filter(mandates__election=election, mandates__ended_at__isnull=True).distinct()
    mandates = [{"mandate": m, "party": localized(m.party, "name"),
                 "reason": str(END_REASON_LABELS[MandateEndReason(m.end_reason)]) if m.end_reason else ""}
                for m in selectors.mandates_of(election)]
    context = {**_election_context(election), "mandates": mandates, "vacancies": vacancies,
               "in_scope": in_scope, "award": award, "end_reasons": EndForm.base_fields["reason"].choices,  # type: ignore[attr-defined]
               "parties": [{"party": p, "name": localized(p, "name")} for p in parties], "refusal": refusal,
               "pack_has_mandates": mapping.pack_of(election).rule("mandate", "terminate_on") is not None}
    return render(request, "candidates/mandates.html", context, status=status)


@access(EVERYONE)
def mandates(request: HttpRequest, code: str) -> HttpResponse:
    return _render_mandates(request, _election(code))


def _mandate_action(request: HttpRequest, election: Election, work: Callable[[], object], success: str) -> HttpResponse:
    try:
        work()
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except DomainError as refused:
        return _render_mandates(request, election, refusal=error_message(refused), status=409)
    messages.success(request, success)
    return redirect("candidates:mandates", code=election.code)


def _form_refusal(form: Any) -> str:
    return " ".join(f"{e['label']}: {e['message']}" if e["label"] else e["message"] for e in form.error_summary())


@access(COMMISSION, methods=ACT)
def mandate_award(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    form = AwardForm(request.POST)
    form.fields["candidate"].queryset = _registered_candidates(election)  # type: ignore[attr-defined]
    if not form.is_valid():
        return _render_mandates(request, election, award=form, refusal=_form_refusal(form), status=400)
    chosen: Candidate = form.cleaned_data["candidate"]
    assert chosen.party is not None
    party = chosen.party
    return _mandate_action(request, election, lambda: services.mandate_award(
        actor=_user(request), election=election, party=party, candidate=chosen, now=clock()),
        _("The mandate was awarded."))


@access(COMMISSION, methods=ACT)
def mandate_end(request: HttpRequest, mandate: int) -> HttpResponse:
    found = Mandate.objects.select_related("election").filter(pk=mandate).first()
    if found is None:
        raise Http404
    _require_scope(request, found.election)
    form = EndForm(request.POST)
    if not form.is_valid():
        return _render_mandates(request, found.election, refusal=_form_refusal(form), status=400)
    return _mandate_action(request, found.election, lambda: services.mandate_end(
        actor=_user(request), mandate=found, reason=MandateEndReason(form.cleaned_data["reason"]),
        act=form.cleaned_data["act"], now=clock()), _("The mandate was ended."))


@access(COMMISSION, methods=ACT)
def vacancy_fill(request: HttpRequest, vacancy: int) -> HttpResponse:
    found = Vacancy.objects.select_related("election", "party").filter(pk=vacancy).first()
    if found is None:
        raise Http404
    _require_scope(request, found.election)
    form = AwardForm(request.POST)
    form.fields["candidate"].queryset = Candidate.objects.filter(election=found.election)  # type: ignore[attr-defined]
    if not form.is_valid():
        return _render_mandates(request, found.election, refusal=_form_refusal(form), status=400)
    return _mandate_action(request, found.election, lambda: services.vacancy_fill(
        actor=_user(request), vacancy=found, candidate=form.cleaned_data["candidate"], now=clock()),
        _("The vacancy was filled."))


@access(COMMISSION, methods=ACT)
def party_cease(request: HttpRequest, code: str, party: int) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    found = selectors.party_get(party)
    if found is None:
        raise Http404
    form = CeaseForm(request.POST)
    if not form.is_valid():
        return _render_mandates(request, election, refusal=_form_refusal(form), status=400)
    return _mandate_action(request, election, lambda: services.party_cease(
        actor=_user(request), election=election, party=found, on=form.cleaned_data["on"],
        act=form.cleaned_data["act"], now=clock()), _("The end of the party was recorded."))
