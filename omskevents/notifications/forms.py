"""Forms: notification preferences (the one-click links in mails use the task page's own forms)."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms

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
            "assignments_mode",
            "reminders_mode",
            "status_mode",
            "meetings_mode",
            "digests",
            "delivery",
            "language",
            "head_copies",
        ]

    def __init__(self, *args: Any, is_head: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_head:
            del self.fields["head_copies"]
        self.helper = self._helper()
