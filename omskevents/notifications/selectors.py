"""Reads for the outbox: rules, preferences, who receives what, what a digest lists, what a task was sent."""

import datetime as dt
import functools
import zoneinfo
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from omskevents.accounts.enums import Role
from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.calendars.services import calendar_country
from omskevents.committee.enums import MemberRole
from omskevents.committee.models import CommitteeMember, Meeting
from omskevents.core.rows import values_rows
from omskevents.events.models import Event
from omskevents.workplan.enums import CLOSED_STATUSES, TaskStatus
from omskevents.workplan.models import ExtensionRequest, Task

from .enums import GATHERABLE_KINDS, Channel, State
from .models import InboxItem, MailHold, Notification, NotificationPreference, ReminderSettings


def reminder_settings_get() -> ReminderSettings:
    """The rules row, or the defaults when the secretariat has not saved one yet."""
    return ReminderSettings.objects.order_by("pk").first() or ReminderSettings()


def preference_for(user: User) -> NotificationPreference:
    """The person's preferences, or the defaults (an unsaved row) when they never changed them."""
    pref = NotificationPreference.objects.filter(user_id=user.pk).first()
    return pref or NotificationPreference(user_id=user.pk)


def preferences_by_user(user_ids: Iterable[int]) -> dict[int, NotificationPreference]:
    return {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=set(user_ids))}


@functools.lru_cache(maxsize=256)
def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Recipient:
    """A person, or an agency's contact address when no person is named."""

    key: str
    email: str
    time_zone: str
    country: str
    language: str
    user: User | None = None
    agency: Agency | None = None

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zone(self.time_zone)


def recipient_for_user(user: User, pref: NotificationPreference | None = None) -> Recipient:
    language = (pref.language if pref is not None else "") or user.language or settings.LANGUAGE_CODE
    return Recipient(
        key=f"user:{user.pk}",
        email=user.email,
        time_zone=user.time_zone,
        country=calendar_country(user.agency),
        language=language,
        user=user,
        agency=user.agency,
    )


def recipient_for_agency(agency: Agency) -> Recipient:
    """An agency's contact address: mailed at the sending hour of the agency's own zone."""
    return Recipient(
        key=f"agency:{agency.pk}",
        email=agency.email,
        time_zone=agency.time_zone,
        country=calendar_country(agency),
        language=settings.LANGUAGE_CODE,
        agency=agency,
    )


def can_receive(user: User | None) -> bool:
    """Deactivated people and people without an address receive nothing."""
    return user is not None and user.is_active and bool(user.email)


def committee_secretaries(task: "Task | ScanTask") -> list[User]:
    members = CommitteeMember.objects.filter(
        committee__events=task.event_id, role=MemberRole.SECRETARY, user__is_active=True
    ).select_related("user__agency")
    return [m.user for m in members]


def committee_chairs() -> QuerySet[CommitteeMember]:
    return CommitteeMember.objects.filter(role=MemberRole.CHAIR, user__is_active=True).select_related(
        "user__agency", "committee"
    )


def secretariat_people() -> QuerySet[User]:
    """The people of both secretariats (the discipline report goes to them and to the chairs)."""
    return User.objects.filter(is_active=True, role__in=[Role.SECRETARIAT, Role.KZ_SECRETARIAT]).select_related(
        "agency"
    )


@dataclass(slots=True)
class ScanTask:
    """What the reminder rules read of an open task, without a model instance per row."""

    pk: int
    created: dt.datetime | None
    event_id: int
    deadline: dt.date
    responsible_id: int | None
    lead_agency: Agency
    responsible: User | None
    controller: User | None
    status: str = TaskStatus.ASSIGNED
    status_changed_at: dt.datetime | None = None


