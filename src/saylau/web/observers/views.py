"""Observers' pages: accreditation (requests and the commission's decisions), the read-only
portal of an accredited observer, incident reports and their answers, and the public bulletin
board. Views parse, check scope and render; the services and selectors decide.

Scope: a commission member acts only on elections their commission covers
(`commissions.selectors.commission_may_act`); an observer sees only elections they are
accredited for. Either refusal is a 403.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.domain.election import Stage
from saylau.domain.errors import DomainError
from saylau.domain.observers import (
    AccreditationStatus,
    IncidentStatus,
    ObserverKind,
    RefusalReason,
    Resolution,
    RevocationReason,
)
from saylau.web.commissions.selectors import commission_may_act
from saylau.web.core.access import EVERYONE, Role, access, role_of
from saylau.web.core.errors import error_message
from saylau.web.core.i18n import localized
from saylau.web.core.labels import STAGE_LABELS
from saylau.web.core.publicboard import board_checkpoint, board_entries, board_vkey
from saylau.web.core.uploads import download_response
from saylau.web.elections.models import Election
from saylau.web.elections.selectors import election_get, election_history
from saylau.web.observers import selectors, services
from saylau.web.observers.forms import (
    AccreditationRequestForm,
    AnswerForm,
    DecisionForm,
    IncidentForm,
)
from saylau.web.observers.labels import (
    BOARD_KIND_LABELS,
    INCIDENT_STATUS_LABELS,
    KIND_LABELS,
    REASON_LABELS,
    RESOLUTION_LABELS,
    STATUS_LABELS,
)
from saylau.web.observers.models import Incident, ObserverAccreditation

PAGE_SIZE = selectors.PAGE_SIZE
REQUESTERS = {Role.CITIZEN, Role.PARTY, Role.OBSERVER}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # every view below is for signed-in roles only
    return request.user


def _election(code: str) -> Election:
    election = election_get(code=code)
    if election is None:
        raise Http404
    return election


def _require_scope(request: HttpRequest, election: Election) -> None:
    if not commission_may_act(request.user, election):
        raise PermissionDenied


def _require_accredited(request: HttpRequest, election: Election) -> None:
    if not selectors.is_accredited(request.user, election):
        raise PermissionDenied


def _page(request: HttpRequest, rows: Any) -> Page:  # type: ignore[type-arg]
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _accreditation_row(a: ObserverAccreditation) -> dict[str, object]:
    return {"a": a, "kind": KIND_LABELS[ObserverKind(a.kind)],
            "status": STATUS_LABELS[AccreditationStatus(a.status)],
            "reason": REASON_LABELS.get(a.reason, a.reason) if a.reason else "",
            "title": localized(a.election, "title")}


# --- accreditation -------------------------------------------------------------------------


def _render_home(request: HttpRequest, form: AccreditationRequestForm, *, refusal: str = "",
                 status: int = 200) -> HttpResponse:
    rows = [_accreditation_row(a) for a in selectors.accreditations_of(request.user)[:PAGE_SIZE]]
    return render(request, "observers/home.html", {"form": form, "rows": rows, "refusal": refusal},
                  status=status)


def _open_elections() -> Any:
    return Election.objects.exclude(stage=Stage.CLOSED.value).order_by("-voting_opens", "code")


@access(REQUESTERS, methods=("GET", "HEAD", "POST"))
def home(request: HttpRequest) -> HttpResponse:
    """My accreditations, and the request for a new one."""
    if request.method != "POST":
        return _render_home(request, AccreditationRequestForm(elections=_open_elections()))
    form = AccreditationRequestForm(request.POST, elections=_open_elections())
    if not form.is_valid():
        return _render_home(request, form, status=400)
    election: Election = form.cleaned_data["election"]
    try:
        services.accreditation_request(user=_user(request), election=election, kind=form.cleaned_data["kind"],
                                       organisation=form.cleaned_data["organisation"], now=timezone.now())
    except DomainError as refused:
        return _render_home(request, form, refusal=error_message(refused), status=409)
    messages.success(request, _("Your request was sent to the election commission."))
    return redirect("observers:home")


def _render_requests(request: HttpRequest, election: Election, *, refusal: str = "",
                     form: DecisionForm | None = None, status: int = 200) -> HttpResponse:
    page = _page(request, selectors.accreditation_requests(election))
    context = {"election": election, "title": localized(election, "title"), "page": page,
               "rows": [_accreditation_row(a) for a in page.object_list],
               "refusals": [(r.value, label) for r, label in
                            ((r, REASON_LABELS[r.value]) for r in RefusalReason)],
               "revocations": [(r.value, REASON_LABELS[r.value]) for r in RevocationReason],
               "refusal": refusal, "form": form}
    return render(request, "observers/requests.html", context, status=status)


@access({Role.COMMISSION})
def requests(request: HttpRequest, code: str) -> HttpResponse:
    """The commission's list of accreditation requests for an election."""
    election = _election(code)
    _require_scope(request, election)
    return _render_requests(request, election)


