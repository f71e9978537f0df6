"""Forms: notification preferences (the one-click links in mails use the task page's own forms)."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import BULK_KINDS, Kind
from .models import NotificationPreference


class _Crispy:
    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        return helper


class PreferenceForm(_Crispy, forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = [
            "assignments",
            "reminders",
            "status_notices",
            "meetings",
            "digests",
            "delivery",
            "language",
            "head_copies",
            "muted_kinds",
        ]

    muted_kinds = forms.TypedMultipleChoiceField(
        label=_("Mails switched off one by one"),
        choices=[(kind.value, kind.label) for kind in BULK_KINDS if kind != Kind.DIGEST],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kinds of mail switched off with the unsubscribe link of a mail; untick to receive them again."),
    )

    def __init__(self, *args: Any, is_head: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_head:
            del self.fields["head_copies"]
        self.helper = self._helper()
