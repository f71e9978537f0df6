"""Reads of tasks: the agency scope every page, export and admin view goes through."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, prefetch_related_objects
from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.accounts.permissions import is_secretariat
from omskevents.accounts.types import AnyUser
from omskevents.agencies.models import Agency
from omskevents.committee.models import Decision, Meeting
from omskevents.events.enums import Area
from omskevents.events.models import Event

from . import permissions
from .enums import CLOSED_STATUSES, TaskStatus
from .models import Attachment, ExtensionRequest, ProgressReport, Task, TaskComment, TaskQuerySet
from .search import task_search


def _agency_scope(agency_id: int) -> Q:
    # An uncorrelated IN, not a correlated EXISTS: PostgreSQL reads the agency's co-executed tasks once (a
    # hashed subplan) instead of probing the through table for every task.
    co_executed = Task.co_executors.through.objects.filter(agency_id=agency_id).values("task_id")
    return Q(lead_agency_id=agency_id) | Q(pk__in=co_executed)


def tasks_visible_to(user: AnyUser) -> TaskQuerySet:
    """Every task for the secretariat; for the Kazakh secretariat, the tasks Kazakh agencies lead; for agency
    people, the tasks their agency leads or co-executes."""
    if is_secretariat(user):
        return Task.objects.all()
    side = permissions.steered_side(user)
    if side is not None:
        return Task.objects.filter(lead_agency__country=side)
    if user.is_authenticated and user.is_active and user.agency_id:
        return Task.objects.filter(_agency_scope(user.agency_id))
    return Task.objects.none()


def task_scope_key(user: AnyUser) -> str:
    """What decides which tasks a user sees, as a cache key part: every secretariat member sees the same."""
    if is_secretariat(user):
        return "all"
    side = permissions.steered_side(user)
    if side is not None:
        return f"side:{side}"
    if user.is_authenticated and user.is_active and user.agency_id:
        return f"agency:{user.agency_id}"
    return "none"


def filter_agencies_for(user: AnyUser) -> QuerySet[Agency]:
    """The agencies the action plan's filter offers: all of them to the secretariat; to agency people their own
    agency and those named (as lead or co-executor) on a task they may see, and no other."""
    if is_secretariat(user):
        return Agency.objects.all()
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return Agency.objects.none()
    # Agency people, and a side's secretariat (no agency of its own): what the tasks they may see name.
    visible = tasks_visible_to(user).values("pk")
    led = Task.objects.filter(pk__in=visible, lead_agency_id=OuterRef("pk"))
    co_executed = Task.co_executors.through.objects.filter(task_id__in=visible, agency_id=OuterRef("pk"))
    return Agency.objects.filter(Q(pk=user.agency_id) | Q(Exists(led)) | Q(Exists(co_executed)))


def filter_people_for(user: AnyUser) -> QuerySet[User]:
    """The people the filter offers as responsible or controller: every active person to the secretariat; to
    agency people those named as responsible or controller on a task they may see."""
    people = User.objects.filter(is_active=True)
    if is_secretariat(user):
        return people
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return User.objects.none()
    visible = tasks_visible_to(user).values("pk")
    named = Task.objects.filter(Q(responsible_id=OuterRef("pk")) | Q(controller_id=OuterRef("pk")), pk__in=visible)
    return people.filter(Exists(named))


def lead_agencies_for(user: AnyUser) -> QuerySet[Agency]:
    """The agencies a secretariat may make lead executors: every active one, or its side's."""
    agencies = Agency.objects.filter(is_active=True)
    side = permissions.steered_side(user)
    return agencies.filter(country=side) if side is not None else agencies


def reports_visible_to(user: AnyUser) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=tasks_visible_to(user).values("pk"))


def attachments_visible_to(user: AnyUser) -> QuerySet[Attachment]:
    return Attachment.objects.filter(report__task__in=tasks_visible_to(user).values("pk"))


