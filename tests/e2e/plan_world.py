"""A small action plan with long names, for the browser tests of the plan's layout and of accessibility."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from omskevents.workplan.models import Task
from tests.factories.agencies import AgencyFactory
from tests.factories.committee import MeetingFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

STATUSES = ["assigned", "in_progress", "reported", "returned", "assigned", "accepted"]


@dataclass
class PlanWorld:
    event: Any
    meeting: Any
    task_a: Task
    task_b: Task
    tasks: list[Task]


def make_plan(*, agency_a: Any, agency_b: Any, responsible: Any) -> PlanWorld:
    today = timezone.localdate()
    event = EventFactory(
        short_title="XXII Форум",
        start_date=today + dt.timedelta(days=40),
        end_date=today + dt.timedelta(days=41),
    )
    meeting = MeetingFactory(number=3, starts_at=timezone.now() + dt.timedelta(days=5))
    meeting.committee.events.add(event)
    long_co = AgencyFactory(
        short_name="Министерство промышленности, цифрового развития и связи Омской области", country="RU"
    )
    other = AgencyFactory(short_name="Минэкономразвития России ДСНГ", country="RU")
    tasks = []
    for number in range(1, 13):
        lead = agency_b if number % 4 == 0 else agency_a
        tasks.append(
            TaskFactory(
                event=event,
                number=f"{number // 3 + 1}.{number}",
                title=(
                    f"Подготовить предложения по реконструкции автомобильного пункта пропуска и организации "
                    f"«зелёного коридора» для делегаций, этап {number}"
                ),
                lead_agency=lead,
                co_executors=[long_co, other] if number % 2 else [other],
                responsible=responsible if lead == agency_a else None,
                deadline=today + dt.timedelta(days=number * 3 - 10),
                status=STATUSES[number % len(STATUSES)],
            )
        )
    task_a = next(t for t in tasks if t.lead_agency_id == agency_a.pk)
    task_b = next(t for t in tasks if t.lead_agency_id == agency_b.pk)
    return PlanWorld(event=event, meeting=meeting, task_a=task_a, task_b=task_b, tasks=tasks)
