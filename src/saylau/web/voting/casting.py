"""Casting a ballot: every check, then a group commit to the precinct's archive and board.

`cast` runs in the request's thread:

1. the precinct election (one indexed query) and the voting window (stage `voting`, the clock);
2. the ballot parsed against the precinct's election parameters (cached per process);
3. the credential, in memory: on the precinct's list as set up (`public_creds.json`) and valid
   (not revoked) in the database, read once per process and precinct — the lists are fixed when
   voting opens (`credentials_fix`), and no letter can be replaced after that; its channel
   decides who may use it — a remote letter from a browser with a voting pass for this election
   and precinct (`auth.voter_pass`), a polling-station card only from the precinct's kiosk;
4. the proofs and the signature (`saylau.record.ballot.check_ballot`, the verifier's own code).

Then it joins the precinct's queue. Group commit, per process and precinct: the first waiting
thread becomes the leader, takes every queued ballot, and under the precinct directory's `flock`
(shared by all server processes) checks what depends on order — replays, audits, one credential
per login, the polling-station control figure — appends the batch to the archive and the board
(`record.ballotbox`: their files synced at once), records the `CastBallot` rows (each with the
login it came from) in the same database transaction, and hands each waiting thread its
receipt. The per-ballot work touches the database not at all, the batch in three statements
written once in SQL (the ORM's query building cost more CPU than the queries). A receipt is
returned only once its ballot is durable; if the append fails, nothing is appended and the
transaction is rolled back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction

from saylau.domain.credentials import Channel
from saylau.domain.election import Stage
from saylau.domain.voting import (
    CastReason,
    CastRefused,
    reason_of_check,
    require_station_card,
    require_voting_open,
)
from saylau.record.ballot import Ballot, BallotError, check_ballot, parse_ballot
from saylau.record.ballotbox import Appended, BallotBox
from saylau.record.canonical import loads_strict
from saylau.record.directory import read_file
from saylau.record.election import Election as Params
from saylau.record.election import parse_election
from saylau.web.credentials.models import PublicCredential
from saylau.web.credentials.selectors import station_issued_count
from saylau.web.elections.models import Election
from saylau.web.voting.models import AuditedTracker, CastBallot, PrecinctElection

logger = logging.getLogger("saylau.web.voting")
MAX_BATCH = 256


def _no_kiosk() -> str | None:
    return None


@dataclass(frozen=True)
class Who:
    """What the request allows: the precinct a remote voter's pass is for and its login (the
    SHA-256 of the login's identifier), and the precinct of the kiosk (looked up only for a
    polling-station card: it lives in the session)."""

    remote_precinct: str | None = None
    remote_login: str = ""
    kiosk: Callable[[], str | None] = _no_kiosk


@dataclass(frozen=True)
class Cast:
    tracker: str
    receipt: str
    index: int
    height: int
    precinct_election: PrecinctElection


@dataclass
class _Item:
    raw: bytes
    tracker: str
    credential: str
    station: bool
    login: str
    at: datetime
    done: threading.Event = field(default_factory=threading.Event)
    result: Appended | None = None
    error: CastRefused | None = None


@dataclass
class _Lane:
    """One precinct election in this process: its parameters, credential list and ballot box."""

    pk: int
    params: Params
    remote: frozenset[str]
    station: frozenset[str]
    revoked: frozenset[str]
    box: BallotBox
    leader: threading.Lock = field(default_factory=threading.Lock)
    queue_lock: threading.Lock = field(default_factory=threading.Lock)
    queue: list[_Item] = field(default_factory=list)


_lanes: dict[tuple[int, str], _Lane] = {}
_lanes_lock = threading.Lock()


def _lane(pe: PrecinctElection) -> _Lane:
    key = (pe.pk, pe.fingerprint)
    found = _lanes.get(key)
    if found is not None:
        return found
    with _lanes_lock:
        found = _lanes.get(key)
        if found is None:
            d = Path(pe.path)
            params = parse_election(read_file(d / "election.json"))
            creds = loads_strict(read_file(d / "public_creds.json"), "public_creds.json")
            listed = {str(c).split(",")[0] for c in creds} if isinstance(creds, list) else set()
            found = _Lane(pe.pk, params, *_credentials(pe, listed), BallotBox(d))
            _lanes[key] = found
    return found


def _credentials(pe: PrecinctElection, listed: set[str]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(remote, polling-station, revoked) credentials of `pe`'s list as set up, from the database
    once: cast only creates a lane once voting is open, when the lists are fixed for good."""
    by: dict[str, set[str]] = {Channel.REMOTE.value: set(), Channel.STATION.value: set(), "revoked": set()}
    rows = (PublicCredential.objects.filter(election_id=pe.election_id, credential_set__precinct_id=pe.precinct_id)
            .values_list("value", "revoked_at", "credential_set__channel").iterator(chunk_size=4096))
    for value, revoked_at, channel in rows:
        if value in listed:
            by["revoked" if revoked_at is not None else channel].add(value)
    return frozenset(by[Channel.REMOTE.value]), frozenset(by[Channel.STATION.value]), frozenset(by["revoked"])


