"""A real voting setup for the voting tests: the `election` with a ballot of 4 candidates and "against
all", a single trustee's key (rows made directly, with its secret kept for the tally), precinct
makhambet-101 with remote and polling-station credentials (public values uploaded as rows; the
private ones kept here), polling-station ballots issued, and the precinct election set up."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.test import Client

from saylau.crypto import credentials
from saylau.crypto.group import SYSTEM_RNG, group_by_name
from saylau.crypto.trustees import single_generate
from saylau.record.ballot import make_ballot
from saylau.record.canonical import dumpb, sha256_hex
from saylau.record.directory import read_file
from saylau.record.election import Election as Params
from saylau.record.election import parse_election
from saylau.web.ceremony.models import KeyCeremony
from saylau.web.credentials.models import BallotIssue, CredentialSet, PublicCredential
from saylau.web.elections.models import Election
from saylau.web.results.models import BallotDefinition
from saylau.web.territory.models import Precinct, TerritorialUnit
from saylau.web.territory.services import precinct_create
from saylau.web.voters.models import Voter
from saylau.web.voting import api, auth
from saylau.web.voting.casting import forget_lanes
from saylau.web.voting.models import PrecinctElection
from saylau.web.voting.services import voting_setup
from tests.web.conftest import CALLED, VOTE

CANDIDATES = ["Әлия Серікқызы", "Бауыржан Омаров", "Гүлнар Ахметова", "Данияр Қасымов"]
AGAINST_ALL = "Бәріне қарсы"
DURING = VOTE + timedelta(hours=2)


@dataclass
class VotingWorld:
    election: Election
    pe: PrecinctElection
    params: Params
    secret: int
    remote: list[str]
    station: list[str]

    def ballot(self, credential: str, answer: int) -> bytes:
        choice = [0] * 5
        choice[answer] = 1
        return make_ballot(self.params, credential, [choice])[0]


def precinct(code: str = "makhambet-101", number: int = 101) -> Precinct:
    found = Precinct.objects.filter(code=code).first()
    return found or precinct_create(actor=None, code=code, number=number,
                                    territory=TerritorialUnit.objects.get(code="saraishyk"),
                                    address_kk="Сарайшық ауылы, 1", accessible=True, now=CALLED)


def ballot_definition(election: Election) -> None:
    if hasattr(election, "ballot_definition"):
        return
    BallotDefinition.objects.create(
        election=election, question=0, rule={"system": "plurality"}, created_at=CALLED,
        data={"election": election.code, "question": 0, "against_all_position": 4, "against_all_label": AGAINST_ALL,
              "contestants": [{"id": f"candidate-{i}", "label": name, "order": i, "kind": "candidate", "ref": i}
                              for i, name in enumerate(CANDIDATES)]})


def single_ceremony(election: Election) -> int:
    group = group_by_name("Ed25519")
    x, pub = single_generate(group, rng=SYSTEM_RNG)
    text = dumpb([["Single", pub]])
    KeyCeremony.objects.create(election=election, kind="single", group="Ed25519", size=1, threshold=1, min_ballots=0,
                               created_at=CALLED, trustees_json=text, trustees_sha256=sha256_hex(text),
                               public_key=str(pub["public_key"]) if isinstance(pub, dict) else "",
                               completed_at=CALLED)
    return x


def credential_set(election: Election, place: Precinct, channel: str, uuid: str, n: int) -> list[str]:
    group = group_by_name("Ed25519")
    private = [credentials.generate(SYSTEM_RNG) for _ in range(n)]
    public = [group.encode(credentials.public_credential(group, uuid, c)) for c in private]
    row = CredentialSet.objects.create(election=election, precinct=place, channel=channel, uuid=uuid, group="Ed25519",
                                       count=n, sha256=sha256_hex(dumpb(public)), data=json.dumps(public),
                                       signature="-", signer="test/ca", uploaded_at=CALLED)
    PublicCredential.objects.bulk_create([PublicCredential(credential_set=row, election=election, value=v)
                                          for v in public])
    return private


def issue_station_ballots(election: Election, place: Precinct, n: int) -> None:
    for _ in range(n):
        voter = Voter.objects.create(iin_digest=secrets.token_hex(32), birth_date=date(1980, 1, 1), precinct=place.code)
        BallotIssue.objects.create(election=election, voter=voter, precinct=place)


def voting_world(election: Election, *, remote: int = 4, station: int = 2, issued: int = 1,
                 place: Precinct | None = None) -> VotingWorld:
    """Set up voting in `election` (still before voting: the caller opens it with `open_voting`)."""
    forget_lanes()
    place = place or precinct()
    ballot_definition(election)
    secret = single_ceremony(election) if not KeyCeremony.objects.filter(election=election).exists() else 0
    uuid = credentials.random_token(SYSTEM_RNG)
    remote_private = credential_set(election, place, "remote", uuid, remote)
    station_private = credential_set(election, place, "station", uuid, station) if station else []
    issue_station_ballots(election, place, issued)
    voting_setup(actor=None, election=election, now=CALLED)
    pe = PrecinctElection.objects.select_related("election", "precinct").get(election=election, precinct=place)
    params = parse_election(read_file(Path(pe.path) / "election.json"))
    return VotingWorld(election, pe, params, secret, remote_private, station_private)


def open_voting(election: Election) -> None:
    Election.objects.filter(pk=election.pk).update(stage="voting")
    election.refresh_from_db()


def voter_client(world: VotingWorld, *, kiosk: bool = False, **kwargs: Any) -> Client:
    """A browser logged in as a remote voter of the world's precinct (or a kiosk of it)."""
    client = Client(**kwargs)
    if kiosk:
        session = client.session
        session[auth.KIOSK_KEY] = {world.election.code: world.pe.precinct.code}
        session.save()
    else:
        entry = auth.new_pass(world.pe.precinct.code, api.clock())
        client.cookies[auth.PASS_COOKIE] = auth.pass_cookie({world.election.code: entry})
    return client


def cast_url(world: VotingWorld) -> str:
    return f"/api/vote/{world.election.code}/{world.pe.precinct.code}/ballots"


def post_ballot(client: Client, world: VotingWorld, body: bytes, **headers: Any) -> Any:
    return client.post(cast_url(world), data=body, content_type=headers.pop("content_type", "application/json"),
                       **headers)


def voting_matrix_world(election: Election) -> dict[str, str]:
    """For the permission matrix: the precinct elections set up from the other worlds' rows (the
    results' ballot, the ceremony's key, the credentials' list), a ballot row and an audited tracker."""
    from saylau.web.voting.models import AuditedTracker, BoothManifest, CastBallot

    forget_lanes()
    voting_setup(actor=None, election=election, now=CALLED)
    pe = PrecinctElection.objects.get(election=election)
    cast = CastBallot.objects.create(precinct_election=pe, credential="ab" * 32, tracker="t" * 43, height=1, leaf=1,
                                     at=CALLED)
    audited = AuditedTracker.objects.create(election=election, tracker="a" * 43)
    objects = {"voting.precinctelection": pe, "voting.castballot": cast, "voting.auditedtracker": audited,
               "voting.boothmanifest": BoothManifest.objects.get(election=election)}
    return {**{f"object_id@{label}": str(obj.pk) for label, obj in objects.items()}, "backend": "password"}
