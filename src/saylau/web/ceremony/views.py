"""The ceremony pages: the public status page (trustees, their steps, the election key, the public
files, the precincts' decryption), the commission's setup and tally actions (decision scope), and
a trustee's workspace (what to run next, downloads, the upload form) — only that trustee's.

Views parse and render; `services` decide and write; domain errors become messages through
`core.errors.error_message`; a member out of scope, or not a trustee, gets 403."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.domain.ceremony import CeremonyKind, Step, bundle_manifest
from saylau.domain.errors import CommissionScopeRefused, DomainError
from saylau.record.workflow import ElectionDir
from saylau.web.ceremony import selectors, services
from saylau.web.ceremony.forms import SetupForm, UploadForm
from saylau.web.ceremony.messages import STEP_LABELS
from saylau.web.ceremony.models import KeyCeremony, Trustee
from saylau.web.commissions.selectors import commission_may_act
from saylau.web.core.access import EVERYONE, Role, access
from saylau.web.core.errors import error_message
from saylau.web.core.i18n import localized
from saylau.web.core.uploads import attachment
from saylau.web.elections import selectors as elections
from saylau.web.elections.models import Election

clock: Callable[[], datetime] = timezone.now
"""The views' clock (tests replace it); services take the time as a parameter."""
COMMISSION = {Role.COMMISSION}
ACT = ("POST",)
UPLOAD_STEPS = {s.value: s for s in Step if s is not Step.COMPLETED}


def _election(code: str) -> Election:
    found = elections.election_get(code=code)
    if found is None:
        raise Http404
    return found


def _ceremony(election: Election) -> KeyCeremony:
    found = selectors.ceremony_of(election)
    if found is None:
        raise Http404
    return found


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _attachment(body: bytes, name: str, content_type: str = "application/json") -> HttpResponse:
    return attachment(body, name, content_type)


def _trustee(request: HttpRequest, ceremony: KeyCeremony) -> Trustee:
    """The requesting trustee, still in scope (else 403)."""
    try:
        return services.trustee_acting(ceremony, _user(request), clock())
    except DomainError:
        raise PermissionDenied from None


# --- the public status page ------------------------------------------------------------------------


