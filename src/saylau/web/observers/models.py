"""Observers' accreditations and incident reports, as rows. No logic here: the lifecycles are
`saylau.domain.observers`; `mapping` converts, `services` decide and write."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saylau.domain.observers import (
    DESCRIPTION_MAX,
    ORGANISATION_MAX,
    PRECINCT_MAX,
    TITLE_MAX,
    AccreditationStatus,
    IncidentStatus,
)
from saylau.web.core.models import StoredFile
from saylau.web.elections.models import Election
from saylau.web.observers.labels import (
    INCIDENT_STATUS_LABELS,
    KIND_LABELS,
    RESOLUTION_LABELS,
    STATUS_LABELS,
)

LIVE = [AccreditationStatus.REQUESTED.value, AccreditationStatus.APPROVED.value]


class ObserverAccreditation(models.Model):
    """One person's accreditation (or request for it) as an observer of one election."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Observer"), on_delete=models.PROTECT,
                             related_name="accreditations")
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="accreditations")
    kind = models.CharField(_("Kind of observer"), max_length=32,
                            choices=[(k.value, v) for k, v in KIND_LABELS.items()])
    organisation = models.CharField(_("Organisation"), max_length=ORGANISATION_MAX)
    """The organisation that sends the observer (public)."""
    status = models.CharField(_("Status"), max_length=16, default=AccreditationStatus.REQUESTED.value,
                              choices=[(k.value, v) for k, v in STATUS_LABELS.items()])
    requested_at = models.DateTimeField(_("Requested at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Decided by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    """The time of the last decision (approval, refusal or revocation)."""
    reason = models.CharField(_("Reason"), max_length=32, blank=True)
    """The refusal or revocation reason code (`domain.observers.RefusalReason` / `RevocationReason`)."""

    class Meta:
        verbose_name = _("Observer accreditation")
        verbose_name_plural = _("Observer accreditations")
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["user", "election"], condition=models.Q(status__in=LIVE),
            name="observers_one_live_accreditation")]

    def __str__(self) -> str:
        return f"{self.election_id}: {self.organisation} ({self.status})"


class Incident(models.Model):
    """An incident report by an accredited observer, and the commission's answer."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="incidents")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Reported by"),
                                 on_delete=models.PROTECT, related_name="incidents")
    precinct_code = models.CharField(_("Precinct"), max_length=PRECINCT_MAX, blank=True)
    title = models.CharField(_("Title"), max_length=TITLE_MAX)
    description = models.TextField(_("Description"), max_length=DESCRIPTION_MAX)
    status = models.CharField(_("Status"), max_length=16, default=IncidentStatus.OPEN.value,
                              choices=[(k.value, v) for k, v in INCIDENT_STATUS_LABELS.items()])
    created_at = models.DateTimeField(_("Reported at"))
    due_at = models.DateTimeField(_("Answer due by"))
    answer = models.TextField(_("Answer"), blank=True)
    resolution = models.CharField(_("Resolution"), max_length=16, blank=True,
                                  choices=[(k.value, v) for k, v in RESOLUTION_LABELS.items()])
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Answered by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Incident report")
        verbose_name_plural = _("Incident reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["election", "status", "due_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"


class IncidentFile(models.Model):
    """A document attached to an incident report (photos, scans: PDF, PNG, JPEG)."""

    incident = models.ForeignKey(Incident, verbose_name=_("Incident report"), on_delete=models.PROTECT,
                                 related_name="files")
    stored = models.ForeignKey(StoredFile, verbose_name=_("File"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Incident attachment")
        verbose_name_plural = _("Incident attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.incident_id}: {self.stored.name}"
