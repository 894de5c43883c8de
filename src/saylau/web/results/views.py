"""Public results pages (turnout, votes, the SVG chart with its data table, the district
breakdown, CSV/JSON downloads, the signed PDF protocols) and the commission's results workspace
(ballot definition, precinct records, aggregation, second round, signing key, PDF signatures).

Views parse and render; `services` decide and write; domain errors become messages through
`core.errors.error_message`; a member whose commission does not cover the election gets 403."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.domain.errors import CommissionScopeRefused, DomainError
from saylau.domain.protocol import percent
from saylau.record.docsig import DocumentSignatureInvalid
from saylau.web.commissions.selectors import acting_membership, commission_may_act
from saylau.web.core.access import EVERYONE, Role, access
from saylau.web.core.errors import error_message
from saylau.web.core.i18n import localized
from saylau.web.core.uploads import attachment, download_response
from saylau.web.elections import selectors as elections
from saylau.web.elections.models import Election
from saylau.web.results import selectors, services
from saylau.web.results.charts import bar_chart
from saylau.web.results.forms import KeyForm, RecordForm, RunoffForm, SignatureForm
from saylau.web.results.models import (
    LEVEL_CHOICES,
    CommissionSigningKey,
    ProtocolDocument,
    ResultProtocol,
)
from saylau.web.territory.models import Precinct
from saylau.web.territory.selectors import unit_chain

clock: Callable[[], datetime] = timezone.now
"""The views' clock (tests replace it); services take the time as a parameter."""
COMMISSION = {Role.COMMISSION}
ACT = ("POST",)
LEVEL_NAMES = dict(LEVEL_CHOICES)


def _election(code: str) -> Election:
    found = elections.election_get(code=code)
    if found is None:
        raise Http404
    return found


def _protocol(election: Election, unit: str) -> ResultProtocol:
    found = selectors.protocol_get(election, unit)
    if found is None or not found.published:
        raise Http404
    return found


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _require_scope(request: HttpRequest, election: Election, *, decision: bool = True) -> None:
    if not commission_may_act(request.user, election, decision=decision, now=clock()):
        raise PermissionDenied


# --- public pages --------------------------------------------------------------------------------


def _results_context(election: Election, unit: str) -> dict[str, Any]:
    row = selectors.protocol_get(election, unit)
    labels = selectors.labels_of(election)
    context: dict[str, Any] = {"election": election, "election_title": localized(election, "title"), "unit": unit,
                               "unit_name": selectors.unit_name(unit), "row": row, "is_top": unit == selectors.top_unit(election)}
    if row is None:
        return context
    p = selectors.protocol_of(row)
    lines = selectors.lines(p, labels)
    leading = selectors.leader(p, labels)
    turnout = percent(p.turnout)
    description = _("Turnout %(turnout)s %%: %(cast)s ballots cast of %(roll)s voters on the roll. %(valid)s valid "
                    "ballots. Leading: %(leader)s.") % {"turnout": turnout, "cast": p.ballots_cast,
                                                        "roll": p.voters_on_roll, "valid": p.valid, "leader": leading}
    description += " " + " ".join(_("%(label)s: %(votes)s votes, %(percent)s %%.") % {
        "label": line.label, "votes": line.votes, "percent": line.percent} for line in lines)
    outcome = selectors.outcome_get(election)
    kids = []
    for child in selectors.children(election, unit):
        cp = selectors.protocol_of(child)
        kids.append({"unit": child.unit, "name": selectors.unit_name(child.unit), "turnout": percent(cp.turnout),
                     "cast": cp.ballots_cast, "roll": cp.voters_on_roll, "leader": selectors.leader(cp, labels)})
    keys = selectors.documents_of(row)
    context.update(
        p=p, lines=lines, turnout=turnout, leader=leading, description=description,
        chart=bar_chart("chart-votes", _("Votes per candidate or party list, in percent of valid ballots"), description, lines),
        children=kids, documents=keys,
        outcome_lines=(selectors.outcome_summary(outcome.data, labels)
                       if outcome is not None and outcome.protocol_id == row.pk else []),
        outcome=outcome if outcome is not None and outcome.protocol_id == row.pk else None,
        parent=row.parent_unit, parent_name=selectors.unit_name(row.parent_unit) if row.parent_unit else "",
        level=str(LEVEL_NAMES.get(row.level, row.level)))
    return context


