"""Commission pages: the public composition of every commission (names and roles of members are
published in Kazakhstan), one commission's page, and the workspace of a member (the elections
their commissions cover, and what they may do on each)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from saylau.domain.commissions import CommissionLevel, MemberRole
from saylau.domain.election import ElectionType, Stage
from saylau.web.commissions import selectors
from saylau.web.commissions.models import LEVEL_LABELS, ROLE_LABELS, Commission, Membership
from saylau.web.commissions.services import display_name
from saylau.web.core.access import EVERYONE, Role, access, role_of
from saylau.web.core.i18n import localized
from saylau.web.core.labels import ELECTION_TYPE_LABELS, STAGE_LABELS


def _member_row(m: Membership) -> dict[str, object]:
    return {"name": display_name(m.user), "role": ROLE_LABELS[MemberRole(m.role)], "membership": m}


def _commission_row(c: Commission) -> dict[str, object]:
    where = c.precinct.territory if c.precinct is not None else c.territory
    return {"commission": c, "name": localized(c, "name"), "level": LEVEL_LABELS[CommissionLevel(c.level)],
            "territory": localized(where, "name") if where is not None else ""}


@access(EVERYONE)
def commission_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for c in selectors.commissions_with_members():
        members = getattr(c, "active_members", [])
        order = list(MemberRole)
        members = sorted(members, key=lambda m: (order.index(MemberRole(m.role)), m.start, m.pk))
        rows.append({**_commission_row(c), "members": [_member_row(m) for m in members]})
    return render(request, "commissions/commission_list.html",
                  {"rows": rows, "is_member": role_of(request.user) is Role.COMMISSION})


@access(EVERYONE)
def commission_detail(request: HttpRequest, commission: str) -> HttpResponse:
    found = selectors.commission_get(code=commission)
    if found is None:
        raise Http404
    context = {
        **_commission_row(found),
        "parent": _commission_row(found.parent) if found.parent is not None else None,
        "children": [_commission_row(c) for c in found.children.select_related(
            "territory", "precinct__territory").order_by("code")],
        "members": [_member_row(m) for m in selectors.commission_members(found)],
    }
    return render(request, "commissions/commission_detail.html", context)


@access({Role.COMMISSION})
def workspace(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    seats = [{**_commission_row(m.commission), **_member_row(m),
              "acting": m.role != MemberRole.ADVISORY.value,
              "decides": m.role != MemberRole.ADVISORY.value and m.commission.level != CommissionLevel.PRECINCT.value}
             for m in selectors.memberships_of(request.user, now=now)]
    work = [{"election": w.election, "title": localized(w.election, "title"), "decision": w.decision,
             "type": ELECTION_TYPE_LABELS[ElectionType(w.election.type)],
             "stage": STAGE_LABELS[Stage(w.election.stage)]}
            for w in selectors.elections_for(request.user, now=now)]
    return render(request, "commissions/workspace.html",
                  {"seats": seats, "work": work, "may_import": any(s["decides"] for s in seats)})
