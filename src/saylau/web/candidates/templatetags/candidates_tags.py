"""`{% candidates_links election %}`: the election page's links to its candidates, mandates and
the parties (the strings live in this app's catalogue)."""

from __future__ import annotations

from django import template

from saylau.web.elections.models import Election

register = template.Library()


@register.inclusion_tag("candidates/_election_links.html")
def candidates_links(election: Election) -> dict[str, object]:
    return {"election": election}
