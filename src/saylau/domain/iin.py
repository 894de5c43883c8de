"""The individual identification number (IIN, ЖСН/ИИН) of a natural person in Kazakhstan.

Twelve ASCII digits:

    positions 1-6   YYMMDD, the date of birth
    position  7     century and sex: 1/2 born in the 1800s, 3/4 in the 1900s, 5/6 in the
                    2000s; odd = male, even = female
    positions 8-11  registration serial number
    position  12    check digit

Check digit: the weighted sum of the first 11 digits with weights 1, 2, ..., 11, modulo 11.
If that is 10, a second pass uses weights 3, 4, ..., 11, 1, 2; if it is 10 again, no IIN is
issued with those 11 digits. The rules summary (kz-election-rules.md) does not describe the
IIN; this is the algorithm of the national identification-number registers as widely
implemented (to be checked against the official text before production).

Error messages name the position and the rule, never the whole IIN (personal data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NewType

from saylau.domain.errors import IinProblem, InvalidIin

Iin = NewType("Iin", str)
"""A validated IIN (obtain one from `parse_iin`)."""

WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}
_DIGITS = re.compile(r"[0-9]*\Z", re.ASCII)


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True, slots=True)
class IinInfo:
    """What an IIN encodes."""

    iin: Iin
    birth_date: date
    sex: Sex
    serial: str
    """Positions 8-11."""


def check_digit(first11: str) -> int | None:
    """The check digit for 11 ASCII digits, or None if both passes give 10 (never issued).

    Requires `first11` to be 11 ASCII digits.
    """
    digits = [int(c) for c in first11]
    for weights in (WEIGHTS_FIRST, WEIGHTS_SECOND):
        rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if rest != 10:
            return rest
    return None


def parse_iin(text: str, *, today: date | None = None) -> IinInfo:
    """Validate an IIN and decode it. Raises `InvalidIin` with the first problem found.

    No normalisation: spaces, dashes and non-ASCII digits are refused, not stripped. With
    `today`, a birth date after it is refused too.
    """
    if len(text) != 12:
        raise InvalidIin(IinProblem.LENGTH, f"must be 12 digits, got {len(text)} characters")
    if not _DIGITS.match(text):
        pos = next(i for i, c in enumerate(text) if c not in "0123456789")
        raise InvalidIin(IinProblem.NON_DIGIT, f"character {pos + 1} is not an ASCII digit 0-9")
    code = int(text[6])
    if code not in _CENTURY:
        raise InvalidIin(IinProblem.CENTURY_DIGIT,
                         f"digit 7 (century and sex) is {code}, want 1-6")
    year = _CENTURY[code] + int(text[0:2])
    try:
        born = date(year, int(text[2:4]), int(text[4:6]))
    except ValueError:
        raise InvalidIin(IinProblem.BIRTH_DATE,
                         f"digits 1-6 (YYMMDD) are not a date in {_CENTURY[code]}s "
                         f"(month {text[2:4]}, day {text[4:6]})") from None
    if today is not None and born > today:
        raise InvalidIin(IinProblem.FUTURE_BIRTH_DATE, "digits 1-7 give a birth date in the future")
    want = check_digit(text[:11])
    if want is None:
        raise InvalidIin(IinProblem.UNISSUABLE,
                         "digits 1-11 give a check sum of 10 in both passes: no IIN is issued with them")
    if int(text[11]) != want:
        raise InvalidIin(IinProblem.CHECK_DIGIT, f"check digit (digit 12) is {text[11]}, want {want}")
    return IinInfo(iin=Iin(text), birth_date=born, sex=Sex.MALE if code % 2 else Sex.FEMALE, serial=text[7:11])


def make_iin(birth_date: date, sex: Sex, serial: int) -> Iin | None:
    """The IIN for a birth date, sex and serial (0-9999), or None if those 11 digits are never
    issued. For test data and demos; real IINs come from the national register.

    Requires 1800 <= birth_date.year <= 2099 and 0 <= serial <= 9999.
    """
    if not 1800 <= birth_date.year <= 2099 or not 0 <= serial <= 9999:
        raise ValueError("want 1800 <= year <= 2099 and 0 <= serial <= 9999")
    century = (birth_date.year // 100 - 18) * 2 + (1 if sex is Sex.MALE else 2)
    first11 = f"{birth_date:%y%m%d}{century}{serial:04d}"
    digit = check_digit(first11)
    return None if digit is None else Iin(first11 + str(digit))
