"""Forms: notification preferences, and the short forms behind the one-click links in mails."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

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
        ]

    def __init__(self, *args: Any, is_head: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_head:
            del self.fields["head_copies"]
        self.helper = self._helper()


class ReportForm(_Crispy, forms.Form):
    text = forms.CharField(label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    is_final = forms.BooleanField(label=_("The task is complete (send to the controller)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = self._helper()


class ExtensionForm(_Crispy, forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = self._helper()
