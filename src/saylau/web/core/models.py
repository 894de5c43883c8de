"""The append-only audit log: who did what, when, to which object.

Append-only at the model level: `save` inserts and never updates, `delete` refuses, and the
manager's queryset refuses `update` and `delete` (and so `bulk_update`). The actor is
protected (a user with audit entries cannot be deleted: deactivate instead), and their name
at the time is kept beside the key. No database trigger is needed; a later issue also
writes the public state changes to the bulletin board, which makes tampering evident.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from saylau.web.core.errors import AuditLogAppendOnly


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditLogAppendOnly("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogAppendOnly("delete")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("Date and time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Actor"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(_("User name"), max_length=150, blank=True)
    """The actor's user name when the entry was written; empty for the system itself."""
    action = models.CharField(_("Action"), max_length=64)
    """A stable code: `election.create`, `election.advance`, `admin.change`, ..."""
    object_type = models.CharField(_("Object type"), max_length=100, blank=True)
    object_id = models.CharField(_("Object"), max_length=64, blank=True)
    data = models.JSONField(_("Details"), default=dict, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Audit log entry")
        verbose_name_plural = _("Audit log")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at.isoformat()} {self.actor_name or '-'} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("update_fields") is not None:
            raise AuditLogAppendOnly("update")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogAppendOnly("delete")


class Attempt(models.Model):
    """One counted attempt (a failed login, a where-do-I-vote lookup) of a rate limit.

    In the database, so that every server process counts the same attempts. The key (a user
    name, a client address) is stored only as a keyed hash; rows older than the window are
    deleted as new attempts come in (`core.services.attempt_record`).
    """

    scope = models.CharField(_("Scope"), max_length=32)
    key = models.CharField(_("Key (keyed hash)"), max_length=64)
    at = models.DateTimeField(_("Date and time"))

    class Meta:
        verbose_name = _("Counted attempt")
        verbose_name_plural = _("Counted attempts")
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:12]} {self.at.isoformat()}"


class BoardEvent(models.Model):
    """A public state change waiting for, or already on, the public bulletin board (an outbox).

    Written in the same database transaction as the change it announces, so the two cannot
    disagree; `core.publicboard.board_flush` then appends the pending rows to the board in
    order, after the transaction commits, and fills in `leaf`. A crash between the two is
    repaired by the next flush (see there). Rows are never deleted.
    """

    kind = models.CharField(_("Kind"), max_length=64)
    """A stable code: `election.called`, `candidate.registered`, `mandate.ended`, ..."""
    at = models.DateTimeField(_("Date and time"))
    data = models.JSONField(_("Details"), default=dict, encoder=DjangoJSONEncoder)
    leaf = models.BigIntegerField(_("Board entry"), null=True, blank=True, unique=True)
    """Index of the entry on the public board; empty while pending."""

    class Meta:
        verbose_name = _("Public board event")
        verbose_name_plural = _("Public board events")
        ordering = ["id"]
        indexes = [models.Index(fields=["leaf"], name="core_boardevent_pending", condition=models.Q(leaf__isnull=True))]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class StoredFile(models.Model):
    """An uploaded document (candidate evidence, an incident's attachment), kept by its SHA-256.

    The bytes live on disk under `settings.UPLOAD_DIR`, named by their hash (written once,
    never changed; `core.uploads`). The row records what was checked when it came in.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("Size in bytes"))
    media_type = models.CharField(_("Media type"), max_length=64)
    name = models.CharField(_("File name"), max_length=255)
    """The name the uploader gave (for display and download only; never used as a path)."""
    uploaded_at = models.DateTimeField(_("Uploaded at"))

    class Meta:
        verbose_name = _("Stored file")
        verbose_name_plural = _("Stored files")

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"
