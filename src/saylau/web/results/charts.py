"""Server-side SVG charts (no JavaScript): a horizontal bar chart of votes per contestant.

Accessible (WCAG 2.2 AA): `role="img"` named by its `<title>` and described by its `<desc>`;
every bar carries its label, votes and percentage as text (no colour-only information); the
bars are dark blue (#1d4f91, 8.6:1 against the white background; "against all" dark grey
#595959, 7:1) and the text near-black (#1a1a1a, 17:1) — above the 3:1 for graphics and 4.5:1 for
text. The page beside it has the same numbers as a data table.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saylau.web.results.selectors import Line

BACKGROUND = "#ffffff"
BAR = "#1d4f91"
BAR_AGAINST = "#595959"
TEXT = "#1a1a1a"
WIDTH = 640
ROW = 52
BAR_HEIGHT = 18


def bar_chart(chart_id: str, title: str, description: str, rows: Sequence[Line]) -> SafeString:
    """A horizontal bar chart: one labelled bar per line, its length the share of valid ballots."""
    height = ROW * max(len(rows), 1) + 8
    inner = WIDTH - 16
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="results-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="{BACKGROUND}"/>',
    ]
    for i, line in enumerate(rows):
        y = 8 + i * ROW
        share = float(line.share) if line.share is not None else 0.0
        length = max(round(inner * share, 1), 2.0 if line.votes else 0.0)
        text = f"{line.label} — {line.votes} ({line.percent} %)"
        colour = BAR_AGAINST if line.contestant is None else BAR
        parts.append(f'<text x="8" y="{y + 16}" fill="{TEXT}" font-size="15" '
                     f'font-family="DejaVu Sans, Arial, sans-serif">{escape(text)}</text>')
        parts.append(f'<rect x="8" y="{y + 24}" width="{length}" height="{BAR_HEIGHT}" fill="{colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
