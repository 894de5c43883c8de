"""Translated labels of the domain's vocabulary: stages, election types, schedule dates.

Keys are the domain's enums, so a value added to the domain without a label fails
`tests/web/test_labels.py` instead of showing an untranslated code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as LazyText
else:
    from django.utils.functional import Promise as LazyText

from saylau.domain.election import ElectionType, Stage

STAGE_LABELS: dict[Stage, LazyText] = {
    Stage.DRAFT: _("Draft"),
    Stage.NOMINATION: _("Nomination of candidates"),
    Stage.REGISTRATION: _("Registration of candidates"),
    Stage.CAMPAIGN: _("Election campaign"),
    Stage.VOTING: _("Voting"),
    Stage.COUNTING: _("Counting of votes"),
    Stage.RESULTS: _("Results"),
    Stage.CLOSED: _("Completed"),
}

ELECTION_TYPE_LABELS: dict[ElectionType, LazyText] = {
    ElectionType.PRESIDENTIAL: _("Presidential election"),
    ElectionType.MAZHILIS_PARTY_LIST: _("Mazhilis, party lists"),
    ElectionType.MAZHILIS_DISTRICT: _("Mazhilis, single-member district"),
    ElectionType.MASLIKHAT_MIXED: _("Maslikhat, mixed system"),
    ElectionType.MASLIKHAT_DISTRICT: _("Maslikhat, single-member district"),
    ElectionType.AKIM_RURAL: _("Akim of a rural district, village or settlement"),
    ElectionType.AKIM_TOWN: _("Akim of a town of district significance"),
    ElectionType.AKIM_DISTRICT: _("Akim of a district or a city of regional significance"),
    ElectionType.REFERENDUM: _("Referendum"),
}

SCHEDULE_FIELD_LABELS: dict[str, LazyText] = {
    "latest_call": _("Latest date to call the election"),
    "nomination_closes": _("Nomination closes"),
    "registration_closes": _("Registration closes"),
    "voting_opens": _("Voting opens"),
    "voting_closes": _("Voting closes"),
    "results_due": _("Results due"),
}
"""The fields of `domain.election.Schedule`, in calendar order."""


def _role_labels() -> dict[str, LazyText]:
    from saylau.web.core.access import Role

    return {
        Role.ANONYMOUS: _("Visitor"),
        Role.CITIZEN: _("Citizen"),
        Role.PARTY: _("Party representative"),
        Role.OBSERVER: _("Observer"),
        Role.COMMISSION: _("Commission member"),
        Role.SUPERUSER: _("Administrator"),
    }


ROLE_LABELS = _role_labels()