def extension_requests_visible_to(user: AnyUser) -> QuerySet[ExtensionRequest]:
    return ExtensionRequest.objects.filter(task__in=tasks_visible_to(user).values("pk"))


def attachment_bytes_of(user: User) -> int:
    """What the files of this person's reports take in storage, in bytes (their quota's use)."""
    used = Attachment.objects.filter(report__author=user).aggregate(total=Sum("size"))["total"]
    return int(used or 0)


def task_list(user: AnyUser) -> QuerySet[Task]:
    """The task list as pages show it: related rows loaded in the same query."""
    return (
        tasks_visible_to(user)
        .select_related("event", "lead_agency", "responsible", "controller")
        .prefetch_related("co_executors")
    )


def tasks_overdue(user: AnyUser, *, today: dt.date) -> QuerySet[Task]:
    return task_list(user).filter(deadline__lt=today).exclude(status__in=CLOSED_STATUSES)


# --- Readiness: the one definition every page uses -------------------------------------------------

ACCEPTED_FILTER = Q(status=TaskStatus.ACCEPTED)
COUNTED_FILTER = ~Q(status=TaskStatus.CANCELLED)


@dataclass(frozen=True)
class Readiness:
    """Readiness is accepted tasks over all tasks that are not cancelled."""

    key: int | str
    label: str
    accepted: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.accepted / self.total) if self.total else 0


def readiness_rows(tasks: QuerySet[Task], *group_by: str) -> list[dict[str, Any]]:
    """Accepted and counted tasks per group, in one query."""
    return list(
        tasks.order_by()
        .values(*group_by)
        .annotate(accepted=Count("pk", filter=ACCEPTED_FILTER), total=Count("pk", filter=COUNTED_FILTER))
        .order_by(*group_by)
    )


# --- The action plan: filters, search and sorting ---------------------------------------------------

