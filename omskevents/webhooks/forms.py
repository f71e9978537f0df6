"""The endpoint form of the workspace: the service checks the address (https, the SSRF guard) and the kinds."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import EventKind
from .services import DESCRIPTION_MAX_LENGTH, URL_MAX_LENGTH


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Receiver address"),
        max_length=URL_MAX_LENGTH,
        help_text=_("https:// address of your system that receives the events."),
        widget=forms.URLInput(attrs={"placeholder": "https://example.org/hooks/omskevents", "autocomplete": "off"}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of event.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        help_text=_("For yourself: which system this is, who runs it."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
