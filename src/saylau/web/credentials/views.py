"""The commission's credentials workspace (CA key, voters' channels, roll export for the CA, upload
of the CA's signed lists, replacements, the audio ballot), the public credential lists, the audio
files, and the polling station's page (find the voter by IIN and date of birth, issue a ballot).

Views parse and render; `services` decide and write. A member without scope gets 403. The
polling-station views are `@no_voter_trace` (`privacy`): no log line keeps the client's address,
the IIN or a precise time.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from saylau.domain.credentials import Channel
from saylau.domain.errors import CommissionScopeRefused, DomainError, VoterNotFound
from saylau.record.credauthority import ROLL_HEADER
from saylau.web.commissions.selectors import commission_may_act
from saylau.web.core.access import EVERYONE, Role, access
from saylau.web.core.errors import error_message
from saylau.web.core.i18n import localized
from saylau.web.core.uploads import attachment
from saylau.web.credentials import selectors, services
from saylau.web.credentials.forms import (
    CaKeyForm,
    PrecinctChannelForm,
    ReplacementForm,
    StationForm,
    UploadForm,
    VoterChannelForm,
)
from saylau.web.credentials.models import CredentialSet
from saylau.web.credentials.privacy import no_voter_trace
from saylau.web.elections import selectors as elections
from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct

clock: Callable[[], datetime] = timezone.now
"""The views' clock (tests replace it); services take the time as a parameter."""
COMMISSION = {Role.COMMISSION}
ACT = ("POST",)


def _election(code: str) -> Election:
    found = elections.election_get(code=code)
    if found is None:
        raise Http404
    return found


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_scope(request: HttpRequest, election: Election) -> None:
    if not commission_may_act(request.user, election, now=clock()):
        raise PermissionDenied


def _precinct(election: Election, code: str) -> Precinct:
    found = selectors.election_precincts(election).filter(code=code).first()
    if found is None:
        raise Http404
    return found


def _precinct_choices(election: Election) -> list[tuple[str, str]]:
    return [(p.code, _("Precinct No. %(number)s") % {"number": p.number})
            for p in selectors.election_precincts(election)]


def _manage(request: HttpRequest, election: Election, *, status: int = 200, refusal: str = "",
            **forms: Any) -> HttpResponse:
    counts = selectors.roll_counts(election)
    sets = {(s.precinct.code, s.channel): s for s in selectors.credential_sets(election)}
    rows = []
    for p in selectors.election_precincts(election):
        rows.append({"precinct": p, "remote": counts[(p.code, Channel.REMOTE)],
                     "station": counts[(p.code, Channel.STATION)],
                     "remote_set": sets.get((p.code, Channel.REMOTE.value)),
                     "station_set": sets.get((p.code, Channel.STATION.value))})
    context = {
        "election": election, "election_title": localized(election, "title"), "refusal": refusal, "rows": rows,
        "keys": selectors.ca_keys(election), "fixed": any(s.fixed_at for s in sets.values()),
        "audio": {lang: selectors.audio_manifest(election, lang) for lang in ("kk", "ru", "en")},
        "key_form": forms.get("key_form") or CaKeyForm(prefix="key"),
        "precinct_form": forms.get("precinct_form") or PrecinctChannelForm(
            prefix="precinct", precincts=_precinct_choices(election)),
        "voter_form": forms.get("voter_form") or VoterChannelForm(prefix="voter"),
        "upload_form": forms.get("upload_form") or UploadForm(prefix="upload"),
        "replace_form": forms.get("replace_form") or ReplacementForm(prefix="replace"),
    }
    return render(request, "credentials/manage.html", context, status=status)


def _act(request: HttpRequest, election: Election, action: Callable[[], object], done: str,
         **forms: Any) -> HttpResponse:
    try:
        action()
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except DomainError as refused:
        return _manage(request, election, status=409 if not isinstance(refused, VoterNotFound) else 400,
                       refusal=error_message(refused), **forms)
    messages.success(request, done)
    return redirect("credentials:manage", code=election.code)