def reminder_candidates(*, last_deadline: dt.date, changed_since: dt.datetime | None = None) -> list[ScanTask]:
    """Open tasks that are overdue or whose deadline is close enough for a reminder (those written since
    `changed_since`, when given: scan_state.py).

    Thousands of tasks share a few dozen agencies and people: these are loaded once and attached to every
    task (lead agency with its head, responsible person, controller, each with their agency), instead of
    being joined into every row, which would build a copy of each per task.
    """
    tasks = Task.objects.open().filter(Q(deadline__lte=last_deadline) | Q(status=TaskStatus.REPORTED))
    if changed_since is not None:
        tasks = tasks.filter(updated__gte=changed_since)
    rows = values_rows(
        tasks.order_by("pk").values_list(
            "id",
            "created",
            "event_id",
            "deadline",
            "lead_agency_id",
            "responsible_id",
            "controller_id",
            "status",
            "status_changed_at",
        )
    )
    agencies = Agency.objects.in_bulk({r[4] for r in rows})
    people = {r[5] for r in rows} | {r[6] for r in rows} | {a.head_id for a in agencies.values()}
    users = User.objects.select_related("agency").in_bulk(people - {None})
    for agency in agencies.values():
        agency.head = users.get(agency.head_id) if agency.head_id is not None else None
    return [
        ScanTask(
            pk=pk,
            created=created,
            event_id=event_id,
            deadline=deadline,
            responsible_id=responsible_id,
            lead_agency=agencies[lead_agency_id],
            responsible=users.get(responsible_id) if responsible_id is not None else None,
            controller=users.get(controller_id) if controller_id is not None else None,
            status=status,
            status_changed_at=status_changed_at,
        )
        for (
            pk,
            created,
            event_id,
            deadline,
            lead_agency_id,
            responsible_id,
            controller_id,
            status,
            status_changed_at,
        ) in rows
    ]


def rows_for_delivery(ids: Collection[int]) -> list[Notification]:
    """The rows of a delivery batch with everything their mails show, in a fixed number of queries.

    A batch of reminders shares a handful of people, agencies, tasks and events: each is loaded once by an
    IN query and attached to the rows, instead of a nine-table join per row. Meetings come with their
    committee. Deferred: nothing a mail of a reminder reads.
    """
    rows = list(Notification.objects.filter(pk__in=ids).order_by("pk"))
    if not rows:
        return rows
    tasks = Task.objects.prefetch_related("co_executors").in_bulk({r.task_id for r in rows} - {None})
    meetings = Meeting.objects.select_related("committee").in_bulk({r.meeting_id for r in rows} - {None})
    users = User.objects.in_bulk({r.recipient_id for r in rows} - {None})
    agency_ids = {r.agency_id for r in rows} | {u.agency_id for u in users.values()}
    agency_ids |= {t.lead_agency_id for t in tasks.values()}
    agencies = Agency.objects.in_bulk(agency_ids - {None})
    events = Event.objects.in_bulk({t.event_id for t in tasks.values()})
    for user in users.values():
        user.agency = agencies.get(user.agency_id) if user.agency_id is not None else None
    for task in tasks.values():
        task.lead_agency = agencies[task.lead_agency_id]
        task.event = events[task.event_id]
    for row in rows:
        row.recipient = users.get(row.recipient_id) if row.recipient_id is not None else None
        row.agency = agencies.get(row.agency_id) if row.agency_id is not None else None
        row.task = tasks.get(row.task_id) if row.task_id is not None else None
        row.meeting = meetings.get(row.meeting_id) if row.meeting_id is not None else None
    return rows


def digest_users() -> QuerySet[User]:
    """People who chose digests instead of single reminders."""
    return User.objects.filter(
        is_active=True,
        notification_preference__reminders_mode=Channel.DIGEST,
    ).select_related("agency", "notification_preference")


def agency_heads() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True, head__isnull=False, head__is_active=True).select_related(
        "head__agency"
    )


def personal_digest_tasks(user: User) -> QuerySet[Task]:
    """Everything open the person answers for or controls."""
    return (
        Task.objects.open()
        .filter(Q(responsible_id=user.pk) | Q(controller_id=user.pk))
        .select_related("event", "lead_agency")
        .order_by("deadline", "pk")
    )


def agency_digest_tasks(agency: Agency) -> QuerySet[Task]:
    co_executed = Task.co_executors.through.objects.filter(agency_id=agency.pk).values("task_id")
    return (
        Task.objects.open()
        .filter(Q(lead_agency_id=agency.pk) | Q(pk__in=co_executed))
        .select_related("event", "lead_agency", "responsible")
        .order_by("deadline", "pk")
    )