def forget_lanes() -> None:
    """Drop this process's cached precinct elections (tests; a new setup makes new keys anyway)."""
    _pes.clear()
    _windows.clear()
    with _lanes_lock:
        for lane in _lanes.values():
            lane.box.close()
        _lanes.clear()


_WINDOW_TTL = 1.0
"""Seconds for which a process reuses an election's stage and voting window (a closed election
stops taking ballots within this delay; the archive refuses any ballot after EndBallots anyway)."""
_pes: dict[tuple[str, str], PrecinctElection] = {}
_windows: dict[int, tuple[float, Stage, datetime, datetime]] = {}


def precinct_election(code: str, precinct: str) -> PrecinctElection | None:
    """The precinct election (its row never changes once voting is open: cached per process) with
    its election's stage and window refreshed at most every `_WINDOW_TTL` seconds."""
    key = (code, precinct)
    pe = _pes.get(key)
    if pe is None:
        pe = (PrecinctElection.objects.select_related("election", "precinct")
              .filter(election__code=code, precinct__code=precinct).order_by().first())
        if pe is None:
            return None
        if Stage(pe.election.stage) is Stage.VOTING:
            _pes[key] = pe
    now = time.monotonic()
    seen = _windows.get(pe.election_id)
    if seen is None or now - seen[0] > _WINDOW_TTL:
        row = Election.objects.filter(pk=pe.election_id).values_list("stage", "voting_opens", "voting_closes").first()
        if row is None:
            return None
        seen = (now, Stage(row[0]), row[1], row[2])
        _windows[pe.election_id] = seen
    election = pe.election
    election.stage, election.voting_opens, election.voting_closes = seen[1].value, seen[2], seen[3]
    return pe


def _checked(lane: _Lane, raw: bytes) -> Ballot:
    try:
        ballot = parse_ballot(raw, lane.params)
    except BallotError as exc:
        raise CastRefused(reason_of_check(exc.check), exc.check) from None
    if ballot.election_uuid != lane.params.uuid or ballot.election_hash != lane.params.fingerprint:
        raise CastRefused(CastReason.WRONG_ELECTION)
    return ballot


def _col(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.column)


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def _seen_sql(trackers: int, logins: int) -> str:
    cb, at = CastBallot, AuditedTracker
    sql = (f"SELECT {_col(cb, 'tracker')}, '', 0 FROM {cb._meta.db_table} WHERE {_col(cb, 'tracker')} IN "
           f"({_marks(trackers)}) UNION ALL SELECT {_col(at, 'tracker')}, '', 1 FROM {at._meta.db_table} "
           f"WHERE {_col(at, 'tracker')} IN ({_marks(trackers)})")
    if logins:
        sql += (f" UNION ALL SELECT DISTINCT {_col(cb, 'login')}, {_col(cb, 'credential')}, 2 FROM "
                f"{cb._meta.db_table} WHERE {_col(cb, 'login')} IN ({_marks(logins)})")
    return sql


