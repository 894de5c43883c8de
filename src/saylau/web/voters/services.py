"""The voter roll in the database: `DatabaseRoll`, the domain's `VoterRollStore` port, and the
import of a roll file by a commission (`roll_import`).

`saylau.domain.voters.import_roll(..., store=DatabaseRoll())` imports a roll file into it row by
row. `roll_import` does the same in bulk for a commission: rows are checked by the domain one at
a time (one voter one entry, per row) and written in batches (`BufferedRoll`), so a 10,000-row
file takes a few database round trips per batch, and memory does not grow with the file.

Who may import (a decision of the project): an acting member (not advisory) of the CEC or of a
territorial or district commission; only precincts within that commission's territory are
accepted, the others are refused row by row (`ROLL_PRECINCT_OUTSIDE_SCOPE`; an unknown precinct:
`ROLL_PRECINCT_UNKNOWN`). The roll is one: each voter sits on it once, in one precinct.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction

from saylau.domain.commissions import CommissionLevel
from saylau.domain.election import require_aware
from saylau.domain.errors import CommissionScopeRefused, DuplicateVoter, ErrorCode
from saylau.domain.iin import Iin, parse_iin
from saylau.domain.territory import PrecinctId
from saylau.domain.voters import RollEntry, RowError, import_roll
from saylau.domain.voters import Voter as DomainVoter
from saylau.web.commissions.models import Commission
from saylau.web.commissions.selectors import decision_memberships
from saylau.web.core.publicboard import board_record
from saylau.web.core.services import audit_record
from saylau.web.territory.models import Precinct
from saylau.web.territory.selectors import precincts_in
from saylau.web.voters.models import RollImport, RollImportError, Voter

BATCH = 1000
"""Rows written (voters, or refused-row records) per database batch."""


def iin_digest(iin: Iin) -> str:
    """HMAC-SHA256 of a validated IIN under `settings.IIN_KEY` (hex): what the database keeps."""
    return hmac.new(settings.IIN_KEY.encode(), iin.encode("ascii"), hashlib.sha256).hexdigest()


def _entry(iin: Iin, found: Voter) -> RollEntry:
    voter = DomainVoter(iin=iin, surname="", given_name="", patronymic="", birth_date=found.birth_date,
                        sex=parse_iin(iin).sex, precinct=PrecinctId(found.precinct))
    return RollEntry(voter, found.row)


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
        return None if found is None else _entry(iin, found)


class BufferedRoll:
    """A `VoterRollStore` that writes in batches of `BATCH` (`flush` writes the rest).

    `find` sees the pending rows as well as the database, so the domain refuses a second entry of
    an IIN within the file as a duplicate of the first (with its row). `add` refuses an IIN
    pending already; an IIN that reached the database between `find` and the batch's write (a
    concurrent import, possible on PostgreSQL) is found when the batch is written: that batch is
    then written row by row, and the rows refused there go to `late` (their own `RowError`s).
    """

    def __init__(self) -> None:
        self._pending: dict[str, Voter] = {}
        self.precincts: Counter[str] = Counter()
        self.late: list[RowError] = []
        self._sql: str | None = None

    def add(self, voter: DomainVoter, *, row: int | None = None) -> None:
        digest = iin_digest(voter.iin)
        if (other := self._pending.get(digest)) is not None:
            raise DuplicateVoter(other.row)
        self._pending[digest] = Voter(iin_digest=digest, birth_date=voter.birth_date,
                                      precinct=str(voter.precinct), row=row)
        self.precincts[str(voter.precinct)] += 1
        if len(self._pending) >= BATCH:
            self.flush()

    def find(self, iin: Iin) -> RollEntry | None:
        digest = iin_digest(iin)
        found = self._pending.get(digest) or self._stored(digest)
        return None if found is None else _entry(iin, found)

    def _stored(self, digest: str) -> Voter | None:
        """The stored voter with this digest: one indexed query without the ORM's per-query cost
        (the import asks once per row)."""
        if self._sql is None:
            meta = Voter._meta
            self._sql = (f"SELECT {meta.get_field('birth_date').column}, {meta.get_field('precinct').column}, "  # noqa: S608
                         f"{meta.get_field('row').column} FROM {meta.db_table} "
                         f"WHERE {meta.get_field('iin_digest').column} = %s")
        with connection.cursor() as cursor:
            cursor.execute(self._sql, [digest])
            found = cursor.fetchone()
        if found is None:
            return None
        born = found[0] if isinstance(found[0], date) else date.fromisoformat(str(found[0]))
        return Voter(iin_digest=digest, birth_date=born, precinct=found[1], row=found[2])

    def flush(self) -> None:
        rows, self._pending = list(self._pending.values()), {}
        if not rows:
            return
        try:
            with transaction.atomic():
                Voter.objects.bulk_create(rows)
        except IntegrityError:
            for voter in rows:
                try:
                    with transaction.atomic():
                        voter.save(force_insert=True)
                except IntegrityError:
                    first = Voter.objects.filter(iin_digest=voter.iin_digest).values_list("row", flat=True).first()
                    self.precincts[voter.precinct] -= 1
                    self.late.append(RowError(voter.row or 0, "iin", ErrorCode.DUPLICATE_VOTER,
                                              str(DuplicateVoter(first)), {"first_row": first}))


@dataclass(frozen=True, slots=True)
class RollScope:
    """What an importing commission may put on the roll: `known` every precinct code, `scope` those
    within its territory."""

    known: frozenset[PrecinctId]
    scope: frozenset[PrecinctId]


def roll_scope(commission: Commission) -> RollScope:
    known = frozenset(PrecinctId(c) for c in Precinct.objects.values_list("code", flat=True))
    if commission.level == CommissionLevel.CEC:
        return RollScope(known, known)
    if commission.territory is None or commission.level == CommissionLevel.PRECINCT:
        return RollScope(known, frozenset())
    inside = precincts_in(commission.territory).values_list("code", flat=True)
    return RollScope(known, frozenset(PrecinctId(c) for c in inside))


def roll_import_commissions(user: User, *, now: datetime) -> list[Commission]:
    """The commissions on whose behalf `user` may import a roll at `now`: those of the CEC,
    territorial or district level in which the user has an active deciding vote."""
    return sorted({m.commission.pk: m.commission for m in decision_memberships(user, now=now)}.values(),
                  key=lambda c: c.code)


def roll_import(*, actor: User, commission: Commission, lines: Iterable[str], file_name: str, sha256: str,
                size: int, now: datetime, today: date | None = None) -> RollImport:
    """Import a roll CSV for `commission`, in one transaction, and record it.

    Every data row is accepted or refused with its reasons (`RollImportError` rows): rows =
    accepted + refused. Audited (counts, the file's SHA-256; no IIN) and published on the board
    (counts per precinct). Raises `CommissionScopeRefused` (the actor may not import for this
    commission: nothing is read) or `RollFormatInvalid` (the header cannot be used: nothing is
    written).
    """
    require_aware(now, "now")
    if all(c.pk != commission.pk for c in roll_import_commissions(actor, now=now)):
        raise CommissionScopeRefused(commission.code)
    scope = roll_scope(commission)
    with transaction.atomic():
        record = RollImport.objects.create(commission=commission, actor=actor, at=now, file_name=file_name[:255],
                                           file_sha256=sha256, size=size)
        errors: list[RollImportError] = []

        def keep(error: RowError) -> None:
            errors.append(RollImportError(roll_import=record, row=error.row, field=error.field[:32],
                                          code=error.code.value, reason=error.reason[:500], data=error.data))
            if len(errors) >= BATCH:
                RollImportError.objects.bulk_create(errors)
                errors.clear()

        store = BufferedRoll()
        report = import_roll(lines, precincts=scope.known, scope=scope.scope, store=store,
                             on_error=keep, today=today)
        store.flush()
        for late in store.late:
            keep(late)
        RollImportError.objects.bulk_create(errors)
        accepted = report.accepted - len(store.late)
        counts = {code: n for code, n in sorted(store.precincts.items()) if n > 0}
        record.rows, record.accepted, record.refused = report.rows, accepted, report.rows - accepted
        record.precinct_counts = counts
        record.save(update_fields=["rows", "accepted", "refused", "precinct_counts"])
        public = {"commission": commission.code, "rows": record.rows, "accepted": record.accepted,
                  "refused": record.refused, "precincts": counts}
        audit_record(actor=actor, action="voters.roll_import", target=record, at=now,
                     data={**public, "file_sha256": sha256, "size": size})
        board_record("roll.imported", at=now, data={"import": record.pk, **public})
    return record

