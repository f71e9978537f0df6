"""Forms of the action plan: filters, task editing, reports, extensions, bulk actions and import."""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from omskevents.accounts.models import User
from omskevents.accounts.types import AnyUser
from omskevents.agencies.models import Agency
from omskevents.committee.models import Meeting
from omskevents.core.cache import cached_value, data_version
from omskevents.core.forms import MultipleFileField
from omskevents.core.ids import StrictModelMultipleChoiceField, parse_ids
from omskevents.events.enums import Area
from omskevents.events.models import Event

from .enums import DeadlineAnchor, TaskStatus
from .models import Task
from .selectors import (
    SORTS,
    TaskFilter,
    filter_agencies_for,
    filter_people_for,
    lead_agencies_for,
    pair_candidates,
    task_link_choices,
    task_scope_key,
)
from .uploads import check_upload_batch

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# A select that static/js/pickers.js turns into a searchable picker (a plain select without JS), and what the picker
# says, in the reader's language, when nothing answers the words typed.
PICKER = {"data-picker": "1", "data-no-results": _("Nothing found")}


def _pickers(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        form.fields[name].widget.attrs.update(PICKER)


# A picker over more tasks than this lists only those chosen (the saved ones, or on a form sent back with errors the
# ones the person picked); the others are found as the person types, from `url` (a JSON list of the same choices:
# views_edit.TaskChoicesView). A plan of thousands of tasks made each task form and task page render every one:
# 3.1–3.7 s for the task form at 10,000 tasks, 0.23 s for a task page with the pairing form.
LISTED_CHOICES = 200


def searched_when_long(form: forms.BaseForm, name: str, *, url: str) -> None:
    """Keep the field's whole queryset for validation; above LISTED_CHOICES render only the chosen tasks."""
    field = cast(forms.ModelChoiceField, form.fields[name])
    queryset = field.queryset
    # Counted without the list's order: sorting the whole plan to count past 200 cost more than the rest of the page.
    if (
        queryset is None
        or len(queryset.order_by().values_list("pk", flat=True)[: LISTED_CHOICES + 1]) <= LISTED_CHOICES
    ):
        return
    key = form.add_prefix(name)
    if form.is_bound:
        raw = form.data.getlist(key) if hasattr(form.data, "getlist") else form.data.get(key)
    else:
        raw = form.initial.get(name, field.initial)
    values = raw if isinstance(raw, list | tuple | QuerySet) else [raw]
    chosen = parse_ids(getattr(value, "pk", value) for value in values)
    rows = {task.pk: task for task in queryset.filter(pk__in=chosen)} if chosen else {}
    # The empty choice as the field itself would list it: none for a multiple choice or a required one.
    single = not isinstance(field, forms.ModelMultipleChoiceField)
    empty = [("", field.empty_label)] if single and field.empty_label is not None else []
    listed = [(str(pk), field.label_from_instance(rows[pk])) for pk in chosen if pk in rows]
    field.widget.choices = [*empty, *listed]
    field.widget.attrs["data-search-url"] = url


def _people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("agency").order_by("last_name", "first_name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.agency})" if obj.agency_id else str(obj)


class ChoicesOnce:
    """The events, agencies and people the action plan's forms offer this viewer, read once per scope and data
    version however many selects show them. The lists are the viewer's own (`filter_agencies_for`,
    `filter_people_for`, `lead_agencies_for`): a ministry is never offered what it may not see.
    For rendering only: a submitted value is still checked against each field's own queryset."""

    def __init__(self, user: AnyUser) -> None:
        self._user = user
        self._lists: dict[str, list[tuple[Any, ...]]] | None = None

    def _read(self) -> dict[str, list[tuple[Any, ...]]]:
        people = PersonChoiceField(queryset=User.objects.none())
        user = self._user
        return {
            "people": [
                (p.pk, people.label_from_instance(p))
                for p in filter_people_for(user).select_related("agency").order_by("last_name", "first_name")
            ],
            "agencies": [(a.pk, str(a)) for a in filter_agencies_for(user).order_by("short_name")],
            "lead_agencies": [(a.pk, str(a)) for a in lead_agencies_for(user).order_by("short_name")],
            "events": [(e.pk, str(e)) for e in Event.objects.all()],
        }

    def lists(self) -> dict[str, list[tuple[Any, ...]]]:
        if self._lists is None:
            # The viewer's scope and the data version: a task's new lead changes what a ministry may be offered.
            parts = ("plan-choices", task_scope_key(self._user), get_language(), data_version())
            self._lists = cached_value(parts, self._read)
        return self._lists

    def apply(self, form: forms.Form) -> None:
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
                continue
            blank = [("", field.empty_label)] if field.empty_label is not None else []
            if isinstance(field, PersonChoiceField):
                field.choices = [*blank, *self.lists()["people"]]
            elif name == "agency":
                field.choices = [*blank, *self.lists()["agencies"]]
            elif name == "new_lead_agency":
                field.choices = [*blank, *self.lists()["lead_agencies"]]
            elif name == "event":
                field.choices = [*blank, *self.lists()["events"]]


class TaskFilterForm(forms.Form):
    """The action plan's filters, read from the query string (GET), so a filtered page is a link."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    event = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.all(), required=False, empty_label=_("All events")
    )
    area = forms.ChoiceField(label=_("Area"), choices=[("", _("All areas")), *Area.choices], required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency (lead or co-executor)"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("All agencies"),
    )
    status = forms.MultipleChoiceField(label=_("Status"), choices=TaskStatus.choices, required=False)
    responsible = PersonChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    controller = PersonChoiceField(
        label=_("Controller"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DATE_INPUT)
    due_to = forms.DateField(label=_("Due to"), required=False, widget=DATE_INPUT)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("deadline", _("Deadline, earliest first")),
            ("-deadline", _("Deadline, latest first")),
            ("number", _("Item No.")),
            ("title", _("Task")),
            ("status", _("Status")),
            ("lead", _("Lead executor")),
            ("relevance", _("Relevance (with a search)")),
        ],
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        """The agency and person lists hold only what `user` may see (a posted foreign id is not a valid choice)."""
        super().__init__(*args, **kwargs)
        people = filter_people_for(user).select_related("agency").order_by("last_name", "first_name")
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = people
        cast(forms.ModelChoiceField, self.fields["controller"]).queryset = people
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = filter_agencies_for(user)
        _pickers(self, "agency", "status", "responsible", "controller")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            self.add_error("due_to", _("“Due to” cannot be before “Due from”."))
        return data

    def to_filter(self, *, ids: Sequence[str] = ()) -> TaskFilter:
        """The filter the valid fields describe (invalid fields are left out, never guessed), narrowed to
        the ticked rows `ids` when there are any."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        # A search without a chosen order shows the best answers first.
        sort = data.get("sort") or ("relevance" if (data.get("q") or "").strip() else "deadline")
        # Ticked rows narrow the filter; a malformed id names no task (it never widens the selection).
        selected = parse_ids(ids)[:5000] if ids else None
        return TaskFilter(
            event=data.get("event"),
            area=data.get("area") or "",
            agency=data.get("agency"),
            status=data.get("status") or (),
            responsible=data.get("responsible"),
            controller=data.get("controller"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to") if "due_to" not in self.errors else None,
            overdue=bool(data.get("overdue")),
            q=data.get("q") or "",
            ids=selected,
            sort=sort if sort in SORTS else "deadline",
        )


class DeadlineMode:
    FIXED = "fixed"
    RELATIVE = "relative"


class TaskForm(forms.ModelForm):
    """Create or edit a task; the deadline is a date or a number of days from the event."""

    deadline_mode = forms.ChoiceField(
        label=_("How the deadline is set"),
        choices=[(DeadlineMode.FIXED, _("A fixed date")), (DeadlineMode.RELATIVE, _("Relative to the event"))],
        widget=forms.RadioSelect,
        initial=DeadlineMode.FIXED,
    )
    relative_anchor = forms.ChoiceField(
        label=_("Counted from"),
        choices=[
            (DeadlineAnchor.EVENT_START, _("the event's start")),
            (DeadlineAnchor.EVENT_END, _("the event's end")),
        ],
        required=False,
    )
    days_before = forms.IntegerField(
        label=_("Days before (negative: after)"),
        required=False,
        min_value=-365,
        max_value=730,
        help_text=_("45 means 45 days before; -3 means 3 days after."),
    )
    responsible = PersonChoiceField(
        label=_("Responsible person"),
        queryset=User.objects.none(),
        required=False,
    )
    controller = PersonChoiceField(label=_("Controller"), queryset=User.objects.none(), required=False)

    class Meta:
        model = Task
        fields = [
            "event",
            "number",
            "area",
            "working_group",
            "title",
            "description",
            "lead_agency",
            "co_executors",
            "responsible",
            "controller",
            "deadline",
            "is_follow_up",
            "priority",
            "parent",
            "depends_on",
        ]
        field_classes = {
            "co_executors": StrictModelMultipleChoiceField,
            "depends_on": StrictModelMultipleChoiceField,
        }
        widgets = {
            "deadline": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 4}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "co_executors": forms.SelectMultiple(attrs={"size": 6}),
            "depends_on": forms.SelectMultiple(attrs={"size": 6}),
        }
        # The fieldset around the three is headed "Deadline": the date is not called so a third time.
        labels = {"deadline": _("Date")}
        error_messages = {
            "title": {"required": _("Write what must be done.")},
            "lead_agency": {"required": _("Choose the lead executor.")},
            "event": {"required": _("Choose the event the task prepares.")},
            "area": {"required": _("Choose the area.")},
        }

    def __init__(
        self,
        *args: Any,
        lead_agencies: QuerySet[Agency] | None = None,
        tasks: QuerySet[Task] | None = None,
        **kwargs: Any,
    ) -> None:
        """`lead_agencies` and `tasks`: what the secretariat using the form may choose (its side)."""
        super().__init__(*args, **kwargs)
        people = _people()
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = people
        cast(forms.ModelChoiceField, self.fields["controller"]).queryset = people
        self.fields["deadline"].required = False
        leads = lead_agencies if lead_agencies is not None else Agency.objects.filter(is_active=True)
        cast(forms.ModelChoiceField, self.fields["lead_agency"]).queryset = leads
        cast(forms.ModelChoiceField, self.fields["co_executors"]).queryset = Agency.objects.filter(is_active=True)
        others = task_link_choices(tasks if tasks is not None else Task.objects.all(), exclude=self.instance.pk)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = others
        cast(forms.ModelChoiceField, self.fields["depends_on"]).queryset = others
        if self.instance.pk and self.instance.deadline_anchor:
            self.initial["deadline_mode"] = DeadlineMode.RELATIVE
            self.initial["relative_anchor"] = self.instance.deadline_anchor
            self.initial["days_before"] = -(self.instance.deadline_offset_days or 0)
        _pickers(self, "lead_agency", "co_executors", "responsible", "controller", "parent", "depends_on")
        search = reverse("workplan:task_choices")
        if self.instance.pk:
            search += "?" + urlencode({"exclude": self.instance.pk})
        for name in ("parent", "depends_on"):
            searched_when_long(self, name, url=search)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("deadline_mode") == DeadlineMode.RELATIVE:
            if data.get("days_before") is None:
                self.add_error("days_before", _("Give the number of days before the event."))
            if not data.get("relative_anchor"):
                self.add_error("relative_anchor", _("Choose what the days are counted from."))
        elif not data.get("deadline"):
            self.add_error("deadline", _("Give a deadline."))
        lead, co = data.get("lead_agency"), data.get("co_executors") or []
        if lead and any(a.pk == lead.pk for a in co):
            self.add_error("co_executors", _("The lead executor cannot also be a co-executor."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as the keyword arguments of task_create / task_update."""
        data = dict(self.cleaned_data)
        mode = data.pop("deadline_mode")
        anchor = data.pop("relative_anchor", "")
        days_before = data.pop("days_before", None)
        if mode == DeadlineMode.RELATIVE:
            data["deadline_anchor"] = anchor
            data["deadline_offset_days"] = -int(days_before or 0)
            data["deadline"] = None
        else:
            data["deadline_anchor"] = ""
            data["deadline_offset_days"] = None
        data["co_executors"] = list(data.get("co_executors") or [])
        data["depends_on"] = list(data.get("depends_on") or [])
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=TaskStatus.choices)
    note = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What has been done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        error_messages={"required": _("Write what has been done.")},
    )
    # A declared field, which the form metaclass moves into base_fields: BaseForm.files (the uploads) stays.
    files = MultipleFileField(  # type: ignore[assignment]  # the stubs see it as overriding BaseForm.files
        label=_("Files"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, PNG or JPEG, up to %(size)s MB each.")
        % {"size": settings.ATTACHMENT_MAX_SIZE // (1024 * 1024)},
    )
    is_final = forms.BooleanField(
        label=_("This is the report of completion (send it to the controller)"), required=False
    )

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data.get("files") or []
        check_upload_batch(files)
        return files


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        error_messages={"required": _("The comment is empty.")},
    )


class ExtensionRequestForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        error_messages={"required": _("Give the reason for the extension.")},
    )


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class BulkActionForm(forms.Form):
    """The secretariat's actions on the rows ticked in the action plan."""

    REASSIGN = "reassign"
    SHIFT = "shift"

    action = forms.ChoiceField(label=_("Action"), choices=[(REASSIGN, _("Reassign")), (SHIFT, _("Move deadlines"))])
    id = StrictModelMultipleChoiceField(
        label=_("Tasks"),
        queryset=Task.objects.none(),
        error_messages={"required": _("Tick at least one task.")},
    )
    new_lead_agency = forms.ModelChoiceField(
        label=_("New lead executor"), queryset=Agency.objects.none(), required=False
    )
    new_responsible = PersonChoiceField(label=_("New responsible person"), queryset=User.objects.none(), required=False)
    days = forms.IntegerField(label=_("Move by, days"), required=False, min_value=-365, max_value=365)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=100)

    def __init__(
        self, *args: Any, tasks: QuerySet[Task], lead_agencies: QuerySet[Agency] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["id"]).queryset = tasks
        leads = lead_agencies if lead_agencies is not None else Agency.objects.filter(is_active=True)
        cast(forms.ModelChoiceField, self.fields["new_lead_agency"]).queryset = leads
        cast(forms.ModelChoiceField, self.fields["new_responsible"]).queryset = _people()
        for name in ("new_lead_agency", "new_responsible"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("days", "reason"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        _pickers(self, "new_lead_agency", "new_responsible")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("action") == self.REASSIGN and not (data.get("new_lead_agency") or data.get("new_responsible")):
            self.add_error("new_lead_agency", _("Choose a new lead executor or a responsible person."))
        if data.get("action") == self.SHIFT:
            if not data.get("days"):
                self.add_error("days", _("Give a non-zero number of days."))
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("Give the reason for moving the deadlines."))
        return data


class PairForm(forms.Form):
    """The counterpart of a task: a task of the same event whose lead agency is on the other side."""

    counterpart = forms.ModelChoiceField(
        label=_("Counterpart on the other side"),
        queryset=Task.objects.none(),
        required=False,
        empty_label=_("No counterpart"),
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["counterpart"])
        field.queryset = pair_candidates(task)
        field.initial = task.counterpart_id
        field.widget.attrs["class"] = "form-select form-select-sm"
        field.widget.attrs.update(PICKER)
        searched_when_long(self, "counterpart", url=reverse("workplan:task_pair_choices", args=[task.pk]))


class ImportUploadForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.all(), error_messages={"required": _("Choose the event.")}
    )
    area = forms.ChoiceField(label=_("Area for rows that name none"), choices=Area.choices, initial=Area.ORGANISATION)
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        error_messages={"required": _("Choose the file to import."), "empty": _("The file is empty.")},
    )


class DecisionTaskForm(forms.Form):
    """Where the new tasks go: the event whose plan they join and their area."""

    event = forms.ModelChoiceField(label=_("Event of the new tasks"), queryset=Event.objects.none())
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices, initial=Area.ORGANISATION)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = meeting.committee.events.all()
        if not events:
            events = Event.objects.all()
        cast(forms.ModelChoiceField, self.fields["event"]).queryset = events
        first = next(iter(events), None)
        if first is not None:
            self.fields["event"].initial = first.pk
