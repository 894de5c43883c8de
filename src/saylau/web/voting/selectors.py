"""Reads of voting: the precinct elections of an election, the booth manifest published last, the
"against all" line's label, the polling-station control figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from saylau.domain.credentials import Channel
from saylau.domain.results import definition_from_json
from saylau.web.credentials.models import BallotIssue, CredentialSet
from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct
from saylau.web.voting.models import BoothManifest, PrecinctElection


def precinct_elections(election: Election) -> QuerySet[PrecinctElection]:
    return PrecinctElection.objects.filter(election=election).select_related("precinct", "election")


def precinct_election(election: Election, precinct: str) -> PrecinctElection | None:
    return precinct_elections(election).filter(precinct__code=precinct).first()


def booth_manifest(election: Election) -> BoothManifest | None:
    return BoothManifest.objects.filter(election=election).first()


def against_all_label(election: Election) -> str:
    row = getattr(election, "ballot_definition", None)
    if row is None:
        return ""
    definition = definition_from_json(row.data)
    return definition.against_all_label if definition.against_all_position is not None else ""


@dataclass(frozen=True, slots=True)
class PrecinctFigures:
    """A precinct's published voting figures. The control relation of the polling station: the
    cards used (distinct station credentials that cast) never exceed the voters marked as issued a
    ballot there (casting refuses a card beyond it: `station_limit`)."""

    precinct: Precinct
    path: str
    """The precinct election's directory."""
    letters: int
    """Remote voters' credentials (letters)."""
    marked: int
    """Voters marked on the roll as issued a ballot at the polling station."""
    cards_used: int
    ballots: int
    """Ballots accepted, re-votes included (the last of each credential counts)."""

    @property
    def control_holds(self) -> bool:
        return self.cards_used <= self.marked


def station_figures(election: Election) -> list[PrecinctFigures]:
    """Every set-up precinct's figures, in precinct order: three queries, whatever the number of
    precincts."""
    letters: dict[int, int] = {}
    for precinct_id, count in (CredentialSet.objects.filter(election=election, channel=Channel.REMOTE.value)
                               .values_list("precinct_id").annotate(n=Sum("count")).values_list("precinct_id", "n")):
        letters[precinct_id] = int(count or 0)
    marked = dict(BallotIssue.objects.filter(election=election).values_list("precinct_id")
                  .annotate(n=Count("pk")).values_list("precinct_id", "n"))
    return [PrecinctFigures(pe.precinct, pe.path, letters.get(pe.precinct_id, 0), int(marked.get(pe.precinct_id, 0)),
                            pe.station_cards_used, pe.ballots)
            for pe in precinct_elections(election).order_by("precinct__number")]
