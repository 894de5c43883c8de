"""Reads of the voter roll: where a voter votes, rate-limited per client."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings

from saylau.domain.territory import PrecinctId
from saylau.domain.voters import where_do_i_vote
from saylau.web.core.services import Limit, attempt_hit
from saylau.web.voters.services import DatabaseRoll


def where_limit() -> Limit:
    return Limit("voters.where", settings.WHERE_DO_I_VOTE_LIMIT, settings.WHERE_DO_I_VOTE_WINDOW)


def voter_precinct(*, client: str, iin: str, birth_date: date, now: datetime) -> PrecinctId:
    """The domain's `where_do_i_vote` over the database roll, after counting the lookup for
    `client`. Raises `RateLimited` (nothing looked up), `InvalidIin`, or `VoterNotFound`
    (one error whether the IIN is unknown or the birth date differs)."""
    attempt_hit(where_limit(), client, now=now)
    return where_do_i_vote(DatabaseRoll(), iin, birth_date)
