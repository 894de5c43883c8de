"""The translated messages of the observers' error codes (registered in `apps.ObserversConfig.ready`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saylau.domain.errors import ErrorCode
from saylau.domain.observers import AccreditationStatus, IncidentStatus, ObserverKind
from saylau.web.observers.labels import INCIDENT_STATUS_LABELS, KIND_LABELS, STATUS_LABELS

FIELD_LABELS = {
    "organisation": _("Organisation"),
    "title": _("Title"),
    "description": _("Description"),
    "precinct": _("Precinct number or code"),
    "answer": _("Answer"),
}


def _input(data: Mapping[str, object]) -> str:
    field = str(data.get("field", ""))
    label = str(FIELD_LABELS.get(field, field))
    if data.get("problem") == "too_long":
        return gettext("“%(field)s” is too long: at most %(limit)d characters.") % {
            "field": label, "limit": int(str(data.get("limit") or 0))}
    return gettext("“%(field)s” is required.") % {"field": label}


def _status(value: object) -> str:
    try:
        return str(STATUS_LABELS[AccreditationStatus(str(value))])
    except ValueError:
        return str(value)


def _accreditation_step(data: Mapping[str, object]) -> str:
    return gettext("This accreditation is “%(current)s” and cannot become “%(target)s”: a request is "
                   "approved or refused once, and only an accreditation in force can be revoked.") % {
        "current": _status(data.get("current")), "target": _status(data.get("target"))}


def _kind(value: object) -> str:
    try:
        return str(KIND_LABELS[ObserverKind(str(value))])
    except ValueError:
        return str(value)


def _authority(data: Mapping[str, object]) -> str:
    if data.get("allowed") == ["cec"]:
        return gettext("Observers of the kind “%(kind)s” are accredited only by the Central Election "
                       "Commission.") % {"kind": _kind(data.get("kind"))}
    return gettext("Your commission may not decide on observers of the kind “%(kind)s”: territorial "
                   "and district commissions and the Central Election Commission do.") % {
        "kind": _kind(data.get("kind"))}


def _incident_step(data: Mapping[str, object]) -> str:
    current = str(data.get("current", ""))
    if data.get("target") == IncidentStatus.CLOSED.value and current == IncidentStatus.OPEN.value:
        return gettext("Only an answered incident report can be closed.")
    if current == IncidentStatus.CLOSED.value:
        return gettext("This incident report is closed.")
    return gettext("This incident report has already been answered (status “%(status)s”): the "
                   "commission answers a report once.") % {
        "status": str(INCIDENT_STATUS_LABELS.get(IncidentStatus(current), current))
        if current in set(IncidentStatus) else current}


OBSERVER_MESSAGES: dict[ErrorCode, Callable[[Mapping[str, object]], str]] = {
    ErrorCode.OBSERVATION_INPUT_INVALID: _input,
    ErrorCode.ACCREDITATION_STATUS_REFUSED: _accreditation_step,
    ErrorCode.ACCREDITATION_AUTHORITY_REFUSED: _authority,
    ErrorCode.ACCREDITATION_PENDING: lambda data: gettext(
        "You already have a request or an accreditation in force for this election (“%(status)s”).") % {
        "status": _status(data.get("status"))},
    ErrorCode.NOT_ACCREDITED: lambda data: gettext(
        "Only observers accredited for this election may report incidents in it."),
    ErrorCode.INCIDENT_STATUS_REFUSED: _incident_step,
}