SORTS: dict[str, tuple[str, ...]] = {
    "deadline": ("deadline", "pk"),
    "-deadline": ("-deadline", "-pk"),
    "number": ("number", "pk"),
    "-number": ("-number", "-pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "status": ("status", "deadline", "pk"),
    "-status": ("-status", "deadline", "pk"),
    "lead": ("lead_agency__short_name", "deadline", "pk"),
    "-lead": ("-lead_agency__short_name", "deadline", "pk"),
    "relevance": ("deadline", "pk"),  # with a search: the best answers first (workplan.search); without: by deadline
}
DUE_SOON_DAYS = 14


@dataclass
class TaskFilter:
    """What the action plan, its exports and bulk actions are narrowed to; every field is optional."""

    event: Event | None = None
    area: str = ""
    agency: Agency | None = None
    status: Sequence[str] = ()
    responsible: User | None = None
    controller: User | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    overdue: bool = False
    q: str = ""
    ids: Sequence[int] | None = None  # the ticked rows; None: no rows ticked, an empty list: none of them exists
    sort: str = "deadline"
    extra: dict[str, Any] = field(default_factory=dict)


def tasks_filter(tasks: QuerySet[Task], flt: TaskFilter, *, today: dt.date) -> QuerySet[Task]:
    if flt.event:
        tasks = tasks.filter(event=flt.event)
    if flt.area:
        tasks = tasks.filter(area=flt.area)
    if flt.agency:
        tasks = tasks.filter(_agency_scope(flt.agency.pk))
    if flt.status:
        tasks = tasks.filter(status__in=list(flt.status))
    if flt.responsible:
        tasks = tasks.filter(responsible=flt.responsible)
    if flt.controller:
        tasks = tasks.filter(controller=flt.controller)
    if flt.due_from:
        tasks = tasks.filter(deadline__gte=flt.due_from)
    if flt.due_to:
        tasks = tasks.filter(deadline__lte=flt.due_to)
    if flt.overdue:
        tasks = tasks.filter(deadline__lt=today).exclude(status__in=CLOSED_STATUSES)
    if flt.ids is not None:
        tasks = tasks.filter(pk__in=list(flt.ids))
    query = flt.q.strip()
    if query:
        # The search (workplan.search) ranks the rows itself when the sort is "relevance".
        tasks = task_search(tasks, query, rank=flt.sort == "relevance")
        if flt.sort == "relevance":
            return tasks
    return tasks.order_by(*SORTS.get(flt.sort, SORTS["deadline"]))


def task_table(user: AnyUser, flt: TaskFilter, *, today: dt.date) -> QuerySet[Task]:
    """The action plan's rows for this user: scope, filter, order, with what the table shows loaded."""
    return tasks_filter(task_list(user), flt, today=today).select_related("working_group")


# The columns the action plan's page query reads: what keys a cached row (its id and `updated` stamp), what
# marks it (status, deadline) and what a sort may order by; the rest of a row comes from the row cache.
TABLE_KEY_FIELDS = ("id", "updated", "status", "deadline", "number", "title")


def task_table_keys(user: AnyUser, flt: TaskFilter, *, today: dt.date) -> QuerySet[Task]:
    """The action plan's rows for this user in order, with only the columns in TABLE_KEY_FIELDS."""
    return tasks_filter(tasks_visible_to(user), flt, today=today).only(*TABLE_KEY_FIELDS)


def task_link_choices(tasks: QuerySet[Task], *, exclude: int | None = None) -> QuerySet[Task]:
    """The tasks a task may name as its parent or as what it depends on (of `tasks`, itself left out), in the
    task form's order: by event, then deadline."""
    choices = tasks.select_related("event").order_by("event__start_date", "deadline", "pk")
    return choices.exclude(pk=exclude) if exclude is not None else choices


def task_choice_search(tasks: QuerySet[Task], query: str, *, limit: int) -> list[Task]:
    """The first `limit` of `tasks` (in their order) that a picker offers for what the person typed: found by the
    plan's search (words of the title and description in any of their forms, the agencies, the people) or by
    the beginning of the number ("2.1" finds 2.1, 2.10…)."""
    query = query.strip()[:100]
    if query:
        by_words = task_search(tasks.order_by(), query, rank=False).values("pk")
        tasks = tasks.filter(Q(pk__in=by_words) | Q(number__istartswith=query))
    return list(tasks[:limit])


def pair_candidates(task: Task) -> QuerySet[Task]:
    """The tasks that may be paired with `task`: of its event, led by an agency of the other side."""
    other_side = {"RU": "KZ", "KZ": "RU"}.get(task.lead_agency.country, "")
    return (
        Task.objects.filter(event_id=task.event_id, lead_agency__country=other_side)
        .select_related("lead_agency")
        .order_by("number", "pk")
    )


def task_last_report_texts(tasks: Sequence[Task]) -> dict[int, str]:
    """The text of each task's latest progress report, for the 'note on execution' column (one query)."""
    latest = ProgressReport.objects.filter(task=OuterRef("task")).order_by("-created", "-pk").values("pk")[:1]
    rows = ProgressReport.objects.filter(task__in=[t.pk for t in tasks], pk=Subquery(latest)).values_list(
        "task_id", "text"
    )
    return dict(rows)


def task_deadline_state(task: Task, *, today: dt.date) -> str:
    """'overdue', 'due_soon' or '' — how the lists mark a row."""
    if task.status in CLOSED_STATUSES:
        return ""
    if task.deadline < today:
        return "overdue"
    if task.deadline <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return ""


# --- One task's page ---------------------------------------------------------------------------------


def task_for_action(user: AnyUser, pk: int) -> Task | None:
    """One task a posted form acts on (a comment, a report, a status move), within the user's scope as on its
    page, with the event and the people and agency it names; nothing of what only the page lists."""
    return (
        tasks_visible_to(user).select_related("event", "lead_agency", "responsible", "controller").filter(pk=pk).first()
    )


def task_for_page(user: AnyUser, pk: int) -> Task | None:
    """One task with what its page shows. The related tasks (parent, depends on, blocks, sub-tasks) are only
    those this user may see, as `visible_parent`, `visible_depends_on`, `visible_blocks`, `visible_subtasks`:
    a task of another agency is never named on the page, not even by its title or number."""
    task = (
        tasks_visible_to(user)
        # Joined: what every task has. The rest is read after it, each in a query of its own when it is set: one
        # query joining eleven tables cost PostgreSQL ~8 ms to plan, ten times what it takes to run (and joining
        # the author and the group as well, six, cost more than their two queries).
        .select_related("event", "lead_agency", "responsible", "controller")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        return None
    prefetch_related_objects(
        [task],
        "created_by",
        "working_group",
        Prefetch("source_decision", queryset=Decision.objects.select_related("meeting")),
        Prefetch("counterpart", queryset=Task.objects.select_related("lead_agency")),
        "co_executors",
        Prefetch("reports", queryset=ProgressReport.objects.select_related("author").prefetch_related("attachments")),
        Prefetch("comments", queryset=TaskComment.objects.select_related("author")),
        Prefetch("extension_requests", queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by")),
    )
    _attach_visible_related(user, task)
    return task


def _attach_visible_related(user: AnyUser, task: Task) -> None:
    """The task's parent, the tasks it depends on and blocks, and its sub-tasks that `user` may see, in two
    queries whatever their number: the links, then every linked task in the user's scope at once (each related
    list prefetched on its own cost a query with the scope's subquery apiece, a quarter of the page's time)."""
    links = Task.depends_on.through.objects.filter(Q(from_task_id=task.pk) | Q(to_task_id=task.pk))
    depends_on: set[int] = set()
    blocks: set[int] = set()
    for source, target in links.values_list("from_task_id", "to_task_id"):
        if source == task.pk:
            depends_on.add(target)
        if target == task.pk:
            blocks.add(source)
    named = depends_on | blocks | ({task.parent_id} if task.parent_id is not None else set())
    linked = Q(parent_id=task.pk) | Q(pk__in=named) if named else Q(parent_id=task.pk)
    others = list(tasks_visible_to(user).select_related("lead_agency").filter(linked))  # in the plan's order
    task.visible_parent = next((t for t in others if t.pk == task.parent_id), None)  # type: ignore[attr-defined]  # the page's own attributes
    task.visible_depends_on = [t for t in others if t.pk in depends_on]  # type: ignore[attr-defined]
    task.visible_blocks = [t for t in others if t.pk in blocks]  # type: ignore[attr-defined]
    task.visible_subtasks = [t for t in others if t.parent_id == task.pk]  # type: ignore[attr-defined]


def event_for_import(pk: Any) -> Event | None:
    return Event.objects.filter(pk=pk).first()


# --- The dashboard -----------------------------------------------------------------------------------


@dataclass
class EventReadiness:
    event: Event
    overall: Readiness
    by_agency: list[Readiness]
    by_area: list[Readiness]


DASHBOARD_GROUPS = ("event_id", "lead_agency_id", "lead_agency__short_name", "area")


def dashboard_rows(tasks: QuerySet[Task], *, user: AnyUser, today: dt.date) -> list[dict[str, Any]]:
    """The dashboard's figures in one grouped query: readiness per event, lead agency and area, and the counts
    of open tasks overdue, due soon and the viewer's own (summed over the groups by dashboard_counts)."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    open_tasks = ~Q(status__in=CLOSED_STATUSES)
    return list(
        tasks.order_by()
        .values(*DASHBOARD_GROUPS)
        .annotate(
            accepted=Count("pk", filter=ACCEPTED_FILTER),
            total=Count("pk", filter=COUNTED_FILTER),
            overdue=Count("pk", filter=open_tasks & Q(deadline__lt=today)),
            due_soon=Count("pk", filter=open_tasks & Q(deadline__gte=today, deadline__lte=soon)),
            mine=Count("pk", filter=open_tasks & Q(responsible_id=getattr(user, "pk", None))),
        )
        .order_by(*DASHBOARD_GROUPS)
    )


def dashboard_readiness(
    tasks: QuerySet[Task], events: Sequence[Event], *, rows: list[dict[str, Any]] | None = None
) -> list[EventReadiness]:
    """Readiness per event, per lead agency and per area, from one grouped query (or dashboard_rows)."""
    if rows is None:
        rows = readiness_rows(tasks, *DASHBOARD_GROUPS)
    areas = dict(Area.choices)
    result = []
    for event in events:
        mine = [r for r in rows if r["event_id"] == event.pk]
        agencies: dict[Any, list[int]] = {}
        by_area: dict[str, list[int]] = {}
        for row in mine:
            agency = agencies.setdefault((row["lead_agency_id"], row["lead_agency__short_name"]), [0, 0])
            area = by_area.setdefault(row["area"], [0, 0])
            for bucket in (agency, area):
                bucket[0] += row["accepted"]
                bucket[1] += row["total"]
        result.append(
            EventReadiness(
                event=event,
                overall=Readiness(
                    key=event.pk,
                    label=str(event),
                    accepted=sum(r["accepted"] for r in mine),
                    total=sum(r["total"] for r in mine),
                ),
                by_agency=sorted(
                    (Readiness(key=k[0], label=k[1], accepted=a, total=t) for k, (a, t) in agencies.items() if t),
                    key=lambda r: r.label,
                ),
                by_area=sorted(
                    (
                        Readiness(key=k, label=str(areas.get(k, k)), accepted=a, total=t)
                        for k, (a, t) in by_area.items()
                        if t
                    ),
                    key=lambda r: r.label,
                ),
            )
        )
    return result


@dataclass(frozen=True)
class StatusPoint:
    day: dt.date
    counts: dict[str, int]


def status_series(tasks: QuerySet[Task], *, today: dt.date, weeks: int = 12) -> list[StatusPoint]:
    """How many tasks were in each status at the end of each week up to today, from the history table.

    One query: every historical row of the visible tasks, replayed in order.
    """
    history = (
        Task.history.filter(id__in=tasks.values("pk"))
        .order_by("history_date", "history_id")
        .values_list("id", "history_date", "status", "history_type")
    )
    days = [today - dt.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    zone = timezone.get_current_timezone()
    current: dict[int, str] = {}
    points: list[StatusPoint] = []
    records = iter(history)
    pending = next(records, None)
    for day in days:
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        while pending is not None and pending[1] < end:
            task_id, _when, status, kind = pending
            if kind == "-":
                current.pop(task_id, None)
            else:
                current[task_id] = status
            pending = next(records, None)
        counts = dict.fromkeys(TaskStatus.values, 0)
        for status in current.values():
            counts[status] = counts.get(status, 0) + 1
        points.append(StatusPoint(day=day, counts=counts))
    return points


def decisions_with_tasks(user: Any, meeting: Meeting) -> QuerySet[Decision]:
    """A meeting's decisions with their task (if any) and whether this user may open it (`task_visible`)."""
    visible = tasks_visible_to(user).filter(pk=OuterRef("task"))
    return (
        Decision.objects.filter(meeting=meeting)
        .select_related("lead_agency", "task")
        .annotate(task_visible=Exists(visible))
        .order_by("pk")
    )


def instructions_of(user: Any, meeting: Meeting) -> QuerySet[Task]:
    """The tasks made from a meeting's decisions that this user may see, in the order of the decisions."""
    return (
        tasks_visible_to(user)
        .filter(source_decision__meeting=meeting)
        .select_related("lead_agency", "source_decision", "responsible")
        .order_by("source_decision__pk")
    )


def co_executor_contacts(tasks: list[Task]) -> list[Agency]:
    """The co-executors of these tasks that have a contact address (they get a copy of an assignment notice)."""
    return list(
        Agency.objects.filter(co_executed_tasks__in=[t.pk for t in tasks])
        .exclude(email="")
        .distinct()
        .order_by("short_name")
    )
