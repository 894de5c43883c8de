"""axe-core in a page: inject the pinned axe.min.js, run the WCAG 2.2 A/AA rules, report.

The script is never added as a <script> element: Saylau's Content Security Policy
(`script-src 'self'`) would refuse an inline script. It is evaluated through DevTools
(`page.evaluate`), or registered once per browser context as an init script
(`context.add_init_script(script=axe_source())`, which saves sending it for each page); the
page's CSP governs neither. So pages are checked with their CSP in force, exactly as visitors
get them, and no context needs `bypass_csp`.
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
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page, where: str, *, rules: list[str] | None = None) -> list[Violation]:
    """The violations axe finds in the page as it is now: of the WCAG 2.2 A/AA rules, or of
    `rules` only (axe's rule ids)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source() + "\n;undefined")
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": TAGS}
    found = page.evaluate("""only => axe.run(document, {runOnly: only, resultTypes: ['violations']})
                               .then(result => result.violations.map(v => ({
                                 id: v.id, impact: v.impact, help: v.help,
                                 targets: v.nodes.map(node => node.target.join(' '))})))""", only)
    return [Violation(where, v["id"], str(v["impact"]), v["help"], tuple(v["targets"])) for v in found]