_TARGET = {"approve": AccreditationStatus.APPROVED, "refuse": AccreditationStatus.REFUSED,
           "revoke": AccreditationStatus.REVOKED}


@access({Role.COMMISSION}, methods=("POST",))
def decide(request: HttpRequest, accreditation_id: int) -> HttpResponse:
    accreditation = (ObserverAccreditation.objects.select_related("election", "user")
                     .filter(pk=accreditation_id).first())
    if accreditation is None:
        raise Http404
    election = accreditation.election
    _require_scope(request, election)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _render_requests(request, election, form=form, status=400)
    decision = form.cleaned_data["decision"]
    reason: RefusalReason | RevocationReason | None = None
    if decision == "refuse":
        reason = RefusalReason(form.cleaned_data["refusal_reason"])
    elif decision == "revoke":
        reason = RevocationReason(form.cleaned_data["revocation_reason"])
    now = timezone.now()
    try:
        services.accreditation_decide(actor=_user(request), accreditation=accreditation, target=_TARGET[decision],
                                      reason=reason, levels=selectors.decider_levels(request.user, election, now=now),
                                      now=now)
    except DomainError as refused:
        return _render_requests(request, election, refusal=error_message(refused), status=409)
    messages.success(request, _("The decision on “%(organisation)s” was recorded.") % {
        "organisation": accreditation.organisation})
    return redirect("observers:requests", code=election.code)


# --- the observer's portal ------------------------------------------------------------------


def _board_row(index: int | None, event: dict[str, object]) -> dict[str, object]:
    kind = str(event.get("saylau", ""))
    return {"index": index, "kind": kind, "label": BOARD_KIND_LABELS.get(kind, kind),
            "at": event.get("at", ""),
            "json": json.dumps(event, ensure_ascii=False, indent=2, sort_keys=True)}


@access({Role.OBSERVER})
def portal(request: HttpRequest, code: str) -> HttpResponse:
    """An accredited observer's read-only view of an election: its stages and its board events."""
    election = _election(code)
    _require_accredited(request, election)
    page = _page(request, selectors.election_board_events(election))
    events = [_board_row(e.leaf, {"saylau": e.kind, "seq": e.pk, "at": e.at.isoformat(), **e.data})
              for e in page.object_list]
    history = [{"source": STAGE_LABELS[Stage(c.source)], "target": STAGE_LABELS[Stage(c.target)], "at": c.at}
               for c in election_history(election=election)]
    return render(request, "observers/portal.html", {
        "election": election, "title": localized(election, "title"), "stage": STAGE_LABELS[Stage(election.stage)],
        "history": history, "page": page, "events": events})


@access({Role.OBSERVER})
def audit(request: HttpRequest, code: str) -> HttpResponse:
    """The audit log of the election and its related objects, newest first, 50 a page."""
    election = _election(code)
    _require_accredited(request, election)
    page = _page(request, selectors.election_audit(election))
    rows = [{"e": e, "details": json.dumps(e.data, ensure_ascii=False, sort_keys=True)} for e in page.object_list]
    return render(request, "observers/audit.html", {
        "election": election, "title": localized(election, "title"), "page": page, "rows": rows})


# --- incidents -----------------------------------------------------------------------------


def _incident_row(i: Incident, now: Any) -> dict[str, object]:
    return {"i": i, "status": INCIDENT_STATUS_LABELS[IncidentStatus(i.status)],
            "resolution": RESOLUTION_LABELS[Resolution(i.resolution)] if i.resolution else "",
            "overdue": i.status == IncidentStatus.OPEN.value and now > i.due_at}


@access({Role.OBSERVER, Role.COMMISSION})
def incidents(request: HttpRequest, code: str) -> HttpResponse:
    """The commission: every report of the election, overdue and open first. An observer: their own."""
    election = _election(code)
    now = timezone.now()
    commission = role_of(request.user) is Role.COMMISSION
    if commission:
        _require_scope(request, election)
        rows = selectors.incidents_for_commission(election, now=now)
    else:
        _require_accredited(request, election)
        rows = selectors.incidents_of_reporter(request.user, election)
    page = _page(request, rows)
    return render(request, "observers/incidents.html", {
        "election": election, "title": localized(election, "title"), "page": page, "commission": commission,
        "rows": [_incident_row(i, now) for i in page.object_list]})


def _render_new(request: HttpRequest, election: Election, form: IncidentForm, *, refusal: str = "",
                status: int = 200) -> HttpResponse:
    return render(request, "observers/incident_new.html", {
        "election": election, "title": localized(election, "title"), "form": form, "refusal": refusal},
        status=status)


