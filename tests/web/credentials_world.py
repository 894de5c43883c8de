"""Credentials objects for the permission matrix (rows made directly; the `election` stays in
draft): a CA key, one public list of precinct makhambet-101 with one credential, and an audio
file's row."""

from __future__ import annotations

from saylau.web.credentials.models import (
    AudioClip,
    CertificationAuthorityKey,
    CredentialSet,
    PublicCredential,
)
from saylau.web.elections.models import Election
from saylau.web.territory.models import Precinct
from tests.web.conftest import CALLED


def credentials_world(election: Election) -> dict[str, str]:
    key = CertificationAuthorityKey.objects.create(election=election, name="test/ca", vkey="test/ca+00000000+AA",
                                                   registered_at=CALLED)
    row = CredentialSet.objects.create(election=election, precinct=Precinct.objects.get(code="makhambet-101"),
                                       channel="remote", uuid="h6S2PidkvfE8QM", group="Ed25519", count=1,
                                       sha256="0" * 64, data="[]", signature="-", signer="test/ca", uploaded_at=CALLED)
    credential = PublicCredential.objects.create(credential_set=row, election=election, value="ab" * 32)
    clip = AudioClip.objects.create(election=election, language="kk", answer_index=None, text="-", sha256="0" * 64,
                                    size=0, created_at=CALLED)
    objects = {"credentials.certificationauthoritykey": key, "credentials.credentialset": row,
               "credentials.publiccredential": credential, "credentials.audioclip": clip}
    return {**{f"object_id@{label}": str(obj.pk) for label, obj in objects.items()}, "sha256": "0" * 64}
