"""The ceremony's objects for the permission matrix: a completed 2-of-2 key ceremony of the `election`
whose trustees are the Makhambet chair (no. 1) and a second member, made through the services with
files computed by `saylau.crypto.dkg` directly (what `saylau threshold …` prints)."""

from __future__ import annotations

import json

from django.contrib.auth.models import User

from saylau.crypto import dkg
from saylau.crypto.group import SYSTEM_RNG, group_by_name
from saylau.domain.ceremony import Step
from saylau.domain.commissions import MemberRole
from saylau.web.ceremony import services
from saylau.web.ceremony.models import KeyCeremony
from saylau.web.commissions.models import Commission
from saylau.web.commissions.services import membership_add
from saylau.web.elections.models import Election
from tests.web.conftest import CALLED


def pedersen_ceremony(election: Election, trustees: list[User], threshold: int) -> KeyCeremony:
    """A completed ceremony with `trustees` (commission members in scope), run in memory."""
    group = group_by_name("Ed25519")
    ceremony = services.ceremony_create(actor=None, election=election, trustees=trustees, threshold=threshold,
                                        now=CALLED)
    seeds = [dkg.new_seed(SYSTEM_RNG) for _ in trustees]
    n = len(trustees)

    def up(user: User, step: Step, value: object) -> None:
        services.trustee_upload(actor=user, election=election, step=step, text=json.dumps(value), now=CALLED)

    certs = [dkg.make_cert(group, s, index=i, size=n, threshold=threshold, rng=SYSTEM_RNG)
             for i, s in enumerate(seeds, start=1)]
    for user, cert in zip(trustees, certs, strict=True):
        up(user, Step.CERTIFICATE, cert)
    polys = [dkg.make_polynomial(group, s, list(certs), threshold, rng=SYSTEM_RNG) for s in seeds]
    for user, poly in zip(trustees, polys, strict=True):
        up(user, Step.POLYNOMIAL, poly)
    for user, seed, vinput in zip(trustees, seeds, dkg.route(polys), strict=True):
        up(user, Step.VOUTPUT, dkg.make_voutput(group, seed, list(certs), vinput, rng=SYSTEM_RNG))
    return KeyCeremony.objects.get(pk=ceremony.pk)


def ceremony_world(election: Election) -> dict[str, object]:
    chair = User.objects.get(username="chair")
    second = User.objects.create_user("trustee-two", first_name="Дана", last_name="Ержанқызы")
    membership_add(actor=None, commission=Commission.objects.get(code="makhambet"), user=second,
                   role=MemberRole.MEMBER, start=CALLED, now=CALLED)
    ceremony = pedersen_ceremony(election, [chair, second], 2)
    trustee = ceremony.trustees.get(index=1)
    return {"ceremony.keyceremony": ceremony, "ceremony.trustee": trustee, "ceremony_step": Step.CERTIFICATE.value}


def ceremony_rows(ceremony: KeyCeremony) -> dict[str, object]:
    """A precinct record and a partial decryption as rows (for the admin's pages)."""
    from saylau.web.ceremony.models import PartialDecryption, PrecinctRecord
    from saylau.web.territory.models import Precinct

    record = PrecinctRecord.objects.create(ceremony=ceremony, precinct=Precinct.objects.get(code="makhambet-101"),
                                           path="/nonexistent", uuid="Matrix1", ballots_issued=0, registered_at=CALLED)
    pd = PartialDecryption.objects.create(record=record, trustee=ceremony.trustees.get(index=1),
                                          partial_decryption=b"{}", owned=b"{}", uploaded_at=CALLED)
    return {"ceremony.precinctrecord": record, "ceremony.partialdecryption": pd}
