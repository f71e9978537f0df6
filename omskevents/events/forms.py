"""Forms of the event pages: the arrivals board's filter, the badges' print options and an event's new dates."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from omskevents.core.validators import validate_plausible_date

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


class EventDatesForm(forms.Form):
    """New dates for an event. The fingerprint is the preview's (events.dates): present only on the step itself."""

    start_date = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_plausible_date],
    )
    end_date = forms.DateField(
        label=_("End date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_plausible_date],
    )
    # Anything else than the fingerprint of the preview made now is a stale preview: the new one is shown.
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_fingerprint(self) -> str:
        return str(self.cleaned_data.get("fingerprint") or "")[:64]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data
