"""The witness over HTTP (C2SP tlog-witness): `POST /add-checkpoint`, on 127.0.0.1 by default."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .errors import WitnessRefusal
from .witness import Witness

MAX_BODY = 64 * 1024


def serve_witness(witness: Witness, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start the witness server in a thread; `server.server_address` gives the port."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # no request logs
            pass

        def _reply(self, status: int, body: str, content_type: str = "text/plain; charset=utf-8") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            if self.path.rstrip("/").split("?")[0] != "/add-checkpoint":
                self._reply(404, "unknown endpoint\n")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= MAX_BODY:
                self._reply(400, "missing or oversized body\n")
                return
            try:
                body = self.rfile.read(length).decode("utf-8")
                self._reply(200, witness.add_checkpoint(body))
            except UnicodeDecodeError:
                self._reply(400, "body is not UTF-8\n")
            except WitnessRefusal as exc:
                if exc.status == 409 and exc.body and exc.body[0].isdigit():
                    self._reply(409, exc.body, "text/x.tlog.size")
                else:
                    self._reply(exc.status, f"{exc}\n" + (exc.body if exc.body else ""))

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