@access(EVERYONE)
def election_results(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    return render(request, "results/results.html", _results_context(election, selectors.top_unit(election)))


@access(EVERYONE)
def unit_results(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    election = _election(code)
    _protocol(election, unit)
    return render(request, "results/results.html", _results_context(election, unit))


@access(EVERYONE)
def protocol_json(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    row = _protocol(_election(code), unit)
    body = {"protocol": row.data, "sha256": row.sha256, "record_sha256": row.source_sha256 or None}
    return attachment(json.dumps(body, ensure_ascii=False, indent=1).encode(), f"protocol-{code}-{unit}.json",
                       "application/json")


@access(EVERYONE)
def protocol_csv(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    election = _election(code)
    row = _protocol(election, unit)
    p = selectors.protocol_of(row)
    labels = selectors.labels_of(election)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["election", "unit", "level", "figure", "contestant", "label", "value"])
    for figure in ("voters_on_roll", "ballots_issued", "ballots_cast", "ballots_invalid", "valid"):
        w.writerow([code, unit, row.level, figure, "", "", getattr(p, figure)])
    for c, n in p.votes.items():
        w.writerow([code, unit, row.level, "votes", c, labels.get(c, c), n])
    if p.against_all is not None:
        w.writerow([code, unit, row.level, "votes", "AGAINST_ALL", "Against all", p.against_all])
    return attachment(out.getvalue().encode("utf-8"), f"protocol-{code}-{unit}.csv", "text/csv; charset=utf-8")


def _published(code: str, unit: str, language: str) -> ProtocolDocument:
    row = _protocol(_election(code), unit)
    for doc in selectors.documents_of(row):
        if doc.language == language:
            return doc
    raise Http404


@access(EVERYONE)
def document_pdf(request: HttpRequest, code: str, unit: str, language: str) -> Any:
    return download_response(_published(code, unit, language).pdf)


@access(EVERYONE)
def document_signature(request: HttpRequest, code: str, unit: str, language: str) -> HttpResponse:
    doc = _published(code, unit, language)
    return attachment(doc.signature.encode(), f"{doc.pdf.name}.sig", "text/plain; charset=utf-8")


@access(EVERYONE)
def signing_key(request: HttpRequest, key: int) -> HttpResponse:
    found = CommissionSigningKey.objects.filter(pk=key).first()
    if found is None:
        raise Http404
    return attachment((found.vkey + "\n").encode(), f"commission-{found.commission.code}-{found.pk}.vkey",
                       "text/plain; charset=utf-8")


# --- the commission's workspace ------------------------------------------------------------------


def _manage_context(request: HttpRequest, election: Election, **forms: Any) -> dict[str, Any]:
    membership = acting_membership(request.user, election, now=clock())
    ballot = selectors.ballot_get(election)
    area = election.territory.code if election.territory is not None else None
    precincts = [p for p in Precinct.objects.select_related("territory__parent__parent").order_by("number")
                 if area is None or area in unit_chain(p.territory)]
    record = forms.get("record") or RecordForm()
    record.fields["precinct"].queryset = Precinct.objects.filter(pk__in=[p.pk for p in precincts])  # type: ignore[union-attr]
    protocols = []
    for row in selectors.protocols_of(election):
        protocols.append({"row": row, "name": selectors.unit_name(row.unit), "drafts": selectors.drafts_of(row),
                          "documents": selectors.documents_of(row)})
    outcome = selectors.outcome_get(election)
    return {
        "election": election, "election_title": localized(election, "title"),
        "commission": membership.commission if membership is not None else None,
        "commission_name": localized(membership.commission, "name") if membership is not None else "",
        "keys": selectors.signing_keys([membership.commission.pk]) if membership is not None else [],
        "ballot": ballot, "answers": _answers(ballot), "record": record,
        "runoff": forms.get("runoff") or RunoffForm(), "key_form": forms.get("key") or KeyForm(),
        "signature": forms.get("signature") or SignatureForm(), "protocols": protocols, "outcome": outcome,
        "languages": services.LANGUAGES, "refusal": forms.get("refusal", ""),
    }


def _answers(ballot: Any) -> list[str]:
    if ballot is None:
        return []
    from saylau.domain.results import definition_from_json

    return list(definition_from_json(ballot.data).answers())


def _manage(request: HttpRequest, election: Election, status: int = 200, **forms: Any) -> HttpResponse:
    return render(request, "results/manage.html", _manage_context(request, election, **forms), status=status)


def _act(request: HttpRequest, election: Election, step: Callable[[], object], done: str,
         **forms: Any) -> HttpResponse:
    try:
        step()
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except DomainError as err:
        return _manage(request, election, status=409, refusal=error_message(err), **forms)
    messages.success(request, done)
    return redirect("results:manage", code=election.code)


@access(COMMISSION)
def manage(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    return _manage(request, election)


@access(COMMISSION, methods=ACT)
def ballot_define(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    return _act(request, election, lambda: services.ballot_define(actor=_user(request), election=election, now=clock()),
                _("The ballot was defined and published."))


@access(COMMISSION, methods=ACT)
def record_upload(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election, decision=False)
    form = RecordForm(request.POST, request.FILES)
    context = _manage_context(request, election)
    form.fields["precinct"].queryset = context["record"].fields["precinct"].queryset  # type: ignore[attr-defined]
    if not form.is_valid():
        return _manage(request, election, status=400, record=form)
    upload = form.cleaned_data["record"]
    with tempfile.TemporaryDirectory(prefix="saylau-record-") as tmp:
        path = Path(tmp) / "record.bel"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return _act(request, election, lambda: services.precinct_protocol_record(
            actor=_user(request), election=election, precinct=form.cleaned_data["precinct"], record=path,
            ballots_issued=form.cleaned_data["ballots_issued"], issued_source=form.cleaned_data["issued_source"],
            now=clock()), _("The precinct protocol was recorded and published."), record=form)


@access(COMMISSION, methods=ACT)
def aggregate(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    return _act(request, election, lambda: services.results_aggregate(actor=_user(request), election=election,
                                                                      now=clock()),
                _("The protocols were summed up the territory and the outcome published."))


@access(COMMISSION, methods=ACT)
def runoff(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    form = RunoffForm(request.POST)
    if not form.is_valid():
        return _manage(request, election, status=400, runoff=form)
    return _act(request, election, lambda: services.runoff_create(
        actor=_user(request), election=election, voting_opens=form.cleaned_data["voting_opens"],
        voting_closes=form.cleaned_data["voting_closes"], now=clock()),
        _("The second round was called."), runoff=form)


@access(COMMISSION, methods=ACT)
def key_register(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    membership = acting_membership(request.user, election, now=clock())
    assert membership is not None
    form = KeyForm(request.POST)
    if not form.is_valid():
        return _manage(request, election, status=400, key=form)
    return _act(request, election, lambda: services.signing_key_register(
        actor=_user(request), commission=membership.commission, vkey=form.cleaned_data["vkey"], now=clock()),
        _("The commission's signing key was registered and published."), key=form)


@access(COMMISSION, methods=ACT)
def document_prepare(request: HttpRequest, code: str, unit: str, language: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    row = _protocol(election, unit)
    if language not in services.LANGUAGES:
        raise Http404
    return _act(request, election, lambda: services.protocol_document_prepare(
        actor=_user(request), protocol=row, language=language, now=clock()),
        _("The PDF protocol was prepared: download it, sign it with the commission's key and upload the signature."))


def _draft(request: HttpRequest, draft: int) -> ProtocolDocument:
    found = (ProtocolDocument.objects.select_related("protocol__election", "pdf", "commission")
             .filter(pk=draft).first())
    if found is None:
        raise Http404
    _require_scope(request, found.protocol.election)
    return found


@access(COMMISSION)
def draft_pdf(request: HttpRequest, draft: int) -> Any:
    return download_response(_draft(request, draft).pdf)


@access(COMMISSION, methods=ACT)
def document_sign(request: HttpRequest, draft: int) -> HttpResponse:
    found = _draft(request, draft)
    election = found.protocol.election
    form = SignatureForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manage(request, election, status=400, signature=form)
    try:
        services.protocol_document_sign(actor=_user(request), document=found, signature=form.cleaned_data["signature"],
                                        now=clock())
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except DocumentSignatureInvalid:
        form.add_error("signature", _("“%(field)s”: the signature does not verify with the commission's registered "
                                      "key over this PDF.") % {"field": form.fields["signature"].label})
        return _manage(request, election, status=400, signature=form)
    except DomainError as err:
        return _manage(request, election, status=409, refusal=error_message(err), signature=form)
    messages.success(request, _("The signature was verified and the PDF protocol published."))
    return redirect(reverse("results:unit", kwargs={"code": election.code, "unit": found.protocol.unit}))

