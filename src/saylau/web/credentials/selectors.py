"""Reads of credentials and polling-station figures. The voting server uses `public_credentials`,
`credential_state`, `station_issued_count`, `audio_manifest` and `credential_sets`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypedDict

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from saylau.domain.commissions import CommissionLevel, MemberRole, may_act
from saylau.domain.credentials import Channel
from saylau.web.commissions.models import Membership
from saylau.web.commissions.selectors import (
    AnyUser,
    commission_may_act,
    memberships_of,
    precinct_in_scope,
    term_of,
)
from saylau.web.credentials.models import (
    AudioClip,
    BallotIssue,
    CertificationAuthorityKey,
    CredentialSet,
    PublicCredential,
    VoterChannel,
)
from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct
from saylau.web.territory.selectors import precincts_in, unit_chain
from saylau.web.voters.models import Voter


def election_precincts(election: Election) -> QuerySet[Precinct]:
    """The precincts where `election` is held (its territory's; every precinct for a nationwide one)."""
    if election.territory is None:
        return Precinct.objects.select_related("territory").order_by("number")
    return precincts_in(election.territory)


def ca_keys(election: Election) -> QuerySet[CertificationAuthorityKey]:
    """The CA keys accepted for `election`: its own and the global ones."""
    return CertificationAuthorityKey.objects.filter(Q(election=election) | Q(election__isnull=True))


def credential_sets(election: Election) -> QuerySet[CredentialSet]:
    return CredentialSet.objects.filter(election=election).select_related("precinct")


def roll_counts(election: Election, precincts: list[str] | None = None) -> dict[tuple[str, Channel], int]:
    """Voters of each precinct of the election per channel (remote unless assigned the station)."""
    codes = precincts if precincts is not None else list(election_precincts(election).values_list("code", flat=True))
    totals = Counter(_count_by(codes))
    station = Counter(VoterChannel.objects.filter(election=election, channel=Channel.STATION.value,
                                                  voter__precinct__in=codes)
                      .values_list("voter__precinct", flat=True))
    out: dict[tuple[str, Channel], int] = {}
    for code in codes:
        out[(code, Channel.STATION)] = station[code]
        out[(code, Channel.REMOTE)] = totals[code] - station[code]
    return out


def _count_by(codes: list[str]) -> dict[str, int]:
    return {row["precinct"]: row["n"] for row in
            Voter.objects.filter(precinct__in=codes).values("precinct").annotate(n=Count("id"))}


def public_credentials(election: Election, precinct: Precinct | str) -> list[str]:
    """The valid (not revoked) public credentials of a precinct, both channels, sorted."""
    code = precinct if isinstance(precinct, str) else precinct.code
    return sorted(PublicCredential.objects.filter(election=election, credential_set__precinct__code=code,
                                                  revoked_at__isnull=True).values_list("value", flat=True))


@dataclass(frozen=True, slots=True)
class CredentialStatus:
    state: Literal["valid", "revoked"]
    precinct: str
    channel: Channel
    uuid: str


def credential_state(election: Election, public: str) -> CredentialStatus | None:
    """Whether `public` is a valid or revoked credential of `election`, and where; None if unknown."""
    row = (PublicCredential.objects.filter(election=election, value=public)
           .select_related("credential_set__precinct").first())
    if row is None:
        return None
    s = row.credential_set
    return CredentialStatus("revoked" if row.revoked_at is not None else "valid", s.precinct.code,
                            Channel(s.channel), s.uuid)


def station_issued_count(election: Election, precinct: Precinct | str) -> int:
    """Voters of `precinct` marked as issued a ballot at the polling station."""
    code = precinct if isinstance(precinct, str) else precinct.code
    return BallotIssue.objects.filter(election=election, precinct__code=code).count()


def station_cards(election: Election, precinct: Precinct) -> int:
    found = CredentialSet.objects.filter(election=election, precinct=precinct, channel=Channel.STATION.value).first()
    return found.count if found is not None else 0


def station_membership(user: AnyUser, election: Election, precinct: Precinct, *,
                       now: datetime | None = None) -> Membership | None:
    """A membership through which `user` may run the polling station of `precinct` in `election`:
    operations scope over the election, and a deciding vote in that precinct's commission or in a
    commission whose territory contains the precinct."""
    now = now or timezone.now()
    if not commission_may_act(user, election, decision=False, now=now):
        return None
    chain = unit_chain(precinct.territory)
    for m in memberships_of(user, now=now):
        if not may_act(MemberRole(m.role), term_of(m), now):
            continue
        c = m.commission
        if c.level == CommissionLevel.PRECINCT:
            if c.precinct_id == precinct.pk:
                return m
        elif precinct_in_scope(c, chain):
            return m
    return None


class AudioEntry(TypedDict):
    answer_index: int | None
    url: str
    sha256: str
    text: str


def audio_manifest(election: Election, language: str) -> list[AudioEntry]:
    """The audio ballot in `language`: the question first (`answer_index` None), then each answer
    in ballot order ("against all" included)."""
    rows = AudioClip.objects.filter(election=election, language=language).order_by("answer_index")
    ordered = sorted(rows, key=lambda r: -1 if r.answer_index is None else r.answer_index)
    return [{"answer_index": r.answer_index, "url": reverse("credentials:audio", kwargs={"sha256": r.sha256}),
             "sha256": r.sha256, "text": r.text} for r in ordered]
