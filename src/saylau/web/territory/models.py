"""Territorial units and precincts as rows. The tree's rules (which parent each level takes, which
kinds each level has, where a precinct may lie, unique precinct numbers) are the domain's:
`services.territorial_unit_create` and `services.precinct_create` check a new unit or precinct
with `saylau.domain.territory.Territory.build`."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from saylau.domain.territory import DistrictKind, LocalityKind, RegionKind


class Level(models.TextChoices):
    REGION = "region", _("Region")
    DISTRICT = "district", _("District")
    LOCALITY = "locality", _("Rural district, village, settlement or town")


KIND_LABELS = {
    RegionKind.OBLAST: _("Oblast"),
    RegionKind.CITY_OF_REPUBLICAN_SIGNIFICANCE: _("City of republican significance"),
    RegionKind.CAPITAL: _("Capital"),
    DistrictKind.DISTRICT: _("District"),
    DistrictKind.CITY_OF_REGIONAL_SIGNIFICANCE: _("City of regional significance"),
    DistrictKind.CITY_DISTRICT: _("District of a city"),
    LocalityKind.RURAL_DISTRICT: _("Rural district"),
    LocalityKind.TOWN: _("Town of district significance"),
    LocalityKind.VILLAGE: _("Village"),
    LocalityKind.SETTLEMENT: _("Settlement"),
}
"""Labels of the domain's unit kinds (DistrictKind.DISTRICT and Level.DISTRICT share "district")."""


class TerritorialUnit(models.Model):
    code = models.SlugField(_("Code"), max_length=64, unique=True)
    """The domain id (`RegionId`, `AdminDistrictId`, `LocalityId`)."""
    level = models.CharField(_("Level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("Kind"), max_length=40, choices=[(k.value, v) for k, v in KIND_LABELS.items()])
    parent = models.ForeignKey("self", verbose_name=_("Parent unit"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    name_kk = models.CharField(_("Name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("Name (Russian)"), max_length=200, blank=True)
    name_en = models.CharField(_("Name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Territorial unit")
        verbose_name_plural = _("Territorial units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Precinct(models.Model):
    """A polling station's precinct (the domain's `territory.Precinct`)."""

    code = models.SlugField(_("Code"), max_length=64, unique=True)
    """The domain's `PrecinctId`: what the voter roll's `precinct` column names."""
    number = models.PositiveIntegerField(_("Precinct number"), unique=True)
    territory = models.ForeignKey(TerritorialUnit, verbose_name=_("Territory"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="precincts")
    """A district or a locality (rural district, village, settlement, town); empty for a precinct abroad."""
    address_kk = models.CharField(_("Address (Kazakh)"), max_length=300)
    address_ru = models.CharField(_("Address (Russian)"), max_length=300, blank=True)
    address_en = models.CharField(_("Address (English)"), max_length=300, blank=True)
    accessible = models.BooleanField(_("Step-free access"), default=False)

    class Meta:
        verbose_name = _("Precinct")
        verbose_name_plural = _("Precincts")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("territory:precinct", kwargs={"code": self.code})
