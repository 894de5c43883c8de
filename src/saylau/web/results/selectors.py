"""Reads of results: protocols by unit, the lines of a results table, the district breakdown, the
published documents, and the seat check the mandates need (`require_seat_available`)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from saylau.domain.protocol import Protocol, from_json, percent
from saylau.domain.results import COUNTRY, ResultsStepRefused, SeatsExceeded
from saylau.web.candidates.models import Mandate, Party
from saylau.web.core.i18n import localized
from saylau.web.elections.models import Election
from saylau.web.results.models import (
    BallotDefinition,
    CommissionSigningKey,
    ElectionOutcome,
    PartySeats,
    ProtocolDocument,
    ResultProtocol,
)
from saylau.web.territory.models import Precinct, TerritorialUnit


def require_seat_available(election: Election, party: Party) -> None:
    """Raise `SeatsExceeded` when the party already holds every seat it won in the published
    allocation, and `ResultsStepRefused("no_allocation")` when no allocation has been published
    for the election yet: a list seat exists only once the count has given it."""
    if not PartySeats.objects.filter(election=election).exists():
        raise ResultsStepRefused(election.code, "no_allocation")
    row = PartySeats.objects.filter(election=election, party=party).first()
    won = row.seats if row is not None else 0
    held = Mandate.objects.filter(election=election, party=party, ended_at__isnull=True).count()
    if held >= won:
        raise SeatsExceeded(party.short_name, won)


def ballot_get(election: Election) -> BallotDefinition | None:
    return BallotDefinition.objects.filter(election=election).first()


def protocols_of(election: Election) -> QuerySet[ResultProtocol]:
    return ResultProtocol.objects.filter(election=election).order_by("level", "unit")


def protocol_get(election: Election, unit: str) -> ResultProtocol | None:
    return ResultProtocol.objects.filter(election=election, unit=unit).select_related("election").first()


def outcome_get(election: Election) -> ElectionOutcome | None:
    return ElectionOutcome.objects.filter(election=election).select_related("protocol", "runoff_election").first()


def top_unit(election: Election) -> str:
    return election.territory.code if election.territory is not None else COUNTRY


def unit_name(code: str) -> str:
    """The unit's name in the active language (a precinct: its number and address)."""
    if code == COUNTRY:
        return _("Republic of Kazakhstan")
    unit = TerritorialUnit.objects.filter(code=code).first()
    if unit is not None:
        return localized(unit, "name")
    precinct = Precinct.objects.filter(code=code).first()
    if precinct is not None:
        return _("Precinct No. %(number)s") % {"number": precinct.number}
    return code


def labels_of(election: Election) -> dict[str, str]:
    row = ballot_get(election)
    if row is None:
        return {}
    return {str(c["id"]): str(c["label"]) for c in row.data["contestants"]}


@dataclass(frozen=True, slots=True)
class Line:
    contestant: str | None
    """None: "against all"."""
    label: str
    votes: int
    share: Fraction | None
    percent: str


def lines(p: Protocol, labels: dict[str, str]) -> list[Line]:
    """One line per contestant in ballot order, then "against all" (if on the ballot)."""
    out = [Line(c, labels.get(c, c), n, p.share(c), percent(p.share(c))) for c, n in p.votes.items()]
    if p.against_all is not None:
        out.append(Line(None, _("Against all"), p.against_all, p.share(None), percent(p.share(None))))
    return out


def leader(p: Protocol, labels: dict[str, str]) -> str:
    """The contestant with the most votes ("–" if none has any; ties named together)."""
    if not p.votes or max(p.votes.values()) == 0:
        return "–"
    top = max(p.votes.values())
    return ", ".join(labels.get(c, c) for c, n in p.votes.items() if n == top)


def children(election: Election, unit: str) -> list[ResultProtocol]:
    return list(ResultProtocol.objects.filter(election=election, parent_unit=unit).order_by("level", "unit"))


def documents_of(protocol: ResultProtocol) -> list[ProtocolDocument]:
    """The published (signed) PDFs of the protocol, one per language (the latest)."""
    found: dict[str, ProtocolDocument] = {}
    for doc in (ProtocolDocument.objects.filter(protocol=protocol).exclude(signature="")
                .select_related("pdf", "key", "commission").order_by("-signed_at", "-id")):
        found.setdefault(doc.language, doc)
    return [found[lang] for lang in ("kk", "ru", "en") if lang in found]


def drafts_of(protocol: ResultProtocol) -> list[ProtocolDocument]:
    return list(ProtocolDocument.objects.filter(protocol=protocol, signature="").select_related("pdf", "commission")
                .order_by("language", "-id"))


def signing_keys(commission_ids: list[int]) -> QuerySet[CommissionSigningKey]:
    return CommissionSigningKey.objects.filter(commission_id__in=commission_ids).select_related("commission")


def protocol_of(row: ResultProtocol) -> Protocol:
    return from_json(row.data)


def outcome_summary(data: dict[str, object], labels: dict[str, str]) -> list[str]:
    """The outcome as sentences in the active language."""
    def name(c: object) -> str:
        return labels.get(str(c), str(c))

    def names(items: object) -> str:
        return ", ".join(name(c) for c in items) if isinstance(items, list) else ""

    kind = data.get("outcome")
    out: list[str] = []
    if kind == "elected":
        if data.get("system") == "majority":
            out.append(_("Elected with an absolute majority of the valid ballots (round %(round)s): %(name)s.")
                       % {"round": data.get("round", 1), "name": name(data.get("winner"))})
        else:
            out.append(_("Elected by the most votes: %(name)s.") % {"name": name(data.get("winner"))})
    elif kind == "runoff":
        out.append(_("No candidate has an absolute majority: a second round between %(names)s.")
                   % {"names": names(data.get("runoff"))})
    elif kind == "tie":
        out.append(_("Equal votes between %(names)s: nobody is elected by the count; the commission "
                     "decides as the rule pack says.") % {"names": names(data.get("tied"))})
    elif kind in ("no_votes", "not_elected"):
        out.append(_("Nobody is elected."))
    elif kind == "allocated":
        seats = data.get("seats")
        if isinstance(seats, dict):
            out += [_("%(party)s: %(seats)s seat(s)") % {"party": name(p), "seats": n} for p, n in seats.items()]
    elif kind == "no_list_qualifies":
        out.append(_("No party list reached the threshold: no seat is allocated; the commission decides."))
    elif kind == "lot_required":
        out.append(_("Equal remainders between %(names)s: lots must be drawn.") % {"names": names(data.get("tied"))})
    if data.get("against_all_leads"):
        out.append(_("“Against all” received at least as many votes as the leading candidate; under the rule "
                     "pack this has no consequence."))
    return out
