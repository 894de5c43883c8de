"""The voter's pages — the booth, the audit page, "verify my ballot", the remote voter's login, the
polling-station kiosk — and the commission's voting page (setup, passwords for the separate
mailing channel). Views parse and render; `services` and `casting` decide and write.

The booth encrypts, proves and signs in the browser (booth/belenios.js); the page embeds the
precinct's `election.json` as data and never receives the credential. The pages where a voter
acts are `@no_voter_trace`: no log line keeps the client's address or a precise time.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from saylau.board import merkle
from saylau.board.logview import LogView
from saylau.board.note import load_vkey, open_checkpoint
from saylau.board.proofs import parse_tlog_proof
from saylau.domain.election import Stage
from saylau.domain.errors import DomainError
from saylau.domain.voting import AuthReason, VoterAuthRefused, voting_open
from saylau.errors import SaylauError
from saylau.record.directory import read_file
from saylau.web.commissions.selectors import commission_may_act
from saylau.web.core.access import EVERYONE, Role, access
from saylau.web.core.errors import error_message
from saylau.web.core.i18n import localized
from saylau.web.credentials.privacy import no_voter_trace
from saylau.web.credentials.selectors import (
    audio_manifest,
    station_cards,
    station_issued_count,
    station_membership,
)
from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct
from saylau.web.voting import auth, booth, selectors, services
from saylau.web.voting.models import PrecinctElection

clock: Callable[[], datetime] = timezone.now
COMMISSION = {Role.COMMISSION}
MAX_RECEIPT = 16 * 1024


def _election(code: str) -> Election:
    found = Election.objects.filter(code=code).select_related("territory").first()
    if found is None:
        raise Http404
    return found


def _booth_response(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a page that loads the booth's modules: the inline import map is allowed by its hash."""
    imports = booth.import_map()
    response = render(request, template, {**context, "import_map": imports})
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' {booth.csp_hash(imports)}; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
        "style-src 'self'")
    return response


def _precinct_context(pe: PrecinctElection) -> dict[str, Any]:
    election_json = read_file(Path(pe.path) / "election.json").decode()
    params = json.loads(election_json)
    clips = {c["answer_index"]: c["url"] for c in audio_manifest(pe.election, get_language() or "kk")}
    answers = [{"label": label, "audio": clips.get(i, "")} for i, label in enumerate(params["questions"][0]["answers"])]
    return {"pe": pe, "election_json": election_json, "answers": answers, "question_audio": clips.get(None, ""),
            "cast_url": reverse("voting_api:cast", kwargs={"code": pe.election.code, "precinct": pe.precinct.code}),
            "audited_url": reverse("voting_api:audited", kwargs={"code": pe.election.code})}


def _common(election: Election, now: datetime) -> dict[str, Any]:
    manifest = selectors.booth_manifest(election)
    return {"election": election, "election_title": localized(election, "title"),
            "open": voting_open(Stage(election.stage), now, election.voting_opens, election.voting_closes),
            "manifest": manifest, "manifest_files": sorted(manifest.data["files"].items()) if manifest else [],
            "served": booth.manifest_sha256(booth.manifest()), "backends": auth.backends(),
            "against_all": selectors.against_all_label(election)}


