"""The discipline report: by event and lead agency, how the tasks of a period were kept to their deadlines.

What is counted (the same in the weekly mail and in the download from the dashboard):
- tasks: the tasks in the viewer's scope whose deadline falls in the period (cancelled ones left out);
- done on time: of those, accepted with the report of completion submitted on or before the deadline;
- overdue now: of those, still open with the deadline passed ("as of" the moment the report is made);
- overdue days: the working days (by the lead agency's country's calendar) those overdue tasks are late, summed;
- extensions asked / granted: requests made in the period for tasks in scope, and how many of them were approved;
- reports returned: the times a task in scope was returned for rework in the period;
- on-time rate: done on time ÷ (accepted + overdue now): tasks neither done nor late yet are not judged.

`discipline_report` reads all of it in a fixed number of queries (three, and one per country calendar needed).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language

from omskevents.calendars.services import WorkingCalendar

from .enums import ExtensionStatus, TaskStatus
from .models import ExtensionRequest, Task, TaskQuerySet

OPEN = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.REPORTED, TaskStatus.RETURNED)


@dataclass
class DisciplineRow:
    """One lead agency's figures (or an event's total, or every event's)."""

    agency_id: int | None
    agency: str
    country: str = ""
    tasks: int = 0
    accepted: int = 0
    on_time: int = 0
    overdue_now: int = 0
    overdue_days: int = 0
    extensions_asked: int = 0
    extensions_granted: int = 0
    returned: int = 0

    @property
    def judged(self) -> int:
        return self.accepted + self.overdue_now

    @property
    def on_time_rate(self) -> float | None:
        """The share (0…1) of judged tasks done on time; None when no task can be judged yet."""
        return self.on_time / self.judged if self.judged else None

    def add(self, other: "DisciplineRow") -> None:
        for name in (
            "tasks",
            "accepted",
            "on_time",
            "overdue_now",
            "overdue_days",
            "extensions_asked",
            "extensions_granted",
            "returned",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class EventDiscipline:
    event_id: int
    title: str
    short_title: str
    start_date: dt.date
    rows: list[DisciplineRow] = field(default_factory=list)
    total: DisciplineRow = field(default_factory=lambda: DisciplineRow(agency_id=None, agency=""))


@dataclass
class DisciplineReport:
    date_from: dt.date | None
    date_to: dt.date
    as_of: dt.datetime
    events: list[EventDiscipline]
    by_agency: list[DisciplineRow]  # every event together, by lead agency

    @property
    def total(self) -> DisciplineRow | None:
        """Every event together: the sum of the agencies' rows (each task is one agency's and one event's)."""
        if not self.by_agency:
            return None
        total = DisciplineRow(agency_id=None, agency="")
        for row in self.by_agency:
            total.add(row)
        return total


def _title(title_ru: str, title_en: str) -> str:
    """The event's title as Event.title gives it: English for English readers when there is one."""
    return title_en if (get_language() or "ru").startswith("en") and title_en else title_ru


def _within(name: str, date_from: dt.date | None, date_to: dt.date) -> Q:
    """Moments of the field `name` within the period's days, in the current time zone."""
    zone = timezone.get_current_timezone()
    q = Q(**{f"{name}__lt": dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)})
    if date_from is not None:
        q &= Q(**{f"{name}__gte": dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)})
    return q