def people_with_open_tasks(user_ids: Collection[int]) -> set[int]:
    """Which of these people answer for or control an open task (whose personal digest has something): one
    query, an EXISTS per person that stops at the first task found."""
    open_tasks = Task.objects.open()
    return set(
        User.objects.filter(pk__in=set(user_ids))
        .filter(
            Exists(open_tasks.filter(responsible_id=OuterRef("pk")))
            | Exists(open_tasks.filter(controller_id=OuterRef("pk")))
        )
        .values_list("pk", flat=True)
    )


def agencies_with_open_tasks(agency_ids: Collection[int]) -> set[int]:
    """Which of these agencies lead or co-execute an open task (whose agency digest has something)."""
    open_tasks = Task.objects.open()
    co_executed = Task.co_executors.through.objects.filter(agency_id=OuterRef("pk"), task__in=open_tasks)
    return set(
        Agency.objects.filter(pk__in=set(agency_ids))
        .filter(Exists(open_tasks.filter(lead_agency_id=OuterRef("pk"))) | Exists(co_executed))
        .values_list("pk", flat=True)
    )


def split_by_urgency(tasks: Iterable[Task], *, today: dt.date, soon: dt.date) -> dict[str, list[Task]]:
    """Overdue, due soon (up to `soon`), and the rest of the open items."""
    groups: dict[str, list[Task]] = {"overdue": [], "due_soon": [], "open": []}
    for task in tasks:
        if task.deadline < today:
            groups["overdue"].append(task)
        elif task.deadline <= soon:
            groups["due_soon"].append(task)
        else:
            groups["open"].append(task)
    return groups


def task_notifications(task: Task) -> QuerySet[Notification]:
    """What was sent (or is waiting, or failed) to whom and when, for the task page."""
    return (
        Notification.objects.filter(task_id=task.pk).select_related("recipient", "agency").order_by("-created", "-pk")
    )


def outbox_counts() -> dict[str, int]:
    return dict(Notification.objects.values_list("state").annotate(n=Count("pk")).order_by("state"))


def outbox_flagged_count() -> int:
    """Rows ever flagged 'possibly sent' (whatever became of them: resent, sent by hand, still waiting)."""
    return Notification.objects.filter(possibly_sent_at__isnull=False).count()


def readiness_summary(*, committee_id: int, today: dt.date) -> list[dict[str, Any]]:
    """Per event of the committee: how many tasks, done, awaiting acceptance, overdue, due within a week."""
    week = today + dt.timedelta(days=7)
    open_ = ~Q(tasks__status__in=CLOSED_STATUSES)
    events = (
        Event.objects.filter(committees=committee_id)
        .annotate(
            total=Count("tasks", filter=~Q(tasks__status=TaskStatus.CANCELLED)),
            done=Count("tasks", filter=Q(tasks__status=TaskStatus.ACCEPTED)),
            awaiting=Count("tasks", filter=Q(tasks__status=TaskStatus.REPORTED)),
            overdue=Count("tasks", filter=open_ & Q(tasks__deadline__lt=today)),
            due_week=Count("tasks", filter=open_ & Q(tasks__deadline__gte=today, tasks__deadline__lte=week)),
        )
        .order_by("start_date")
    )
    summary = []
    for event in events:
        laggards = (
            Task.objects.open()
            .filter(event=event, deadline__lt=today)
            .values("lead_agency__short_name")
            .annotate(n=Count("pk"))
            .order_by("-n", "lead_agency__short_name")[:10]
        )
        summary.append(
            {
                "event": event,
                "total": event.total,
                "done": event.done,
                "awaiting": event.awaiting,
                "overdue": event.overdue,
                "due_week": event.due_week,
                "percent": round(100 * event.done / event.total) if event.total else 0,
                "laggards": [(row["lead_agency__short_name"], row["n"]) for row in laggards],
            }
        )
    return summary


# Rows one delivery claims at most (the handed rows and their gatherable siblings): far above a morning's
# share of a batch, below what one statement's parameters allow. Only whole recipients are left out above it.
CLAIM_LIMIT = 10_000


