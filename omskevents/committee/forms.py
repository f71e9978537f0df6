"""Forms of the meeting pages; the rules themselves live in the services and the models."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.core.ids import StrictModelMultipleChoiceField
from omskevents.events.models import Event

from .enums import Attendance
from .models import Committee, Meeting, WorkingGroup

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("agency").order_by("last_name", "first_name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.agency})" if obj.agency_id else str(obj)


class PeopleChoiceField(StrictModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.agency})" if obj.agency_id else str(obj)


class _CrispyForm(forms.Form):
    submit_label: Any = _("Save")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class MeetingForm(_CrispyForm):
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.order_by("name"))
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.order_by("-start_date"),
        required=False,
        help_text=_("The event the meeting prepares; one of the committee's events."),
    )
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_WIDGET, required=False)
    place = forms.CharField(label=_("Place"), max_length=500, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    chair = PersonChoiceField(label=_("Chaired by"), queryset=_people(), required=False)
    invitees = PeopleChoiceField(
        label=_("Invite"),
        queryset=_people(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "The committee's members are selected; invitations go to everyone selected. More can be added on the "
            "meeting page, the whole committee or a working group at once."
        ),
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None:
            # The committee and the first invitations are fixed once the meeting exists.
            del self.fields["committee"]
            del self.fields["invitees"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end cannot be before the start."))
        if not data.get("place") and not data.get("video_link") and "place" not in self.errors:
            self.add_error("place", _("Give a place or a video link."))
        return data


class AgendaItemForm(_CrispyForm):
    title = forms.CharField(label=_("Agenda item"), max_length=1000)
    speaker = forms.CharField(label=_("Speaker"), max_length=255, required=False)


class AttendanceForm(_CrispyForm):
    user = PersonChoiceField(label=_("Person"), queryset=_people())
    status = forms.ChoiceField(label=_("Attendance"), choices=Attendance.choices, initial=Attendance.INVITED)


class MinutesForm(_CrispyForm):
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("What was heard and discussed; the decisions are recorded separately below."),
    )


class DecisionForm(_CrispyForm):
    number = forms.CharField(label=_("No."), max_length=20, required=False, help_text=_("Leave empty for the next."))
    # A decision is a paragraph of the minutes: a few sentences, not a document pasted in.
    text = forms.CharField(label=_("Decision"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    lead_agency = forms.ModelChoiceField(
        label=_("Lead executor"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    co_executors = StrictModelMultipleChoiceField(
        label=_("Co-executors"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lead = data.get("lead_agency")
        if lead is not None and lead in (data.get("co_executors") or []):
            self.add_error("co_executors", _("The lead executor cannot also be a co-executor."))
        return data


class InviteGroupForm(_CrispyForm):
    """Invite the meeting's whole committee or one of its working groups in one step."""

    group = forms.ChoiceField(label=_("Invite"))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.groups = {f"group-{g.pk}": g for g in WorkingGroup.objects.filter(committee_id=meeting.committee_id)}
        choices: list[tuple[str, Any]] = [("committee", _("The whole committee"))]
        choices += [(key, _("Working group: %(name)s") % {"name": g.name}) for key, g in self.groups.items()]
        self.fields["group"].choices = choices  # type: ignore[attr-defined]  # a ChoiceField; fields are typed as Field

    def clean_group(self) -> Committee | WorkingGroup:
        value = self.cleaned_data["group"]
        if value == "committee":
            return self.meeting.committee
        return self.groups[value]
