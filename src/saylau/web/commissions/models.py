"""Commissions and their members, as rows. The rules (which parent forms which commission, who
may act, whose scope covers which election) are the domain's: `saylau.domain.commissions`;
`services` write, `selectors` read (`commission_may_act`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from saylau.domain.commissions import CommissionLevel, MemberRole
from saylau.web.territory.models import Precinct, TerritorialUnit

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

LEVEL_LABELS: dict[CommissionLevel, LazyText] = {
    CommissionLevel.CEC: _("Central Election Commission"),
    CommissionLevel.TERRITORIAL: _("Territorial election commission of a region"),
    CommissionLevel.DISTRICT: _("Territorial election commission of a district or city"),
    CommissionLevel.PRECINCT: _("Precinct election commission"),
}
ROLE_LABELS: dict[MemberRole, LazyText] = {
    MemberRole.CHAIR: _("Chair"),
    MemberRole.DEPUTY_CHAIR: _("Deputy chair"),
    MemberRole.SECRETARY: _("Secretary"),
    MemberRole.MEMBER: _("Member"),
    MemberRole.ADVISORY: _("Representative with an advisory vote"),
}


class Commission(models.Model):
    code = models.SlugField(_("Code"), max_length=64, unique=True)
    level = models.CharField(_("Level"), max_length=16, choices=[(k.value, v) for k, v in LEVEL_LABELS.items()])
    name_kk = models.CharField(_("Name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("Name (Russian)"), max_length=300, blank=True)
    name_en = models.CharField(_("Name (English)"), max_length=300, blank=True)
    territory = models.ForeignKey(TerritorialUnit, verbose_name=_("Territory"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="commissions")
    """The region or district it serves; empty for the CEC and for a precinct commission."""
    precinct = models.OneToOneField(Precinct, verbose_name=_("Precinct"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="commission")
    """A precinct commission's precinct."""
    parent = models.ForeignKey("self", verbose_name=_("Parent commission"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("Election commission")
        verbose_name_plural = _("Election commissions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("commissions:detail", kwargs={"code": self.code})


class Membership(models.Model):
    """One person's seat on one commission, with its role and term."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.PROTECT,
                             related_name="commission_memberships")
    commission = models.ForeignKey(Commission, verbose_name=_("Election commission"), on_delete=models.PROTECT,
                                   related_name="memberships")
    role = models.CharField(_("Role"), max_length=16, choices=[(k.value, v) for k, v in ROLE_LABELS.items()])
    nominated_by = models.CharField(_("Nominated by"), max_length=300, blank=True)
    """The party or organisation that proposed the member (public, §4)."""
    start = models.DateTimeField(_("Term starts"))
    end = models.DateTimeField(_("Term ends"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Ended early"), null=True, blank=True)

    class Meta:
        verbose_name = _("Commission membership")
        verbose_name_plural = _("Commission memberships")
        ordering = ["commission", "start", "id"]

    def __str__(self) -> str:
        return f"{self.commission_id}: {self.user_id} ({self.role})"
