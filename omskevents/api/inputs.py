"""What the API's writes and list filters accept: types and choices only; every rule is the service's."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from omskevents.accounts.models import User
from omskevents.accounts.types import AnyUser
from omskevents.agencies.models import Agency
from omskevents.committee.models import Meeting
from omskevents.committee.selectors import meetings_visible_to
from omskevents.core.ids import parse_id
from omskevents.events.enums import Area
from omskevents.events.models import Event
from omskevents.workplan.enums import DeadlineAnchor, ExtensionStatus, Priority, TaskStatus
from omskevents.workplan.models import Task
from omskevents.workplan.selectors import filter_agencies_for, lead_agencies_for, tasks_visible_to


def _people() -> Any:
    return User.objects.filter(is_active=True)


def _agencies() -> Any:
    return Agency.objects.filter(is_active=True)


class IdField(serializers.PrimaryKeyRelatedField):
    """A row by its id among those the caller may name; a malformed, too large, missing or foreign id is one and
    the same error (nothing tells what exists from what the caller may not see)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or parse_id(data) is None:
            self.fail("does_not_exist", pk_value=str(data)[:30])
        return super().to_internal_value(data)


class TaskFilterInput(serializers.Serializer):
    """The action plan's filters, as query parameters."""

    event = IdField(queryset=Event.objects.all(), required=False)
    agency = IdField(queryset=Agency.objects.none(), required=False, help_text="Lead executor or co-executor.")
    area = serializers.ChoiceField(choices=Area.choices, required=False)
    status = serializers.ListField(child=serializers.ChoiceField(choices=TaskStatus.choices), required=False)
    overdue = serializers.BooleanField(required=False, default=False)
    due_from = serializers.DateField(required=False)
    due_to = serializers.DateField(required=False)
    q = serializers.CharField(required=False, max_length=200, help_text="Search in title, description and number.")

    def __init__(self, *args: Any, user: AnyUser | None = None, **kwargs: Any) -> None:
        # The schema generator builds the serializer without a caller: the choices then stay empty.
        super().__init__(*args, **kwargs)
        if user is None:
            return
        self.fields["agency"].queryset = filter_agencies_for(user)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("due_from") and attrs.get("due_to") and attrs["due_from"] > attrs["due_to"]:
            raise serializers.ValidationError({"due_to": [_("“Due to” cannot be before “Due from”.")]})
        return attrs


class TaskCreateInput(serializers.Serializer):
    event = IdField(queryset=Event.objects.all())
    title = serializers.CharField(max_length=1000)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    number = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    area = serializers.ChoiceField(choices=Area.choices)
    lead_agency = IdField(queryset=Agency.objects.none())
    co_executors = IdField(queryset=Agency.objects.none(), many=True, required=False)
    responsible = IdField(queryset=User.objects.none(), required=False, allow_null=True)
    controller = IdField(queryset=User.objects.none(), required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    deadline_anchor = serializers.ChoiceField(choices=DeadlineAnchor.choices, required=False, default="")
    deadline_offset_days = serializers.IntegerField(required=False, allow_null=True, min_value=-3650, max_value=3650)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.NORMAL)
    is_follow_up = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args: Any, user: AnyUser | None = None, **kwargs: Any) -> None:
        # The schema generator builds the serializer without a caller: the choices then stay empty.
        super().__init__(*args, **kwargs)
        if user is None:
            return
        self.fields["lead_agency"].queryset = lead_agencies_for(user)
        self.fields["co_executors"].child_relation.queryset = _agencies()
        self.fields["responsible"].queryset = _people()
        self.fields["controller"].queryset = _people()


class TaskAssignInput(serializers.Serializer):
    """A secretariat's change of a task: who executes it, by when, and what it is; every field optional."""

    title = serializers.CharField(max_length=1000, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    lead_agency = IdField(queryset=Agency.objects.none(), required=False)
    co_executors = IdField(queryset=Agency.objects.none(), many=True, required=False)
    responsible = IdField(queryset=User.objects.none(), required=False, allow_null=True)
    controller = IdField(queryset=User.objects.none(), required=False, allow_null=True)
    deadline = serializers.DateField(required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")

    def __init__(self, *args: Any, user: AnyUser | None = None, **kwargs: Any) -> None:
        # The schema generator builds the serializer without a caller: the choices then stay empty.
        super().__init__(*args, **kwargs)
        if user is None:
            return
        self.fields["lead_agency"].queryset = lead_agencies_for(user)
        self.fields["co_executors"].child_relation.queryset = _agencies()
        self.fields["responsible"].queryset = _people()
        self.fields["controller"].queryset = _people()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not set(attrs) - {"reason"}:
            raise serializers.ValidationError(_("Give at least one field to change."))
        return attrs


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReportInput(serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    is_final = serializers.BooleanField(required=False, default=False)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ExtensionInput(serializers.Serializer):
    new_deadline = serializers.DateField()
    reason = serializers.CharField(max_length=5000)


class ExtensionDecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ReportFilterInput(serializers.Serializer):
    task = IdField(queryset=Task.objects.none(), required=False)

    def __init__(self, *args: Any, user: AnyUser | None = None, **kwargs: Any) -> None:
        # The schema generator builds the serializer without a caller: the choices then stay empty.
        super().__init__(*args, **kwargs)
        if user is None:
            return
        self.fields["task"].queryset = tasks_visible_to(user)


class ExtensionFilterInput(ReportFilterInput):
    status = serializers.ChoiceField(choices=ExtensionStatus.choices, required=False)


class DecisionFilterInput(serializers.Serializer):
    meeting = IdField(queryset=Meeting.objects.none(), required=False)

    def __init__(self, *args: Any, user: AnyUser | None = None, **kwargs: Any) -> None:
        # The schema generator builds the serializer without a caller: the choices then stay empty.
        super().__init__(*args, **kwargs)
        if user is None:
            return
        self.fields["meeting"].queryset = meetings_visible_to(user)
