"""The timeline: tasks on a time axis grouped by area, the events marked, dependencies drawn and listed.

Drawn on the server as SVG; every position is an SVG attribute (x, y, width), never a style, so the strict
CSP holds and the page needs no script.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.views.generic import TemplateView

from omskevents.accounts.types import AnyUser
from omskevents.events.enums import Area
from omskevents.events.models import Event
from omskevents.events.selectors import events_upcoming

from .enums import CLOSED_STATUSES
from .models import Task
from .selectors import tasks_visible_to

LABEL_WIDTH = 320
CHART_WIDTH = 900
ROW_HEIGHT = 22
BAR_HEIGHT = 14
HEADER_HEIGHT = 40
MARGIN_DAYS = 7


@dataclass
class Bar:
    task: Task
    y: int
    x: float
    width: float
    overdue: bool

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 3

    @property
    def end_x(self) -> float:
        return self.x + self.width

    @property
    def mid_y(self) -> int:
        return self.y + BAR_HEIGHT // 2


@dataclass
class AreaGroup:
    label: str
    y: int
    bars: list[Bar] = field(default_factory=list)

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT - 6


@dataclass
class Mark:
    label: str
    x: float
    width: float = 0.0
    label_y: int = 30
    day: dt.date | None = None


@dataclass
class Link:
    task: Task
    depends_on: Task
    path: str = ""


@dataclass
class Timeline:
    start: dt.date
    end: dt.date
    width: int
    height: int
    groups: list[AreaGroup]
    events: list[Mark]
    months: list[Mark]
    today: Mark | None
    links: list[Link]
    days: list[Mark] = field(default_factory=list)


def timeline_tasks(user: AnyUser, *, event: Event | None, area: str, include_closed: bool) -> QuerySet[Task]:
    tasks = tasks_visible_to(user).select_related("lead_agency", "event")
    if event is not None:
        tasks = tasks.filter(event=event)
    if area:
        tasks = tasks.filter(area=area)
    if not include_closed:
        tasks = tasks.exclude(status__in=CLOSED_STATUSES)
    return tasks.order_by("area", "deadline", "pk")


def timeline_links(tasks: list[Task]) -> list[tuple[int, int]]:
    """(task, the task it depends on) pairs where the reader may see both ends."""
    ids = [t.pk for t in tasks]
    through = Task.depends_on.through.objects.filter(from_task_id__in=ids, to_task_id__in=ids)
    return list(through.order_by("from_task_id", "to_task_id").values_list("from_task_id", "to_task_id"))


def _task_start(task: Task) -> dt.date:
    # A task has no start date of its own: its bar runs from when it was assigned.
    return timezone.localdate(task.created) if task.created else task.deadline


# An event's label is about this wide per character at the timeline's 11 px font: enough to tell when two labels
# would overprint and put the second on a line of its own.
LABEL_CHAR_WIDTH = 6.5
LANE_HEIGHT = 14


def _label_lanes(marks: list[Mark]) -> int:
    """Puts each mark's label on the first line where it overprints no other (left to right); returns the lines."""
    ends: list[float] = []
    for mark in sorted(marks, key=lambda m: m.x):
        width = len(mark.label) * LABEL_CHAR_WIDTH + 8
        lane = next((i for i, end in enumerate(ends) if end <= mark.x), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = mark.x + width
        mark.label_y = 30 + lane * LANE_HEIGHT
    return max(len(ends), 1)


def month_window(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a month given as "YYYY-MM" (None for anything else)."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value)
    if match is None or not 2000 <= int(match[1]) <= 2100 or not 1 <= int(match[2]) <= 12:
        return None
    first = dt.date(int(match[1]), int(match[2]), 1)
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def build_timeline(
    tasks: list[Task],
    events: list[Event],
    links: list[tuple[int, int]],
    *,
    today: dt.date,
    window: tuple[dt.date, dt.date] | None = None,
) -> Timeline | None:
    """The chart over the tasks' whole span, or over `window` (a month: the bars cut to it, day marks drawn)."""
    if window is not None:
        tasks = [t for t in tasks if min(_task_start(t), t.deadline) <= window[1] and t.deadline >= window[0]]
        events = [e for e in events if e.start_date <= window[1] and e.end_date >= window[0]]
    if not tasks:
        return None
    if window is not None:
        start, end = window[0], window[1] + dt.timedelta(days=1)
    else:
        starts = [min(_task_start(t), t.deadline) for t in tasks] + [e.start_date for e in events]
        ends = [t.deadline for t in tasks] + [e.end_date for e in events]
        start = min(starts) - dt.timedelta(days=MARGIN_DAYS)
        end = max(ends) + dt.timedelta(days=MARGIN_DAYS)
    per_day = CHART_WIDTH / max((end - start).days, 1)

    def x_of(day: dt.date) -> float:
        day = min(max(day, start), end)
        return round(LABEL_WIDTH + (day - start).days * per_day, 1)

    event_marks = [
        Mark(
            label=str(e),
            x=x_of(e.start_date),
            width=round(x_of(e.end_date + dt.timedelta(days=1)) - x_of(e.start_date), 1),
        )
        for e in events
        if start <= e.end_date and e.start_date <= end
    ]
    lanes = _label_lanes(event_marks)
    header = HEADER_HEIGHT + (lanes - 1) * LANE_HEIGHT

    groups: list[AreaGroup] = []
    by_pk: dict[int, Bar] = {}
    y = header
    labels = dict(Area.choices)
    for task in tasks:
        if not groups or groups[-1].label != labels.get(task.area, task.area):
            groups.append(AreaGroup(label=str(labels.get(task.area, task.area)), y=y))
            y += ROW_HEIGHT
        begin = min(_task_start(task), task.deadline)
        x = x_of(begin)
        bar = Bar(
            task=task,
            y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
            x=x,
            # At least a day wide, so that a task assigned on its deadline still shows.
            width=max(round(x_of(task.deadline + dt.timedelta(days=1)) - x, 1), round(per_day, 1)),
            overdue=task.deadline < today and task.status not in CLOSED_STATUSES,
        )
        groups[-1].bars.append(bar)
        by_pk[task.pk] = bar
        y += ROW_HEIGHT

    months = []
    month = start.replace(day=1)
    while month < end:
        if month >= start:
            months.append(Mark(label=month.strftime("%m.%Y"), x=x_of(month), day=month))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    days = []
    if window is not None:  # a month: every day's line, the date on Mondays (clear of the month's name)
        day = start
        while day < end:
            label = str(day.day) if day.weekday() == 0 and day.day >= 4 else ""
            days.append(Mark(label=label, x=x_of(day), day=day))
            day += dt.timedelta(days=1)

    drawn = []
    for task_pk, depends_pk in links:
        if task_pk not in by_pk or depends_pk not in by_pk:
            continue
        after, before = by_pk[task_pk], by_pk[depends_pk]
        path = f"M{before.end_x},{before.mid_y} H{before.end_x + 6} V{after.mid_y} H{after.x}"
        drawn.append(Link(task=after.task, depends_on=before.task, path=path))

    return Timeline(
        start=start,
        end=end if window is None else window[1],
        width=LABEL_WIDTH + CHART_WIDTH + 10,
        height=y + 10,
        groups=groups,
        events=event_marks,
        months=months,
        today=Mark(label="", x=x_of(today)) if start <= today <= end else None,
        links=drawn,
        days=days,
    )


def plan_months(tasks: list[Task], events: list[Event]) -> list[dt.date]:
    """The first day of every month the tasks and events span: the months the timeline can be zoomed to."""
    if not tasks:
        return []
    first = min([min(_task_start(t), t.deadline) for t in tasks] + [e.start_date for e in events]).replace(day=1)
    last = max([t.deadline for t in tasks] + [e.end_date for e in events])
    months = []
    while first <= last:
        months.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return months


class TimelineView(LoginRequiredMixin, TemplateView):
    template_name = "workplan/timeline.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        events = list(events_upcoming())
        event = next((e for e in events if str(e.pk) == params.get("event", "")), None)
        area = params.get("area", "") if params.get("area", "") in Area.values else ""
        include_closed = params.get("closed") == "1"
        tasks = list(timeline_tasks(self.request.user, event=event, area=area, include_closed=include_closed))
        marked = [event] if event is not None else events
        window = month_window(params.get("month", ""))
        query = QueryDict(mutable=True)
        for name, value in (
            ("event", event.pk if event else ""),
            ("area", area),
            ("closed", "1" if include_closed else ""),
        ):
            if value:
                query[name] = str(value)
        months = plan_months(tasks, marked)
        timeline = build_timeline(tasks, marked, timeline_links(tasks), today=timezone.localdate(), window=window)
        current = window[0] if window else None
        index = months.index(current) if current in months else -1
        context.update(
            months=months,
            month=current,
            previous_month=months[index - 1] if index > 0 else None,
            next_month=months[index + 1] if 0 <= index < len(months) - 1 else None,
            querystring=query.urlencode(),
            events=events,
            areas=Area.choices,
            selected_event=event,
            selected_area=area,
            include_closed=include_closed,
            timeline=timeline,
            task_count=sum(len(group.bars) for group in timeline.groups) if timeline else 0,
        )
        return context
