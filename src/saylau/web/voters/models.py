"""The voter roll as rows: only what "where do I vote" and one-voter-one-entry need.

The IIN is never stored: `iin_digest` is HMAC-SHA256 of it under `settings.IIN_KEY`, so a
copy of the database does not give the IINs (an IIN has little entropy, so an unkeyed hash
would be reversed by trying them all; the key lives outside the database). No names are
kept; the sex is read back from the IIN the visitor types.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Voter(models.Model):
    iin_digest = models.CharField(_("IIN (keyed hash)"), max_length=64, unique=True)
    birth_date = models.DateField(_("Date of birth"))
    precinct = models.CharField(_("Precinct"), max_length=64)
    """The domain's `PrecinctId` (no precinct model yet)."""
    row = models.PositiveIntegerField(_("Import row"), null=True, blank=True)

    class Meta:
        verbose_name = _("Voter")
        verbose_name_plural = _("Voters")

    def __str__(self) -> str:
        return f"voter {self.pk}"
