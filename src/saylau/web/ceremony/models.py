"""The trustees' ceremonies as rows: an election's key ceremony and its trustees with the public
files each handed in, the precinct records to decrypt, and the trustees' partial decryptions.
No private key is ever stored (none ever reaches the server). The rules and checks are
`saylau.domain.ceremony`; `services` write (audited, on the board); `selectors` read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saylau.web.commissions.models import Membership
from saylau.web.core.fields import ExactJSONField
from saylau.web.elections.models import Election
from saylau.web.results.models import ResultProtocol
from saylau.web.territory.models import Precinct

KIND_CHOICES = [("single", _("Single trustee")), ("pedersen", _("Threshold trustees (Pedersen)"))]
RECORD_STATES = [("registered", _("Registered")), ("tallied", _("Tallied")), ("decrypted", _("Decrypted"))]


class KeyCeremony(models.Model):
    election = models.OneToOneField(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                    related_name="key_ceremony")
    kind = models.CharField(_("Kind"), max_length=16, choices=KIND_CHOICES)
    group = models.CharField(_("Group"), max_length=32)
    size = models.PositiveSmallIntegerField(_("Trustees"))
    threshold = models.PositiveSmallIntegerField(_("Threshold"))
    min_ballots = models.PositiveIntegerField(_("Minimum group size"))
    created_at = models.DateTimeField(_("Created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Created by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    trustees_json = models.BinaryField(_("trustees.json"), blank=True, default=b"")
    trustees_sha256 = models.CharField(_("SHA-256 of trustees.json"), max_length=64, blank=True)
    public_key = models.CharField(_("Election public key"), max_length=1024, blank=True)
    completed_at = models.DateTimeField(_("Completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Key ceremony")
        verbose_name_plural = _("Key ceremonies")

    def __str__(self) -> str:
        return f"{self.election_id}: {self.threshold} of {self.size}"


class Trustee(models.Model):
    """A commission member holding one share of the election key; `index` is 1-based (the Belenios
    trustee id). The JSON fields hold the public files handed in at each step."""

    ceremony = models.ForeignKey(KeyCeremony, verbose_name=_("Key ceremony"), on_delete=models.PROTECT,
                                 related_name="trustees")
    index = models.PositiveSmallIntegerField(_("Trustee number"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.PROTECT,
                             related_name="trusteeships")
    membership = models.ForeignKey(Membership, verbose_name=_("Commission membership"), on_delete=models.PROTECT,
                                   related_name="+")
    name = models.CharField(_("Name"), max_length=300)
    public_key = ExactJSONField(_("Public key"), null=True, blank=True)
    certificate = ExactJSONField(_("Certificate"), null=True, blank=True)
    polynomial = ExactJSONField(_("Polynomial"), null=True, blank=True)
    vinput = ExactJSONField(_("Routed input"), null=True, blank=True)
    voutput = ExactJSONField(_("Verification output (public part)"), null=True, blank=True)
    public_key_at = models.DateTimeField(null=True, blank=True)
    certificate_at = models.DateTimeField(null=True, blank=True)
    polynomial_at = models.DateTimeField(null=True, blank=True)
    voutput_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Trustee")
        verbose_name_plural = _("Trustees")
        ordering = ["ceremony", "index"]
        constraints = [
            models.UniqueConstraint(fields=["ceremony", "index"], name="ceremony_trustee_index"),
            models.UniqueConstraint(fields=["ceremony", "user"], name="ceremony_trustee_user"),
        ]

    def __str__(self) -> str:
        return f"{self.ceremony_id} #{self.index}"


class PrecinctRecord(models.Model):
    """A precinct's Belenios election directory under the ceremony's key (held by the voting layer)."""

    ceremony = models.ForeignKey(KeyCeremony, verbose_name=_("Key ceremony"), on_delete=models.PROTECT,
                                 related_name="records")
    precinct = models.ForeignKey(Precinct, verbose_name=_("Precinct"), on_delete=models.PROTECT, related_name="+")
    path = models.CharField(_("Election directory"), max_length=1024)
    uuid = models.CharField(_("Election identifier"), max_length=64)
    ballots_issued = models.PositiveIntegerField(_("Ballots issued"))
    issued_source = models.CharField(_("Where the number of ballots issued comes from"), max_length=200, blank=True)
    state = models.CharField(_("State"), max_length=16, choices=RECORD_STATES, default="registered")
    registered_at = models.DateTimeField(_("Registered at"))
    encrypted_tally = models.CharField(_("SHA-256 of the encrypted tally"), max_length=64, blank=True)
    num_tallied = models.PositiveIntegerField(_("Ballots tallied"), null=True, blank=True)
    tallied_at = models.DateTimeField(_("Tallied at"), null=True, blank=True)
    result = ExactJSONField(_("Result"), null=True, blank=True)
    decrypted_at = models.DateTimeField(_("Decrypted at"), null=True, blank=True)
    protocol = models.ForeignKey(ResultProtocol, verbose_name=_("Results protocol"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    protocol_refusal = models.TextField(_("Why no protocol was made"), blank=True)

    class Meta:
        verbose_name = _("Precinct record")
        verbose_name_plural = _("Precinct records")
        ordering = ["ceremony", "precinct__number", "id"]
        constraints = [models.UniqueConstraint(fields=["ceremony", "precinct"], name="ceremony_record_precinct")]

    def __str__(self) -> str:
        return f"{self.ceremony_id}: {self.precinct_id}"


class PartialDecryption(models.Model):
    """One trustee's checked partial decryption of one precinct's tally."""

    record = models.ForeignKey(PrecinctRecord, verbose_name=_("Precinct record"), on_delete=models.PROTECT,
                               related_name="decryptions")
    trustee = models.ForeignKey(Trustee, verbose_name=_("Trustee"), on_delete=models.PROTECT, related_name="+")
    partial_decryption = models.BinaryField(_("Partial decryption"))
    owned = models.BinaryField(_("Owner"))
    uploaded_at = models.DateTimeField(_("Uploaded at"))

    class Meta:
        verbose_name = _("Partial decryption")
        verbose_name_plural = _("Partial decryptions")
        ordering = ["record", "trustee__index"]
        constraints = [models.UniqueConstraint(fields=["record", "trustee"], name="ceremony_decryption_once")]

    def __str__(self) -> str:
        return f"{self.record_id} by {self.trustee_id}"
