"""Forms of the second factor (a code from the authenticator app, or a recovery code), of the password reset and of
absences."""

from typing import Any, cast
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import AbsenceReason
from .models import User


class SecondFactorCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        strip=True,
        help_text=_("Six digits from the authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isascii() or not token.isalnum():
            raise forms.ValidationError(_("Enter the code as it is shown: digits and Latin letters only."))
        return token


class EnrolCodeForm(SecondFactorCodeForm):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=6,
        min_length=6,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token = super().clean_token()
        if not token.isdigit():
            raise forms.ValidationError(_("The code from the app is six digits."))
        return token


class PasswordResetBySiteForm(PasswordResetForm):
    """Django's reset form, with the link built from SITE_URL: the Host header of the request is never used."""

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        kwargs["extra_email_context"] = {"site_url": settings.SITE_URL}
        super().save(**kwargs)


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        agency = obj.agency.short_name if obj.agency is not None else _("secretariat")
        return f"{obj} ({agency})"


class AbsenceForm(forms.Form):
    """An absence and the deputy: one's own (no `person` field) or, for a secretariat, anyone's it may record."""

    person = PersonChoiceField(label=_("Person away"), queryset=User.objects.none())
    start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Until (included)"), widget=DATE_INPUT)
    reason = forms.ChoiceField(
        label=pgettext_lazy("absence", "Reason"), choices=AbsenceReason.choices, initial=AbsenceReason.LEAVE
    )
    deputy = PersonChoiceField(
        label=_("Deputy"),
        queryset=User.objects.none(),
        help_text=_("A colleague from the same agency or the same secretariat receives your reminders meanwhile."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args: Any, people: QuerySet[User] | None, deputies: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
        else:
            cast(forms.ModelChoiceField, self.fields["person"]).queryset = people.select_related("agency")
        cast(forms.ModelChoiceField, self.fields["deputy"]).queryset = deputies.select_related("agency")
        self.fields["deputy"].error_messages["invalid_choice"] = _(
            "Choose a deputy from the list: an active colleague from the same agency or the same secretariat."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end < start:
            self.add_error("end", _("The absence cannot end before it starts."))
        return data
