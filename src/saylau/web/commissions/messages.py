"""Translated messages of the commissions' error codes (registered in `CommissionsConfig.ready`)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saylau.domain.errors import ErrorCode
from saylau.web.core.errors import MESSAGES

COMMISSION_FIELDS = {
    "territory": _("Territory"),
    "precinct": _("Precinct"),
    "parent": _("Parent commission"),
}
MEMBERSHIP_FIELDS = {
    "end": _("Term ends"),
    "revoked_at": _("Ended early"),
    "user": _("User"),
    "role": _("Role"),
}


def _invalid_commission(data: Mapping[str, object]) -> str:
    field = str(data.get("field", ""))
    return gettext("The commission “%(commission)s” does not fit into the structure of election "
                   "commissions (field “%(field)s”).") % {
        "commission": data.get("commission", ""), "field": COMMISSION_FIELDS.get(field, field)}


def _invalid_membership(data: Mapping[str, object]) -> str:
    field = str(data.get("field", ""))
    return gettext("The commission membership was refused (field “%(field)s”): a term must end after it "
                   "starts, a person sits once on a commission, the chair, deputy chair and secretary are "
                   "one person each, and an ended membership cannot be ended again.") % {
        "field": MEMBERSHIP_FIELDS.get(field, field)}


def register() -> None:
    MESSAGES.update({
        ErrorCode.INVALID_COMMISSION: _invalid_commission,
        ErrorCode.INVALID_MEMBERSHIP: _invalid_membership,
        ErrorCode.COMMISSION_SCOPE_REFUSED: lambda data: gettext(
            "Your commission membership does not cover this: you may act only on the elections and "
            "territory of a commission you are an acting member of."),
    })
