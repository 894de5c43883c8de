"""The official results protocol as a PDF (WeasyPrint), rendered from a Django template in one
language, with its control figures, the commission's name and the protocol's SHA-256."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from saylau.domain.protocol import from_json, percent
from saylau.web.commissions.models import Commission
from saylau.web.core.i18n import localized
from saylau.web.results import selectors
from saylau.web.results.models import ResultProtocol


def render_html(protocol: ResultProtocol, language: str, commission: Commission) -> str:
    with translation.override(language):
        p = from_json(protocol.data)
        labels = selectors.labels_of(protocol.election)
        outcome = selectors.outcome_get(protocol.election)
        context = {
            "language": language,
            "protocol": protocol,
            "p": p,
            "election_title": localized(protocol.election, "title"),
            "unit_name": selectors.unit_name(protocol.unit),
            "commission_name": localized(commission, "name"),
            "lines": selectors.lines(p, labels),
            "turnout": percent(p.turnout),
            "parts": [(u, selectors.unit_name(u)) for u in p.parts],
            "outcome": outcome if outcome is not None and outcome.protocol_id == protocol.pk else None,
            "outcome_lines": (selectors.outcome_summary(outcome.data, labels)
                              if outcome is not None and outcome.protocol_id == protocol.pk else []),
            "pack": protocol.election.pack_id,
        }
        return render_to_string("results/protocol_pdf.html", context)


def render_pdf(protocol: ResultProtocol, language: str, commission: Commission) -> bytes:
    import weasyprint  # a hard dependency: the tests fail loudly if it (or Pango) cannot load

    return bytes(weasyprint.HTML(string=render_html(protocol, language, commission)).write_pdf())
