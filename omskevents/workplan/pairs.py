"""Reads of paired tasks (one item, a Russian agency's task and a Kazakh agency's): their joint state.

A pair is ready only when both tasks are accepted; it is out of step when one side is overdue and the other is
not (accepted, or still on time).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from omskevents.accounts.types import AnyUser
from omskevents.agencies.enums import Country
from omskevents.events.enums import Area

from .enums import CLOSED_STATUSES, TaskStatus
from .models import Task
from .selectors import Readiness, tasks_visible_to

READY = "ready"
OUT_OF_STEP = "out_of_step"
IN_WORK = "in_work"


def is_overdue(task: Task, *, today: dt.date) -> bool:
    return task.deadline < today and task.status not in CLOSED_STATUSES


def pair_state(one: Task, other: Task, *, today: dt.date) -> str:
    if one.status == TaskStatus.ACCEPTED and other.status == TaskStatus.ACCEPTED:
        return READY
    if is_overdue(one, today=today) != is_overdue(other, today=today):
        return OUT_OF_STEP
    return IN_WORK


@dataclass(frozen=True)
class Pair:
    russian: Task
    kazakh: Task
    state: str
    overdue: tuple[bool, bool] = (False, False)  # the Russian side's, the Kazakh side's

    @property
    def sides(self) -> list[tuple[Task, bool]]:
        return [(self.russian, self.overdue[0]), (self.kazakh, self.overdue[1])]

    @property
    def key(self) -> tuple[int, int]:
        return (self.russian.pk, self.kazakh.pk)


def counterpart_summary(task: Task) -> Task | None:
    """The counterpart of a task loaded by `selectors.task_for_page` (its agency selected with it).

    Shown on the task page to whoever sees the task, even when they could not open the counterpart itself:
    its number, title, agency, deadline and status; never its reports or files.
    """
    return task.counterpart if task.counterpart_id else None


def _paired(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return (
        tasks.filter(counterpart__isnull=False)
        .select_related("lead_agency", "counterpart__lead_agency")
        .order_by("deadline", "pk")
    )


def pairs_of(tasks: Iterable[Task], *, today: dt.date) -> list[Pair]:
    """Each pair once, the Russian side first, from tasks loaded with their counterparts."""
    seen: set[tuple[int, int]] = set()
    pairs = []
    for task in tasks:
        other = task.counterpart
        if other is None:
            continue
        russian, kazakh = (task, other) if task.lead_agency.country == Country.RU else (other, task)
        if (russian.pk, kazakh.pk) in seen:
            continue
        seen.add((russian.pk, kazakh.pk))
        pairs.append(
            Pair(
                russian=russian,
                kazakh=kazakh,
                state=pair_state(russian, kazakh, today=today),
                overdue=(is_overdue(russian, today=today), is_overdue(kazakh, today=today)),
            )
        )
    return pairs


def pairs_visible_to(user: AnyUser, *, today: dt.date, event_id: int | None = None) -> list[Pair]:
    """The pairs one of whose tasks the user sees: one query."""
    tasks = tasks_visible_to(user)
    if event_id is not None:
        tasks = tasks.filter(event_id=event_id)
    return pairs_of(_paired(tasks), today=today)


def pair_readiness_by_area(pairs: Iterable[Pair]) -> list[Readiness]:
    """Joint readiness per area (the Russian task's): ready pairs over pairs not cancelled on either side."""
    areas = dict(Area.choices)
    counts: dict[str, list[int]] = {}
    for pair in pairs:
        if TaskStatus.CANCELLED in (pair.russian.status, pair.kazakh.status):
            continue
        bucket = counts.setdefault(pair.russian.area, [0, 0])
        bucket[0] += pair.state == READY
        bucket[1] += 1
    return sorted(
        (Readiness(key=k, label=str(areas.get(k, k)), accepted=a, total=t) for k, (a, t) in counts.items()),
        key=lambda r: r.label,
    )


def pairs_out_of_step(pairs: Iterable[Pair]) -> list[Pair]:
    return [pair for pair in pairs if pair.state == OUT_OF_STEP]
