"""The booth's modules in headless Chromium (Debian's /usr/bin/chromium through Playwright;
never `playwright install`): a minimal static page with the vendored files and an inline
import map, served by a tiny http.server on 127.0.0.1. The page makes a ballot that Python
verifies, and checks a Python-made ballot."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from saylau.record.audit import check_audit
from saylau.record.ballot import check_ballot, make_ballot, parse_ballot
from tests.conftest import SeededRng

from .conftest import BOOTH, ElectionFiles
from .tamper import flip_digit, load
from .test_node import one_hot

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic", "--no-first-run", "--disable-extensions", "--disable-default-apps"]

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Booth crypto test page</title>
<script type="importmap">
{"imports": {"@noble/hashes/": "/static/booth/vendor/noble-hashes-2.4.0/",
             "@noble/curves/": "/static/booth/vendor/noble-curves-2.4.0/"}}
</script>
<script type="module">
  import * as belenios from '/static/booth/belenios.js';
  import * as audit from '/static/booth/audit.js';
  window.booth = { belenios, audit };
  document.getElementById('status').textContent = 'ready';
</script></head>
<body><main><h1>Booth crypto</h1><p id="status" role="status">loading</p></main></body></html>
"""


@dataclass
class Page:
    page: Any  # playwright.sync_api.Page
    responses: list[Any]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".mjs": "text/javascript", ".html": "text/html; charset=utf-8"}

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(BOOTH, root / "static" / "booth")
    (root / "index.html").write_text(PAGE)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def page(site: str) -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system` (scripts/install-system.sh); never `playwright install`",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        pg = browser.new_page()
        responses: list[Any] = []
        pg.on("response", lambda r: responses.append(r))
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{site}/index.html")
        pg.wait_for_function("document.getElementById('status').textContent === 'ready'", timeout=30_000)
        assert not errors, errors
        yield Page(pg, responses)
        browser.close()


def test_the_page_loads_only_local_modules_as_javascript(page: Page, site: str) -> None:
    scripts = [r for r in page.responses if r.url.endswith(".js")]
    assert any(r.url.endswith("/static/booth/belenios.js") for r in scripts)
    assert any("/noble-hashes-2.4.0/sha2.js" in r.url for r in scripts)  # through the import map
    for r in page.responses:
        assert r.url.startswith(site) and r.status == 200, (r.url, r.status)
    for r in scripts:
        assert r.headers["content-type"] == "text/javascript", (r.url, r.headers["content-type"])


def test_a_ballot_made_in_chromium_verifies_in_python(page: Page, fresh: ElectionFiles, capsys: pytest.CaptureFixture[str]) -> None:
    made = page.page.evaluate("""({election, credential, choices}) => {
        const {belenios, audit} = window.booth;
        const t0 = performance.now();
        const m = belenios.makeBallot(election, credential, choices);
        const t1 = performance.now();
        const findings = belenios.checkBallot(election, m.ballot);
        const t2 = performance.now();
        return {ballot: m.ballot, tracker: m.tracker, audit: audit.makeAudit(election, m), findings,
                make_ms: t1 - t0, check_ms: t2 - t1};
    }""", {"election": fresh.raw, "credential": fresh.private["voter3"], "choices": [one_hot(4)]})
    assert made["findings"] == []
    parsed = parse_ballot(made["ballot"].encode(), fresh.election)
    check_ballot(parsed, fresh.election)
    assert parsed.tracker == made["tracker"]
    assert parsed.credential in {e.split(",")[0] for e in fresh.public}
    assert check_audit(fresh.election, made["ballot"].encode(), made["audit"].encode()) == []
    with capsys.disabled():
        print(f"\n[booth timing, Chromium] 1 question x 5 answers: make {made['make_ms']:.1f} ms, "
              f"verify {made['check_ms']:.1f} ms (first ballot of the page: includes JIT warm-up and table building)")


def test_chromium_checks_python_ballots(page: Page, fresh: ElectionFiles) -> None:
    good, _ = make_ballot(fresh.election, fresh.private["voter8"], [one_hot(1)], rng=SeededRng(9))
    b = load(good)
    b["answers"][0]["overall_proof"][0]["challenge"] = flip_digit(b["answers"][0]["overall_proof"][0]["challenge"])
    from saylau.record.canonical import dumpb

    bad = dumpb(b).decode()
    found = page.page.evaluate("""({election, ballots, credentials}) =>
        ballots.map((b) => window.booth.belenios.checkBallot(election, b, credentials).map((f) => f.code))""",
                          {"election": fresh.raw, "ballots": [good.decode(), bad], "credentials": fresh.public})
    assert found[0] == []
    assert set(found[1]) == {"proof.overall", "signature.hash"}
