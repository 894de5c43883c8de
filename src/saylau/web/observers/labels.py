"""Translated labels of the observers' vocabulary (keys are the domain's enums), and of the
public bulletin board's event kinds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

from saylau.domain.observers import (
    AccreditationStatus,
    IncidentStatus,
    ObserverKind,
    RefusalReason,
    Resolution,
    RevocationReason,
)

KIND_LABELS: dict[ObserverKind, LazyText] = {
    ObserverKind.PARTY: _("Political party"),
    ObserverKind.PUBLIC_ASSOCIATION: _("Public association or non-profit organisation"),
    ObserverKind.INTERNATIONAL: _("Foreign state or international organisation"),
    ObserverKind.FOREIGN_MEDIA: _("Foreign media"),
    ObserverKind.MEDIA: _("Media of Kazakhstan"),
}

STATUS_LABELS: dict[AccreditationStatus, LazyText] = {
    AccreditationStatus.REQUESTED: _("Requested"),
    AccreditationStatus.APPROVED: _("Accredited"),
    AccreditationStatus.REFUSED: _("Refused"),
    AccreditationStatus.REVOKED: _("Revoked"),
}

REFUSAL_LABELS: dict[RefusalReason, LazyText] = {
    RefusalReason.NOT_ELIGIBLE: _("The organisation may not send observers"),
    RefusalReason.NO_MANDATE: _("No written mandate of the organisation"),
    RefusalReason.NO_SUBMISSION: _("No submission of the Ministry of Foreign Affairs"),
    RefusalReason.INCOMPLETE: _("The request is incomplete"),
}

REVOCATION_LABELS: dict[RevocationReason, LazyText] = {
    RevocationReason.MANDATE_WITHDRAWN: _("The organisation withdrew its mandate"),
    RevocationReason.OBSERVER_WITHDREW: _("The observer asked to end the accreditation"),
    RevocationReason.INTERFERENCE: _("The observer interfered with the commission's work"),
}

REASON_LABELS: dict[str, LazyText] = {
    **{r.value: label for r, label in REFUSAL_LABELS.items()},
    **{r.value: label for r, label in REVOCATION_LABELS.items()},
}

INCIDENT_STATUS_LABELS: dict[IncidentStatus, LazyText] = {
    IncidentStatus.OPEN: _("Awaiting an answer"),
    IncidentStatus.ANSWERED: _("Answered"),
    IncidentStatus.CLOSED: _("Closed"),
}

RESOLUTION_LABELS: dict[Resolution, LazyText] = {
    Resolution.UPHELD: _("Upheld"),
    Resolution.REJECTED: _("Rejected"),
    Resolution.REFERRED: _("Referred to the higher commission"),
}

BOARD_KIND_LABELS: dict[str, LazyText] = {
    "election.called": _("Election called"),
    "election.stage": _("Election stage changed"),
    "observer.accredited": _("Observer accredited"),
    "observer.refused": _("Observer accreditation refused"),
    "observer.revoked": _("Observer accreditation revoked"),
    "incident.reported": _("Incident reported"),
    "incident.answered": _("Incident answered"),
    "incident.closed": _("Incident closed"),
    "commission.formed": _("Commission formed"),
    "commission.member_added": _("Commission member appointed"),
    "commission.member_ended": _("Commission member's term ended"),
}
"""Labels of the board's event kinds; other apps may add theirs (`BOARD_KIND_LABELS.update`).
A kind without a label is shown as its code."""
