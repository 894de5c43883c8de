"""The voter roll as rows: only what "where do I vote" and one-voter-one-entry need, and the
record of each roll import (counts and per-row refusals, never an IIN).

The IIN is never stored: `iin_digest` is HMAC-SHA256 of it under `settings.IIN_KEY`, so a
copy of the database does not give the IINs (an IIN has little entropy, so an unkeyed hash
would be reversed by trying them all; the key lives outside the database). No names are
kept; the sex is read back from the IIN the visitor types.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saylau.web.commissions.models import Commission


class Voter(models.Model):
    iin_digest = models.CharField(_("IIN (keyed hash)"), max_length=64, unique=True)
    birth_date = models.DateField(_("Date of birth"))
    precinct = models.CharField(_("Precinct"), max_length=64)
    """The domain's `PrecinctId`: the code of a `territory.Precinct` (checked by the import, which
    refuses rows naming an unknown precinct or one outside the importing commission's territory)."""
    row = models.PositiveIntegerField(_("Import row"), null=True, blank=True)

    class Meta:
        verbose_name = _("Voter")
        verbose_name_plural = _("Voters")

    def __str__(self) -> str:
        return f"voter {self.pk}"


class RollImport(models.Model):
    """One roll file imported by a commission member: counts only (rows = accepted + refused)."""

    commission = models.ForeignKey(Commission, verbose_name=_("Election commission"), on_delete=models.PROTECT,
                                   related_name="roll_imports")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Imported by"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("Date and time"))
    file_name = models.CharField(_("File name"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveBigIntegerField(_("Size in bytes"))
    rows = models.PositiveIntegerField(_("Rows read"), default=0)
    accepted = models.PositiveIntegerField(_("Rows accepted"), default=0)
    refused = models.PositiveIntegerField(_("Rows refused"), default=0)
    precinct_counts = models.JSONField(_("Voters added per precinct"), default=dict)

    class Meta:
        verbose_name = _("Voter-roll import")
        verbose_name_plural = _("Voter-roll imports")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"roll import {self.pk}"


class RollImportError(models.Model):
    """One problem of one refused row of an import (the domain's `RowError`)."""

    roll_import = models.ForeignKey(RollImport, verbose_name=_("Voter-roll import"), on_delete=models.CASCADE,
                                    related_name="errors")
    row = models.PositiveIntegerField(_("Row"))
    field = models.CharField(_("Column"), max_length=32)
    code = models.CharField(_("Error code"), max_length=64)
    reason = models.CharField(_("Reason (English)"), max_length=500)
    data = models.JSONField(_("Details"), default=dict)

    class Meta:
        verbose_name = _("Refused row")
        verbose_name_plural = _("Refused rows")
        ordering = ["roll_import", "row", "id"]

    def __str__(self) -> str:
        return f"row {self.row}: {self.code}"
