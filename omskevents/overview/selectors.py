"""Reads that combine apps: agencies with their tasks and readiness, a person's calendar feed."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from omskevents.accounts.models import Absence, User
from omskevents.accounts.permissions import absence_people_for, can_manage_absences
from omskevents.accounts.selectors import absences_now
from omskevents.accounts.types import AnyUser
from omskevents.agencies.models import Agency
from omskevents.agencies.permissions import agencies_visible_to
from omskevents.committee.models import Committee, Meeting
from omskevents.committee.selectors import meetings_for_feed
from omskevents.workplan.enums import CLOSED_STATUSES, TaskStatus
from omskevents.workplan.models import Task
from omskevents.workplan.selectors import Readiness, readiness_rows, tasks_visible_to

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
    """Of an agency annotated by `agency_list` / `agency_detail`."""
    counted: int = getattr(agency, "tasks_counted", 0)
    accepted: int = getattr(agency, "tasks_accepted", 0)
    return round(100 * accepted / counted) if counted else 0


def agency_list(user: AnyUser) -> QuerySet[Agency]:
    """The agencies this person may see, with people and task counts in one query."""
    return _with_counts(agencies_visible_to(user).select_related("parent", "head")).order_by("short_name")


def agency_detail(user: AnyUser, pk: int) -> Agency:
    """One agency with its counts; raises Agency.DoesNotExist when not visible."""
    return _with_counts(agencies_visible_to(user).select_related("parent", "head")).get(pk=pk)


def agency_tasks(user: AnyUser, agency: Agency) -> QuerySet[Task]:
    """The tasks the agency leads or co-executes that this person may see."""
    co_executed = Task.co_executors.through.objects.filter(task_id=OuterRef("pk"), agency_id=agency.pk)
    return (
        tasks_visible_to(user)
        .filter(Q(lead_agency=agency) | Q(Exists(co_executed)))
        .select_related("event", "lead_agency", "responsible")
        .order_by("deadline", "pk")
    )


def feed_tasks(user: User) -> QuerySet[Task]:
    """Open tasks the person answers for: as the responsible person, the controller, or through their agency's lead."""
    mine = Q(responsible=user) | Q(controller=user)
    if user.agency_id:
        mine |= Q(lead_agency_id=user.agency_id)
    return (
        tasks_visible_to(user)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(mine)
        .select_related("lead_agency")
        .order_by("deadline", "pk")
    )


def feed_meetings(user: User) -> QuerySet[Meeting]:
    return meetings_for_feed(user)


def working_group_readiness(user: AnyUser, committee: Committee) -> dict[int, Readiness]:
    """Readiness of each working group's tasks that this person may see, from one grouped query."""
    tasks = tasks_visible_to(user).filter(working_group__committee=committee)
    return {
        row["working_group_id"]: Readiness(
            key=row["working_group_id"], label="", accepted=row["accepted"], total=row["total"]
        )
        for row in readiness_rows(tasks, "working_group_id")
    }


def away_now(user: AnyUser, *, today: dt.date) -> list[Absence] | None:
    """Who is away today and who replaces them, for the secretariats (each its own side); None for anyone else."""
    if not can_manage_absences(user):
        return None
    return list(absences_now(today=today).filter(person__in=absence_people_for(user)))
