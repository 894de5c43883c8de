"""The platform's public bulletin board: every state change that matters to the public
(an election called with its rule pack, a stage change, a candidate registered or refused, a
mandate ended, ...) becomes a Saylau event on an append-only, signed Merkle log
(`saylau.board`), which observers and witnesses can follow and check (`saylau board verify`).

Writes go through an outbox: `board_record` adds a `BoardEvent` row inside the caller's
transaction (so the event exists if and only if the change does), and asks for a flush once
the transaction commits. `board_flush` takes an exclusive file lock (one writer across every
server process), appends the pending rows in id order, publishes a new signed checkpoint, and
records each row's leaf index. If the process dies after the append but before the rows are
marked, the next flush finds those events at the board's tail (same `seq`, same content) and
marks them instead of appending them again.

Each entry is canonical JSON: `{"saylau": KIND, "seq": ROW ID, "at": ISO TIME, ...DATA}`.
The board lives in `settings.PUBLIC_BOARD_DIR`; its signing key in `settings.PUBLIC_BOARD_SKEY`
(created on first use, mode 0600, never in the database).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from saylau.board.logview import LogView
from saylau.board.note import Signer, parse_skey
from saylau.board.publish import publish_checkpoint
from saylau.board.store import LogStore
from saylau.domain.election import require_aware
from saylau.record.boardlog import append_saylau_events
from saylau.web.core.models import BoardEvent

logger = logging.getLogger("saylau.web.publicboard")
RESERVED = frozenset({"saylau", "seq", "at", "type"})


def board_record(kind: str, *, at: datetime, data: Mapping[str, object]) -> BoardEvent:
    """Add a public event inside the current transaction; it reaches the board after commit.

    `data` must be JSON (dates become ISO strings) and must not use the keys `saylau`, `seq`,
    `at` or `type`. Never put a secret or a personal identifier (IIN, address) in it.
    """
    require_aware(at, "at")
    clash = RESERVED & set(data)
    if clash:
        raise ValueError(f"board event data may not use the keys {sorted(clash)}")
    plain = json.loads(json.dumps(dict(data), cls=DjangoJSONEncoder))
    row = BoardEvent.objects.create(kind=kind, at=at, data=plain)
    transaction.on_commit(_flush_quietly)
    return row


def _flush_quietly() -> None:
    try:
        board_flush()
    except Exception:  # the change is committed; the event stays pending for the next flush
        logger.exception("the public board could not be written; events stay pending")


def entry_of(row: BoardEvent) -> dict[str, object]:
    return {"saylau": row.kind, "seq": row.pk, "at": row.at.astimezone(UTC).isoformat(), **row.data}


def _signer() -> Signer:
    path = Path(settings.PUBLIC_BOARD_SKEY)
    if not path.exists():
        signer = Signer.generate(settings.PUBLIC_BOARD_ORIGIN)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(signer.skey() + "\n")
    key = parse_skey(path.read_text().strip())
    if not isinstance(key, Signer):
        raise RuntimeError(f"{path} is not a log signing key")
    return key


@contextmanager
def _locked_store() -> Iterator[tuple[LogStore, Signer]]:
    """The board's store and signing key, under the exclusive lock of the one writer."""
    directory = Path(settings.PUBLIC_BOARD_DIR)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(directory.parent / f".{directory.name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        signer = _signer()
        with LogStore(directory, create=True) as store:
            vkey = directory / "log.vkey"
            if not vkey.exists():
                vkey.write_text(signer.vkey() + "\n")
            yield store, signer


def _on_board_tail(store: LogStore, pending: list[BoardEvent]) -> dict[int, int]:
    """Pending rows already at the board's tail (a flush that died before marking them): seq → leaf."""
    wanted = {row.pk: entry_of(row) for row in pending}
    found: dict[int, int] = {}
    index = store.size - 1
    while index >= 0 and len(found) < len(wanted):
        try:
            event: Any = json.loads(store.entry(index))
        except ValueError:
            break
        seq = event.get("seq") if isinstance(event, dict) else None
        if not isinstance(seq, int) or wanted.get(seq) != event:
            break
        found[seq] = index
        index -= 1
    return found


def board_flush() -> int:
    """Append every pending event to the board and publish a checkpoint; returns how many."""
    with _locked_store() as (store, signer):
        pending = list(BoardEvent.objects.filter(leaf__isnull=True).order_by("id"))
        if not pending:
            return 0
        done = _on_board_tail(store, pending)
        todo = [row for row in pending if row.pk not in done]
        done.update(zip((row.pk for row in todo), append_saylau_events(store, [entry_of(row) for row in todo]),
                        strict=True))
        for row in pending:
            BoardEvent.objects.filter(pk=row.pk).update(leaf=done[row.pk])
        publish_checkpoint(store, signer, [])
        return len(pending)


def board_entries(start: int = 0, limit: int = 100) -> tuple[int, list[tuple[int, dict[str, object]]]]:
    """The board's committed size and up to `limit` Saylau events from index `start` (read-only)."""
    directory = Path(settings.PUBLIC_BOARD_DIR)
    if not (directory / "entries.bin").is_file():
        return 0, []
    with LogView(directory) as view:
        size = view.size
        out: list[tuple[int, dict[str, object]]] = []
        for index in range(max(0, start), min(size, max(0, start) + limit)):
            event = json.loads(view.entry(index))
            if isinstance(event, dict):
                out.append((index, event))
        return size, out


def board_vkey() -> str | None:
    """The public board's verifier key (a C2SP note key, to pin with `--log-key`), once it exists."""
    path = Path(settings.PUBLIC_BOARD_DIR) / "log.vkey"
    return path.read_text().strip() if path.is_file() else None


def board_checkpoint() -> str | None:
    """The latest signed checkpoint of the public board (a C2SP signed note), if any."""
    path = Path(settings.PUBLIC_BOARD_DIR) / "checkpoint"
    return path.read_text() if path.is_file() else None
