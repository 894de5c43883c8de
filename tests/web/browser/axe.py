"""axe-core in a page: inject the pinned axe.min.js, run the WCAG 2.2 A/AA rules, report.

The script is evaluated through DevTools (`page.evaluate`), not added as a <script> element:
Saylau's Content Security Policy (`script-src 'self'`) would refuse an inline script, and
DevTools evaluation is not subject to the page's CSP. So the pages are checked with their CSP
in force, exactly as visitors get them, and no context needs `bypass_csp`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from playwright.sync_api import Page

from tests.web.browser.conftest import AXE

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""WCAG 2.2 levels A and AA (axe has no `wcag22a` tag)."""


@dataclass(frozen=True)
class Violation:
    where: str
    """Which page, language, role and display mode."""
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    """CSS selectors of the offending nodes."""

    def __str__(self) -> str:
        nodes = "\n      ".join(self.targets)
        return f"{self.where}: [{self.impact}] {self.rule}: {self.help}\n      {nodes}"


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page, where: str) -> list[Violation]:
    """The WCAG 2.2 AA violations axe finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source() + "\n;undefined")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS)
    return [Violation(where, v["id"], str(v.get("impact")), v["help"],
                      tuple(" ".join(map(str, node["target"])) for node in v["nodes"]))
            for v in result["violations"]]
