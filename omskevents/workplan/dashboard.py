"""The dashboard's task figures: the counts of open tasks overdue, due soon and the viewer's own, and the first
of each as lists (the readiness and its grouped query are in selectors: dashboard_rows, dashboard_readiness)."""

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, Q, QuerySet, Value

from omskevents.accounts.types import AnyUser

from .enums import CLOSED_STATUSES
from .models import Task
from .selectors import DUE_SOON_DAYS


def dashboard_counts(
    tasks: QuerySet[Task], *, user: AnyUser, today: dt.date, rows: list[dict[str, Any]] | None = None
) -> dict[str, int]:
    """Open tasks overdue, due soon and the viewer's own: summed from dashboard_rows, or one query."""
    if rows is not None:
        return {name: sum(row[name] for row in rows) for name in ("overdue", "due_soon", "mine")}
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    open_tasks = ~Q(status__in=CLOSED_STATUSES)
    return tasks.aggregate(
        overdue=Count("pk", filter=open_tasks & Q(deadline__lt=today)),
        due_soon=Count("pk", filter=open_tasks & Q(deadline__gte=today, deadline__lte=soon)),
        mine=Count("pk", filter=open_tasks & Q(responsible_id=getattr(user, "pk", None))),
    )


DASHBOARD_LIST_SIZE = 10


def dashboard_lists(tasks: QuerySet[Task], *, user: AnyUser, today: dt.date) -> dict[str, list[Task]]:
    """The first open tasks overdue, due soon and the viewer's own, by deadline: one query (UNION ALL of the
    three lists) where the database allows a limit in each part, else one query per list."""
    base = tasks.select_related("event", "lead_agency").exclude(status__in=CLOSED_STATUSES).order_by("deadline", "pk")
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    parts = {
        "overdue": base.filter(deadline__lt=today),
        "due_soon": base.filter(deadline__gte=today, deadline__lte=soon),
        "mine": base.filter(responsible_id=getattr(user, "pk", None)),
    }
    size = DASHBOARD_LIST_SIZE
    if not connection.features.supports_slicing_ordering_in_compound:
        return {name: list(part[:size]) for name, part in parts.items()}
    tagged = [
        part.annotate(dashboard_list=Value(name, output_field=CharField()))[:size] for name, part in parts.items()
    ]
    lists: dict[str, list[Task]] = {name: [] for name in parts}
    for task in tagged[0].union(*tagged[1:], all=True):
        lists[task.dashboard_list].append(task)
    for found in lists.values():  # a union's rows come in no promised order
        found.sort(key=lambda task: (task.deadline, task.pk))
    return lists
