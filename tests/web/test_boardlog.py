"""The public board's read API in the web app (/board/log/): the command-line tools follow it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client

from saylau.board.client import open_board
from saylau.board.note import load_vkey, open_checkpoint
from saylau.cli.main import main
from saylau.web.core.publicboard import board_flush
from saylau.web.elections.models import Election

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(election: Election) -> Iterator[str]:
    board_flush()
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_checkpoint_and_key_are_served(served: str) -> None:
    client = Client()
    vkey = client.get("/board/log.vkey").content.decode()
    note = client.get("/board/log/checkpoint").content.decode()
    checkpoint = open_checkpoint(note, load_vkey(vkey))
    assert checkpoint.size == 1 and checkpoint.origin == settings.PUBLIC_BOARD_ORIGIN


def test_bad_requests_get_a_reason_never_a_server_error(served: str) -> None:
    client = Client()
    for path, status in [("tile/0/x", 400), ("tile/0/999", 404), ("data/zz", 400), ("nothing", 404),
                         ("proof/inclusion?index=7", 400), ("proof/inclusion?bad=1", 400)]:
        response = client.get(f"/board/log/{path}")
        assert response.status_code == status, path
        assert response["Content-Type"].startswith("text/plain")
    assert client.post("/board/log/checkpoint").status_code == 405


def test_saylau_board_verify_follows_the_web_board(served: str, capsys: pytest.CaptureFixture[str]) -> None:
    vkey = Client().get("/board/log.vkey").content.decode().strip()
    assert main(["board", "verify", f"{served}/board/log/", "--log-key", vkey]) == 0
    assert "OK" in capsys.readouterr().out
    board = open_board(f"{served}/board/log/")
    assert board.size == 1
