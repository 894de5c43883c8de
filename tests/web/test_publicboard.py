"""The public bulletin board of the web platform (core.publicboard): the outbox, the order,
the signed checkpoint, recovery after a crash between append and mark, and refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction

from saylau.board import merkle
from saylau.board.note import load_vkey, open_checkpoint
from saylau.board.store import LogStore
from saylau.domain.election import Stage
from saylau.domain.rulepack import builtin_pack_digests
from saylau.record.boardlog import append_saylau_event
from saylau.web.core.models import BoardEvent
from saylau.web.core.publicboard import (
    board_checkpoint,
    board_entries,
    board_flush,
    board_record,
    entry_of,
)
from saylau.web.elections.models import Election
from saylau.web.elections.services import election_advance
from tests.web.conftest import CALLED

pytestmark = pytest.mark.django_db


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 tree head, computed naively."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def _events() -> list[dict[str, object]]:
    return [event for _i, event in board_entries(0, 10_000)[1]]


def test_an_election_called_is_on_the_board_with_its_rule_pack(election: Election) -> None:
    assert board_flush() == 1
    (event,) = _events()
    assert event["saylau"] == "election.called" and event["election"] == election.code
    assert event["pack"] == election.pack_id
    assert event["pack_sha256"] == builtin_pack_digests(election.pack_id)
    assert event["at"] == CALLED.astimezone(UTC).isoformat()
    assert BoardEvent.objects.get().leaf == 0


def test_the_checkpoint_is_signed_and_covers_every_event(election: Election) -> None:
    election_advance(actor=None, election=election, target=Stage.NOMINATION, now=CALLED)
    board_flush()
    note = board_checkpoint()
    assert note is not None
    checkpoint = open_checkpoint(note, load_vkey(str(Path(settings.PUBLIC_BOARD_DIR) / "log.vkey")))
    with LogStore(settings.PUBLIC_BOARD_DIR) as store:
        assert checkpoint.size == store.size == 2
        leaves = [merkle.leaf_hash(store.entry(i)) for i in range(store.size)]
    assert checkpoint.root_hash == _mth(leaves)
    assert [e["saylau"] for e in _events()] == ["election.called", "election.stage"]
    assert _events()[1] == {"saylau": "election.stage", "seq": BoardEvent.objects.last().pk,  # type: ignore[union-attr]
                            "at": CALLED.astimezone(UTC).isoformat(), "election": election.code, "from": "draft",
                            "to": "nomination"}


def test_events_reach_the_board_when_the_transaction_commits(
        election: Election, django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    board_flush()
    with django_capture_on_commit_callbacks(execute=True):
        board_record("test.committed", at=CALLED, data={"n": 1})
    assert [e["saylau"] for e in _events()][-1] == "test.committed"


def test_a_rolled_back_change_leaves_no_event(election: Election) -> None:
    board_flush()
    with pytest.raises(RuntimeError), transaction.atomic():
        board_record("test.rolled-back", at=CALLED, data={})
        raise RuntimeError("the change fails")
    assert board_flush() == 0
    assert "test.rolled-back" not in [e["saylau"] for e in _events()]


def test_a_flush_that_died_before_marking_its_rows_is_not_repeated(election: Election) -> None:
    board_flush()
    rows = [board_record("test.crash", at=CALLED, data={"n": n}) for n in range(3)]
    with LogStore(settings.PUBLIC_BOARD_DIR) as store:  # the dead flush appended two of the three
        for row in rows[:2]:
            append_saylau_event(store, entry_of(row))
    assert board_flush() == 3
    events = _events()
    assert [e.get("n") for e in events[1:]] == [0, 1, 2]
    assert [BoardEvent.objects.get(pk=r.pk).leaf for r in rows] == [1, 2, 3]


def test_a_different_event_with_the_same_seq_is_not_mistaken_for_a_pending_one(election: Election) -> None:
    board_flush()
    row = board_record("test.real", at=CALLED, data={"n": 1})
    with LogStore(settings.PUBLIC_BOARD_DIR) as store:  # e.g. a database restored from an older backup
        append_saylau_event(store, {**entry_of(row), "n": 999})
    board_flush()
    assert _events()[-1]["n"] == 1 and len(_events()) == 3


def test_an_unwritable_board_keeps_the_change_and_the_event_pending(
        election: Election, django_capture_on_commit_callbacks: Callable[..., Any], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.PUBLIC_BOARD_DIR = blocker / "board"
    with django_capture_on_commit_callbacks(execute=True):
        row = board_record("test.pending", at=CALLED, data={})
    assert BoardEvent.objects.get(pk=row.pk).leaf is None
    assert "events stay pending" in caplog.text
    settings.PUBLIC_BOARD_DIR = tmp_path / "board"
    assert board_flush() == 2  # election.called and test.pending
    assert BoardEvent.objects.filter(leaf__isnull=True).count() == 0


@pytest.mark.parametrize("key", ["saylau", "seq", "at", "type"])
def test_reserved_keys_are_refused(db: None, key: str) -> None:
    with pytest.raises(ValueError, match=key):
        board_record("test.bad", at=CALLED, data={key: 1})
    assert BoardEvent.objects.count() == 0


def test_the_signing_key_file_is_private(election: Election) -> None:
    board_flush()
    mode = Path(settings.PUBLIC_BOARD_SKEY).stat().st_mode & 0o777
    assert mode == 0o600
    assert json.dumps(_events()).find("PRIVATE") == -1
