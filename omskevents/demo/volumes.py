"""Benchmark volumes: thousands of generated tasks (numbered G-000001…) on top of the demo data, in bulk."""

import datetime as dt
import random

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency
from omskevents.calendars.services import calendar_country, is_working_day
from omskevents.committee.models import WorkingGroup
from omskevents.core.cache import data_changed
from omskevents.events.enums import Area, EventKind
from omskevents.events.models import Event
from omskevents.workplan.enums import Priority, TaskSource, TaskStatus
from omskevents.workplan.models import Task

from .data_events import FORUM_NUMBER, SESSION_NUMBER

GENERATED_PREFIX = "G-"
GENERATED_VERBS = [
    "Подготовить справку",
    "Согласовать перечень",
    "Обеспечить подготовку",
    "Проработать вопрос",
    "Направить предложения",
    "Организовать совещание",
]
GENERATED_OBJECTS = [
    "по логистике на Иртыше",
    "по речному туризму",
    "по пунктам пропуска",
    "по семеноводству",
    "по машиностроительной кооперации",
    "по поставкам нефтехимии",
    "по обмену студентами",
    "по молодёжной программе",
    "по размещению делегаций",
]
GENERATED_STATUSES = [
    (TaskStatus.ASSIGNED, 35),
    (TaskStatus.IN_PROGRESS, 30),
    (TaskStatus.REPORTED, 10),
    (TaskStatus.ACCEPTED, 15),
    (TaskStatus.RETURNED, 7),
    (TaskStatus.CANCELLED, 3),
]


def _next_generated_number() -> int:
    numbers = Task.objects.filter(number__startswith=GENERATED_PREFIX).values_list("number", flat=True)
    # Compared as numbers: past 999999 the text order would be wrong.
    suffixes = (n[len(GENERATED_PREFIX) :] for n in numbers)
    return max((int(s) for s in suffixes if s.isdigit()), default=0) + 1


def _working_days(country: str, start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if is_working_day(country, day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@transaction.atomic
def demo_tasks_generate(*, count: int, today: dt.date | None = None, seed: int | None = None) -> int:
    """Add `count` generated tasks for benchmarks, with bulk inserts.

    They skip the services (one INSERT per thousand rows instead of several queries per task) but keep every
    rule: deadlines are working days inside the event unless marked as a follow-up, co-executors differ from the
    lead. History is kept: one "created" record per task and its co-executor snapshot, also written in bulk.
    Requires demo_seed to have run (it needs the events, agencies and the secretariat).
    """
    if count <= 0:
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    events = list(
        Event.objects.filter(
            kind__in=[EventKind.FORUM, EventKind.COMMISSION], number__in=[FORUM_NUMBER, SESSION_NUMBER]
        )
    )
    agencies = list(Agency.objects.filter(is_active=True).order_by("pk"))
    secretary = User.objects.get(username="secretariat")
    groups = list(WorkingGroup.objects.filter(committee__events__in=events).distinct())
    start_number = _next_generated_number()
    first_day = today - dt.timedelta(days=30)
    last_day = max(e.end_date for e in events)
    days: dict[str, list[dt.date]] = {
        c: _working_days(c, first_day, last_day + dt.timedelta(days=60)) for c in (Country.RU, Country.KZ)
    }
    statuses, weights = zip(*GENERATED_STATUSES, strict=True)
    now = timezone.now()

    tasks: list[Task] = []
    co_pairs: list[list[int]] = []
    for offset in range(count):
        event = rng.choice(events)
        lead = rng.choice(agencies)
        country = calendar_country(lead)
        follow_up = rng.random() < 0.05
        if follow_up:
            choices = [d for d in days[country] if d > event.end_date] or days[country]
        else:
            choices = [d for d in days[country] if d <= event.end_date] or [event.end_date]
        number = f"{GENERATED_PREFIX}{start_number + offset:06d}"
        tasks.append(
            Task(
                event=event,
                number=number,
                area=rng.choice(Area.values),
                working_group=rng.choice(groups) if groups and rng.random() < 0.5 else None,
                title=f"{rng.choice(GENERATED_VERBS)} {rng.choice(GENERATED_OBJECTS)} (№ {number})",
                lead_agency=lead,
                controller=secretary,
                created_by=secretary,
                deadline=rng.choice(choices),
                is_follow_up=follow_up,
                priority=rng.choice(Priority.values),
                status=rng.choices(statuses, weights)[0],
                status_changed_at=now,
                source=TaskSource.ADHOC,
            )
        )
        others = [a.pk for a in agencies if a.pk != lead.pk]
        co_pairs.append(rng.sample(others, k=min(len(others), rng.choice((0, 0, 1, 1, 2)))))

    Task.objects.bulk_create(tasks, batch_size=1000)
    history = Task.history.bulk_history_create(
        tasks, batch_size=1000, default_user=secretary, default_change_reason="seed_demo --tasks", default_date=now
    )
    through = Task.co_executors.through
    history_through = apps.get_model("workplan", "HistoricalTask_co_executors")
    rows, owners = [], []
    for task, record, co in zip(tasks, history, co_pairs, strict=True):
        for agency_id in co:
            rows.append(through(task_id=task.pk, agency_id=agency_id))
            owners.append(record.pk)
    through.objects.bulk_create(rows, batch_size=2000)
    # The history snapshot of a co-executor row carries that row's id, so it is written after the rows.
    history_through.objects.bulk_create(
        [
            history_through(id=row.pk, history_id=owner, task_id=row.task_id, agency_id=row.agency_id)
            for row, owner in zip(rows, owners, strict=True)
        ],
        batch_size=2000,
    )
    data_changed()  # bulk inserts send no model signals: cached pages must not keep the old plan
    return count
