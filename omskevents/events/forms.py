"""Forms of the event pages: the arrivals board's filter and the badges' print options."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Direction
from .exports import LAYOUTS


class ArrivalsFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Show"), choices=Direction.choices, required=False)

    def direction_value(self) -> str:
        return (self.cleaned_data.get("direction") if self.is_valid() else "") or Direction.ARRIVAL


class BadgesForm(forms.Form):
    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=[("a6", _("A6 cards, one per page")), ("a4", _("A4 sheets of four A6 cards"))],
        initial="a6",
        required=False,
    )
    delegation = forms.IntegerField(label=_("Delegation"), required=False, min_value=1, max_value=2**31 - 1)

    def clean_layout(self) -> Any:
        value = self.cleaned_data.get("layout") or "a6"
        assert value in LAYOUTS  # noqa: S101 - ChoiceField has checked it
        return value
