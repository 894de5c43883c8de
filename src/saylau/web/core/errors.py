"""Errors of the web layer, and domain errors translated at the edge.

    SaylauError
    └── AuditLogAppendOnly     an audit-log entry may be added, never changed or deleted

`error_message(error)` turns a coded `DomainError` into a message in the active language; it
interpolates only the public `data` of the error, never its English text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saylau.domain.election import Stage
from saylau.domain.errors import DomainError, ErrorCode, TransitionReason
from saylau.errors import SaylauError
from saylau.web.core.labels import SCHEDULE_FIELD_LABELS, STAGE_LABELS


class AuditLogAppendOnly(SaylauError):
    """An attempt to change or delete audit-log entries (`what` says how)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"the audit log is append-only: {what} refused")
        self.what = what


def _stage(value: object) -> str:
    try:
        return str(STAGE_LABELS[Stage(str(value))])
    except ValueError:
        return str(value)


def _when(value: object) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


_TRANSITION = {
    TransitionReason.NOT_ALLOWED: _(
        "The election cannot go from stage “%(current)s” to stage “%(target)s”: under the "
        "lifecycle rule, stages follow one another in order, one at a time, and never go back."),
    TransitionReason.TOO_EARLY: _(
        "The election cannot go to stage “%(target)s” yet: under the election schedule, this "
        "step opens on %(when)s."),
    TransitionReason.TOO_LATE: _(
        "The election can no longer go to stage “%(target)s”: under the election schedule, "
        "this step closed on %(when)s."),
    TransitionReason.CLOCK_BEHIND: _(
        "The time of this step is earlier than the election's previous stage change."),
}


def _transition(data: Mapping[str, object]) -> str:
    reason = TransitionReason(str(data["reason"]))
    when = data.get("not_before") or data.get("not_after")
    return str(_TRANSITION[reason]) % {
        "current": _stage(data.get("current")), "target": _stage(data.get("target")),
        "when": _when(when) if when else ""}


def _schedule(data: Mapping[str, object]) -> str:
    field = str(data.get("field", ""))
    label = SCHEDULE_FIELD_LABELS.get(field, field)
    return gettext("The election schedule is out of order at “%(field)s”: the dates must follow "
                   "the order of the election calendar.") % {"field": label}


MESSAGES: dict[ErrorCode, Callable[[Mapping[str, object]], str]] = {
    ErrorCode.TRANSITION_REFUSED: _transition,
    ErrorCode.INVALID_SCHEDULE: _schedule,
    ErrorCode.NO_APPLICABLE_PACK: lambda data: gettext(
        "No single rule pack governs this type of election on the voting day."),
    ErrorCode.RULEPACK_NOT_FOUND: lambda data: gettext(
        "There is no rule pack “%(pack)s”.") % {"pack": data.get("pack", "")},
    ErrorCode.INVALID_TERRITORY: lambda data: gettext(
        "The territorial unit “%(unit)s” does not fit into the territorial structure.") % {
        "unit": data.get("unit", "")},
}
"""The messages of the codes the web layer can surface. Each app adds its own codes' messages
from its `AppConfig.ready` with `MESSAGES.update(...)` (and tests them in each language)."""


def error_message(error: DomainError) -> str:
    """The message for `error` in the active language."""
    render = MESSAGES.get(error.code)
    if render is None:
        return gettext("The request was refused (code %(code)s).") % {"code": error.code.value}
    return render(error.data)
