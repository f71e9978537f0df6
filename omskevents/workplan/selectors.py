"""Reads of tasks: the agency scope every page, export and admin view goes through."""

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from omskevents.accounts.permissions import is_secretariat

from .enums import CLOSED_STATUSES
from .models import Attachment, ExtensionRequest, ProgressReport, Task


def _agency_scope(agency_id: int) -> Q:
    co_executed = Task.co_executors.through.objects.filter(task_id=OuterRef("pk"), agency_id=agency_id)
    return Q(lead_agency_id=agency_id) | Q(Exists(co_executed))


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    """Every task for the secretariat; for agency people, the tasks their agency leads or co-executes."""
    if is_secretariat(user):
        return Task.objects.all()
    if getattr(user, "is_authenticated", False) and user.is_active and user.agency_id:
        return Task.objects.filter(_agency_scope(user.agency_id))
    return Task.objects.none()


def reports_visible_to(user: Any) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=tasks_visible_to(user).values("pk"))


def attachments_visible_to(user: Any) -> QuerySet[Attachment]:
    return Attachment.objects.filter(report__task__in=tasks_visible_to(user).values("pk"))


def extension_requests_visible_to(user: Any) -> QuerySet[ExtensionRequest]:
    return ExtensionRequest.objects.filter(task__in=tasks_visible_to(user).values("pk"))


def task_list(user: Any) -> QuerySet[Task]:
    """The task list as pages show it: related rows loaded in the same query."""
    return (
        tasks_visible_to(user)
        .select_related("event", "lead_agency", "responsible", "controller")
        .prefetch_related("co_executors")
    )


def tasks_overdue(user: Any, *, today: dt.date) -> QuerySet[Task]:
    return task_list(user).filter(deadline__lt=today).exclude(status__in=CLOSED_STATUSES)