@dataclass
class Candidates:
    """What a delivery claims: (id, task id) of its rows; and the handed rows it leaves for a later batch
    because their recipient's rows would not fit in this one whole (`deferred`, see CLAIM_LIMIT)."""

    rows: list[tuple[int, int | None]]
    deferred: list[int]


def delivery_candidates(ids: Collection[int], *, now: dt.datetime) -> Candidates:
    """These rows and their gatherable siblings: queued rows due by `now` to the same recipients, of kinds
    gathered into one mail. The delivery claims them together, so one person's notices due together make one
    mail, however the dispatch cut its rows into batches. Two queries: the rows, then their people's.

    A person's due rows are never split: above CLAIM_LIMIT rows, whole recipients (in the order of their
    first row, the first always taken) are left for a later batch, their handed rows included."""
    columns = ("pk", "task_id", "recipient_key", "kind")
    outbox = Notification.objects.order_by()
    asked = list(outbox.filter(pk__in=ids).values_list(*columns))
    recipients = sorted({key for _pk, _task, key, kind in asked if kind in GATHERABLE_KINDS})
    # The people's keys as values, not as a subquery of the ids: PostgreSQL then estimates each person's queued
    # rows by the key itself and reads them by notification_queued_person. Given a subquery, it estimated from the
    # queued rows as a whole; with statistics taken before a bulk change (until autovacuum's next turn) it
    # expected every queued row to match and read the whole outbox, sent rows included, for each batch: 18 ms
    # a batch at 58,000 rows on the benchmark's database, 0.15 ms this way.
    siblings = outbox.filter(
        state=State.QUEUED, next_attempt_at__lte=now, kind__in=GATHERABLE_KINDS, recipient_key__in=recipients
    ).exclude(pk__in=[row[0] for row in asked])
    found = sorted([*asked, *(siblings.values_list(*columns) if recipients else ())])
    if len(found) <= CLAIM_LIMIT:
        return Candidates(rows=[(pk, task_id) for pk, task_id, _key, _kind in found], deferred=[])
    alone: list[tuple[int, int | None]] = []
    people: dict[str, list[tuple[int, int | None]]] = {}
    for pk, task_id, key, kind in found:
        if kind in GATHERABLE_KINDS:
            people.setdefault(key, []).append((pk, task_id))
        else:
            alone.append((pk, task_id))
    chosen, handed = list(alone), set(ids)
    deferred: list[int] = []
    for number, rows in enumerate(people.values()):
        if number == 0 or len(chosen) + len(rows) <= CLAIM_LIMIT:
            chosen.extend(rows)
        else:
            deferred.extend(pk for pk, _task in rows if pk in handed)
    return Candidates(rows=sorted(chosen), deferred=deferred)


def open_gather_window(recipient_key: str, *, now: dt.datetime, until: dt.datetime) -> dt.datetime | None:
    """The sending moment of the person's open gathering window: the earliest, within [now, until], of their
    queued rows of a gatherable kind; None when none is waiting so soon (a notice then opens a window)."""
    return (
        Notification.objects.filter(
            recipient_key=recipient_key,
            state=State.QUEUED,
            kind__in=GATHERABLE_KINDS,
            next_attempt_at__gte=now,
            next_attempt_at__lte=until,
        )
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def hold_day(now: dt.datetime | None = None) -> dt.date:
    """The day holds are set for: the committee's own date (Omsk)."""
    return timezone.localdate(now or timezone.now(), zone(settings.TIME_ZONE))


def holds_with_held_count(holds: QuerySet[MailHold]) -> QuerySet[MailHold]:
    """Each hold with `held_now`: the rows it keeps waiting now, counted as `holds.hold_create` holds them — held rows
    of its kind (or of its person) due by the end of its day (Omsk) for a hold of today, due on its day for a later
    one; 0 for a hold whose day has passed (its rows are the scan's to queue again). Part of the holds' own query."""
    today = hold_day()
    held = Notification.objects.filter(state=State.HELD).annotate(
        local_day=TruncDate("next_attempt_at", tzinfo=zone(settings.TIME_ZONE))
    )

    def count(field: str, outer: str, *, on_the_day: bool) -> Coalesce:
        rows = held.filter(**{field: OuterRef(outer)})
        rows = rows.filter(local_day=OuterRef("day")) if on_the_day else rows.filter(local_day__lte=OuterRef("day"))
        number = rows.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]
        return Coalesce(Subquery(number, output_field=IntegerField()), 0)

    return holds.annotate(
        held_now=Case(
            When(day__lt=today, then=Value(0)),
            When(day=today, kind="", then=count("recipient_id", "user_id", on_the_day=False)),
            When(day=today, then=count("kind", "kind", on_the_day=False)),
            When(kind="", then=count("recipient_id", "user_id", on_the_day=True)),
            default=count("kind", "kind", on_the_day=True),
            output_field=IntegerField(),
        )
    )


