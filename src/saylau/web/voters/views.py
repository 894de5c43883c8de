"""The public where-do-I-vote page. The selector decides (rate limit, domain lookup); the view
renders: one message for "not found" whatever the reason, a 429 page when over the limit."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from saylau.domain.errors import RateLimited, VoterNotFound
from saylau.web.core.access import EVERYONE, access, client_address
from saylau.web.voters.forms import WhereForm
from saylau.web.voters.selectors import voter_precinct


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
    return render(request, "voters/where.html", {"form": WhereForm(), "precinct": precinct})
