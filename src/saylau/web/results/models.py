"""Results as rows: the ballot definition of an election, the results protocols of every level
(precincts up to the top unit), the outcome and the seats won, the commissions' signing keys and
the signed PDF protocols. No rules here: `saylau.domain.results` and `saylau.domain.protocol`
decide; `services` write (audited, on the board); `selectors` read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saylau.web.candidates.models import Party
from saylau.web.commissions.models import Commission
from saylau.web.core.models import StoredFile
from saylau.web.elections.models import Election

LEVEL_CHOICES = [
    ("precinct", _("Precinct")),
    ("locality", _("Rural district, village, settlement or town")),
    ("district", _("District")),
    ("region", _("Region")),
    ("country", _("Country")),
]


class BallotDefinition(models.Model):
    """Which answer of each precinct record's question is which contestant (published on the board)."""

    election = models.OneToOneField(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                    related_name="ballot_definition")
    question = models.PositiveSmallIntegerField(_("Question"), default=0)
    data = models.JSONField(_("Ballot definition"))
    """`domain.results.BallotDefinition.to_json()`; each contestant also has `kind` and `ref` (row id)."""
    rule = models.JSONField(_("Counting rule"))
    """`domain.results.CountingRule.to_json()`, from the election's rule pack."""
    created_at = models.DateTimeField(_("Created at"))

    class Meta:
        verbose_name = _("Ballot definition")
        verbose_name_plural = _("Ballot definitions")

    def __str__(self) -> str:
        return f"ballot of {self.election_id}"


class ResultProtocol(models.Model):
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="result_protocols")
    level = models.CharField(_("Level"), max_length=16, choices=LEVEL_CHOICES)
    unit = models.CharField(_("Unit"), max_length=64)
    """The precinct's code, the territorial unit's code, or `kz` for the country."""
    parent_unit = models.CharField(_("Higher unit"), max_length=64, blank=True)
    """The unit whose protocol sums this one (empty for the top protocol)."""
    data = models.JSONField(_("Protocol"))
    """`domain.protocol.to_json()`."""
    sha256 = models.CharField(_("SHA-256 of the protocol"), max_length=64)
    source_sha256 = models.CharField(_("SHA-256 of the election record"), max_length=64, blank=True)
    """For a precinct: the hash of the verified Belenios record it was read from."""
    source_uuid = models.CharField(_("Record identifier"), max_length=64, blank=True)
    ballots_issued_note = models.CharField(_("Ballots issued: source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("Created at"))
    published = models.BooleanField(_("Published"), default=True)

    class Meta:
        verbose_name = _("Results protocol")
        verbose_name_plural = _("Results protocols")
        ordering = ["election", "level", "unit"]
        constraints = [models.UniqueConstraint(fields=["election", "unit"], name="one_protocol_per_unit")]

    def __str__(self) -> str:
        return f"{self.election_id}/{self.unit}"


class ElectionOutcome(models.Model):
    election = models.OneToOneField(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                    related_name="outcome")
    protocol = models.ForeignKey(ResultProtocol, verbose_name=_("Top protocol"), on_delete=models.PROTECT,
                                 related_name="+")
    data = models.JSONField(_("Outcome"))
    second_round = models.BooleanField(_("Second round"), default=False)
    runoff_election = models.OneToOneField(Election, verbose_name=_("Second-round election"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="first_round_outcome")
    created_at = models.DateTimeField(_("Created at"))

    class Meta:
        verbose_name = _("Election outcome")
        verbose_name_plural = _("Election outcomes")

    def __str__(self) -> str:
        return f"outcome of {self.election_id}"


class PartySeats(models.Model):
    """Seats a party list won in the published allocation (`candidates.services.mandate_award` checks it)."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="party_seats")
    party = models.ForeignKey(Party, verbose_name=_("Political party"), on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveIntegerField(_("Seats"))

    class Meta:
        verbose_name = _("Seats won")
        verbose_name_plural = _("Seats won")
        constraints = [models.UniqueConstraint(fields=["election", "party"], name="one_seat_count_per_party")]

    def __str__(self) -> str:
        return f"{self.party_id}: {self.seats}"


class CommissionSigningKey(models.Model):
    """A commission's public key for signed documents (`saylau commission keygen` → .vkey)."""

    commission = models.ForeignKey(Commission, verbose_name=_("Election commission"), on_delete=models.PROTECT,
                                   related_name="signing_keys")
    name = models.CharField(_("Key name"), max_length=200)
    vkey = models.CharField(_("Public key"), max_length=400)
    registered_at = models.DateTimeField(_("Registered at"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Registered by"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Commission's signing key")
        verbose_name_plural = _("Commissions' signing keys")
        ordering = ["commission", "-registered_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ProtocolDocument(models.Model):
    """The official results protocol as a PDF in one language; published once its signature checks."""

    protocol = models.ForeignKey(ResultProtocol, verbose_name=_("Results protocol"), on_delete=models.PROTECT,
                                 related_name="documents")
    language = models.CharField(_("Language"), max_length=2)
    commission = models.ForeignKey(Commission, verbose_name=_("Election commission"), on_delete=models.PROTECT,
                                   related_name="+")
    pdf = models.ForeignKey(StoredFile, verbose_name=_("PDF"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("Created at"))
    key = models.ForeignKey(CommissionSigningKey, verbose_name=_("Signing key"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="documents")
    signature = models.TextField(_("Signature"), blank=True)
    signed_at = models.DateTimeField(_("Signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Protocol document")
        verbose_name_plural = _("Protocol documents")
        ordering = ["protocol", "language", "-id"]

    def __str__(self) -> str:
        return f"{self.protocol_id} ({self.language})"

    @property
    def published(self) -> bool:
        return bool(self.signature)
