"""Forms: notification preferences (the one-click links in mails use the task page's own forms)."""

import datetime as dt
from typing import Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from omskevents.accounts.models import User
from omskevents.events.models import Event

from . import holds
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
            "assignments_mode",
            "reminders_mode",
            "status_mode",
            "meetings_mode",
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


class InboxFilterForm(forms.Form):
    """The inbox's filters (GET): by kind, by event, unread only. Unknown values are refused with a message."""

    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    event = forms.TypedChoiceField(
        label=_("Event"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unread = forms.BooleanField(
        label=_("Unread only"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args: Any, kinds: list[str], events: list[Event], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Kind.choices)
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = [("", _("All kinds")), *[(k, labels.get(k, k)) for k in kinds]]
        event_field = cast(forms.TypedChoiceField, self.fields["event"])
        event_field.choices = [("", _("All events")), *[(str(e.pk), e.short_title) for e in events]]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {"kind": "", "event_id": None, "unread": False}
        data = self.cleaned_data
        return {"kind": data["kind"] or "", "event_id": data["event"], "unread": bool(data["unread"])}


class MailHoldForm(forms.Form):
    """Hold one kind of mail, or one person's mail, for a day (the secretariat's morning preview)."""

    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", "—"), *Kind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    user = forms.ModelChoiceField(
        label=_("Person"),
        required=False,
        queryset=User.objects.filter(is_active=True).order_by("last_name", "pk"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, user = data.get("kind") or "", data.get("user")
        for field, message in holds.hold_problems(day=data.get("day"), kind=kind, user=user, today=self.today).items():
            self.add_error(field, message)
        return data
