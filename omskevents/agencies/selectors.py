"""Reads of agencies as their pages show them: people, tasks and readiness, counted in the database."""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from omskevents.accounts.models import User
from omskevents.workplan.enums import TaskStatus
from omskevents.workplan.models import Task
from omskevents.workplan.selectors import tasks_visible_to

from .models import Agency
from .permissions import agencies_visible_to

# Readiness is the accepted share of the tasks an agency leads, cancelled tasks left out.
_LED_ACCEPTED = Q(led_tasks__status=TaskStatus.ACCEPTED)
_LED_COUNTED = ~Q(led_tasks__status=TaskStatus.CANCELLED)


def _with_counts(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    return agencies.annotate(
        people_count=Count("people", filter=Q(people__is_active=True), distinct=True),
        tasks_accepted=Count("led_tasks", filter=_LED_ACCEPTED, distinct=True),
        tasks_counted=Count("led_tasks", filter=_LED_COUNTED, distinct=True),
        tasks_co_executed=Count("co_executed_tasks", distinct=True),
    )


def readiness_percent(agency: Agency) -> int:
    counted = getattr(agency, "tasks_counted", 0)
    return round(100 * agency.tasks_accepted / counted) if counted else 0  # type: ignore[attr-defined]


def agency_list(user: Any) -> QuerySet[Agency]:
    """The agencies this person may see, with people and task counts in one query."""
    return _with_counts(agencies_visible_to(user).select_related("parent", "head")).order_by("short_name")


def agency_detail(user: Any, pk: int) -> Agency:
    """One agency with its counts; raises Agency.DoesNotExist when not visible."""
    return _with_counts(agencies_visible_to(user).select_related("parent", "head")).get(pk=pk)


def agency_people(agency: Agency) -> QuerySet[User]:
    return User.objects.filter(agency=agency, is_active=True).order_by("last_name", "first_name")


def agency_tasks(user: Any, agency: Agency) -> QuerySet[Task]:
    """The tasks the agency leads or co-executes that this person may see, marked with the agency's part."""
    co_executed = Task.co_executors.through.objects.filter(task_id=OuterRef("pk"), agency_id=agency.pk)
    return (
        tasks_visible_to(user)
        .filter(Q(lead_agency=agency) | Q(Exists(co_executed)))
        .select_related("event", "lead_agency", "responsible")
        .order_by("deadline", "pk")
    )
