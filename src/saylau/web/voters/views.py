"""The public where-do-I-vote page, and the commission's voter-roll import.

Where do I vote: the selector decides (rate limit, domain lookup); the view renders one message
for "not found" whatever the reason, a 429 page when over the limit, and the precinct's address
and step-free access when the precinct is known.

Roll import: an acting member of the CEC or of a territorial or district commission uploads a
CSV (checked by `forms.RollFileField`: UTF-8, size limit) which is streamed into
`services.roll_import`; the result page shows the counts and every refused row with its reason
(translated), and the whole report downloads as CSV. Everyone else gets 403.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from saylau.domain.errors import (
    CommissionScopeRefused,
    RateLimited,
    RollFormatInvalid,
    VoterNotFound,
)
from saylau.web.commissions.selectors import territory_decision_membership
from saylau.web.core.access import EVERYONE, Role, access, client_address
from saylau.web.core.errors import error_message
from saylau.web.core.i18n import localized
from saylau.web.territory.selectors import precinct_get
from saylau.web.voters.forms import RollImportForm, WhereForm
from saylau.web.voters.messages import column_label, row_error_message
from saylau.web.voters.models import RollImport, RollImportError
from saylau.web.voters.selectors import voter_precinct
from saylau.web.voters.services import roll_import, roll_import_commissions

ERRORS_SHOWN = 1000
"""At most this many refused rows on the result page; the CSV download has them all."""


def too_many_requests(request: HttpRequest, retry_after_seconds: int) -> HttpResponse:
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(retry_after_seconds)
    return response


@access(EVERYONE, methods=("GET", "HEAD", "POST"))
def where_do_i_vote_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "voters/where.html", {"form": WhereForm()})
    form = WhereForm(request.POST)
    if not form.is_valid():
        return render(request, "voters/where.html", {"form": form}, status=400)
    try:  # the form has checked the IIN (InvalidIin cannot arise here)
        precinct = voter_precinct(client=client_address(request), iin=form.cleaned_data["iin"],
                                  birth_date=form.cleaned_data["birth_date"], now=timezone.now())
    except RateLimited as limited:
        return too_many_requests(request, limited.retry_after_seconds)
    except VoterNotFound:
        return render(request, "voters/where.html", {"form": form, "not_found": True})
    place = precinct_get(code=precinct)
    return render(request, "voters/where.html", {
        "form": WhereForm(), "precinct": precinct, "place": place,
        "address": localized(place, "address") if place is not None else ""})


def _choices(request: HttpRequest) -> list[tuple[str, str]]:
    commissions = roll_import_commissions(request.user, now=timezone.now())  # type: ignore[arg-type]
    return [(c.code, localized(c, "name") or c.code) for c in commissions]


@access({Role.COMMISSION}, methods=("GET", "HEAD", "POST"))
def roll_import_view(request: HttpRequest) -> HttpResponse:
    choices = _choices(request)
    if not choices:
        raise PermissionDenied  # no deciding vote in a CEC, territorial or district commission
    if request.method != "POST":
        return render(request, "voters/roll_import.html", {"form": RollImportForm(commissions=choices)})
    form = RollImportForm(request.POST, request.FILES, commissions=choices)
    if not form.is_valid():
        return render(request, "voters/roll_import.html", {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    commission = next(c for c in roll_import_commissions(request.user, now=timezone.now())  # type: ignore[arg-type]
                      if c.code == form.cleaned_data["commission"])
    upload.seek(0)
    text = io.TextIOWrapper(upload.file, encoding="utf-8", newline="")
    try:
        record = roll_import(actor=request.user, commission=commission, lines=text,  # type: ignore[arg-type]
                             file_name=upload.name or "", sha256=upload.roll_sha256, size=upload.size,
                             now=timezone.now(), today=timezone.localdate())
    except RollFormatInvalid as bad:
        return render(request, "voters/roll_import.html", {"form": form, "refusal": error_message(bad)}, status=400)
    except CommissionScopeRefused:
        raise PermissionDenied from None
    finally:
        text.detach()
    return redirect("voters:roll_import_result", roll_import=record.pk)


def _own_import(request: HttpRequest, pk: int) -> RollImport:
    record = RollImport.objects.select_related("commission__territory", "actor").filter(pk=pk).first()
    if record is None:
        raise Http404
    if territory_decision_membership(request.user, record.commission.territory) is None:
        raise PermissionDenied  # only a member with decision scope over the commission's territory
    return record


def _error_rows(errors: Iterator[RollImportError]) -> Iterator[dict[str, object]]:
    for e in errors:
        yield {"row": e.row, "field": column_label(e.field), "reason": row_error_message(e.code, e.data)}


@access({Role.COMMISSION})
def roll_import_result(request: HttpRequest, roll_import: int) -> HttpResponse:
    record = _own_import(request, roll_import)
    errors = list(_error_rows(iter(record.errors.order_by("row", "id")[:ERRORS_SHOWN])))
    return render(request, "voters/roll_import_result.html", {
        "record": record, "commission": localized(record.commission, "name"), "errors": errors,
        "more": record.errors.count() > ERRORS_SHOWN, "precincts": sorted(record.precinct_counts.items())})


class _Echo:
    def write(self, value: str) -> str:
        return value


@access({Role.COMMISSION})
def roll_import_errors_csv(request: HttpRequest, roll_import: int) -> StreamingHttpResponse:
    record = _own_import(request, roll_import)
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    language = translation.get_language()

    def lines() -> Iterator[str]:  # runs after the view returns: in the request's language
        with translation.override(language):
            yield "\ufeff" + writer.writerow((_("Row"), _("Column"), _("Error code"), _("Reason")))
            for e in record.errors.order_by("row", "id").iterator(chunk_size=2000):
                yield writer.writerow((e.row, column_label(e.field), e.code, row_error_message(e.code, e.data)))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roll-import-{record.pk}-errors.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
