"""The form that creates a personal API token on the token page."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import TokenScope

DEFAULT_DAYS = 90


def _default_expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=DEFAULT_DAYS)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What the token is for, e.g. “1C:Document Management”.")
    )
    scope = forms.ChoiceField(label=_("Access"), choices=TokenScope.choices, initial=TokenScope.READ)
    expires_on = forms.DateField(
        label=_("Valid until"),
        initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most a year from today."),
    )