@never_cache
@no_voter_trace
@access(EVERYONE)
def booth_view(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    now = clock()
    context = _common(election, now)
    found = auth.voter_pass(request, election, now=now)
    pe = selectors.precinct_election(election, found.precinct) if found else None
    if pe is not None:
        context.update(_precinct_context(pe))
    response = _booth_response(request, "voting/booth.html", {**context, "mode": "remote"})
    auth.renew_pass(request, response, election, now=now)
    return response


@never_cache
@no_voter_trace
@access(EVERYONE)
def audit_view(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    elections = [{"precinct": pe.precinct.code, "number": pe.precinct.number,
                  "json": read_file(Path(pe.path) / "election.json").decode()}
                 for pe in selectors.precinct_elections(election)]
    return _booth_response(request, "voting/audit.html", {**_common(election, clock()), "elections": elections})


@sensitive_post_parameters("password")
@never_cache
@no_voter_trace
@access(EVERYONE, methods=("GET", "POST"))
def login_view(request: HttpRequest, code: str, backend: str = "password") -> HttpResponse:
    election = _election(code)
    now = clock()
    chosen = auth.backend_named(backend)
    if chosen is None:
        raise Http404
    refusal = ""
    if request.method == "POST" or backend != "password":
        try:
            if not voting_open(Stage(election.stage), now, election.voting_opens, election.voting_closes):
                raise VoterAuthRefused(AuthReason.NOT_VOTING)
            ref = chosen.authenticate(request, election=election)
            precinct = auth.precinct_of_ref(election, ref) if ref else None
            if precinct is None:
                raise VoterAuthRefused(AuthReason.WRONG if backend == "password" else AuthReason.BACKEND)
            response = redirect("voting:booth", code=code)
            auth.login_voter(request, response, election, precinct, now=now)
            return response
        except VoterAuthRefused as exc:
            refusal = error_message(exc)
        except NotImplementedError:
            refusal = error_message(VoterAuthRefused(AuthReason.BACKEND))
    return render(request, "voting/login.html", {**_common(election, now), "refusal": refusal},
                  status=400 if refusal else 200)


@never_cache
@no_voter_trace
@access(EVERYONE, methods=("GET", "POST"))
def kiosk_view(request: HttpRequest, code: str, precinct: str) -> HttpResponse:
    """A polling station's kiosk: a member of the precinct's commission (or of one covering it) opens
    it on the kiosk's computer — which logs the member out — and voters then vote with their cards."""
    election = _election(code)
    place = Precinct.objects.filter(code=precinct).first()
    pe = selectors.precinct_election(election, precinct)
    if place is None or pe is None:
        raise Http404
    now = clock()
    if request.method == "POST":
        user = request.user
        if not isinstance(user, User) or station_membership(user, election, place, now=now) is None:
            raise PermissionDenied
        logout(request)
        auth.open_kiosk(request, election, precinct)
        return redirect("voting:kiosk", code=code, precinct=precinct)
    context = {**_common(election, now), "mode": "kiosk", "precinct": place,
               "kiosk": auth.kiosk_precinct(request, election) == precinct,
               "issued": station_issued_count(election, place), "cards": station_cards(election, place),
               "used": pe.station_cards_used}
    if context["kiosk"]:
        context.update(_precinct_context(pe))
    return _booth_response(request, "voting/booth.html", context)


@never_cache
@access(EVERYONE, methods=("GET", "POST"))
def verify_view(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    outcome: dict[str, Any] | None = None
    text = ""
    if request.method == "POST":
        text = str(request.POST.get("receipt", ""))[:MAX_RECEIPT].replace("\r\n", "\n")
        outcome = check_receipt(election, text)
    return render(request, "voting/verify.html", {**_common(election, clock()), "outcome": outcome, "receipt": text},
                  status=200 if outcome is None or outcome["ok"] else 400)


def check_receipt(election: Election, text: str) -> dict[str, Any]:
    """Check a receipt server-side: its checkpoint is signed by the precinct board's key, its leaf is
    included, today's board extends that checkpoint, and the leaf is a Ballot event."""
    try:
        parsed = parse_tlog_proof(text)
        origin = parsed.checkpoint_note.split("\n", 1)[0]
        uuid = origin.rsplit("/", 1)[-1]
        pe = PrecinctElection.objects.filter(election=election, uuid=uuid).select_related("precinct").first()
        if pe is None:
            return {"ok": False, "message": _("This receipt is not for a precinct of this election.")}
        verifier = load_vkey(pe.board_vkey)
        cp = open_checkpoint(parsed.checkpoint_note, verifier)
        with LogView(Path(pe.path) / "board") as view:
            leaf = view.entry(parsed.leaf_index)
            merkle.verify_inclusion(parsed.leaf_index, cp.size, merkle.leaf_hash(leaf), parsed.proof, cp.root_hash)
            note = view.read_checkpoint()
            current = open_checkpoint(note, verifier) if note else cp
            if current.size > cp.size:
                merkle.verify_consistency(cp.size, current.size, view.consistency_proof(cp.size, current.size),
                                          cp.root_hash, current.root_hash)
        event = json.loads(leaf)
        if not isinstance(event, dict) or event.get("type") != "Ballot":
            return {"ok": False, "message": _("The receipt's entry on the board is not a ballot.")}
        tracker = base64.b64encode(bytes.fromhex(str(event["payload"]))).decode().rstrip("=")
    except (SaylauError, ValueError, KeyError, OSError):
        return {"ok": False, "message": _("This receipt does not check out: it is malformed, not signed by the "
                                          "board of a precinct of this election, or its ballot is not on the board.")}
    return {"ok": True, "tracker": tracker, "index": parsed.leaf_index, "size": current.size, "precinct": pe.precinct,
            "vkey": pe.board_vkey,
            "command": f"saylau board check-receipt receipt.tlog-proof BOARD --log-key '{pe.board_vkey}'"}


@access(EVERYONE)
def figures_view(request: HttpRequest, code: str) -> HttpResponse:
    """The published voting figures per precinct, with the polling station's control relation."""
    election = _election(code)
    figures = selectors.station_figures(election)
    return render(request, "voting/figures.html", {"election": election, "election_title": localized(election, "title"),
                                                   "figures": figures, "all_hold": all(f.control_holds for f in figures)})


@never_cache
@access(COMMISSION, methods=("GET", "POST"))
def manage_view(request: HttpRequest, code: str) -> HttpResponse:
    election = _election(code)
    now = clock()
    if not commission_may_act(request.user, election, now=now):
        raise PermissionDenied
    refusal = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "setup":
                made = services.voting_setup(actor=request.user, election=election, now=now)  # type: ignore[arg-type]
                messages.success(request, _("Precinct elections set up now: %(count)s.") % {"count": len(made)})
                return redirect("voting:manage", code=code)
            if action == "passwords":
                rows = services.passwords_issue(actor=request.user, election=election, now=now)  # type: ignore[arg-type]
                out = io.StringIO()
                writer = csv.writer(out)
                writer.writerow(["precinct", "voter_ref", "password"])
                writer.writerows(rows)
                response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = f'attachment; filename="{code}-voter-passwords.csv"'
                response["X-Content-Type-Options"] = "nosniff"
                return response
        except DomainError as exc:
            refusal = error_message(exc)
    return render(request, "voting/manage.html", {**_common(election, now), "refusal": refusal,
                                                  "precincts": selectors.precinct_elections(election)},
                  status=400 if refusal else 200)
