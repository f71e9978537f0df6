"""Forms of the protocol pages: they translate input into service arguments; the rules are in the services."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from omskevents.agencies.models import Agency
from omskevents.events.enums import Area, EventKind
from omskevents.events.models import Event

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _CrispyForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ProtocolForm(_CrispyForm):
    event = forms.ModelChoiceField(
        label=_("Commission session"),
        queryset=Event.objects.filter(kind=EventKind.COMMISSION, protocol__isnull=True).order_by("-start_date"),
        error_messages={"required": _("Choose the commission session.")},
    )
    place = forms.CharField(label=_("Place"), max_length=255)
    date = forms.DateField(label=_("Date of signing"), widget=DATE_INPUT)
    ru_co_chair = forms.CharField(label=_("Co-chair of the Russian part"), max_length=500)
    kz_co_chair = forms.CharField(label=_("Co-chair of the Kazakh part"), max_length=500)


class SectionForm(_CrispyForm):
    title = forms.CharField(label=_("Section title"), max_length=500)
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices)


class ItemForm(_CrispyForm):
    text_ru = forms.CharField(
        label=_("Text (Russian)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the item's text in Russian.")},
    )
    text_kk = forms.CharField(
        label=_("Text (Kazakh)"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposer = forms.ModelChoiceField(
        label=_("Proposing agency"),
        queryset=Agency.objects.none(),
        error_messages={"required": _("Choose the proposing agency.")},
    )
    counterpart = forms.ModelChoiceField(
        label=_("Counterpart on the other side"), queryset=Agency.objects.none(), required=False
    )
    asks_action = forms.BooleanField(label=_("Asks for action (becomes a task)"), required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, proposers: QuerySet[Agency], counterparts: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = proposers  # type: ignore[attr-defined]
        self.fields["counterpart"].queryset = counterparts  # type: ignore[attr-defined]


class StrikeForm(forms.Form):
    note = forms.CharField(
        label=_("Why struck"), max_length=500, error_messages={"required": _("Say why the item is struck.")}
    )


class AgreeForm(forms.Form):
    side = forms.ChoiceField(
        label=_("Side"),
        choices=[("RU", _("Russia")), ("KZ", _("Kazakhstan"))],
        error_messages={"invalid_choice": _("Choose the side that agrees.")},
    )