@access(EVERYONE)
def status(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    ceremony = selectors.ceremony_of(election)
    context: dict[str, Any] = {"election": election, "election_title": localized(election, "title"),
                               "ceremony": ceremony,
                               "may_set_up": commission_may_act(request.user, election, now=clock())}
    if ceremony is not None:
        step = selectors.step_of(ceremony)
        trustees = selectors.trustees_of(ceremony)
        records = selectors.records_of(ceremony)
        context.update(
            step=step, step_label=STEP_LABELS[step], completed=step is Step.COMPLETED,
            trustees=[{"row": t, "steps": [(STEP_LABELS[s], at) for s, at in selectors.progress(t)]}
                      for t in trustees],
            step_names=[STEP_LABELS[s] for s, _at in selectors.progress(trustees[0])] if trustees else [],
            is_trustee=selectors.trustee_of(ceremony, request.user) is not None,
            records=[{"row": r, "trustees": ", ".join(str(d.trustee.index) for d in r.decryptions.all())}
                     for r in records],
            has_certs=selectors.certificates(ceremony) is not None)
    return render(request, "ceremony/status.html", context)


@access(EVERYONE)
def certificates(request: HttpRequest, code: str) -> HttpResponse:
    certs = selectors.certificates(_ceremony(_election(code)))
    if certs is None:
        raise Http404
    import json

    body = "".join(json.dumps(c, separators=(",", ":")) + "\n" for c in certs)
    return _attachment(body.encode(), "certs.jsons")


@access(EVERYONE)
def trustees_json(request: HttpRequest, code: str) -> HttpResponse:
    ceremony = _ceremony(_election(code))
    if ceremony.completed_at is None:
        raise Http404
    return _attachment(bytes(ceremony.trustees_json), "trustees.json")


# --- the commission's actions ----------------------------------------------------------------------


def _setup_page(request: HttpRequest, election: Election, form: SetupForm, status: int = 200,
                refusal: str = "") -> HttpResponse:
    return render(request, "ceremony/setup.html", {
        "election": election, "election_title": localized(election, "title"), "form": form,
        "ceremony": selectors.ceremony_of(election), "refusal": refusal}, status=status)


@access(COMMISSION, methods=("GET", "HEAD", "POST"))
def setup(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    now = clock()
    if not commission_may_act(request.user, election, now=now):
        raise PermissionDenied
    users = selectors.eligible_trustees(election, now=now)
    if request.method != "POST":
        return _setup_page(request, election, SetupForm(users=users))
    form = SetupForm(request.POST, users=users)
    if not form.is_valid():
        return _setup_page(request, election, form, status=400)
    try:
        services.ceremony_create(actor=_user(request), election=election, trustees=form.cleaned_data["trustees"],
                                 threshold=form.cleaned_data["threshold"], now=now)
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except DomainError as err:
        return _setup_page(request, election, form, status=409, refusal=error_message(err))
    messages.success(request, _("The key ceremony was set up. Each trustee now finds the next step in their "
                                "workspace."))
    return redirect("ceremony:status", code=election.code)


@access(COMMISSION, methods=ACT)
def tally(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    if not commission_may_act(request.user, election, now=clock()):
        raise PermissionDenied
    try:
        from saylau.web.voting.services import voting_records_register

        voting_records_register(  # the voting layer's precinct records join the ceremony first
            actor=_user(request), election=election, now=clock())
        rows = services.records_tally(actor=_user(request), election=election, now=clock())
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except DomainError as err:
        messages.error(request, error_message(err))
        return redirect("ceremony:status", code=election.code)
    messages.success(request, _("Voting was closed and %(count)s precinct tally(ies) published.") % {"count": len(rows)})
    return redirect("ceremony:status", code=election.code)


# --- the trustee's workspace -----------------------------------------------------------------------


def _workspace(request: HttpRequest, election: Election, ceremony: KeyCeremony, trustee: Trustee,
               form: UploadForm | None = None, status: int = 200, refusal: str = "") -> HttpResponse:
    step = selectors.step_of(ceremony)
    mine_done = step is not Step.COMPLETED and getattr(trustee, step.value) is not None
    pending = selectors.records_to_decrypt(trustee) if step is Step.COMPLETED else []
    upload_step = Step.DECRYPTION if step is Step.COMPLETED else step
    return render(request, "ceremony/workspace.html", {
        "election": election, "election_title": localized(election, "title"), "ceremony": ceremony,
        "trustee": trustee, "step": step, "step_label": STEP_LABELS[step], "mine_done": mine_done,
        "pending": pending, "upload_step": upload_step.value, "form": form or UploadForm(),
        "refusal": refusal, "pedersen": ceremony.kind == CeremonyKind.PEDERSEN,
        "has_certs": selectors.certificates(ceremony) is not None, "has_vinput": trustee.vinput is not None,
        "trustee_id": trustee.index, "name": f"trustee{trustee.index}",
    }, status=status)


@access(COMMISSION)
def workspace(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    ceremony = _ceremony(election)
    return _workspace(request, election, ceremony, _trustee(request, ceremony))


@access(COMMISSION, methods=ACT)
def upload(request: HttpRequest, code: str, ceremony_step: str) -> HttpResponse:
    election = _election(code)
    ceremony = _ceremony(election)
    step = UPLOAD_STEPS.get(ceremony_step)
    if step is None:
        raise Http404
    trustee = _trustee(request, ceremony)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _workspace(request, election, ceremony, trustee, form, status=400)
    text = form.cleaned_data["file"]
    try:
        if step is Step.DECRYPTION:
            outcome = services.decryptions_upload(actor=_user(request), election=election, text=text, now=clock())
            done = _("%(accepted)s partial decryption(s) accepted; %(decrypted)s precinct(s) decrypted.") % {
                "accepted": len(outcome.accepted), "decrypted": len(outcome.decrypted)}
        else:
            services.trustee_upload(actor=_user(request), election=election, step=step, text=text, now=clock())
            done = _("Your file was checked and accepted.")
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except DomainError as err:
        return _workspace(request, election, ceremony, trustee, form, status=409, refusal=error_message(err))
    messages.success(request, done)
    return redirect("ceremony:workspace", code=election.code)


@access(COMMISSION)
def vinput(request: HttpRequest, code: str) -> HttpResponse:
    ceremony = _ceremony(_election(code))
    trustee = _trustee(request, ceremony)
    if trustee.vinput is None:
        raise Http404
    import json

    return _attachment(json.dumps(trustee.vinput, separators=(",", ":")).encode() + b"\n",
                       f"trustee{trustee.index}.vinput")


@access(COMMISSION)
def bundle(request: HttpRequest, code: str) -> FileResponse:
    """The tallies bundle: every precinct record this trustee has still to decrypt, in one zip."""
    election = _election(code)
    ceremony = _ceremony(election)
    trustee = _trustee(request, ceremony)
    if ceremony.completed_at is None:
        raise Http404
    records = selectors.records_to_decrypt(trustee)
    out = tempfile.TemporaryFile()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        listed = []
        for r in records:
            d = ElectionDir(Path(r.path))
            for name in ("election.json", "trustees.json", "public_creds.json"):
                z.write(d.path / name, f"{r.precinct.code}/{name}")
            z.write(d.archive, f"{r.precinct.code}/{d.archive.name}")
            listed.append({"precinct": r.precinct.code, "uuid": r.uuid, "num_tallied": r.num_tallied,
                           "encrypted_tally": r.encrypted_tally})
        z.writestr("manifest.json", bundle_manifest(election=election.code, trustees_sha256=ceremony.trustees_sha256,
                                                    min_ballots=ceremony.min_ballots, records=listed))
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=f"tallies-{election.code}.zip",
                            content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    return response
