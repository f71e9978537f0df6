"""Forms of the second factor (a code from the authenticator app, or a recovery code) and of the password reset."""

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _


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