@access({Role.OBSERVER}, methods=("GET", "HEAD", "POST"))
def incident_new(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_accredited(request, election)
    if request.method != "POST":
        return _render_new(request, election, IncidentForm())
    form = IncidentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_new(request, election, form, status=400)
    data = form.cleaned_data
    try:
        incident = services.incident_report(
            reporter=_user(request), election=election, title=data["title"], description=data["description"],
            precinct=data["precinct"], files=data["attachments"], now=timezone.now())
    except DomainError as refused:
        return _render_new(request, election, form, refusal=error_message(refused), status=409)
    messages.success(request, _("Your incident report was sent to the election commission."))
    return redirect("observers:incident", incident_id=incident.pk)


def _incident_for(request: HttpRequest, incident_id: int) -> tuple[Incident, bool]:
    """The incident if the user may see it (403 otherwise), and whether they see it as the commission."""
    incident = selectors.incident_get(incident_id)
    if incident is None:
        raise Http404
    if role_of(request.user) is Role.COMMISSION:
        _require_scope(request, incident.election)
        return incident, True
    if incident.reporter_id != request.user.pk:
        _require_accredited(request, incident.election)
    return incident, False


def _render_incident(request: HttpRequest, incident: Incident, commission: bool, *,
                     form: AnswerForm | None = None, refusal: str = "", status: int = 200) -> HttpResponse:
    now = timezone.now()
    open_ = incident.status == IncidentStatus.OPEN.value
    answered = incident.status == IncidentStatus.ANSWERED.value
    return render(request, "observers/incident.html", {
        **_incident_row(incident, now), "election": incident.election,
        "title": localized(incident.election, "title"), "files": list(incident.files.select_related("stored")),
        "commission": commission, "form": form or AnswerForm() if commission and open_ else form,
        "may_close": answered and (commission or incident.reporter_id == request.user.pk),
        "refusal": refusal}, status=status)


@access({Role.OBSERVER, Role.COMMISSION})
def incident(request: HttpRequest, incident_id: int) -> HttpResponse:
    found, commission = _incident_for(request, incident_id)
    return _render_incident(request, found, commission)


@access({Role.COMMISSION}, methods=("POST",))
def incident_answer(request: HttpRequest, incident_id: int) -> HttpResponse:
    found, _commission = _incident_for(request, incident_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _render_incident(request, found, True, form=form, status=400)
    try:
        services.incident_answer(actor=_user(request), incident=found, text=form.cleaned_data["answer"],
                                 resolution=Resolution(form.cleaned_data["resolution"]), now=timezone.now())
    except DomainError as refused:
        found.refresh_from_db()
        return _render_incident(request, found, True, form=form, refusal=error_message(refused), status=409)
    messages.success(request, _("The answer was recorded and the observer can read it."))
    return redirect("observers:incident", incident_id=found.pk)


@access({Role.OBSERVER, Role.COMMISSION}, methods=("POST",))
def incident_close(request: HttpRequest, incident_id: int) -> HttpResponse:
    found, commission = _incident_for(request, incident_id)
    if not commission and found.reporter_id != request.user.pk:
        raise PermissionDenied  # another observer may read the report, not close it
    try:
        services.incident_close(actor=_user(request), incident=found, now=timezone.now())
    except DomainError as refused:
        return _render_incident(request, found, commission, refusal=error_message(refused), status=409)
    messages.success(request, _("The incident report is closed."))
    return redirect("observers:incident", incident_id=found.pk)


@access({Role.OBSERVER, Role.COMMISSION})
def incident_file(request: HttpRequest, incident_id: int, file_id: int) -> Any:
    found, _commission = _incident_for(request, incident_id)
    attachment = found.files.select_related("stored").filter(pk=file_id).first()
    if attachment is None:
        raise Http404
    return download_response(attachment.stored)


# --- the public bulletin board ----------------------------------------------------------------


@access(EVERYONE)
def board(request: HttpRequest) -> HttpResponse:
    """The public bulletin board: its events newest first (50 a page), its signed checkpoint and key."""
    size, _first = board_entries(0, 0)
    pages = max(1, -(-size // PAGE_SIZE))
    try:
        number = min(max(1, int(request.GET.get("page", "1"))), pages)
    except ValueError:
        number = 1
    end = size - (number - 1) * PAGE_SIZE
    start = max(0, end - PAGE_SIZE)
    _size, found = board_entries(start, end - start)
    events = [_board_row(index, event) for index, event in reversed(found)]
    return render(request, "observers/board.html", {
        "size": size, "events": events, "number": number, "pages": pages,
        "previous": number - 1 if number > 1 else None, "next": number + 1 if number < pages else None,
        "checkpoint": board_checkpoint() or "", "vkey": board_vkey() or "",
        "board_url": request.build_absolute_uri(reverse("board-log", kwargs={"path": "checkpoint"}))[:-len("checkpoint")]})