def rows_with_hold_day(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    """Each row with `held_until`: for a held row, the last day a hold of today or later keeps it (its kind's, or its
    recipient's); None for other rows, and for a held row no hold keeps any more (the next scan queues it)."""
    holds = MailHold.objects.filter(day__gte=hold_day()).filter(
        Q(kind=OuterRef("kind")) | Q(kind="", user_id=OuterRef("recipient_id"))
    )
    return rows.annotate(
        held_until=Case(
            When(state=State.HELD, then=Subquery(holds.order_by("-day").values("day")[:1])),
            default=None,
            output_field=DateField(),
        )
    )


@dataclass
class DeliveryFacts:
    """What the checks of a delivery batch read besides the rows: read in the app, extension states, holds."""

    read: set[int]
    extensions: dict[int, str]
    held_kinds: set[str]
    held_people: set[int]

    def is_held(self, row: Notification) -> bool:
        return row.kind in self.held_kinds or (row.recipient_id is not None and row.recipient_id in self.held_people)


def delivery_facts(rows: Collection[Notification]) -> DeliveryFacts:
    ids = [r.pk for r in rows]
    extension_ids = {r.context.get("extension") for r in rows if r.kind == "extension_requested"} - {None}
    holds = list(MailHold.objects.filter(day=hold_day()).values_list("kind", "user_id"))
    return DeliveryFacts(
        read=set(
            # Read by the row's own recipient (an absent person's copy does not keep the deputy's mail back).
            InboxItem.objects.filter(
                notification_id__in=ids, read_at__isnull=False, user_id=F("notification__recipient_id")
            ).values_list("notification_id", flat=True)
        ),
        extensions=dict(ExtensionRequest.objects.filter(pk__in=extension_ids).values_list("pk", "status"))
        if extension_ids
        else {},
        held_kinds={kind for kind, _user in holds if kind},
        held_people={user for kind, user in holds if user is not None and not kind},
    )


def inbox_unread_count(user: Any) -> int:
    """The menu's badge: one COUNT on the (user, read_at) index."""
    return InboxItem.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def inbox_items(user: Any, *, kind: str = "", event_id: int | None = None, unread: bool = False) -> QuerySet[InboxItem]:
    """The person's inbox, newest first, with what each item links to (one query with its joins)."""
    items = InboxItem.objects.filter(user_id=user.pk)
    if kind:
        items = items.filter(kind=kind)
    if event_id is not None:
        items = items.filter(event_id=event_id)
    if unread:
        items = items.filter(read_at__isnull=True)
    return items.select_related(
        "event", "notification__task__lead_agency", "notification__meeting", "notification__recipient"
    ).order_by("-created", "-pk")


def inbox_item(user: Any, pk: int) -> InboxItem | None:
    """One item of the person's own inbox; None for another person's (the page answers 404)."""
    return (
        InboxItem.objects.filter(user_id=user.pk, pk=pk)
        .select_related("notification__task", "notification__meeting")
        .first()
    )


def inbox_filters(user: Any) -> tuple[list[str], list[Event]]:
    """The kinds and events the person's inbox holds, for its filters."""
    kinds = list(InboxItem.objects.filter(user_id=user.pk).values_list("kind", flat=True).distinct().order_by("kind"))
    events = list(
        Event.objects.filter(pk__in=InboxItem.objects.filter(user_id=user.pk).values("event_id")).order_by("start_date")
    )
    return kinds, events
