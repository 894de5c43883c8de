"""IIN validation: known answers from tests/vectors/domain/iin.json, a naive reference of the
check digit, and properties (valid IINs are accepted; one changed digit is refused or decodes
to something else)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from saylau.domain.errors import ErrorCode, IinProblem, InvalidIin
from saylau.domain.iin import Iin, Sex, check_digit, make_iin, parse_iin

VECTORS = json.loads((Path(__file__).resolve().parents[1] / "vectors" / "domain" / "iin.json").read_text("utf-8"))


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["desc"])
def test_vectors(case: dict) -> None:
    if case["want_error"] is not None:
        with pytest.raises(InvalidIin) as err:
            parse_iin(case["iin"])
        assert err.value.problem == IinProblem(case["want_error"])
        assert err.value.code is ErrorCode.INVALID_IIN
        assert err.value.data["problem"] == case["want_error"]
        if len(case["iin"]) == 12:
            assert case["iin"] not in str(err.value), "the message must not echo the IIN"
        return
    info = parse_iin(case["iin"])
    want = case["want"]
    assert (info.birth_date.isoformat(), info.sex.value, info.serial) == (
        want["birth_date"], want["sex"], want["serial"])
    assert info.iin == case["iin"]


def naive_check_digit(first11: str) -> int | None:
    """The algorithm written out as plainly as possible."""
    total = 0
    for i in range(11):
        total += int(first11[i]) * (i + 1)
    if total % 11 != 10:
        return total % 11
    weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
    total = 0
    for i in range(11):
        total += int(first11[i]) * weights[i]
    return None if total % 11 == 10 else total % 11


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_check_digit_matches_reference(first11: str) -> None:
    assert check_digit(first11) == naive_check_digit(first11)


def test_messages_name_the_problem() -> None:
    with pytest.raises(InvalidIin, match=r"check digit \(digit 12\) is 8, want 7"):
        parse_iin("900101300018")
    with pytest.raises(InvalidIin, match=r"digit 7 \(century and sex\) is 0, want 1-6"):
        parse_iin("900101000017")
    with pytest.raises(InvalidIin, match=r"must be 12 digits, got 11 characters"):
        parse_iin("90010130001")
    with pytest.raises(InvalidIin, match=r"character 12 is not an ASCII digit"):
        parse_iin("90010130001a")
    with pytest.raises(InvalidIin, match=r"month 13, day 01"):
        parse_iin("901301300017")


def test_future_birth_date_refused_only_with_today() -> None:
    iin = make_iin(date(2030, 5, 1), Sex.FEMALE, 1)
    assert iin is not None
    assert parse_iin(iin).birth_date == date(2030, 5, 1)
    with pytest.raises(InvalidIin) as err:
        parse_iin(iin, today=date(2026, 1, 1))
    assert err.value.problem is IinProblem.FUTURE_BIRTH_DATE
    assert parse_iin(iin, today=date(2030, 5, 1)).birth_date == date(2030, 5, 1)


# --- properties ----------------------------------------------------------------------------

@st.composite
def valid_iins(draw: st.DrawFn) -> tuple[Iin, date, Sex, int]:
    born = draw(st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)))
    sex = draw(st.sampled_from(Sex))
    serial = draw(st.integers(0, 9999))
    iin = make_iin(born, sex, serial)
    if iin is None:  # about 1 in 121 serials is never issued: the next one is
        serial = (serial + 1) % 10000
        iin = make_iin(born, sex, serial)
    assume(iin is not None)
    assert iin is not None
    return iin, born, sex, serial


@given(valid_iins())
def test_valid_iins_are_accepted_and_decode(case: tuple[Iin, date, Sex, int]) -> None:
    iin, born, sex, serial = case
    info = parse_iin(iin)
    assert (info.birth_date, info.sex, info.serial) == (born, sex, f"{serial:04d}")


@given(valid_iins(), st.integers(0, 11), st.integers(1, 9))
def test_one_changed_digit_is_refused_or_decodes_differently(
        case: tuple[Iin, date, Sex, int], position: int, delta: int) -> None:
    iin = case[0]
    changed = iin[:position] + str((int(iin[position]) + delta) % 10) + iin[position + 1:]
    try:
        info = parse_iin(changed)
    except InvalidIin:
        return
    original = parse_iin(iin)
    assert (info.birth_date, info.sex, info.serial) != (original.birth_date, original.sex, original.serial)
    # Only positions 1-11 can change and still pass; the check digit alone never can.
    assert position < 11


@given(valid_iins(), st.integers(1, 9))
def test_changed_check_digit_is_always_refused(case: tuple[Iin, date, Sex, int], delta: int) -> None:
    iin = case[0]
    with pytest.raises(InvalidIin) as err:
        parse_iin(iin[:11] + str((int(iin[11]) + delta) % 10))
    assert err.value.problem is IinProblem.CHECK_DIGIT


def _first_pass(first11: str) -> int:
    return sum(int(c) * w for c, w in zip(first11, range(1, 12), strict=True)) % 11


def test_single_digit_changes_are_mostly_caught() -> None:
    """Over every single-digit change of a few hundred IINs: a change of positions 1-10 is
    always caught when neither number needs the second pass (weights 1-10 are invertible mod
    11); the escapes (position 11, whose first-pass weight is 11 = 0 mod 11, or a detour
    through the second pass) are rare."""
    escapes = total = 0
    for serial in range(0, 400, 7):
        iin = make_iin(date(1990, 1, 1), Sex.MALE, serial)
        if iin is None:
            continue
        for pos in range(11):
            for d in "0123456789":
                if d == iin[pos]:
                    continue
                changed = iin[:pos] + d + iin[pos + 1:]
                total += 1
                try:
                    parse_iin(changed)
                except InvalidIin:
                    continue
                escapes += 1
                assert pos == 10 or 10 in (_first_pass(iin[:11]), _first_pass(changed[:11]))
    assert escapes / total < 0.15
