"""The ministries' admin for tasks, progress reports and extension requests.

Who sees and does what is decided by `permissions.py` and `selectors.py`; every write goes through
`services.py`. Agency people see their agency's tasks, may move them through the workflow, report with
files and ask for more time; the secretariat edits tasks and decides on extensions.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from omskevents.accounts.models import User
from omskevents.accounts.types import admin_user
from omskevents.core.admin import (
    NamesFilter,
    PredicateAdminMixin,
    ScopedHistoryMixin,
    ServiceFormMixin,
    adopt,
    call_service,
)
from omskevents.core.cache import data_version, names_version
from omskevents.core.forms import MultipleFileField
from omskevents.core.pagination import VersionedCountPaginator

from . import permissions, selectors, services
from .enums import ExtensionStatus, TaskStatus
from .models import Attachment, ExtensionRequest, ProgressReport, Task
from .uploads import check_upload_batch, inspect_upload


def _user(request: HttpRequest) -> User:
    return admin_user(request)


# --- Forms ------------------------------------------------------------------------------------------


class ReportInlineForm(forms.ModelForm):
    # A declared field, which the form metaclass moves into base_fields: BaseForm.files (the uploads) stays.
    files = MultipleFileField(  # type: ignore[assignment]  # the stubs see it as overriding BaseForm.files
        label=_("files"), required=False, help_text=_("PDF, DOCX, XLSX, PNG or JPEG.")
    )

    class Meta:
        model = ProgressReport
        fields = ("text", "is_final")

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data.get("files") or []
        errors = []
        for upload in files:
            try:
                inspect_upload(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        check_upload_batch(files)
        return files


class ExtensionInlineForm(forms.ModelForm):
    class Meta:
        model = ExtensionRequest
        fields = ("new_deadline", "reason")


# --- Filters ----------------------------------------------------------------------------------------


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.overdue(today)
        if self.value() == "no":
            return queryset.exclude(pk__in=Task.objects.overdue(today).values("pk"))
        return queryset


# --- Inlines ----------------------------------------------------------------------------------------


class ProgressReportInline(PredicateAdminMixin, admin.StackedInline):
    """Reports on the task: read-only once written; executors add new ones (with files) here."""

    model = ProgressReport
    form = ReportInlineForm
    extra = 1
    can_delete = False
    # "files" is the upload field of a new report; a saved report (shown read-only) lists its files there.
    fields = ("text", "is_final", "files", "author", "created")
    readonly_fields = ("author", "created")
    verbose_name = _("progress report")
    verbose_name_plural = _("progress reports")

    def scope(self, request: HttpRequest) -> Any:
        return selectors.reports_visible_to(_user(request)).select_related("author").prefetch_related("attachments")

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or permissions.can_view_task(_user(request), obj)

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and permissions.can_report_progress(_user(request), obj)

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1 if self.may_add(request, obj) else 0

    @admin.display(description=_("files"))
    def files(self, report: ProgressReport) -> str:
        if report.pk is None:
            return "—"
        # Links to the download view, which checks again who may see the task.
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a> ({} KB)',
            (
                (reverse("workplan:attachment_download", args=[a.pk]), a.original_name, a.size // 1024 or 1)
                for a in report.attachments.all()
            ),
        )
        return links or "—"


class ExtensionRequestInline(PredicateAdminMixin, admin.TabularInline):
    """Extension requests on the task: the lead executor asks here; the secretariat decides in their admin."""

    model = ExtensionRequest
    form = ExtensionInlineForm
    extra = 0
    can_delete = False
    fields = ("new_deadline", "reason", "old_deadline", "requested_by", "status", "decision_note")
    readonly_fields = ("old_deadline", "requested_by", "status", "decision_note")
    verbose_name = _("deadline extension request")
    verbose_name_plural = _("deadline extension requests")

    def scope(self, request: HttpRequest) -> Any:
        return selectors.extension_requests_visible_to(_user(request)).select_related("requested_by")

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or permissions.can_view_task(_user(request), obj)

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and permissions.can_request_extension(_user(request), obj)

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1 if self.may_add(request, obj) else 0


class AttachmentInline(PredicateAdminMixin, admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ("download", "content_type", "size", "created")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, attachment: Attachment) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("workplan:attachment_download", args=[attachment.pk]),
            attachment.original_name,
        )

    def scope(self, request: HttpRequest) -> Any:
        return selectors.attachments_visible_to(_user(request))

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or permissions.can_view_task(_user(request), obj.task)


# --- Tasks ------------------------------------------------------------------------------------------

# What an executor sees on a task. Parent and dependencies are left out: they may name other agencies' tasks.
EXECUTOR_FIELDSETS = (
    (None, {"fields": ("event", "number", "title", "description", "area", "working_group")}),
    (_("Executors"), {"fields": ("lead_agency", "co_executors", "responsible", "controller")}),
    (_("Deadline and status"), {"fields": ("deadline", "deadline_note", "priority", "status", "status_changed_at")}),
    (_("Source"), {"fields": ("source", "source_decision")}),
)
SECRETARIAT_FIELDSETS = (
    (None, {"fields": ("event", "number", "title", "description", "area", "working_group")}),
    (_("Executors"), {"fields": ("lead_agency", "co_executors", "responsible", "controller")}),
    (
        _("Deadline"),
        {"fields": ("deadline", "deadline_anchor", "deadline_offset_days", "is_follow_up", "deadline_note")},
    ),
    (_("Status"), {"fields": ("priority", "status", "status_changed_at")}),
    (_("Source and links"), {"fields": ("source", "source_decision", "parent", "depends_on")}),
    (_("Record"), {"fields": ("created_by", "created", "updated")}),
)
SECRETARIAT_READONLY = ("deadline_note", "status_changed_at", "created_by", "created", "updated")


class TaskChangeList(ChangeList):
    """The task list reads only what keys and sorts its rows (the row cache has the rest); the rows it must
    render are loaded whole in one query (`row_objects`, used by `{% cached_result_list %}`)."""

    KEY_FIELDS = ("id", "updated", "number", "title", "deadline", "status", "priority", "area")

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> Any:
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.select_related(None).only(*self.KEY_FIELDS)

    def row_objects(self, ids: list[int]) -> dict[int, Task]:
        related = self.list_select_related if isinstance(self.list_select_related, list | tuple) else ()
        tasks = Task.objects.filter(pk__in=ids).select_related(*related).defer("description", "deadline_note")
        return {task.pk: task for task in tasks}


@admin.register(Task)
class TaskAdmin(ServiceFormMixin, ScopedHistoryMixin, PredicateAdminMixin, SimpleHistoryAdmin):
    # As the action plan reads: the task with its event and area gets the width, the deadline (with its state)
    # and the status stay compact (static/css/admin-tasks.css); nothing is cut at 1280 px.
    list_display = ("number", "task", "lead_agency", "responsible", "deadline_state", "status_badge")
    list_display_links = ("number", "task")
    # Plain related filters: the "only related" kind reads the event and lead of every visible task (10,000
    # rows) to list the few there are; events and agencies are short lists everyone may see anyway.
    list_filter = ("status", ("event", NamesFilter), "area", ("lead_agency", NamesFilter), "priority", OverdueFilter)
    search_fields = ("number", "title", "description", "lead_agency__short_name")
    autocomplete_fields = ("event", "lead_agency", "co_executors", "responsible", "controller", "parent", "depends_on")
    date_hierarchy = "deadline"
    list_select_related = ("event", "lead_agency", "responsible")
    list_per_page = 50
    # The count of every visible task besides the filtered one is a second COUNT over the scope on each page.
    show_full_result_count = False
    inlines = (ProgressReportInline, ExtensionRequestInline)
    history_list_display = ("status", "deadline")

    class Media:
        css = {"all": ("css/admin-tasks.css",)}

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return TaskChangeList

    def get_paginator(self, request: HttpRequest, queryset: Any, per_page: int, *args: Any, **kwargs: Any) -> Any:
        # The list's count (a COUNT over the viewer's whole scope: for a ministry, its tasks and those it co-executes,
        # which PostgreSQL reads by scanning every task) is the same for every page and every viewer of one scope
        # asking the same filters, until a write changes the data version.
        asked = sorted((name, values) for name, values in request.GET.lists() if name not in ("p", "o", "e"))
        # The address is part of the key: Django's history pages page their own lists through this method too.
        scope = selectors.task_scope_key(_user(request))
        parts = ("admin-task-list", request.path, scope, asked, timezone.localdate().isoformat())
        return VersionedCountPaginator(queryset, per_page, *args, count_parts=parts, **kwargs)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        # The date hierarchy (two queries over every task in scope) and the filter sidebar are the same for every
        # viewer of one scope asking the same thing: change_list.html caches them under this key, which holds
        # the data and names versions (any write to a task, an agency, a person or an event makes a new one).
        fragment_key = (
            data_version(),
            names_version(),
            selectors.task_scope_key(_user(request)),
            sorted(request.GET.lists()),
            get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
        )
        context = {**(extra_context or {}), "task_list_fragment_key": repr(fragment_key)}
        return super().changelist_view(request, extra_context=context)

    # The list's columns ------------------------------------------------------------------------------
    @admin.display(description=_("task"), ordering="title")
    def task(self, task: Task) -> str:
        return format_html('{}<span class="task-meta">{} · {}</span>', task.title, task.event, task.get_area_display())

    @admin.display(description=_("deadline"), ordering="deadline")
    def deadline_state(self, task: Task) -> str:
        state = selectors.task_deadline_state(task, today=timezone.localdate())
        flag = ""
        if state == "overdue":
            flag = format_html('<span class="deadline-flag deadline-overdue">{}</span>', gettext("Overdue"))
        elif state == "due_soon":
            flag = format_html('<span class="deadline-flag deadline-due-soon">{}</span>', gettext("Due soon"))
        return format_html('<span class="deadline-date">{}</span>{}', f"{task.deadline:%d.%m.%Y}", flag)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, task: Task) -> str:
        return format_html(
            '<span class="status-badge status-badge-{}">{}</span>', task.status, task.get_status_display()
        )

    # Permissions ---------------------------------------------------------------------------------
    def scope(self, request: HttpRequest) -> Any:
        return selectors.tasks_visible_to(_user(request))

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        user = _user(request)
        if obj is None:
            return permissions.can_view_tasks(user)
        return permissions.can_view_task(user, obj)

    def may_add(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_create_task(_user(request))

    def may_change(self, request: HttpRequest, obj: Any = None) -> bool:
        user = _user(request)
        if obj is None:
            return permissions.can_edit_task(user)
        return permissions.can_edit_task(user, obj) or permissions.can_work_on_task(user, obj)

    def may_delete(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_delete_task(_user(request), obj)

    def may_revert(self, request: HttpRequest, obj: Any) -> bool:
        return permissions.can_edit_task(_user(request), obj)

    # The form ------------------------------------------------------------------------------------
    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if permissions.can_edit_task(_user(request), obj):
            if obj is None:  # a new task starts as assigned
                return [(n, {"fields": [f for f in o["fields"] if f != "status"]}) for n, o in SECRETARIAT_FIELDSETS]
            return SECRETARIAT_FIELDSETS
        return EXECUTOR_FIELDSETS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        user = _user(request)
        if permissions.can_edit_task(user, obj):
            readonly = list(SECRETARIAT_READONLY)
        else:
            readonly = [f for _name, opts in EXECUTOR_FIELDSETS for f in opts["fields"] if f != "status"]
        if obj is not None and not permissions.status_targets(user, obj):
            readonly.append("status")
        return readonly

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        status = form.base_fields.get("status")
        if status is not None and obj is not None:
            # Only the statuses the workflow lets this user reach (and the current one) are offered.
            targets = [obj.status, *permissions.status_targets(_user(request), obj)]
            status.choices = [(value, TaskStatus(value).label) for value in targets]
        return form

    # Saving: every write through the services ------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: Task, form: Any, change: bool) -> None:
        user = _user(request)
        data = form.cleaned_data
        # The services write the many-to-many fields themselves; the form must not write them again
        # (simple-history's revert view calls save_m2m directly).
        form.save_m2m = lambda: None
        if not change:
            fields = {name: data[name] for name in services.EDITABLE_FIELDS if name in data}
            task = call_service(
                services.task_create,
                actor=user,
                co_executors=list(data.get("co_executors") or ()),
                depends_on=list(data.get("depends_on") or ()),
                **fields,
            )
            adopt(obj, task)
            return
        if not permissions.can_edit_task(user, obj):
            return  # an executor's only field, the status, is applied in save_related after the reports
        # Compared with the stored task, not the form's initial data: a revert starts from an old version.
        current = Task.objects.prefetch_related("co_executors", "depends_on").get(pk=obj.pk)
        fields = {
            name: data[name]
            for name in services.EDITABLE_FIELDS
            if name in data and data[name] != getattr(current, name)
        }
        extra: dict[str, Any] = {}
        for name in ("co_executors", "depends_on"):
            if name in data and {o.pk for o in data[name]} != {o.pk for o in getattr(current, name).all()}:
                extra[name] = list(data[name])
        if fields or extra:
            task = call_service(services.task_update, actor=user, task=obj, **fields, **extra)
            adopt(obj, task)
        if getattr(request, "_history_revert", False) and data.get("status", current.status) != current.status:
            self._change_status(request, obj, form)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        if change and "status" in form.changed_data:
            self._change_status(request, form.instance, form)

    def _change_status(self, request: HttpRequest, obj: Task, form: Any) -> None:
        task = call_service(
            services.task_change_status, actor=_user(request), task=obj, status=form.cleaned_data["status"]
        )
        adopt(obj, task)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        user = _user(request)
        task = form.instance
        new_forms = [
            f for f in formset.forms if f.instance.pk is None and f.has_changed() and not formset._should_delete_form(f)
        ]
        # The admin's change message reads these lists, which formset.save() would have filled.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in new_forms:
            data = row.cleaned_data
            if formset.model is ProgressReport:
                created = call_service(
                    services.task_report_progress,
                    actor=user,
                    task=task,
                    text=data.get("text", ""),
                    files=data.get("files") or [],
                    is_final=bool(data.get("is_final")),
                )
            elif formset.model is ExtensionRequest:
                created = call_service(
                    services.task_request_extension,
                    actor=user,
                    task=task,
                    new_deadline=data["new_deadline"],
                    reason=data.get("reason", ""),
                )
            else:  # pragma: no cover - every inline above is handled
                raise PermissionDenied
            formset.new_objects.append(created)

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, task: Task) -> bool:
        return not task.is_closed and task.deadline < timezone.localdate()


# --- Progress reports -------------------------------------------------------------------------------


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedHistoryMixin, PredicateAdminMixin, SimpleHistoryAdmin):
    """Reports are a record: read here, written on the task's page, never edited afterwards."""

    list_display = ("task", "task_lead_agency", "author", "created", "is_final")
    list_filter = ("is_final", ("task__event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("text", "task__title", "task__number")
    date_hierarchy = "created"
    list_select_related = ("task__lead_agency", "author")
    fields = ("task", "author", "text", "is_final", "created")
    readonly_fields = fields
    inlines = (AttachmentInline,)

    def scope(self, request: HttpRequest) -> Any:
        return selectors.reports_visible_to(_user(request))

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        user = _user(request)
        if obj is None:
            return permissions.can_view_tasks(user)
        return permissions.can_view_task(user, obj.task)

    @admin.display(description=_("lead executor"), ordering="task__lead_agency__short_name")
    def task_lead_agency(self, report: ProgressReport) -> str:
        return str(report.task.lead_agency)


# --- Extension requests -----------------------------------------------------------------------------


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ScopedHistoryMixin, PredicateAdminMixin, SimpleHistoryAdmin):
    """Requests are made on the task's page; the secretariat decides here with the actions."""

    list_display = ("task", "old_deadline", "new_deadline", "requested_by", "status", "decided_by", "created")
    list_filter = ("status", ("task__event", admin.RelatedOnlyFieldListFilter))
    search_fields = ("task__title", "task__number", "reason")
    date_hierarchy = "created"
    list_select_related = ("task", "requested_by", "decided_by")
    fields = (
        "task",
        "old_deadline",
        "new_deadline",
        "reason",
        "requested_by",
        "status",
        "decided_by",
        "decided_at",
        "decision_note",
    )
    readonly_fields = fields
    actions = ("approve", "reject")

    def scope(self, request: HttpRequest) -> Any:
        return selectors.extension_requests_visible_to(_user(request))

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        user = _user(request)
        if obj is None:
            return permissions.can_view_tasks(user)
        return permissions.can_view_task(user, obj.task)

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return permissions.can_decide_extension(_user(request))

    def _decide(self, request: HttpRequest, queryset: Any, *, approve: bool) -> None:
        done = 0
        for extension in queryset.filter(status=ExtensionStatus.PENDING):
            try:
                services.extension_decide(actor=_user(request), request=extension, approve=approve)
            except (ValidationError, PermissionDenied) as error:
                detail = "; ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{extension.task}: {detail}", messages.ERROR)
            else:
                done += 1
        if done:
            text = (
                ngettext("%(count)d request approved.", "%(count)d requests approved.", done)
                if approve
                else ngettext("%(count)d request rejected.", "%(count)d requests rejected.", done)
            )
            self.message_user(request, text % {"count": done}, messages.SUCCESS)
        else:
            self.message_user(request, gettext("No pending requests were selected."), messages.WARNING)

    @admin.action(description=_("Approve the selected requests (move the deadlines)"), permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected requests"), permissions=["decide"])
    def reject(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, approve=False)
