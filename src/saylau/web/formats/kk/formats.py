"""Kazakh date and number formats (Django 5.2 ships none for `kk`).

Dates are written "2025 жылғы 16 наурыз": year, «жылғы», day, month in lower case. Django's
Kazakh catalogue capitalises the month names (Наурыз), which is right at the start of a
sentence but not inside a date, so Saylau's catalogue gives the lower-case forms under the
"alt. month" context that the `E` format character uses. The `pgettext_lazy` calls below exist
so that `makemessages` keeps those entries (and the ru/en ones) in Saylau's catalogues.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

# The *_FORMAT strings use Django's date format syntax; Cyrillic letters are printed as they are.
DATE_FORMAT = "Y жылғы j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y жылғы j E, H:i"
YEAR_MONTH_FORMAT = "Y жылғы F"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3

MONTHS_IN_DATES = (
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"), pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
)
