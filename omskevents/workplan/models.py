"""Tasks (instructions) of the preparation action plan, their progress reports and extension requests."""

import datetime as dt
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from omskevents.core.models import TimeStampedModel
from omskevents.core.validators import validate_plausible_date
from omskevents.events.enums import Area

from .enums import CLOSED_STATUSES, DeadlineAnchor, ExtensionStatus, Priority, TaskSource, TaskStatus


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> "TaskQuerySet":
        return self.exclude(status__in=CLOSED_STATUSES)

    def overdue(self, today: dt.date) -> "TaskQuerySet":
        return self.open().filter(deadline__lt=today)

    def due_between(self, start: dt.date, end: dt.date) -> "TaskQuerySet":
        return self.open().filter(deadline__gte=start, deadline__lte=end)


class Task(TimeStampedModel):
    event = models.ForeignKey("events.Event", verbose_name=_("event"), on_delete=models.PROTECT, related_name="tasks")
    number = models.CharField(_("item No."), max_length=20, blank=True)
    area = models.CharField(_("area"), max_length=30, choices=Area.choices)
    working_group = models.ForeignKey(
        "committee.WorkingGroup",
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    title = models.CharField(_("task"), max_length=1000)
    description = models.TextField(_("description"), blank=True)
    lead_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("lead executor"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_tasks",
    )
    co_executors = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("co-executors"), blank=True, related_name="co_executed_tasks"
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("controller"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="controlled_tasks",
    )
    deadline = models.DateField(_("deadline"), db_index=True, validators=[validate_plausible_date])
    deadline_anchor = models.CharField(
        _("deadline is"), max_length=10, choices=DeadlineAnchor.choices, default=DeadlineAnchor.NONE, blank=True
    )
    deadline_offset_days = models.IntegerField(
        _("days from the event"),
        null=True,
        blank=True,
        help_text=_("Negative: before the event (−45 is 45 days before its start)."),
    )
    deadline_note = models.CharField(_("deadline note"), max_length=255, blank=True)
    is_follow_up = models.BooleanField(
        _("post-event follow-up"), default=False, help_text=_("Allows a deadline after the event's end.")
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=TaskSource.choices, default=TaskSource.ACTION_PLAN)
    source_decision = models.OneToOneField(
        "committee.Decision",
        verbose_name=_("meeting decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task",
    )
    # The same item's task on the other side (a Russian agency's ↔ a Kazakh agency's). Both tasks point at each
    # other: services.task_pair writes the two links together; the one-to-one keeps a task in one pair at most.
    counterpart = models.OneToOneField(
        "self",
        verbose_name=_("counterpart on the other side"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subtasks",
    )
    depends_on = models.ManyToManyField(
        "self", verbose_name=_("depends on"), symmetrical=False, blank=True, related_name="blocks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(verbose_name=_("historical task"), m2m_fields=[co_executors])
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "pk"]
        indexes = [
            # One per sort the action plan offers (workplan.selectors.SORTS), read forwards or backwards, so that
            # a page is an index walk of OFFSET + 50 entries instead of a sort of every row.
            models.Index(fields=["deadline", "id"], name="task_sort_deadline"),
            models.Index(fields=["number", "id"], name="task_sort_number"),
            models.Index(fields=["title", "id"], name="task_sort_title"),
            models.Index(
                fields=["status", "deadline", "id"], name="task_sort_status"
            ),  # also the scans' (status, deadline)
            models.Index(fields=["-status", "deadline", "id"], name="task_sort_status_desc"),
            models.Index(fields=["lead_agency", "status"], name="task_lead_status"),
            models.Index(fields=["event", "area"], name="task_event_area"),
            models.Index(fields=["updated"], name="task_updated"),  # the reminder scan's tasks written since
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(counterpart=models.F("id")),
                name="task_not_own_counterpart",
                violation_error_message=_("A task cannot be its own counterpart."),
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="task_not_own_parent",
                violation_error_message=_("A task cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=models.Q(deadline_anchor="", deadline_offset_days__isnull=True)
                | (~models.Q(deadline_anchor="") & models.Q(deadline_offset_days__isnull=False)),
                name="task_relative_deadline_complete",
                violation_error_message=_("A relative deadline needs both the anchor and the number of days."),
            ),
            models.CheckConstraint(
                condition=~models.Q(source="decision") | models.Q(source_decision__isnull=False),
                name="task_decision_source_linked",
                violation_error_message=_("A task from a meeting decision must name the decision."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("workplan:task_detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.event_id and self.deadline and not self.is_follow_up and self.deadline > self.event.end_date:
            errors.setdefault("deadline", []).append(
                _(
                    "The deadline is after the event ends (%(end)s). Mark the task as a post-event follow-up "
                    "to allow it."
                )
                % {"end": self.event.end_date.strftime("%d.%m.%Y")}
            )
        if self.pk and self.parent_id == self.pk:
            errors.setdefault("parent", []).append(_("A task cannot be its own parent."))
        if errors:
            raise ValidationError(errors)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random stored name: the user's file name is kept in `original_name`, never in the path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ProgressReport(TimeStampedModel):
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    text = models.TextField(_("report"))
    is_final = models.BooleanField(_("report of completion"), default=False)

    history = HistoricalRecords(verbose_name=_("historical progress report"))

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created"]

    def __str__(self) -> str:
        return _("Report of %(date)s") % {"date": self.created.strftime("%d.%m.%Y") if self.created else "—"}


class Attachment(TimeStampedModel):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class ExtensionRequest(TimeStampedModel):
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    old_deadline = models.DateField(_("current deadline"))
    new_deadline = models.DateField(_("requested deadline"), validators=[validate_plausible_date])
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("decision"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    history = HistoricalRecords(verbose_name=_("historical extension request"))

    class Meta:
        verbose_name = _("deadline extension request")
        verbose_name_plural = _("deadline extension requests")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_deadline__gt=models.F("old_deadline")),
                name="extension_moves_deadline_later",
                violation_error_message=_("The requested deadline must be later than the current one."),
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(status="pending"),
                name="extension_one_pending_per_task",
                violation_error_message=_("This task already has an extension request awaiting a decision."),
            ),
        ]

    def __str__(self) -> str:
        return _("Extension to %(date)s") % {"date": self.new_deadline.strftime("%d.%m.%Y")}


class TaskComment(TimeStampedModel):
    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    text = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created"]

    def __str__(self) -> str:
        return self.text[:50]
