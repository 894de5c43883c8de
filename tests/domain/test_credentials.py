"""The server's rules for credentials and polling-station ballot issues (domain.credentials)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.domain.credentials import (
    OPEN_STAGES,
    BallotIssueRefused,
    Channel,
    CredentialCountMismatch,
    CredentialsRefused,
    require_count,
    require_issue,
    require_open_for_changes,
)
from saylau.domain.election import Stage


@given(st.sampled_from(list(Stage)), st.booleans())
@settings(deadline=None)
def test_lists_change_only_before_voting_and_before_being_fixed(stage: Stage, fixed: bool) -> None:
    if stage in OPEN_STAGES and not fixed:
        require_open_for_changes("e", stage, fixed=fixed)
    else:
        with pytest.raises(CredentialsRefused):
            require_open_for_changes("e", stage, fixed=fixed)


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(list(Channel)))
@settings(deadline=None)
def test_counts_must_match_the_roll(expected: int, got: int, channel: Channel) -> None:
    if expected == got:
        require_count("p", channel, expected=expected, got=got)
    else:
        with pytest.raises(CredentialCountMismatch) as refused:
            require_count("p", channel, expected=expected, got=got)
        assert refused.value.data == {"precinct": "p", "channel": channel.value, "expected": expected, "got": got}


@given(st.sampled_from(list(Stage)), st.booleans(), st.sampled_from(list(Channel)), st.booleans())
@settings(deadline=None)
def test_a_ballot_is_issued_once_to_a_station_voter_of_the_precinct_while_voting(
        stage: Stage, here: bool, channel: Channel, already: bool) -> None:
    ok = stage is Stage.VOTING and here and channel is Channel.STATION and not already
    kwargs = dict(stage=stage, voter_precinct="p" if here else "q", precinct="p", channel=channel,
                  already_issued=already)
    if ok:
        require_issue(**kwargs)  # type: ignore[arg-type]
    else:
        with pytest.raises(BallotIssueRefused):
            require_issue(**kwargs)  # type: ignore[arg-type]
