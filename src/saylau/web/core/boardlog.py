"""The public bulletin board's read API over HTTP, at /board/log/ (no language prefix).

The same tlog-tiles endpoints as `saylau board serve` (`saylau.board.server.respond`):
`checkpoint`, `tile/…`, `data/<sha256>`, `proof/inclusion`, `proof/consistency`, read
through a `LogView` (never written). So anyone can follow and check the board with the
command-line tools, e.g. `saylau board verify https://HOST/board/log/ --log-key VKEY`, and
witnesses can mirror it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from saylau.board.logview import LogView
from saylau.board.server import respond
from saylau.web.core import publicboard
from saylau.web.core.access import EVERYONE, access


@access(EVERYONE)
def board_log(request: HttpRequest, path: str) -> HttpResponse:
    directory = Path(settings.PUBLIC_BOARD_DIR)
    if not (directory / "entries.bin").is_file():
        response = HttpResponse(b"no checkpoint has been published yet\n", status=404,
                                content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response
    with LogView(directory) as view:
        answer = respond(view, "/" + path, request.META.get("QUERY_STRING", ""))
    response = HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)
    response["Cache-Control"] = answer.cache
    if answer.status == 200:
        response["Access-Control-Allow-Origin"] = "*"
    return response


@access(EVERYONE)
def board_vkey(request: HttpRequest) -> HttpResponse:
    """The board's public key (a C2SP note verifier key), to pin with `--log-key`."""
    vkey = publicboard.board_vkey()
    if vkey is None:
        return HttpResponse(b"no board yet\n", status=404, content_type="text/plain; charset=utf-8")
    return HttpResponse(vkey + "\n", content_type="text/plain; charset=utf-8")
