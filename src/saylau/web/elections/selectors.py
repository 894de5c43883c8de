"""Reads of elections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from saylau.domain.election import TRANSITIONS, Stage, transition_refusal
from saylau.domain.errors import TransitionRefused
from saylau.web.elections.mapping import election_to_domain
from saylau.web.elections.models import Election, StageChange


def election_list() -> QuerySet[Election]:
    """All elections, the latest voting day first."""
    return Election.objects.select_related("territory")


def election_get(*, code: str) -> Election | None:
    return Election.objects.select_related("territory").filter(code=code).first()


def election_history(*, election: Election) -> QuerySet[StageChange]:
    return election.stage_changes.order_by("at", "id")


@dataclass(frozen=True, slots=True)
class NextStep:
    target: Stage
    refusal: TransitionRefused | None
    """Why the step is not possible at the time asked about; None when it is."""


def election_next_steps(*, election: Election, now: datetime) -> list[NextStep]:
    """The stages the lifecycle allows next, each with the domain's verdict at `now`."""
    domain = election_to_domain(election, election_history(election=election))
    return [NextStep(target, transition_refusal(domain, target, now=now))
            for target in sorted(TRANSITIONS[domain.stage], key=list(Stage).index)]
