"""Translated messages of the voter roll: the refusals of a roll file and of its rows (registered
in `VotersConfig.ready`; the per-row ones by `row_error_message`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saylau.domain.errors import ErrorCode, IinProblem
from saylau.web.core.errors import MESSAGES
from saylau.web.voters.forms import IIN_PROBLEMS

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

COLUMN_LABELS: dict[str, LazyText] = {
    "iin": _("IIN"),
    "surname": _("Surname"),
    "given_name": _("Given name"),
    "patronymic": _("Patronymic"),
    "birth_date": _("Date of birth"),
    "precinct": _("Precinct"),
    "*": _("Whole row"),
}
"""The columns of a roll file (`saylau.domain.voters.COLUMNS`) and "*" (the row as a whole)."""


def column_label(field: str) -> str:
    return str(COLUMN_LABELS.get(field, field))


def _duplicate(data: Mapping[str, object]) -> str:
    first = data.get("first_row")
    if first is None:
        return gettext("This IIN is already on the roll: one voter, one entry.")
    return gettext("This IIN is already on the roll (row %(row)s of an import): one voter, one entry.") % {
        "row": first}


def _invalid_iin(data: Mapping[str, object]) -> str:
    try:
        return str(IIN_PROBLEMS[IinProblem(str(data.get("problem")))])
    except ValueError:
        return gettext("The IIN is not valid.")



def row_error_message(code: str, data: Mapping[str, object]) -> str:
    """The message, in the active language, of a refused row's problem (`RowError.code` and `.data`)."""
    try:
        known = ErrorCode(code)
    except ValueError:
        known = None
    if known is ErrorCode.INVALID_IIN:
        return _invalid_iin(data)
    if known is ErrorCode.DUPLICATE_VOTER:
        return _duplicate(data)
    if known is ErrorCode.ROLL_ROW_SHAPE:
        return gettext("The row is not a valid CSV record with one value for each column of the header.")
    if known is ErrorCode.ROLL_FIELD_EMPTY:
        return gettext("This column must not be empty.")
    if known is ErrorCode.ROLL_BIRTH_DATE_INVALID:
        return gettext("The date of birth must be a calendar date written as year-month-day, for example "
                       "1990-05-17.")
    if known is ErrorCode.ROLL_BIRTH_DATE_MISMATCH:
        return gettext("The date of birth differs from the one encoded in the IIN (its first six digits).")
    if known is ErrorCode.ROLL_PRECINCT_UNKNOWN:
        return gettext("There is no precinct with the code “%(precinct)s”.") % {"precinct": data.get("precinct", "")}
    if known is ErrorCode.ROLL_PRECINCT_OUTSIDE_SCOPE:
        return gettext("The precinct “%(precinct)s” lies outside your commission's territory: another "
                       "commission imports its voters.") % {"precinct": data.get("precinct", "")}
    return gettext("The row was refused (code %(code)s).") % {"code": code}


def register() -> None:
    MESSAGES.update({
        ErrorCode.ROLL_FORMAT_INVALID: lambda data: gettext(
            "The file cannot be read as a voter roll: its first row must name the columns, from this list "
            "only and each once: %(columns)s. The columns iin, surname, given_name, birth_date and precinct "
            "are required.") % {"columns": "iin, surname, given_name, patronymic, birth_date, precinct"},
        ErrorCode.DUPLICATE_VOTER: _duplicate,
    })