def _seen(trackers: list[str], logins: list[str]) -> tuple[set[str], set[str], dict[str, str]]:
    """(already cast, audited) among `trackers` and the credential each of `logins` cast with
    before: one query for a whole batch."""
    cast_before: set[str] = set()
    audited: set[str] = set()
    bound: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(_seen_sql(len(trackers), len(logins)), [*trackers, *trackers, *logins])
        for key, credential, kind in cursor.fetchall():
            if kind == 2:
                bound[key] = credential
            else:
                (audited if kind else cast_before).add(key)
    return cast_before, audited, bound


def _insert_sql(model: type[models.Model], columns: list[str], rows: int) -> str:
    row = f"({_marks(len(columns))})"
    return (f"INSERT INTO {model._meta.db_table} ({', '.join(_col(model, c) for c in columns)}) "
            f"VALUES {', '.join([row] * rows)}")


_CAST_COLUMNS = ["precinct_election", "credential", "tracker", "login", "height", "leaf", "at"]
_COUNT_SQL = (f"UPDATE {PrecinctElection._meta.db_table} SET {_col(PrecinctElection, 'ballots')} = "
              f"{_col(PrecinctElection, 'ballots')} + %s WHERE {_col(PrecinctElection, 'id')} = %s")


def _record(pe: PrecinctElection, ok: list[_Item], appended: list[Appended]) -> None:
    """The batch's rows: its `CastBallot` rows (each with its login) and the precinct's count."""
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(CastBallot, _CAST_COLUMNS, len(ok)),
                       [x for i, a in zip(ok, appended, strict=True)
                        for x in (pe.pk, i.credential, a.tracker, i.login, a.height, a.index, adapt(i.at))])
        cursor.execute(_COUNT_SQL, [len(ok), pe.pk])


def _channel(pe: PrecinctElection, lane: _Lane, ballot: Ballot, who: Who) -> Channel:
    """The credential's channel, once the request may use it (the one-credential-per-login rule
    is checked in the batch, in order)."""
    if ballot.credential in lane.remote:
        if who.remote_precinct != pe.precinct.code or not who.remote_login:
            raise CastRefused(CastReason.NOT_AUTHENTICATED)
        return Channel.REMOTE
    if ballot.credential in lane.station:
        if who.kiosk() != pe.precinct.code:
            raise CastRefused(CastReason.KIOSK_REQUIRED)
        return Channel.STATION
    if ballot.credential in lane.revoked:
        raise CastRefused(CastReason.REVOKED_CREDENTIAL)
    raise CastRefused(CastReason.UNKNOWN_CREDENTIAL)


def cast(*, pe: PrecinctElection, raw: bytes, who: Who, now: datetime) -> Cast:
    """Check `raw` completely and cast it in `pe`; raises `CastRefused`."""
    election = pe.election
    require_voting_open(Stage(election.stage), now, election.voting_opens, election.voting_closes)
    lane = _lane(pe)
    ballot = _checked(lane, raw)
    channel = _channel(pe, lane, ballot, who)
    tracker = ballot.tracker  # audits and replays are refused in the batch (`_append`), in order
    try:
        check_ballot(ballot, lane.params)
    except BallotError as exc:
        raise CastRefused(reason_of_check(exc.check), exc.check) from None
    station = channel is Channel.STATION
    item = _Item(raw, tracker, ballot.credential, station, "" if station else who.remote_login,
                 now.replace(minute=0, second=0, microsecond=0))
    _submit(lane, pe, item)
    if item.error is not None:
        raise item.error
    assert item.result is not None
    r = item.result
    return Cast(r.tracker, r.receipt, r.index, r.height, pe)


def _submit(lane: _Lane, pe: PrecinctElection, item: _Item) -> None:
    with lane.queue_lock:
        lane.queue.append(item)
    while not item.done.is_set():
        with lane.leader:
            if item.done.is_set():
                break
            with lane.queue_lock:
                batch, lane.queue = lane.queue[:MAX_BATCH], lane.queue[MAX_BATCH:]
            _commit(lane, pe, batch)


