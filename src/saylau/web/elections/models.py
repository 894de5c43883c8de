"""Elections and their stage changes, as rows. No logic here: the lifecycle is
`saylau.domain.election`; `mapping` converts, `services` decide."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from saylau.domain.election import ElectionType, Stage
from saylau.web.core.labels import ELECTION_TYPE_LABELS, SCHEDULE_FIELD_LABELS, STAGE_LABELS
from saylau.web.territory.models import TerritorialUnit

STAGE_CHOICES = [(s.value, STAGE_LABELS[s]) for s in Stage]
TYPE_CHOICES = [(t.value, ELECTION_TYPE_LABELS[t]) for t in ElectionType]


class Election(models.Model):
    code = models.SlugField(_("Code"), max_length=64, unique=True)
    """The domain's `ElectionId`, used in URLs and on the bulletin board."""
    type = models.CharField(_("Election type"), max_length=32, choices=TYPE_CHOICES)
    title_kk = models.CharField(_("Title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("Title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("Title (English)"), max_length=300, blank=True)
    territory = models.ForeignKey(TerritorialUnit, verbose_name=_("Territory"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="elections")
    """Where the election is held; empty for a nationwide election."""
    pack_id = models.CharField(_("Rule pack"), max_length=64)
    """The rule pack in force, chosen by `domain.rulepack.applicable_pack` when the election is created."""
    stage = models.CharField(_("Stage"), max_length=16, choices=STAGE_CHOICES, default=Stage.DRAFT.value)
    latest_call = models.DateTimeField(SCHEDULE_FIELD_LABELS["latest_call"], null=True, blank=True)
    nomination_closes = models.DateTimeField(SCHEDULE_FIELD_LABELS["nomination_closes"])
    registration_closes = models.DateTimeField(SCHEDULE_FIELD_LABELS["registration_closes"])
    voting_opens = models.DateTimeField(SCHEDULE_FIELD_LABELS["voting_opens"])
    voting_closes = models.DateTimeField(SCHEDULE_FIELD_LABELS["voting_closes"])
    results_due = models.DateTimeField(SCHEDULE_FIELD_LABELS["results_due"], null=True, blank=True)

    class Meta:
        verbose_name = _("Election")
        verbose_name_plural = _("Elections")
        ordering = ["-voting_opens", "code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("elections:detail", kwargs={"code": self.code})


class StageChange(models.Model):
    """One step of an election's lifecycle (the domain's `StageChange`, plus who took it)."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="stage_changes")
    source = models.CharField(_("From stage"), max_length=16, choices=STAGE_CHOICES)
    target = models.CharField(_("To stage"), max_length=16, choices=STAGE_CHOICES)
    at = models.DateTimeField(_("Date and time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Actor"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Stage change")
        verbose_name_plural = _("Stage changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.election_id}: {self.source} → {self.target}"
