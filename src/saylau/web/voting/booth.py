"""What the booth serves, hashed: every file the voter's browser may load to make a ballot (the
booth's modules, the vendored libraries, this app's page scripts) and the page's inline import
map. The manifest is published on the board at setup (`voting.booth`) and shown on the booth page,
so that observers can check that what the server serves is what was published:
`sha256sum` of the static files, or the `files` of the board event.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

BOOTH_FILES = ("booth/belenios.js", "booth/audit.js", "voting/booth.js", "voting/audit.js")
VENDOR = "booth/vendor"


def _find(name: str) -> Path | None:
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


def _vendored() -> list[str]:
    root = _find(VENDOR)
    if root is None:
        return []
    return sorted(f"{VENDOR}/{p.relative_to(root).as_posix()}" for p in root.rglob("*")
                  if p.is_file() and p.suffix in (".js", ".mjs"))  # uqr (the audit's QR code) is an .mjs


def import_map() -> str:
    """The page's inline import map (the vendored @noble/curves imports @noble/hashes by bare name)."""
    return json.dumps({"imports": {
        "@noble/hashes/": static(f"{VENDOR}/noble-hashes-2.4.0/"),
        "@noble/curves/": static(f"{VENDOR}/noble-curves-2.4.0/"),
    }}, separators=(",", ":"))


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _manifest() -> dict[str, object]:
    files: dict[str, str] = {}
    for name in (*BOOTH_FILES, *_vendored()):
        path = _find(name)
        if path is not None:
            files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"files": files, "importmap": hashlib.sha256(import_map().encode()).hexdigest(),
            "static_url": str(settings.STATIC_URL)}


_cached = cache(_manifest)


def manifest(*, fresh: bool = False) -> dict[str, object]:
    """{"files": {static name: sha256 hex}, "importmap": sha256 hex, "static_url"}; cached per
    process (the files do not change while it runs) unless `fresh`."""
    return _manifest() if fresh else _cached()


def manifest_sha256(data: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
