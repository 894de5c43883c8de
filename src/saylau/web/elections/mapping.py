"""Rows → the domain's `Election` (with its schedule and history)."""

from __future__ import annotations

from collections.abc import Iterable

from saylau.domain.election import Election as DomainElection
from saylau.domain.election import ElectionId, ElectionType, Schedule, Stage
from saylau.domain.election import StageChange as DomainStageChange
from saylau.web.elections.models import Election, StageChange


def schedule_of(election: Election) -> Schedule:
    """The domain schedule of a row (raises `InvalidSchedule` if the stored dates are out of order)."""
    return Schedule(
        nomination_closes=election.nomination_closes, registration_closes=election.registration_closes,
        voting_opens=election.voting_opens, voting_closes=election.voting_closes,
        latest_call=election.latest_call, results_due=election.results_due)


def election_to_domain(election: Election, history: Iterable[StageChange]) -> DomainElection:
    return DomainElection(
        id=ElectionId(election.code),
        type=ElectionType(election.type),
        title=election.title_kk,
        schedule=schedule_of(election),
        pack_id=election.pack_id,
        stage=Stage(election.stage),
        history=tuple(DomainStageChange(Stage(c.source), Stage(c.target), c.at) for c in history),
    )
