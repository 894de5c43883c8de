"""An HTTP server for the board: tlog-tiles read API plus JSON proof conveniences.

    GET /checkpoint                           the latest checkpoint (max-age 5 s)
    GET /tile/<L>/<N>[.p/<W>]                 hash tiles, computed from the log on the fly
    GET /tile/entries/<N>[.p/<W>]             entry bundles
    GET /data/<sha256 hex>                    payloads stored by hash beside the log
    GET /proof/inclusion?index=I[&size=N]     {"index", "size", "root", "proof": [base64]}
    GET /proof/consistency?old=M[&size=N]     {"old", "size", "root", "proof": [base64]}

What is published is the tree of the `checkpoint` file: a tile or proof is served only if
it lies within the checkpoint's size (tiles of smaller sizes are, since their contents
never change). Full tiles, bundles and payloads are `immutable`; partial tiles get a
short lifetime (they may be pruned once full). The log directory is read through
`LogView`, never written, so the server may run beside the process that appends.

Bad requests get 400 or 404 with a plain-text reason; failures get 5xx with a one-line
reason — never a traceback. Only the standard library; binds 127.0.0.1 by default.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import threading
import urllib.parse
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple, Protocol

from . import merkle, tiles
from .errors import BoardError, InvalidNote, StoreError
from .logview import LogView

log = logging.getLogger(__name__)

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_CHECKPOINT = "public, max-age=5"
CACHE_PARTIAL = "public, max-age=60"
CACHE_PROOF = "no-cache"
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class Readable(Protocol):
    """What the server reads: a `LogView` (or an in-process `LogStore`)."""

    @property
    def size(self) -> int: ...

    def node(self, level: int, index: int) -> bytes: ...

    def entry(self, index: int) -> bytes: ...

    def get_data(self, h: str) -> bytes: ...

    def read_checkpoint(self) -> str | None: ...


class _HTTPError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class _Response:
    def __init__(self, body: bytes, content_type: str, cache: str) -> None:
        self.body = body
        self.content_type = content_type
        self.cache = cache


def _published(board: Readable) -> tuple[int, bytes]:
    note = board.read_checkpoint()
    if note is None:
        raise _HTTPError(404, "no checkpoint has been published yet")
    try:
        size, root = tiles.checkpoint_tree(note)
    except InvalidNote as exc:
        raise _HTTPError(500, f"the published checkpoint is malformed: {exc}") from None
    if size > board.size:
        raise _HTTPError(503, f"the checkpoint (size {size}) is ahead of the log's committed entries ({board.size})")
    return size, root


def _params(query: str, allowed: Sequence[str], required: Sequence[str]) -> dict[str, int]:
    try:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query), max_num_fields=10)
    except ValueError:
        raise _HTTPError(400, "malformed query string") from None
    out: dict[str, int] = {}
    for key, value in pairs:
        if key not in allowed:
            raise _HTTPError(400, f"unknown parameter {key[:40]!r}; expected {', '.join(allowed)}")
        if key in out:
            raise _HTTPError(400, f"parameter {key!r} given twice")
        if not _DECIMAL.fullmatch(value):
            raise _HTTPError(400, f"parameter {key!r} must be a decimal number without leading zeros, got {value[:40]!r}")
        out[key] = int(value)
    for key in required:
        if key not in out:
            raise _HTTPError(400, f"missing parameter {key!r}")
    return out


def _b64list(hashes: Sequence[bytes]) -> list[str]:
    return [base64.b64encode(h).decode("ascii") for h in hashes]


def _json(obj: dict[str, Any]) -> _Response:
    return _Response((json.dumps(obj, separators=(",", ":")) + "\n").encode(), "application/json", CACHE_PROOF)


def _tile(board: Readable, path: str) -> _Response:
    try:
        ref = tiles.parse_tile_path(path)
    except ValueError as exc:
        raise _HTTPError(400, str(exc)) from None
    size, _ = _published(board)
    scale = 1 if ref.level == tiles.ENTRIES else 1 << (tiles.HEIGHT * ref.level)
    if (ref.n * tiles.WIDTH + ref.width) * scale > size:
        raise _HTTPError(404, f"{path} is beyond the published tree (size {size})")
    if ref.level == tiles.ENTRIES:
        start = ref.n * tiles.WIDTH
        body = tiles.entry_bundle(board.entry(i) for i in range(start, start + ref.width))
    else:
        body = tiles.tile_hashes(board, ref.level, ref.n, ref.width)
    return _Response(body, "application/octet-stream", CACHE_IMMUTABLE if ref.full else CACHE_PARTIAL)


def _route(board: Readable, path: str, query: str) -> _Response:
    if path == "/checkpoint":
        note = board.read_checkpoint()
        if note is None:
            raise _HTTPError(404, "no checkpoint has been published yet")
        return _Response(note.encode("utf-8"), "text/plain; charset=utf-8", CACHE_CHECKPOINT)
    if path.startswith("/tile/"):
        return _tile(board, path[1:])
    if path.startswith("/data/"):
        h = path[len("/data/") :]
        if not _HEX64.fullmatch(h):
            raise _HTTPError(400, "a payload is named by its SHA-256 in 64 lowercase hex digits")
        try:
            data = board.get_data(h)
        except StoreError as exc:
            raise _HTTPError(404, str(exc)) from None
        return _Response(data, "application/octet-stream", CACHE_IMMUTABLE)
    if path == "/proof/inclusion":
        p = _params(query, ("index", "size"), ("index",))
        published, _ = _published(board)
        size = p.get("size", published)
        if size > published:
            raise _HTTPError(404, f"size {size} is beyond the published tree (size {published})")
        if p["index"] >= size:
            raise _HTTPError(400, f"index {p['index']} is not in a tree of size {size}")
        proof = merkle.inclusion_proof(board, p["index"], size)
        root = merkle.root(board, size)
        return _json({"index": p["index"], "size": size, "root": _b64list([root])[0], "proof": _b64list(proof)})
    if path == "/proof/consistency":
        p = _params(query, ("old", "size"), ("old",))
        published, _ = _published(board)
        size = p.get("size", published)
        if size > published:
            raise _HTTPError(404, f"size {size} is beyond the published tree (size {published})")
        if not 0 < p["old"] <= size:
            raise _HTTPError(400, f"no consistency proof from size {p['old']} to size {size} (need 0 < old ≤ size)")
        proof = merkle.consistency_proof(board, p["old"], size)
        root = merkle.root(board, size)
        return _json({"old": p["old"], "size": size, "root": _b64list([root])[0], "proof": _b64list(proof)})
    raise _HTTPError(404, f"no such resource: {path[:80]}")


class Answer(NamedTuple):
    """One response of the board's read API, independent of the HTTP server that sends it."""

    status: int
    body: bytes
    content_type: str
    cache: str


