"""The voter roll: CSV import checked by IIN, one voter one entry, precinct assignment, and
the where-do-I-vote lookup (DESIGN.md "Voter roll"; 12.5 million voters to plan for, §9).

Import streams: rows are read one at a time from any iterable of lines and written to a
`VoterRollStore` (a port: the web layer's database, or `InMemoryRoll`), so the importer's
own memory does not grow with the file. Nothing is dropped silently: every data row is
either accepted or refused, and every problem of a refused row becomes a `RowError` (row
number, field, code, reason), collected in the report or handed to `on_error` as it is
found. `ImportReport.rows == accepted + refused` always.

Row numbers are CSV record numbers with the header as row 1, so the first voter is row 2
(what a spreadsheet shows).
"""

from __future__ import annotations

import csv
import math
import re
from collections import deque
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from typing import Protocol

from saylau.domain.election import require_aware
from saylau.domain.errors import (
    DuplicateVoter,
    ErrorCode,
    InvalidIin,
    RateLimited,
    RollFormatInvalid,
    VoterNotFound,
)
from saylau.domain.iin import Iin, Sex, parse_iin
from saylau.domain.territory import PrecinctId

COLUMNS = ("iin", "surname", "given_name", "patronymic", "birth_date", "precinct")
"""The columns a roll file may have, in any order; all but `patronymic` are required."""
REQUIRED_COLUMNS = ("iin", "surname", "given_name", "birth_date", "precinct")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z", re.ASCII)


@dataclass(frozen=True, slots=True)
class Voter:
    iin: Iin
    surname: str
    given_name: str
    patronymic: str
    birth_date: date
    sex: Sex
    precinct: PrecinctId


@dataclass(frozen=True, slots=True)
class RollEntry:
    voter: Voter
    row: int | None
    """The import row that added the voter, if it came from a file."""


class VoterRollStore(Protocol):
    """Where the roll lives (a port; the web layer implements it over its database)."""

    def add(self, voter: Voter, *, row: int | None = None) -> None:
        """Add a voter; raises `DuplicateVoter` (with the row that has it) if the IIN is on the roll."""
        ...

    def find(self, iin: Iin) -> RollEntry | None:
        ...


class InMemoryRoll:
    """A `VoterRollStore` in a dict: tests, demos, small rolls."""

    def __init__(self) -> None:
        self._entries: dict[Iin, RollEntry] = {}

    def add(self, voter: Voter, *, row: int | None = None) -> None:
        if (existing := self._entries.get(voter.iin)) is not None:
            raise DuplicateVoter(existing.row)
        self._entries[voter.iin] = RollEntry(voter, row)

    def find(self, iin: Iin) -> RollEntry | None:
        return self._entries.get(iin)

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem of one refused row. `field` is a column name, or "*" for the row as a whole."""

    row: int
    field: str
    code: ErrorCode
    reason: str
    data: dict[str, object] = dataclass_field(default_factory=dict, compare=False)
    """Public values for a translated message: the IIN `problem`, the `precinct`, the `first_row`
    of a duplicate (never the IIN itself)."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    rows: int
    """Data rows read (the header not counted)."""
    accepted: int
    refused: int
    errors: tuple[RowError, ...]
    """Every problem found, unless they were handed to `on_error` instead (then empty)."""


def _header(record: list[str]) -> tuple[str, ...]:
    names = tuple(n.removeprefix("\ufeff") if i == 0 else n for i, n in enumerate(record))
    unknown = [n for n in names if n not in COLUMNS]
    if unknown:
        raise RollFormatInvalid(f"unknown column(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(COLUMNS)}")
    missing = [n for n in REQUIRED_COLUMNS if n not in names]
    if missing:
        raise RollFormatInvalid(f"missing column(s) {', '.join(missing)}")
    if len(set(names)) != len(names):
        raise RollFormatInvalid("a column appears twice in the header")
    return names


def _check_row(row: int, fields: dict[str, str], precincts: Container[PrecinctId], store: VoterRollStore,
               today: date | None, scope: Container[PrecinctId] | None = None) -> Voter | list[RowError]:
    problems: list[RowError] = []
    info = None
    try:
        info = parse_iin(fields["iin"], today=today)
    except InvalidIin as exc:
        problems.append(RowError(row, "iin", ErrorCode.INVALID_IIN, exc.detail, {"problem": exc.problem.value}))
    for name in ("surname", "given_name"):
        if not fields[name].strip():
            problems.append(RowError(row, name, ErrorCode.ROLL_FIELD_EMPTY, "must not be empty"))
    born = None
    text = fields["birth_date"]
    if not _ISO_DATE.match(text):
        problems.append(RowError(row, "birth_date", ErrorCode.ROLL_BIRTH_DATE_INVALID, "want YYYY-MM-DD"))
    else:
        try:
            born = date.fromisoformat(text)
        except ValueError:
            problems.append(RowError(row, "birth_date", ErrorCode.ROLL_BIRTH_DATE_INVALID, "not a calendar date"))
    if info is not None and born is not None and born != info.birth_date:
        problems.append(RowError(row, "birth_date", ErrorCode.ROLL_BIRTH_DATE_MISMATCH,
                                 "does not match the birth date encoded in the IIN"))
    precinct = PrecinctId(fields["precinct"])
    if precinct not in precincts:
        problems.append(RowError(row, "precinct", ErrorCode.ROLL_PRECINCT_UNKNOWN,
                                 f"precinct {precinct!r} is not in the territory", {"precinct": precinct}))
    elif scope is not None and precinct not in scope:
        problems.append(RowError(row, "precinct", ErrorCode.ROLL_PRECINCT_OUTSIDE_SCOPE,
                                 f"precinct {precinct!r} lies outside the importing commission's territory",
                                 {"precinct": precinct}))
    if info is not None and (existing := store.find(info.iin)) is not None:
        problems.append(RowError(row, "iin", ErrorCode.DUPLICATE_VOTER, str(DuplicateVoter(existing.row)),
                                 {"first_row": existing.row}))
    if problems or info is None or born is None:
        return problems
    return Voter(iin=info.iin, surname=fields["surname"], given_name=fields["given_name"],
                 patronymic=fields.get("patronymic", ""), birth_date=born, sex=info.sex, precinct=precinct)