def _commit(lane: _Lane, pe: PrecinctElection, batch: list[_Item]) -> None:
    try:
        with lane.box.locked() as box:
            if box.recovered:
                _reconcile(pe, box)
            _append(pe, box, batch)
    except Exception:
        logger.exception("the ballot box of a precinct election could not append a batch")
    finally:
        for item in batch:
            if item.result is None and item.error is None:
                item.error = CastRefused(CastReason.UNAVAILABLE)
            item.done.set()


def _append(pe: PrecinctElection, box: BallotBox, batch: list[_Item]) -> None:
    """The batch's order-dependent checks and its records, in one transaction: one query for the
    replays, audits and logins of the whole batch, the precinct row locked (`select_for_update`)
    only when a polling-station card is used (its control figure is read and written), one
    insert of the rows (with their logins) and one update of the counters."""
    with transaction.atomic():
        trackers = [i.tracker for i in batch]
        cast_before, audited, bound = _seen(trackers, sorted({i.login for i in batch if i.login}))
        station_creds = [i.credential for i in batch if i.station]
        used_cards: set[str] = set()
        issued = used = 0
        if station_creds:
            row = PrecinctElection.objects.select_for_update().get(pk=pe.pk)
            used_cards = set(CastBallot.objects.filter(precinct_election=row, credential__in=station_creds)
                             .values_list("credential", flat=True))
            issued = station_issued_count(row.election, pe.precinct.code)
            used = row.station_cards_used
        ok: list[_Item] = []
        for item in batch:
            if item.tracker in cast_before:
                item.error = CastRefused(CastReason.REPLAY)
                continue
            if item.tracker in audited:
                item.error = CastRefused(CastReason.AUDITED)
                continue
            if item.login and bound.get(item.login, item.credential) != item.credential:
                item.error = CastRefused(CastReason.OTHER_CREDENTIAL)
                continue
            if item.station and item.credential not in used_cards:
                try:
                    require_station_card(used=used, issued=issued)
                except CastRefused as exc:
                    item.error = exc
                    continue
                used += 1
                used_cards.add(item.credential)
            cast_before.add(item.tracker)
            if item.login:
                bound[item.login] = item.credential
            ok.append(item)
        if not ok:
            return
        appended = box.append([i.raw for i in ok])
        try:
            _record(pe, ok, appended)
            if station_creds:
                PrecinctElection.objects.filter(pk=pe.pk).update(station_cards_used=used)
        except BaseException:
            box.invalidate()  # on the board already: the next batch reconciles the rows
            raise
    for item, a in zip(ok, appended, strict=True):
        item.result = a


def _reconcile(pe: PrecinctElection, box: BallotBox) -> None:
    """After a recovery: a row for every ballot of the archive (those a failed batch appended)."""
    with transaction.atomic():
        row = PrecinctElection.objects.select_for_update().get(pk=pe.pk)
        known = set(CastBallot.objects.filter(precinct_election=row).values_list("tracker", flat=True))
        missing = [r for r in box.recovered if r.tracker not in known]
        if missing:
            hour = row.created_at.replace(minute=0, second=0, microsecond=0)
            CastBallot.objects.bulk_create([CastBallot(precinct_election=row, credential=r.credential,
                                                       tracker=r.tracker, height=r.height, leaf=0, at=hour)
                                            for r in missing], ignore_conflicts=True)
            logger.warning("a precinct election's ballot box recovered %d ballot(s) without rows", len(missing))
        station = set(PublicCredential.objects.filter(credential_set__precinct=row.precinct,
                                                      credential_set__election=row.election,
                                                      credential_set__channel=Channel.STATION.value)
                      .values_list("value", flat=True))
        creds = list(CastBallot.objects.filter(precinct_election=row).values_list("credential", flat=True))
        PrecinctElection.objects.filter(pk=row.pk).update(
            ballots=len(creds), station_cards_used=len({c for c in creds if c in station}))
    box.recovered = []


def cast_state(pe: PrecinctElection) -> dict[str, Any]:
    return {"ballots": pe.ballots, "station_cards_used": pe.station_cards_used}
