from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from saylau.web.elections.models import STAGE_CHOICES


class AdvanceForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Next stage"), choices=STAGE_CHOICES,
        error_messages={"required": _("Choose the next stage."), "invalid_choice": _("Choose the next stage.")})