def import_roll(
    lines: Iterable[str],
    *,
    precincts: Container[PrecinctId],
    store: VoterRollStore,
    on_error: Callable[[RowError], None] | None = None,
    today: date | None = None,
    scope: Container[PrecinctId] | None = None,
) -> ImportReport:
    """Read a roll CSV (UTF-8 text lines, comma-separated, header first) into `store`.

    A row is accepted only if its IIN is valid, its names are non-empty, its birth date is
    an ISO date equal to the IIN's, its precinct is in `precincts` (a `Territory` works), and
    its IIN is not on the roll yet (an earlier row or an earlier import): the first entry
    stays, later ones are refused as duplicates. With `today`, future birth dates are refused.
    With `scope`, a known precinct outside it (outside the importing commission's territory)
    is refused too (`ROLL_PRECINCT_OUTSIDE_SCOPE`), row by row.
    Raises `RollFormatInvalid` only if the header cannot be used (nothing is imported then).
    """
    reader = csv.reader(lines, strict=True)
    try:
        header = _header(next(reader))
    except StopIteration:
        raise RollFormatInvalid("the file is empty: no header row") from None
    except csv.Error as exc:
        raise RollFormatInvalid(f"the header row is not valid CSV: {exc}") from exc
    collected: list[RowError] = []
    emit = on_error if on_error is not None else collected.append
    rows = accepted = 0
    while True:
        row = rows + 2
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # the reader resynchronises on the next line
            rows += 1
            emit(RowError(row, "*", ErrorCode.ROLL_ROW_SHAPE, f"not valid CSV: {exc}"))
            continue
        rows += 1
        if len(record) != len(header):
            reason = "empty row" if not record else f"want {len(header)} fields, got {len(record)}"
            emit(RowError(row, "*", ErrorCode.ROLL_ROW_SHAPE, reason))
            continue
        checked = _check_row(row, dict(zip(header, record, strict=True)), precincts, store, today, scope)
        if isinstance(checked, Voter):
            try:
                store.add(checked, row=row)
            except DuplicateVoter as exc:  # a concurrent writer got there first
                emit(RowError(row, "iin", ErrorCode.DUPLICATE_VOTER, str(exc), {"first_row": exc.first_row}))
                continue
            accepted += 1
        else:
            for problem in checked:
                emit(problem)
    return ImportReport(rows=rows, accepted=accepted, refused=rows - accepted, errors=tuple(collected))


class TextSink(Protocol):
    def write(self, s: str, /) -> object: ...


def write_error_report(errors: Iterable[RowError], out: TextSink) -> None:
    """Write row errors as CSV (row, field, code, reason; header first) to a text file."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("row", "field", "code", "reason"))
    for e in errors:
        writer.writerow((e.row, e.field, e.code.value, e.reason))


def where_do_i_vote(store: VoterRollStore, iin: str, birth_date: date) -> PrecinctId:
    """The precinct of the voter whose IIN *and* birth date both match.

    Raises `InvalidIin` for a malformed IIN (public arithmetic, says nothing about the
    roll), and one `VoterNotFound` whether the IIN is unknown or the birth date differs, so
    the answer is not an oracle. Rate limiting is the caller's (see `RateLimiter`).
    """
    entry = store.find(parse_iin(iin).iin)
    if entry is None or entry.voter.birth_date != birth_date:
        raise VoterNotFound()
    return entry.voter.precinct


class RateLimiter:
    """At most `limit` attempts per key within any sliding `window`; time is a parameter.

    Memory is bounded: at most `max_keys` keys are tracked. When that many keys are active
    within the window, new keys are refused (fail closed) until old ones expire — the right
    side to fail on for a lookup that could be used to enumerate the roll.
    """

    def __init__(self, limit: int, window: timedelta, *, max_keys: int = 100_000) -> None:
        if limit < 1 or window <= timedelta(0) or max_keys < 1:
            raise ValueError("want limit >= 1, window > 0 and max_keys >= 1")
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._hits: dict[str, deque[datetime]] = {}

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        hits = self._hits.get(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def hit(self, key: str, *, now: datetime) -> None:
        """Record one attempt for `key` at `now`; raises `RateLimited` (attempt not recorded) if over."""
        require_aware(now, "now")
        hits = self._recent(key, now)
        if len(hits) >= self.limit:
            raise RateLimited(max(1, math.ceil((hits[0] + self.window - now).total_seconds())))
        if key not in self._hits and len(self._hits) >= self.max_keys:
            self.sweep(now=now)
            if len(self._hits) >= self.max_keys:
                oldest = min(h[-1] for h in self._hits.values())
                raise RateLimited(max(1, math.ceil((oldest + self.window - now).total_seconds())))
        hits.append(now)
        self._hits[key] = hits

    def remaining(self, key: str, *, now: datetime) -> int:
        require_aware(now, "now")
        return self.limit - len(self._recent(key, now))

    def sweep(self, *, now: datetime) -> None:
        """Forget keys with no attempt inside the window."""
        require_aware(now, "now")
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[key]
