"""Voter credentials on the server side, as rows: only PUBLIC credentials (the credential authority
keeps the private ones), the CA's keys, each voter's channel and opaque reference for the CA, the
polling-station ballot issues, and the audio ballot's files.

Privacy: `BallotIssue` has a random primary key and no time, so neither its order nor a timestamp
links a voter to the moment they voted; `VoterRef` tokens are random and per election.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saylau.domain.credentials import Channel
from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct
from saylau.web.voters.models import Voter

CHANNEL_CHOICES = [(Channel.REMOTE.value, _("Remote (letter)")), (Channel.STATION.value, _("Polling station (card)"))]
LANGUAGE_CHOICES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]


class CertificationAuthorityKey(models.Model):
    """The public note key of a credential authority (`saylau ca init` → ca.vkey): for one election,
    or for every election when `election` is empty."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="ca_keys")
    name = models.CharField(_("Key name"), max_length=200)
    vkey = models.CharField(_("Public key"), max_length=400)
    registered_at = models.DateTimeField(_("Registered at"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("Registered by"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Credential authority key")
        verbose_name_plural = _("Credential authority keys")
        ordering = ["registered_at", "id"]

    def __str__(self) -> str:
        return self.name


class CredentialSet(models.Model):
    """One precinct's public credential list for one channel, as the CA signed it."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="credential_sets")
    precinct = models.ForeignKey(Precinct, verbose_name=_("Precinct"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("Channel"), max_length=16, choices=CHANNEL_CHOICES)
    uuid = models.CharField(_("Election identifier"), max_length=64)
    group = models.CharField(_("Group"), max_length=32)
    count = models.PositiveIntegerField(_("Number of credentials"))
    sha256 = models.CharField(_("SHA-256 of the list"), max_length=64)
    data = models.TextField(_("List as signed"))
    signature = models.TextField(_("Signature of the credential authority"))
    signer = models.CharField(_("Signed by"), max_length=200)
    uploaded_at = models.DateTimeField(_("Uploaded at"))
    fixed_at = models.DateTimeField(_("Fixed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Public credential list")
        verbose_name_plural = _("Public credential lists")
        ordering = ["election", "precinct__number", "channel"]
        constraints = [models.UniqueConstraint(fields=["election", "precinct", "channel"],
                                               name="credentials_one_set_per_channel")]

    def __str__(self) -> str:
        return f"{self.election_id}/{self.precinct_id}/{self.channel}"


class PublicCredential(models.Model):
    credential_set = models.ForeignKey(CredentialSet, verbose_name=_("Public credential list"),
                                       on_delete=models.PROTECT, related_name="credentials")
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("Public credential"), max_length=1024)
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)
    replaced_by = models.OneToOneField("self", verbose_name=_("Replaced by"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="replaces")

    class Meta:
        verbose_name = _("Public credential")
        verbose_name_plural = _("Public credentials")
        ordering = ["credential_set", "value"]
        constraints = [models.UniqueConstraint(fields=["election", "value"], name="credentials_unique_value")]

    def __str__(self) -> str:
        return self.value[:16]


class VoterRef(models.Model):
    """The opaque reference of a voter for the CA and the printing house (random, per election)."""

    voter = models.ForeignKey(Voter, verbose_name=_("Voter"), on_delete=models.PROTECT, related_name="+")
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT, related_name="+")
    token = models.CharField(_("Voter reference"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("Voter reference")
        verbose_name_plural = _("Voter references")
        constraints = [models.UniqueConstraint(fields=["voter", "election"], name="credentials_one_ref")]

    def __str__(self) -> str:
        return self.token


class VoterChannel(models.Model):
    """A voter's channel in an election (remote unless the commission assigns the polling station)
    and the language of the letter."""

    voter = models.ForeignKey(Voter, verbose_name=_("Voter"), on_delete=models.PROTECT, related_name="+")
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("Channel"), max_length=16, choices=CHANNEL_CHOICES, default=Channel.REMOTE.value)
    language = models.CharField(_("Language of the letter"), max_length=2, choices=LANGUAGE_CHOICES, default="kk")

    class Meta:
        verbose_name = _("Voter's channel")
        verbose_name_plural = _("Voters' channels")
        constraints = [models.UniqueConstraint(fields=["voter", "election"], name="credentials_one_channel")]

    def __str__(self) -> str:
        return f"{self.election_id}: {self.channel}"


class BallotIssue(models.Model):
    """A polling-station voter was issued a ballot (a card drawn at random): that they voted, never
    how. A random key and no time: the row does not tell when, nor in which order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT, related_name="+")
    voter = models.ForeignKey(Voter, verbose_name=_("Voter"), on_delete=models.PROTECT, related_name="+")
    precinct = models.ForeignKey(Precinct, verbose_name=_("Precinct"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Ballot issued at a polling station")
        verbose_name_plural = _("Ballots issued at polling stations")
        constraints = [models.UniqueConstraint(fields=["election", "voter"], name="credentials_issue_once")]

    def __str__(self) -> str:
        return f"{self.election_id}: issued"


class AudioClip(models.Model):
    """One audio file of the audio ballot: the question (`answer_index` None) or an answer, in one language."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="audio_clips")
    language = models.CharField(_("Language"), max_length=2, choices=LANGUAGE_CHOICES)
    answer_index = models.PositiveSmallIntegerField(_("Answer"), null=True, blank=True)
    text = models.TextField(_("Text read"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("Size in bytes"))
    created_at = models.DateTimeField(_("Created at"))

    class Meta:
        verbose_name = _("Audio ballot file")
        verbose_name_plural = _("Audio ballot files")
        ordering = ["election", "language", "answer_index"]

    def __str__(self) -> str:
        return f"{self.election_id}/{self.language}/{self.answer_index}"
