"""domain.ceremony: the order of the ceremony's steps and the setup rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.domain.ceremony import (
    MAX_TRUSTEES,
    CeremonyKind,
    CeremonySetupInvalid,
    CeremonyStepRefused,
    Step,
    bundle_member_ok,
    check_setup,
    current_step,
    require_step,
    steps_of,
)


@settings(deadline=None)
@given(st.integers(-2, MAX_TRUSTEES + 2), st.integers(-2, MAX_TRUSTEES + 2))
def test_setup_accepts_exactly_one_to_n_thresholds(size: int, threshold: int) -> None:
    if 1 <= size <= MAX_TRUSTEES and 1 <= threshold <= size:
        kind = check_setup(size, threshold)
        assert kind is (CeremonyKind.SINGLE if size == 1 else CeremonyKind.PEDERSEN)
    else:
        with pytest.raises(CeremonySetupInvalid):
            check_setup(size, threshold)


@settings(deadline=None)
@given(st.sampled_from(list(CeremonyKind)), st.integers(1, 5), st.data())
def test_the_current_step_is_the_first_not_done_by_everyone(kind: CeremonyKind, size: int, data: st.DataObject) -> None:
    steps = steps_of(kind)
    done = {s: data.draw(st.integers(0, size)) for s in steps}
    step = current_step(kind, done, size)
    unfinished = [s for s in steps if done[s] < size]
    assert step is (unfinished[0] if unfinished else Step.COMPLETED)
    for other in Step:
        wanted = Step.COMPLETED if other is Step.DECRYPTION else other
        if wanted is step:
            require_step("e", kind, done, size, other)
        else:
            with pytest.raises(CeremonyStepRefused):
                require_step("e", kind, done, size, other)


def test_bundle_members() -> None:
    assert bundle_member_ok("manifest.json") and bundle_member_ok("p-101/election.json")
    assert bundle_member_ok("p-101/Abc123.bel")
    for bad in ("../x", "/etc/passwd", "p-101/../../x.bel", "p-101/other.txt", "a/b/c.bel", "p 1/election.json"):
        assert not bundle_member_ok(bad)
