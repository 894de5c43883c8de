"""Reads of voting: the precinct elections of an election, the booth manifest published last, the
"against all" line's label, the polling-station control figures."""

from __future__ import annotations

from django.db.models import QuerySet

from saylau.domain.results import definition_from_json
from saylau.web.elections.models import Election
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


def station_figures(election: Election) -> list[dict[str, object]]:
    """Per precinct: ballots cast and polling-station cards used (≤ ballots issued, credentials app)."""
    return [{"precinct": pe.precinct.code, "ballots": pe.ballots, "station_cards_used": pe.station_cards_used}
            for pe in precinct_elections(election)]
