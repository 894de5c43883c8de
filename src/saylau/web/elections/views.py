"""Public election pages, and the commission's lifecycle step. Views parse and render; the
services and selectors decide; domain errors become messages through `core.errors`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.domain.election import ElectionType, Stage
from saylau.domain.errors import TransitionRefused
from saylau.domain.rulepack import RulePack, load_builtin_pack
from saylau.web.commissions.selectors import commission_may_act
from saylau.web.core.access import EVERYONE, Role, access
from saylau.web.core.errors import error_message
from saylau.web.core.i18n import localized
from saylau.web.core.labels import ELECTION_TYPE_LABELS, SCHEDULE_FIELD_LABELS, STAGE_LABELS
from saylau.web.elections import selectors
from saylau.web.elections.forms import AdvanceForm
from saylau.web.elections.models import Election
from saylau.web.elections.services import election_advance


@access(EVERYONE)
def election_list(request: HttpRequest) -> HttpResponse:
    rows = [{"election": e, "title": localized(e, "title"), "type": ELECTION_TYPE_LABELS[ElectionType(e.type)],
             "stage": STAGE_LABELS[Stage(e.stage)]} for e in selectors.election_list()]
    return render(request, "elections/election_list.html", {"rows": rows})


def _get(code: str) -> Election:
    election = selectors.election_get(code=code)
    if election is None:
        raise Http404
    return election


def _pack(pack_id: str) -> RulePack | None:
    try:
        return load_builtin_pack(pack_id)
    except Exception:  # a pack removed from the repository after the election was created
        return None


def _render_detail(request: HttpRequest, election: Election, *, form: AdvanceForm | None = None,
                   refusal: str = "", status: int = 200) -> HttpResponse:
    steps = []
    if commission_may_act(request.user, election):  # a member whose commission covers it
        steps = [{"target": s.target.value, "label": STAGE_LABELS[s.target],
                  "refusal": error_message(s.refusal) if s.refusal else ""}
                 for s in selectors.election_next_steps(election=election, now=timezone.now())]
    context = {
        "election": election,
        "title": localized(election, "title"),
        "type": ELECTION_TYPE_LABELS[ElectionType(election.type)],
        "stage": STAGE_LABELS[Stage(election.stage)],
        "territory": localized(election.territory, "name") if election.territory else "",
        "pack": _pack(election.pack_id),
        "schedule": [(label, getattr(election, name)) for name, label in SCHEDULE_FIELD_LABELS.items()],
        "history": [{"source": STAGE_LABELS[Stage(c.source)], "target": STAGE_LABELS[Stage(c.target)], "at": c.at}
                    for c in selectors.election_history(election=election)],
        "steps": steps,
        "form": form or AdvanceForm(),
        "refusal": refusal,
    }
    return render(request, "elections/election_detail.html", context, status=status)


@access(EVERYONE)
def election_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_detail(request, _get(code))


@access({Role.COMMISSION}, methods=("POST",))
def election_advance_view(request: HttpRequest, code: str) -> HttpResponse:
    election = _get(code)
    if not commission_may_act(request.user, election):
        raise PermissionDenied
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, election, form=form, status=400)
    target = Stage(form.cleaned_data["target"])
    try:
        election_advance(actor=request.user if request.user.is_authenticated else None,
                         election=election, target=target, now=timezone.now())
    except TransitionRefused as refused:
        return _render_detail(request, election, form=form, refusal=error_message(refused), status=409)
    messages.success(request, _("The election moved to stage “%(stage)s”.") % {"stage": STAGE_LABELS[target]})
    return redirect("elections:detail", code=election.code)