@access(COMMISSION)
def manage(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    return _manage(request, election)


@access(COMMISSION, methods=ACT)
def ca_key(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    form = CaKeyForm(request.POST, prefix="key")
    if not form.is_valid():
        return _manage(request, election, status=400, key_form=form)
    return _act(request, election, lambda: services.ca_key_register(
        actor=_user(request), election=election, vkey=form.cleaned_data["vkey"], now=clock()),
        _("The credential authority's key was registered and published."), key_form=form)


@access(COMMISSION, methods=ACT)
def precinct_channel(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    form = PrecinctChannelForm(request.POST, prefix="precinct", precincts=_precinct_choices(election))
    if not form.is_valid():
        return _manage(request, election, status=400, precinct_form=form)
    return _act(request, election, lambda: services.precinct_channel_set(
        actor=_user(request), election=election, precinct=form.cleaned_data["precinct"],
        channel=Channel(form.cleaned_data["channel"]), now=clock()),
        _("The precinct's voters were put on the chosen channel."), precinct_form=form)


@sensitive_post_parameters("voter-iin", "voter-birth_date")
@access(COMMISSION, methods=ACT)
@no_voter_trace
def voter_channel(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    form = VoterChannelForm(request.POST, prefix="voter")
    if not form.is_valid():
        return _manage(request, election, status=400, voter_form=form)
    data = form.cleaned_data
    return _act(request, election, lambda: services.voter_channel_set(
        actor=_user(request), election=election, iin=data["iin"], birth_date=data["birth_date"],
        channel=Channel(data["channel"]), language=data["language"], now=clock()),
        _("The voter's channel was recorded."), voter_form=VoterChannelForm(prefix="voter"))


@access(COMMISSION, methods=ACT)
def roll_export(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    try:
        rows = services.roll_export(actor=_user(request), election=election, now=clock())
    except CommissionScopeRefused:
        raise PermissionDenied from None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ROLL_HEADER)
    writer.writerows(rows)
    response = attachment(out.getvalue().encode(), f"{election.code}-roll-export.csv", "text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@access(COMMISSION, methods=ACT)
def upload(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    form = UploadForm(request.POST, request.FILES, prefix="upload")
    if not form.is_valid():
        return _manage(request, election, status=400, upload_form=form)
    return _act(request, election, lambda: services.credentials_upload(
        actor=_user(request), election=election, text=form.cleaned_data["file"], now=clock()),
        _("The public credential lists were checked, stored and published."), upload_form=form)


@access(COMMISSION, methods=ACT)
def replace(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    form = ReplacementForm(request.POST, request.FILES, prefix="replace")
    if not form.is_valid():
        return _manage(request, election, status=400, replace_form=form)
    return _act(request, election, lambda: services.credentials_replace(
        actor=_user(request), election=election, text=form.cleaned_data["file"], now=clock()),
        _("The credential was replaced: the old one is revoked, the replacement is published."),
        replace_form=form)


@access(COMMISSION, methods=ACT)
def audio_generate(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    _require_scope(request, election)
    return _act(request, election, lambda: services.audio_generate(actor=_user(request), election=election,
                                                                   now=clock()),
                _("The audio ballot was made in Kazakh, Russian and English."))


@access(EVERYONE)
def public_list(request: HttpRequest, code: str, precinct: str) -> JsonResponse:
    """The precinct's public credentials (valid ones, both channels, sorted) and the CA-signed lists."""
    election = _election(code)
    place = _precinct(election, precinct)
    sets = CredentialSet.objects.filter(election=election, precinct=place).order_by("channel")
    return JsonResponse({
        "election": election.code, "precinct": place.code,
        "credentials": selectors.public_credentials(election, place),
        "lists": [{"channel": s.channel, "uuid": s.uuid, "group": s.group, "count": s.count, "sha256": s.sha256,
                   "data": json.loads(s.data), "signature": s.signature, "fixed": s.fixed_at is not None}
                  for s in sets]}, json_dumps_params={"ensure_ascii": False})


@access(EVERYONE)
def audio(request: HttpRequest, sha256: str) -> FileResponse:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise Http404
    path = services.audio_path(sha256)
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="audio/wav")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the polling station -----------------------------------------------------------------------


def _station_context(request: HttpRequest, election: Election, place: Precinct, **extra: Any) -> dict[str, Any]:
    return {"election": election, "election_title": localized(election, "title"), "precinct": place,
            "issued": selectors.station_issued_count(election, place),
            "cards": selectors.station_cards(election, place), **extra}


@sensitive_post_parameters("iin", "birth_date")
@never_cache
@access(COMMISSION, methods=("GET", "HEAD", "POST"))
@no_voter_trace
def station(request: HttpRequest, code: str, precinct: str) -> HttpResponse:
    election = _election(code)
    place = _precinct(election, precinct)
    if selectors.station_membership(request.user, election, place, now=clock()) is None:
        raise PermissionDenied
    if request.method != "POST":
        return render(request, "credentials/station.html", _station_context(request, election, place,
                                                                            form=StationForm()))
    form = StationForm(request.POST)
    if not form.is_valid():
        return render(request, "credentials/station.html",
                      _station_context(request, election, place, form=form), status=400)
    data = form.cleaned_data
    issue = request.POST.get("action") == "issue"
    try:
        if issue:
            services.ballot_issue(actor=_user(request), election=election, precinct=place, iin=data["iin"],
                                  birth_date=data["birth_date"], now=clock())
            messages.success(request, _("Ballot issued: the voter draws a card at random from the sealed cards."))
            return redirect("credentials:station", code=election.code, precinct=place.code)
        channel, issued, here = services.station_lookup(actor=_user(request), election=election, precinct=place,
                                                        iin=data["iin"], birth_date=data["birth_date"], now=clock())
    except CommissionScopeRefused:
        raise PermissionDenied from None
    except VoterNotFound as missing:
        return render(request, "credentials/station.html", _station_context(
            request, election, place, form=form, refusal=error_message(missing)), status=400)
    except DomainError as refused:
        return render(request, "credentials/station.html", _station_context(
            request, election, place, form=form, refusal=error_message(refused)), status=409)
    found = {"station": channel is Channel.STATION, "issued": issued, "here": here}
    return render(request, "credentials/station.html", _station_context(request, election, place, form=form,
                                                                        found=found))


@access(COMMISSION, methods=ACT)
def station_publish(request: HttpRequest, code: str, precinct: str) -> HttpResponse:
    election = _election(code)
    place = _precinct(election, precinct)
    try:
        services.station_counts_publish(actor=_user(request), election=election, precinct=place, now=clock())
    except CommissionScopeRefused:
        raise PermissionDenied from None
    messages.success(request, _("The control figures were published on the bulletin board."))
    return redirect("credentials:station", code=election.code, precinct=place.code)