def respond(board: Readable, path: str, query: str = "") -> Answer:
    """The answer to `GET path?query` (paths as in the module docstring). Never raises: a bad
    request is 400/404 with a plain-text reason, a storage failure 500 with a one-line reason."""
    try:
        resp = _route(board, path, query)
    except _HTTPError as exc:
        return _plain_answer(exc.status, exc.reason)
    except BoardError as exc:
        log.warning("board error serving %s: %s", path[:200], exc)
        return _plain_answer(500, f"log storage error: {exc}")
    except Exception:
        log.exception("internal error serving %s", path[:200])
        return _plain_answer(500, "internal server error")
    return Answer(200, resp.body, resp.content_type, resp.cache)


def _plain_answer(status: int, reason: str) -> Answer:
    body = (reason.replace("\r", " ").replace("\n", " ") + "\n").encode("utf-8")
    return Answer(status, body, "text/plain; charset=utf-8", "no-store")


class _Handler(BaseHTTPRequestHandler):
    server: BoardServer
    server_version = "saylau-board"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s\n"

    def _serve(self, with_body: bool) -> None:
        split = urllib.parse.urlsplit(self.path)
        answer = respond(self.server.board, split.path, split.query)
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", answer.cache)
        if answer.status == 200:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if with_body:
            self.wfile.write(answer.body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(False)

    def _not_allowed(self) -> None:
        self.close_connection = True
        body = b"405 only GET and HEAD are served\n"
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = _not_allowed

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        log.debug("%s %s", self.address_string(), format % args)


class BoardServer(ThreadingHTTPServer):
    """A running board server; `url` is its base URL, `stop()` shuts it down."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], board: Readable) -> None:
        self.board = board
        self.thread: threading.Thread | None = None
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)
        close = getattr(self.board, "close", None)
        if isinstance(self.board, LogView) and close is not None:
            close()


def serve(store_dir: str | os.PathLike[str] | Readable, host: str = "127.0.0.1", port: int = 0) -> BoardServer:
    """Serve a log directory (read-only, through `LogView`) — or an already open store —
    on `host:port` (port 0: any free port) from a daemon thread; return the running server."""
    board: Readable = LogView(store_dir) if isinstance(store_dir, str | os.PathLike) else store_dir
    server = BoardServer((host, port), board)
    server.thread = threading.Thread(target=server.serve_forever, name=f"saylau-board {server.url}", daemon=True)
    server.thread.start()
    return server
