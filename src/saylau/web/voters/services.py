"""The voter roll in the database: `DatabaseRoll`, the domain's `VoterRollStore` port.

`saylau.domain.voters.import_roll(..., store=DatabaseRoll())` imports a roll file into it.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction

from saylau.domain.errors import DuplicateVoter
from saylau.domain.iin import Iin, parse_iin
from saylau.domain.territory import PrecinctId
from saylau.domain.voters import RollEntry
from saylau.domain.voters import Voter as DomainVoter
from saylau.web.voters.models import Voter


def iin_digest(iin: Iin) -> str:
    """HMAC-SHA256 of a validated IIN under `settings.IIN_KEY` (hex): what the database keeps."""
    return hmac.new(settings.IIN_KEY.encode(), iin.encode("ascii"), hashlib.sha256).hexdigest()


class DatabaseRoll:
    """A `VoterRollStore` over `voters.Voter`. It keeps the IIN's keyed hash, the birth date,
    the precinct and the import row; entries read back have empty names."""

    def add(self, voter: DomainVoter, *, row: int | None = None) -> None:
        digest = iin_digest(voter.iin)
        try:
            with transaction.atomic():
                Voter.objects.create(iin_digest=digest, birth_date=voter.birth_date,
                                     precinct=str(voter.precinct), row=row)
        except IntegrityError:
            existing = Voter.objects.filter(iin_digest=digest).values_list("row", flat=True).first()
            raise DuplicateVoter(existing) from None

    def find(self, iin: Iin) -> RollEntry | None:
        found = Voter.objects.filter(iin_digest=iin_digest(iin)).first()
        if found is None:
            return None
        voter = DomainVoter(iin=iin, surname="", given_name="", patronymic="", birth_date=found.birth_date,
                            sex=parse_iin(iin).sex, precinct=PrecinctId(found.precinct))
        return RollEntry(voter, found.row)
