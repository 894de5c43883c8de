"""Voting as rows: each precinct's Belenios election (its directory, archive and board live on disk,
under `settings.ELECTIONS_DIR`), the ballots cast (for O(1) checks: replays, re-votes, receipts),
the trackers audited in the booth (never cast), the booth files' manifest published on the board,
and the remote voters' password digests.

Privacy: `CastBallot.at` is kept to the hour only; no row links a voter (roll entry, voter
reference) to a credential or a ballot. `CastBallot.login` is the login a remote ballot came
from, as the SHA-256 of a random identifier only the voter's browser holds (one credential per
login): it identifies no voter.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct


class PrecinctElection(models.Model):
    """One precinct's Belenios election: `path` holds election.json, trustees.json,
    public_creds.json, `<uuid>.bel` and its board."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="precinct_elections")
    precinct = models.ForeignKey(Precinct, verbose_name=_("Precinct"), on_delete=models.PROTECT, related_name="+")
    uuid = models.CharField(_("Election identifier"), max_length=64, unique=True)
    path = models.CharField(_("Directory"), max_length=500)
    fingerprint = models.CharField(_("Election fingerprint"), max_length=64)
    board_vkey = models.CharField(_("Board key"), max_length=400)
    credentials_sha256 = models.CharField(_("SHA-256 of the credential list"), max_length=64)
    credentials_count = models.PositiveIntegerField(_("Number of credentials"))
    created_at = models.DateTimeField(_("Set up at"))
    ballots = models.PositiveIntegerField(_("Ballots cast"), default=0)
    """Every accepted ballot, re-votes included."""
    station_cards_used = models.PositiveIntegerField(_("Polling-station cards used"), default=0)

    class Meta:
        verbose_name = _("Precinct election")
        verbose_name_plural = _("Precinct elections")
        ordering = ["election", "precinct__number"]
        constraints = [models.UniqueConstraint(fields=["election", "precinct"], name="voting_one_per_precinct")]

    def __str__(self) -> str:
        return f"{self.election_id}/{self.precinct_id}"


class CastBallot(models.Model):
    precinct_election = models.ForeignKey(PrecinctElection, verbose_name=_("Precinct election"),
                                          on_delete=models.PROTECT, related_name="cast_ballots")
    credential = models.CharField(_("Public credential"), max_length=128, db_index=True)
    tracker = models.CharField(_("Tracker"), max_length=64, unique=True)
    login = models.CharField(_("Login (SHA-256)"), max_length=64, blank=True, default="", db_index=True)
    """The remote voter's login that cast it (a login casts for one credential only); empty for a
    polling-station card. The SHA-256 of a random identifier that only the voter's browser holds."""
    height = models.PositiveIntegerField(_("Archive event"))
    leaf = models.PositiveIntegerField(_("Board entry"))
    at = models.DateTimeField(_("Hour cast"))
    """Rounded down to the hour (privacy)."""

    class Meta:
        verbose_name = _("Ballot cast")
        verbose_name_plural = _("Ballots cast")
        ordering = ["precinct_election", "height"]

    def __str__(self) -> str:
        return self.tracker


class AuditedTracker(models.Model):
    """A ballot the booth revealed for a Benaloh audit: it must never be cast."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT, related_name="+")
    tracker = models.CharField(_("Tracker"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("Audited ballot")
        verbose_name_plural = _("Audited ballots")

    def __str__(self) -> str:
        return self.tracker


class BoothManifest(models.Model):
    """The SHA-256 of every file the booth serves, as published on the board at setup."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT,
                                 related_name="booth_manifests")
    data = models.JSONField(_("Files"))
    sha256 = models.CharField(_("SHA-256 of the manifest"), max_length=64)
    published_at = models.DateTimeField(_("Published at"))

    class Meta:
        verbose_name = _("Booth manifest")
        verbose_name_plural = _("Booth manifests")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.sha256


class VoterPassword(models.Model):
    """A remote voter's login password (sent separately from the credential letter), as a PBKDF2
    digest only. `ref` is the voter's opaque reference (credentials.VoterRef.token)."""

    election = models.ForeignKey(Election, verbose_name=_("Election"), on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(_("Voter reference"), max_length=64)
    precinct = models.CharField(_("Precinct"), max_length=64)
    digest = models.CharField(_("Password digest"), max_length=200)
    issued_at = models.DateTimeField(_("Issued at"))

    class Meta:
        verbose_name = _("Voter password")
        verbose_name_plural = _("Voter passwords")
        constraints = [models.UniqueConstraint(fields=["election", "ref"], name="voting_one_password")]

    def __str__(self) -> str:
        return self.ref