def discipline_report(
    tasks: TaskQuerySet, *, date_from: dt.date | None, date_to: dt.date, now: dt.datetime | None = None
) -> DisciplineReport:
    """The figures for the tasks of `tasks` (the viewer's scope, tasks_visible_to) in the period.

    `date_from` None: from the beginning of the plan. Dates of reports and requests are read in the current
    time zone (the viewer's; the mail's recipient's)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    zone = timezone.get_current_timezone()
    scope = tasks.exclude(status=TaskStatus.CANCELLED)
    due = scope.filter(deadline__lte=date_to)
    if date_from is not None:
        due = due.filter(deadline__gte=date_from)
    task_rows = (
        due.annotate(
            finished=Max("reports__created", filter=Q(reports__is_final=True)),
            last_report=Max("reports__created"),
        )
        .order_by()
        .values_list(
            "event_id",
            "event__title_ru",
            "event__title_en",
            "event__short_title",
            "event__start_date",
            "lead_agency_id",
            "lead_agency__short_name",
            "lead_agency__country",
            "status",
            "deadline",
            "finished",
            "last_report",
            "status_changed_at",
        )
    )
    scope_ids = scope.values("pk")
    extensions = (
        ExtensionRequest.objects.filter(_within("created", date_from, date_to), task__in=scope_ids)
        .order_by()
        .values(
            "task__event_id",
            "task__event__title_ru",
            "task__event__title_en",
            "task__event__short_title",
            "task__event__start_date",
            "task__lead_agency_id",
            "task__lead_agency__short_name",
            "task__lead_agency__country",
        )
        .annotate(asked=Count("pk"), granted=Count("pk", filter=Q(status=ExtensionStatus.APPROVED)))
    )
    history = Task.history.model
    previous_status = (
        history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("status")[:1]
    )
    returns = (
        history.objects.filter(_within("history_date", date_from, date_to), status=TaskStatus.RETURNED)
        .filter(id__in=scope_ids)
        .annotate(before=Subquery(previous_status))
        .exclude(before=TaskStatus.RETURNED)
        .order_by()
        .values(
            "event_id",
            "event__title_ru",
            "event__title_en",
            "event__short_title",
            "event__start_date",
            "lead_agency_id",
            "lead_agency__short_name",
            "lead_agency__country",
        )
        .annotate(n=Count("history_id"))
    )

    events: dict[int, EventDiscipline] = {}
    rows: dict[tuple[int, int], DisciplineRow] = {}
    overdue: list[tuple[DisciplineRow, str, dt.date]] = []

    def row_for(event: tuple[int, str, str, dt.date], agency: tuple[int, str, str]) -> DisciplineRow:
        if event[0] not in events:
            events[event[0]] = EventDiscipline(*event)
        key = (event[0], agency[0])
        if key not in rows:
            rows[key] = DisciplineRow(agency_id=agency[0], agency=agency[1], country=agency[2])
            events[event[0]].rows.append(rows[key])
        return rows[key]

    for (
        event_id, title_ru, title_en, short, start, agency_id, agency, country, status, deadline, finished, last_report,
        changed,
    ) in task_rows:  # fmt: skip
        row = row_for((event_id, _title(title_ru, title_en), short, start), (agency_id, agency, country))
        row.tasks += 1
        if status == TaskStatus.ACCEPTED:
            row.accepted += 1
            done = finished or last_report or changed
            if done is not None and timezone.localtime(done, zone).date() <= deadline:
                row.on_time += 1
        elif status in OPEN and deadline < today:
            row.overdue_now += 1
            overdue.append((row, country, deadline))
    # One calendar per country, loaded once for the whole stretch from the earliest overdue deadline to today.
    calendars = {
        country: WorkingCalendar(country, min(d for _r, c, d in overdue if c == country), today)
        for country in {c for _r, c, _d in overdue}
    }
    for row, country, deadline in overdue:
        row.overdue_days += calendars[country].count_between(deadline, today)
    for ext in extensions:
        row = row_for(
            (ext["task__event_id"], _title(ext["task__event__title_ru"], ext["task__event__title_en"]),
             ext["task__event__short_title"], ext["task__event__start_date"]),
            (ext["task__lead_agency_id"], ext["task__lead_agency__short_name"], ext["task__lead_agency__country"]),
        )  # fmt: skip
        row.extensions_asked += ext["asked"]
        row.extensions_granted += ext["granted"]
    for ret in returns:
        row = row_for(
            (
                ret["event_id"],
                _title(ret["event__title_ru"], ret["event__title_en"]),
                ret["event__short_title"],
                ret["event__start_date"],
            ),
            (ret["lead_agency_id"], ret["lead_agency__short_name"], ret["lead_agency__country"]),
        )
        row.returned += ret["n"]

    by_agency: dict[int, DisciplineRow] = {}
    ordered = sorted(events.values(), key=lambda e: (e.start_date, e.event_id))
    for event in ordered:
        event.rows.sort(key=lambda r: (r.agency.lower(), r.agency_id or 0))
        for row in event.rows:
            event.total.add(row)
            if (row.agency_id or 0) not in by_agency:
                by_agency[row.agency_id or 0] = DisciplineRow(
                    agency_id=row.agency_id, agency=row.agency, country=row.country
                )
            by_agency[row.agency_id or 0].add(row)
    return DisciplineReport(
        date_from=date_from,
        date_to=date_to,
        as_of=now,
        events=ordered,
        by_agency=sorted(by_agency.values(), key=lambda r: (r.agency.lower(), r.agency_id or 0)),
    )
