"""Writes to the outbox: create the rows that are due, hand them to the worker, deliver one, retry, cancel.

The outbox table is the source of truth. The broker only carries row ids; a lost or repeated broker
message costs nothing because every delivery first claims its row with a compare-and-set.
"""

import datetime as dt
import functools
import json
import logging
import random
import smtplib
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.agencies.enums import Country
from omskevents.calendars.services import WorkingCalendar
from omskevents.committee.enums import MeetingStatus
from omskevents.committee.models import Meeting
from omskevents.workplan.enums import CLOSED_STATUSES, TaskStatus
from omskevents.workplan.models import ExtensionRequest, ProgressReport, Task

from . import selectors
from .enums import MEETING_KINDS, REMINDER_KINDS, STATUS_KINDS, Delivery, Kind, State
from .models import Notification, NotificationPreference, ReminderSettings, parse_offsets
from .selectors import Recipient, ScanTask

logger = logging.getLogger(__name__)

QUIET_HOURS_END = 20  # event-driven notices created after 20:00 local wait for the next working morning


def _lease_seconds() -> int:
    return settings.NOTIFY_LEASE_SECONDS


def _redispatch_seconds() -> int:
    return settings.NOTIFY_REDISPATCH_SECONDS


def _max_attempts() -> int:
    return settings.NOTIFY_MAX_ATTEMPTS


def _retry_base_seconds() -> float:
    return settings.NOTIFY_RETRY_BASE_SECONDS


# --- calendars and moments -------------------------------------------------------------------------


class Calendars:
    """Working calendars per country, loaded once per scan."""

    def __init__(self, around: dt.date) -> None:
        self._around = around
        self._loaded: dict[str, WorkingCalendar] = {}

    def __call__(self, country: str) -> WorkingCalendar:
        if country not in self._loaded:
            self._loaded[country] = WorkingCalendar(
                country, self._around - dt.timedelta(days=120), self._around + dt.timedelta(days=120)
            )
        return self._loaded[country]


def local_moment(recipient: Recipient, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=recipient.tz)


def sending_window_open(recipient: Recipient, now: dt.datetime, rules: ReminderSettings, cal: WorkingCalendar) -> bool:
    """A working day for the recipient and the sending hour has come, in their own time zone."""
    local = now.astimezone(recipient.tz)
    return cal.is_working(local.date()) and local.hour >= rules.send_hour


def next_polite_moment(
    recipient: Recipient, now: dt.datetime, rules: ReminderSettings, cal: WorkingCalendar
) -> dt.datetime:
    """Now, if it is working hours for the recipient; otherwise the sending hour of their next working day."""
    local = now.astimezone(recipient.tz)
    if cal.is_working(local.date()) and rules.send_hour <= local.hour < QUIET_HOURS_END:
        return now
    day = local.date()
    if cal.is_working(day) and local.hour < rules.send_hour:
        return local_moment(recipient, day, rules.send_hour)
    return local_moment(recipient, cal.add(day, 1), rules.send_hour)


# --- creating rows ---------------------------------------------------------------------------------


@dataclass
class Planned:
    kind: str
    item_key: str
    recipient: Recipient
    occasion: str
    scheduled_for: dt.datetime
    next_attempt_at: dt.datetime
    task: Task | ScanTask | None = None
    meeting: Meeting | None = None
    deadline: dt.date | None = None
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.item_key, self.recipient.key, self.occasion)


INSERT_COLUMNS = (
    "created",
    "updated",
    "kind",
    "item_key",
    "recipient_key",
    "occasion",
    "recipient_id",
    "agency_id",
    "task_id",
    "meeting_id",
    "deadline",
    "context",
    "to_email",
    "subject",
    "state",
    "scheduled_for",
    "next_attempt_at",
    "attempts",
    "last_error",
    "message_id",
)
INSERT_CHUNK = 1000  # rows per INSERT statement where the backend takes 20,000 parameters (SQLite: fewer)
COPY_FROM = 200  # rows from which PostgreSQL gets them by COPY instead


def _store(planned: Sequence[Planned], *, validate: bool = True) -> int:
    """Insert the rows not stored before; the unique key turns a concurrent duplicate into a no-op.

    One read finds the keys that exist; INSERT … ON CONFLICT DO NOTHING adds the rest (on PostgreSQL, many
    rows come by COPY through a temporary table). Returns how many rows this call inserted. The scan's
    thousands of rows are built from stored tasks, people and code constants and are written as plain
    values: a model instance per row (and bulk_create's per-field preparation) cost more than the
    database's work. Event-driven notices (validate=True) are few and checked with full_clean first.
    """
    wanted = {p.key: p for p in planned}
    if not wanted:
        return 0
    existing = selectors.stored_notification_keys(wanted.keys())
    fresh = [p for key, p in wanted.items() if key not in existing]
    if validate:
        for p in fresh:
            _row(p).full_clean(validate_unique=False, validate_constraints=False)
    if not fresh:
        return 0
    now = timezone.now()
    if connection.vendor == "postgresql" and len(fresh) >= COPY_FROM:
        return _insert_by_copy(fresh, now=now)
    return _insert_by_values(fresh, now=now)


def _values(p: Planned, stamp: Any, ops: Any) -> tuple[Any, ...]:
    """One row's INSERT_COLUMNS, adapted for the backend by `ops`."""
    return (
        stamp,
        stamp,
        p.kind,
        p.item_key,
        p.recipient.key,
        p.occasion,
        p.recipient.user.pk if p.recipient.user is not None else None,
        p.recipient.agency.pk if p.recipient.agency is not None else None,
        p.task.pk if p.task is not None else None,
        p.meeting.pk if p.meeting is not None else None,
        ops.adapt_datefield_value(p.deadline),
        json.dumps(p.context),
        p.recipient.email,
        "",
        State.QUEUED,
        ops.adapt_datetimefield_value(p.scheduled_for),
        ops.adapt_datetimefield_value(p.next_attempt_at),
        0,
        "",
        "",
    )


def _insert_by_values(fresh: Sequence[Planned], *, now: dt.datetime) -> int:
    """INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING, as many rows per statement as the backend takes."""
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    table = ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in INSERT_COLUMNS)
    one_row = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
    per_statement = min(INSERT_CHUNK, (connection.features.max_query_params or 10**9) // len(INSERT_COLUMNS))
    created = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(fresh), per_statement):
            chunk = fresh[start : start + per_statement]
            params = [value for p in chunk for value in _values(p, stamp, ops)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(chunk))} "  # noqa: S608 - only placeholders are interpolated
                "ON CONFLICT DO NOTHING",
                params,
            )
            created += cursor.rowcount
    return created


def _insert_by_copy(fresh: Sequence[Planned], *, now: dt.datetime) -> int:
    """PostgreSQL: COPY the rows into a temporary table, then one INSERT … SELECT … ON CONFLICT DO NOTHING.

    COPY takes the values in binary-safe rows without building a statement: for the scan's thousands of
    rows it is several times cheaper than quoting 20 parameters per row into INSERT statements.
    """
    ops = connection.ops
    table = ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in INSERT_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE notify_incoming AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608 - names from the model
        )
        with cursor.copy(f"COPY notify_incoming ({columns}) FROM STDIN") as copy:
            for p in fresh:
                copy.write_row(_values(p, now, ops))
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM notify_incoming ON CONFLICT DO NOTHING"  # noqa: S608 - names from the model
        )
        created = cursor.rowcount
        cursor.execute("DROP TABLE notify_incoming")
    return created


def _row(p: Planned) -> Notification:
    return Notification(
        kind=p.kind,
        item_key=p.item_key,
        recipient_key=p.recipient.key,
        occasion=p.occasion,
        recipient=p.recipient.user,
        agency=p.recipient.agency,
        task_id=p.task.pk if p.task is not None else None,
        meeting=p.meeting,
        deadline=p.deadline,
        context=p.context,
        to_email=p.recipient.email,
        scheduled_for=p.scheduled_for,
        next_attempt_at=p.next_attempt_at,
    )


def wants(pref: NotificationPreference | None, kind: str) -> bool:
    """Whether the person's preferences let this kind of mail through (agency contacts get everything)."""
    if pref is None:
        return True
    if kind == Kind.ASSIGNMENT:
        return pref.assignments
    if kind in REMINDER_KINDS:
        return pref.reminders
    if kind in STATUS_KINDS:
        return pref.status_notices
    if kind in MEETING_KINDS:
        return pref.meetings
    if kind == Kind.DIGEST:
        # Choosing a digest instead of single reminders is the consent; unsubscribing switches back.
        return pref.delivery != Delivery.IMMEDIATE
    return pref.digests


class Audience:
    """Resolves people to recipients with their preferences, skipping those who must get nothing."""

    def __init__(self, users: Iterable[Any] = ()) -> None:
        self._prefs = selectors.preferences_by_user(u.pk for u in users if u is not None)
        self._secretaries: dict[int, list[User]] = {}
        self._recipients: dict[str, Recipient] = {}

    def secretaries(self, task: Task | ScanTask) -> list[User]:
        """The committee secretaries for the task's event, looked up once per event."""
        if task.event_id not in self._secretaries:
            self._secretaries[task.event_id] = selectors.committee_secretaries(task)
        return self._secretaries[task.event_id]

    def pref(self, user: Any) -> NotificationPreference:
        if user.pk not in self._prefs:
            self._prefs[user.pk] = selectors.preference_for(user)
        return self._prefs[user.pk]

    def person(self, user: Any, kind: str) -> Recipient | None:
        if not selectors.can_receive(user):
            return None
        pref = self.pref(user)
        if not wants(pref, kind):
            return None
        # One Recipient per person: a scan asks for the same few dozen people thousands of times.
        key = f"user:{user.pk}"
        if key not in self._recipients:
            self._recipients[key] = selectors.recipient_for_user(user, pref)
        return self._recipients[key]

    def executor(self, task: Task | ScanTask, kind: str) -> Recipient | None:
        """The responsible person, or the lead agency's contact address when nobody is named."""
        if task.responsible_id is not None and selectors.can_receive(task.responsible):
            return self.person(task.responsible, kind)
        agency = task.lead_agency
        if agency.email:
            key = f"agency:{agency.pk}"
            if key not in self._recipients:
                self._recipients[key] = selectors.recipient_for_agency(agency)
            return self._recipients[key]
        return None


def _unique(recipients: Iterable[Recipient | None]) -> list[Recipient]:
    seen: dict[str, Recipient] = {}
    for r in recipients:
        if r is not None and r.key not in seen:
            seen[r.key] = r
    return list(seen.values())


# --- the scan: rules that create rows at their moment ------------------------------------------------


def _deadline_occasion(
    task: ScanTask, recipient: Recipient, today: dt.date, rules: ReminderSettings, cal: WorkingCalendar
) -> int | None:
    """The offset (working days before the deadline; 0 is the due day) whose moment is the latest passed.

    Only the current occasion is ever created, so after an outage one reminder goes out, not one per
    missed day. None when no reminder is due (too early, overdue, or the occasion predates the task).
    """
    if today > task.deadline:
        return None
    latest = _latest_passed_offset(task.deadline, today, _offsets(rules.deadline_offsets, rules.remind_on_due_day), cal)
    if latest is None:
        return None
    offset, day = latest
    created_day = timezone.localtime(task.created, recipient.tz).date() if task.created else today
    return offset if day >= created_day else None


@functools.lru_cache(maxsize=64)
def _offsets(deadline_offsets: str, on_due_day: bool) -> tuple[int, ...]:
    """The reminder offsets in working days, smallest first (0: the due day), parsed once per rules text."""
    return tuple(([0] if on_due_day else []) + sorted(parse_offsets(deadline_offsets)))


@functools.lru_cache(maxsize=8192)
def _latest_passed_offset(
    deadline: dt.date, today: dt.date, offsets: tuple[int, ...], cal: WorkingCalendar
) -> tuple[int, dt.date] | None:
    """(offset, its day) of the latest reminder moment on or before `today`, walking the calendar.

    Thousands of tasks share a deadline: the walk is done once per (deadline, today, rules) and calendar.
    Each scan loads calendars of its own, so a calendar corrected in the admin is never answered from here.
    """
    for offset in offsets:
        day = deadline if offset == 0 else cal.add(deadline, -offset)
        if offset == 0 and not cal.is_working(day):
            day = cal.add(day, -1)
        if day <= today:
            return offset, day
    return None


def plan_task_reminders(
    task: ScanTask, *, now: dt.datetime, rules: ReminderSettings, calendars: Calendars, audience: Audience
) -> list[Planned]:
    planned: list[Planned] = []
    item = f"task:{task.pk}"
    executor_recipient = audience.executor(task, Kind.DEADLINE)
    executor_digest = (
        executor_recipient is not None
        and executor_recipient.user is not None
        and audience.pref(executor_recipient.user).delivery != Delivery.IMMEDIATE
    )

    def add(kind: str, recipient: Recipient, occasion: str, day: dt.date, context: dict[str, Any]) -> None:
        planned.append(
            Planned(
                kind=kind,
                item_key=item,
                recipient=recipient,
                occasion=occasion,
                scheduled_for=local_moment(recipient, day, rules.send_hour),
                next_attempt_at=now,
                task=task,
                deadline=task.deadline,
                context=context,
            )
        )

    # Deadline reminders go to the executor (unless they take their reminders as a digest).
    if executor_recipient is not None and not executor_digest:
        cal = calendars(executor_recipient.country)
        if sending_window_open(executor_recipient, now, rules, cal):
            today = now.astimezone(executor_recipient.tz).date()
            offset = _deadline_occasion(task, executor_recipient, today, rules, cal)
            if offset is not None:
                add(Kind.DEADLINE, executor_recipient, f"{task.deadline}:{offset}", today, {"offset": offset})

    # Overdue: every working day, with the escalation ladder. Copies up the ladder are never digested.
    ladder: list[tuple[Recipient | None, int]] = []
    if executor_recipient is not None and not executor_digest:
        ladder.append((executor_recipient, 1))
    head = task.lead_agency.head
    ladder.append((audience.person(head, Kind.OVERDUE) if head else None, rules.overdue_head_from_day))
    if task.deadline < now.date() + dt.timedelta(days=1):
        for person in [*audience.secretaries(task), task.controller]:
            if person is not None:
                ladder.append((audience.person(person, Kind.OVERDUE), rules.overdue_committee_from_day))
    seen: set[str] = set()
    for recipient, from_day in ladder:
        if recipient is None or recipient.key in seen:
            continue
        cal = calendars(recipient.country)
        today = now.astimezone(recipient.tz).date()
        if today <= task.deadline or not sending_window_open(recipient, now, rules, cal):
            continue
        day = cal.count_between(task.deadline, today)
        if day >= from_day:
            seen.add(recipient.key)
            add(Kind.OVERDUE, recipient, f"{task.deadline}:overdue:{today}", today, {"day": day})
    return planned


def _week_key(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"week:{year}-W{week:02d}"


def _period(delivery: str, today: dt.date) -> str:
    return _week_key(today) if delivery == Delivery.WEEKLY else f"day:{today}"


def plan_digests(*, now: dt.datetime, rules: ReminderSettings, calendars: Calendars) -> list[Planned]:
    planned: list[Planned] = []

    def add(kind: str, item: str, recipient: Recipient, period: str, context: dict[str, Any]) -> None:
        today = now.astimezone(recipient.tz).date()
        planned.append(
            Planned(
                kind=kind,
                item_key=item,
                recipient=recipient,
                occasion=period,
                scheduled_for=local_moment(recipient, today, rules.send_hour),
                next_attempt_at=now,
                context={"period": period, **context},
            )
        )

    for user in selectors.digest_users():
        pref = user.notification_preference
        recipient = selectors.recipient_for_user(user, pref)
        if not user.email or not sending_window_open(recipient, now, rules, calendars(recipient.country)):
            continue
        if selectors.personal_digest_tasks(user).exists():
            add(
                Kind.DIGEST,
                f"user:{user.pk}",
                recipient,
                _period(pref.delivery, now.astimezone(recipient.tz).date()),
                {},
            )

    audience = Audience()
    for agency in selectors.agency_heads():
        head = agency.head
        to_head = audience.person(head, Kind.AGENCY_DIGEST)
        if to_head is None or not sending_window_open(to_head, now, rules, calendars(to_head.country)):
            continue
        if selectors.agency_digest_tasks(agency).exists():
            period = _period(audience.pref(head).delivery, now.astimezone(to_head.tz).date())
            add(Kind.AGENCY_DIGEST, f"agency:{agency.pk}", to_head, period, {"agency": agency.pk})

    for member in selectors.committee_chairs():
        to_chair = audience.person(member.user, Kind.READINESS)
        if to_chair is None or not sending_window_open(to_chair, now, rules, calendars(to_chair.country)):
            continue
        period = _week_key(now.astimezone(to_chair.tz).date())
        add(Kind.READINESS, f"committee:{member.committee_id}", to_chair, period, {"committee": member.committee_id})
    return planned


def plan_meeting_reminders(*, now: dt.datetime, rules: ReminderSettings, calendars: Calendars) -> list[Planned]:
    planned: list[Planned] = []
    meetings = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=6)
    ).prefetch_related("attendance__user__agency")
    for meeting in meetings:
        people = [a.user for a in meeting.attendance.all()]
        audience = Audience(people)
        for person in people:
            recipient = audience.person(person, Kind.MEETING_REMINDER)
            if recipient is None:
                continue
            cal = calendars(recipient.country)
            today = now.astimezone(recipient.tz).date()
            meeting_day = meeting.starts_at.astimezone(recipient.tz).date()
            if not (cal.add(meeting_day, -1) <= today < meeting_day) or not sending_window_open(
                recipient, now, rules, cal
            ):
                continue
            planned.append(
                Planned(
                    kind=Kind.MEETING_REMINDER,
                    item_key=f"meeting:{meeting.pk}",
                    recipient=recipient,
                    occasion=f"start:{meeting.starts_at.isoformat()}",
                    scheduled_for=local_moment(recipient, today, rules.send_hour),
                    next_attempt_at=now,
                    meeting=meeting,
                    context={"starts_at": meeting.starts_at.isoformat(), "sequence": meeting.sequence},
                )
            )
    return planned


def last_remindable_deadline(*, now: dt.datetime, rules: ReminderSettings, calendars: Calendars) -> dt.date:
    """The latest deadline with a reminder due at `now` anywhere: the largest offset in working days after
    the latest local date on Earth (a day ahead of UTC at most), by the most generous calendar."""
    latest_today = now.date() + dt.timedelta(days=1)
    offset = max(rules.offsets, default=0)
    return max(calendars(country).add(latest_today, offset) for country in (Country.RU, Country.KZ))


@dataclass
class ScanResult:
    created: int
    dispatched: int
    returned: int


def outbox_scan(*, now: dt.datetime | None = None, sync: bool = False) -> ScanResult:
    """Create every row due at `now` and hand due rows to the worker. Safe to run concurrently."""
    now = now or timezone.now()
    returned = outbox_sweep()
    rules = selectors.reminder_settings_get()
    calendars = Calendars(now.date())
    tasks = selectors.reminder_candidates(
        last_deadline=last_remindable_deadline(now=now, rules=rules, calendars=calendars)
    )
    audience = Audience([p for t in tasks for p in (t.responsible, t.controller, t.lead_agency.head) if p is not None])
    planned: list[Planned] = []
    for task in tasks:
        planned.extend(plan_task_reminders(task, now=now, rules=rules, calendars=calendars, audience=audience))
    planned.extend(plan_digests(now=now, rules=rules, calendars=calendars))
    planned.extend(plan_meeting_reminders(now=now, rules=rules, calendars=calendars))
    with transaction.atomic():
        created = _store(planned, validate=False)
    dispatched = outbox_dispatch(now=now, sync=sync)
    return ScanResult(created=created, dispatched=dispatched, returned=returned)


# --- handing rows to the worker --------------------------------------------------------------------


# One quick reconnect (a restarted Redis), then give up: the rows wait for the next scan.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def _batches(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[start : start + BATCH_SIZE]) for start in range(0, len(ids), BATCH_SIZE)]


def _enqueue(ids: Sequence[int]) -> None:
    """Publish row ids to the broker in batches. A broker that is down is logged: the rows wait for the next scan."""
    from .tasks import send_batch

    for index, batch in enumerate(batches := _batches(ids)):
        try:
            send_batch.apply_async(args=[batch], retry=True, retry_policy=PUBLISH_RETRY)
        except Exception:  # any broker failure must leave the web request and the scan running
            waiting = [pk for later in batches[index:] for pk in later]
            logger.warning("broker unavailable; notifications %s wait for the next scan", waiting, exc_info=True)
            return


def outbox_dispatch(*, now: dt.datetime | None = None, sync: bool = False, limit: int = 500) -> int:
    """Hand queued rows whose time has come to the worker (or deliver them here when `sync`).

    A row handed over recently is not handed over again until NOTIFY_REDISPATCH_SECONDS pass, so a
    message the broker lost is re-sent by a later scan, and two scans rarely publish the same row
    (if they do, the claim in `outbox_deliver_batch` lets one of them through). Rows go to the worker in
    batches of BATCH_SIZE ids per broker message.
    """
    now = now or timezone.now()
    real_now = timezone.now()
    cutoff = real_now - dt.timedelta(seconds=_redispatch_seconds())
    with transaction.atomic():
        due = (
            Notification.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
            .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=cutoff))
            .order_by("next_attempt_at", "pk")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if ids:
            Notification.objects.filter(pk__in=ids).update(dispatched_at=real_now)
            if not sync:
                transaction.on_commit(lambda: _enqueue(ids))
    if sync:
        for batch in _batches(ids):
            outbox_deliver_batch(notification_ids=batch)
    return len(ids)


def outbox_sweep() -> int:
    """Return rows whose sender vanished (lease expired while 'sending') to the queue."""
    now = timezone.now()
    return Notification.objects.filter(state=State.SENDING, lease_until__lt=now).update(
        state=State.QUEUED,
        lease_until=None,
        dispatched_at=None,
        next_attempt_at=now,
        last_error="The sender stopped before finishing; queued again.",
        updated=now,
    )


# --- delivering rows ------------------------------------------------------------------------------


def classify_failure(exc: BaseException) -> tuple[int | None, bool]:
    """(SMTP code or None, temporary?): 4xx, timeouts and refused connections are worth retrying; 5xx is not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        code = max(codes) if codes else None
        return code, code is None or 400 <= code < 500
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        return code, not 500 <= code < 600
    if isinstance(
        exc, smtplib.SMTPServerDisconnected | socket.timeout | TimeoutError | OSError | SoftTimeLimitExceeded
    ):
        return None, True
    return None, False


def retry_delay(attempt: int) -> dt.timedelta:
    """Exponential backoff with jitter: base, 2×base, 4×base … capped at six hours, ±25 %."""
    seconds = min(_retry_base_seconds() * 2 ** max(attempt - 1, 0), 6 * 3600)
    return dt.timedelta(seconds=seconds * random.uniform(0.75, 1.25))  # noqa: S311 - jitter, not security


def _stale_reason(row: Notification, pref: NotificationPreference | None) -> str:
    """Why a queued row must not go out any more, or '' when it still should (`pref`: the recipient's)."""
    user = row.recipient
    if row.recipient_id is not None:
        if user is None or not user.is_active:
            return "The recipient is deactivated."
        if not wants(pref or selectors.preference_for(user), row.kind):
            return "Turned off in the recipient's preferences."
    task = row.task
    if (
        row.kind in REMINDER_KINDS
        and task is not None
        and (task.status in CLOSED_STATUSES or task.deadline != row.deadline)
    ):
        return "The task is closed or its deadline changed."
    meeting = row.meeting
    if (
        row.kind == Kind.MEETING_REMINDER
        and meeting is not None
        and (meeting.status != MeetingStatus.PLANNED or meeting.starts_at.isoformat() != row.context.get("starts_at"))
    ):
        return "The meeting was cancelled or moved."
    if (
        row.kind in (Kind.MEETING_INVITATION, Kind.MEETING_UPDATE)
        and meeting is not None
        and (meeting.sequence != row.context.get("sequence"))
    ):
        return "A newer version of the meeting was sent."
    return ""


def _finish(pk: int, attempt: int, **values: Any) -> bool:
    """Record the outcome only if the row is still ours (same attempt, still 'sending')."""
    return _finish_many({pk: attempt}, **values) == 1


def _finish_many(claimed: dict[int, int], /, **values: Any) -> int:
    """The same outcome for several rows in one UPDATE, each only if still ours (same attempt, 'sending')."""
    if not claimed:
        return 0
    ours = Q()
    for pk, attempt in claimed.items():
        ours |= Q(pk=pk, attempts=attempt)
    return Notification.objects.filter(ours, state=State.SENDING).update(
        lease_until=None, updated=timezone.now(), **values
    )


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_kept_connections: dict[tuple[str, str, int, str], Any] = {}


def _send(message: Any) -> None:
    """Send over this process's kept SMTP connection: opened on first use, reused by the next message.

    A new connection per message (connect, EHLO, QUIT) cost more than the message itself. A kept connection
    the server has dropped while idle is reopened once; any other failure closes it, so the next message
    starts afresh. Other backends (files, memory in tests) get a connection per message as before.
    """
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        get_connection(fail_silently=False).send_messages([message])
        return
    key = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER)
    conn = _kept_connections.pop(key, None)  # while sending, nobody else in this process can take it
    reused = conn is not None
    if conn is None:
        conn = get_connection(fail_silently=False)
        conn.open()
    try:
        conn.send_messages([message])
    except smtplib.SMTPServerDisconnected:
        conn.close()
        if not reused:
            raise
        conn = get_connection(fail_silently=False)
        conn.open()
        try:
            conn.send_messages([message])
        except Exception:
            conn.close()
            raise
    except Exception:
        conn.close()
        raise
    _kept_connections[key] = conn


BATCH_SIZE = 50  # rows per delivery task: one claim, a few loading queries and one SMTP session per batch


def _claim(ids: Sequence[int], *, now: dt.datetime) -> dict[int, int]:
    """Claim the queued rows among `ids` in one compare-and-set statement; returns {id: attempt} of ours.

    UPDATE … WHERE state = 'queued' … RETURNING: of two workers handed the same ids, each row goes to one
    only. Django's update() does not say which rows it changed, hence the statement is written out here.
    """
    if not ids:
        return {}
    ops = connection.ops
    table = ops.quote_name(Notification._meta.db_table)
    moment = ops.adapt_datetimefield_value(now)
    lease_until = ops.adapt_datetimefield_value(now + dt.timedelta(seconds=_lease_seconds()))
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"UPDATE {table} SET state = %s, lease_until = %s, attempts = attempts + 1, updated = %s "  # noqa: S608 - only placeholders are interpolated
        f"WHERE state = %s AND id IN ({placeholders}) RETURNING id, attempts"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [State.SENDING, lease_until, moment, State.QUEUED, *ids])
        return dict(cursor.fetchall())


def _release_untried(claimed: dict[int, int], *, error: str, next_attempt_at: dt.datetime) -> int:
    """Queue again rows of a batch that were never tried (the server went away first): no attempt is counted."""
    return _finish_many(
        claimed,
        state=State.QUEUED,
        dispatched_at=None,
        next_attempt_at=next_attempt_at,
        attempts=F("attempts") - 1,
        last_error=error,
    )


def outbox_deliver_batch(*, notification_ids: Sequence[int]) -> dict[int, str]:
    """Claim the queued rows among the ids, send their mails over one SMTP connection, record each outcome.

    Returns {id: 'sent' | 'retry' | 'failed' | 'cancelled' | 'requeued' | 'skipped'}: 'requeued' rows were
    not tried, 'skipped' ones were not queued (another worker has them, or they are done).

    Each sent row is marked sent by its own one-row UPDATE before the next mail goes out: a worker that dies
    mid-batch leaves in 'sending' only rows it has not sent, which the sweeper queues again after their
    lease, so nothing sent goes out twice. A refusal concerns its own row only; when the server cannot be
    reached (or the time limit nears), the rows not yet tried are queued again without counting an attempt.
    """
    from . import emails

    ids = list(dict.fromkeys(notification_ids))
    outcomes = dict.fromkeys(ids, "skipped")
    attempts = _claim(ids, now=timezone.now())
    if not attempts:
        return outcomes
    rows = selectors.rows_for_delivery(list(attempts))
    prefs = selectors.preferences_by_user(r.recipient_id for r in rows if r.recipient_id is not None)
    cancelled: dict[str, dict[int, int]] = {}
    unaddressed: dict[int, int] = {}
    outgoing: list[tuple[Notification, Any, str]] = []
    for row in rows:
        attempt = attempts[row.pk]
        pref = prefs.get(row.recipient_id) if row.recipient_id is not None else None
        if row.recipient_id is not None and pref is None:
            pref = NotificationPreference(user_id=row.recipient_id)  # the defaults, as preference_for gives
        reason = _stale_reason(row, pref)
        if reason:
            cancelled.setdefault(reason, {})[row.pk] = attempt
            outcomes[row.pk] = "cancelled"
            continue
        address = row.recipient.email if row.recipient is not None else (row.agency.email if row.agency else "")
        if not address:
            unaddressed[row.pk] = attempt
            outcomes[row.pk] = "failed"
            continue
        row.to_email = address
        message_id = emails.message_id_for(row)
        try:
            message = emails.build_message(row, message_id=message_id, preference=pref)
        except Exception as exc:  # a message that cannot be built is a permanent failure, recorded
            logger.exception("notification %s could not be rendered", row.pk)
            _finish(row.pk, attempt, state=State.FAILED, last_error=f"Rendering failed: {exc!r}"[:2000])
            outcomes[row.pk] = "failed"
            continue
        outgoing.append((row, message, message_id))
    for reason, group in cancelled.items():
        _finish_many(group, state=State.CANCELLED, last_error=reason)
    _finish_many(unaddressed, state=State.FAILED, last_error="No email address.")

    for index, (row, message, message_id) in enumerate(outgoing):
        attempt = attempts[row.pk]
        try:
            _send(message)
        except Exception as exc:  # noqa: BLE001 - every SMTP outcome is classified and stored on the row
            outcomes[row.pk] = _record_failure(row, attempt, exc, message_id=message_id)
            code, temporary = classify_failure(exc)
            if temporary and code is None:  # no server to talk to: the rest of the batch waits as well
                rest = {later.pk: attempts[later.pk] for later, _m, _id in outgoing[index + 1 :]}
                _release_untried(
                    rest, error=f"Not tried: {type(exc).__name__}", next_attempt_at=timezone.now() + retry_delay(1)
                )
                outcomes.update(dict.fromkeys(rest, "requeued"))
                break
            continue
        _finish(
            row.pk,
            attempt,
            state=State.SENT,
            sent_at=timezone.now(),
            last_smtp_code=250,
            last_error="",
            to_email=row.to_email,
            subject=message.subject[:300],
            message_id=message_id,
        )
        outcomes[row.pk] = "sent"
    return outcomes


def _record_failure(row: Notification, attempt: int, exc: Exception, *, message_id: str) -> str:
    """A refused or failed send: queued again with backoff when temporary and attempts remain, else failed."""
    code, temporary = classify_failure(exc)
    error = f"{type(exc).__name__}: {exc}"[:2000]
    common = {"last_smtp_code": code, "last_error": error, "to_email": row.to_email, "message_id": message_id}
    if temporary and attempt < _max_attempts():
        _finish(
            row.pk,
            attempt,
            state=State.QUEUED,
            dispatched_at=None,
            next_attempt_at=timezone.now() + retry_delay(attempt),
            **common,
        )
        logger.info("notification %s: temporary failure %s, retry later", row.pk, code)
        return "retry"
    _finish(row.pk, attempt, state=State.FAILED, **common)
    logger.warning("notification %s failed permanently: %s", row.pk, error)
    return "failed"


def outbox_deliver(*, notification_id: int) -> str:
    """Claim one queued row, send it, record the result. Returns the outcome ('sent', 'retry', ...)."""
    return outbox_deliver_batch(notification_ids=[notification_id])[notification_id]


# --- the admin's actions ---------------------------------------------------------------------------


@transaction.atomic
def outbox_retry(*, notifications: Iterable[Notification]) -> int:
    """Queue failed or cancelled rows again (after an address was fixed); they go out with the next scan."""
    ids = [n.pk for n in notifications]
    now = timezone.now()
    count = Notification.objects.filter(pk__in=ids, state__in=[State.FAILED, State.CANCELLED]).update(
        state=State.QUEUED, attempts=0, next_attempt_at=now, dispatched_at=None, last_error="", updated=now
    )
    transaction.on_commit(lambda: outbox_dispatch())
    return count


@transaction.atomic
def outbox_cancel(*, notifications: Iterable[Notification]) -> int:
    ids = [n.pk for n in notifications]
    return Notification.objects.filter(pk__in=ids, state__in=[State.QUEUED, State.FAILED]).update(
        state=State.CANCELLED, last_error="Cancelled by hand.", updated=timezone.now()
    )


# --- notices on what people do (called from the workplan and committee services) -----------------


def _notify(
    *,
    kind: str,
    recipients: Iterable[Recipient | None],
    occasion: str,
    task: Task | None = None,
    meeting: Meeting | None = None,
    context: dict[str, Any] | None = None,
    polite: bool = True,
) -> int:
    """Store notices about something that just happened and dispatch them once the transaction commits.

    `polite` notices wait for the recipient's working hours; meeting changes go at once.
    """
    now = timezone.now()
    rules = selectors.reminder_settings_get()
    calendars = Calendars(now.date())
    item = f"task:{task.pk}" if task is not None else f"meeting:{meeting.pk}" if meeting is not None else ""
    planned = []
    for recipient in _unique(recipients):
        moment = next_polite_moment(recipient, now, rules, calendars(recipient.country)) if polite else now
        planned.append(
            Planned(
                kind=kind,
                item_key=item,
                recipient=recipient,
                occasion=occasion,
                scheduled_for=moment,
                next_attempt_at=moment,
                task=task,
                meeting=meeting,
                deadline=task.deadline if task is not None else None,
                context=context or {},
            )
        )
    created = _store(planned)
    if created:
        transaction.on_commit(lambda: outbox_dispatch())
    return created


def _head_copy(audience: Audience, task: Task, kind: str) -> Recipient | None:
    head = task.lead_agency.head
    if head is None or not audience.pref(head).head_copies:
        return None
    return audience.person(head, kind)


def _history_stamp(task: Task) -> str:
    last = task.history.order_by("-history_id").values_list("history_id", flat=True).first()  # type: ignore[attr-defined]
    return f"h{last}" if last is not None else f"t{timezone.now().timestamp():.6f}"


def task_assignment_notify(*, task: Task) -> int:
    """The responsible person learns of the task; co-executors' contacts get a copy."""
    task = Task.objects.select_related("lead_agency__head", "responsible__agency", "event").get(pk=task.pk)
    audience = Audience([task.responsible, task.lead_agency.head])
    recipients: list[Recipient | None] = [audience.executor(task, Kind.ASSIGNMENT)]
    recipients += [selectors.recipient_for_agency(a) for a in task.co_executors.all() if a.email]
    recipients.append(_head_copy(audience, task, Kind.ASSIGNMENT))
    return _notify(kind=Kind.ASSIGNMENT, recipients=recipients, occasion=_history_stamp(task), task=task)


def task_changed_notify(*, task: Task, old_responsible_id: int | None, old_deadline: dt.date) -> int:
    """After an edit: a new responsible person is told; a new deadline cancels the old one's reminders."""
    cancelled = 0
    if task.deadline != old_deadline:
        cancelled = (
            Notification.objects.filter(task=task, kind__in=REMINDER_KINDS, state=State.QUEUED)
            .exclude(deadline=task.deadline)
            .update(state=State.CANCELLED, last_error="The deadline changed.", updated=timezone.now())
        )
    if task.responsible_id != old_responsible_id and task.responsible_id is not None:
        task_assignment_notify(task=task)
    return cancelled


def task_status_notify(*, task: Task) -> int:
    """Accepted or returned: the executor (and an opted-in head) hear of it."""
    kinds = {TaskStatus.ACCEPTED: Kind.REPORT_ACCEPTED, TaskStatus.RETURNED: Kind.REPORT_RETURNED}
    if task.status in CLOSED_STATUSES:
        Notification.objects.filter(task=task, kind__in=REMINDER_KINDS, state=State.QUEUED).update(
            state=State.CANCELLED, last_error="The task is closed.", updated=timezone.now()
        )
    kind = kinds.get(TaskStatus(task.status))
    if kind is None:
        return 0
    task = Task.objects.select_related("lead_agency__head", "responsible__agency", "event").get(pk=task.pk)
    audience = Audience([task.responsible, task.lead_agency.head])
    stamp = task.status_changed_at.isoformat() if task.status_changed_at else _history_stamp(task)
    return _notify(
        kind=kind,
        recipients=[audience.executor(task, kind), _head_copy(audience, task, kind)],
        occasion=f"{task.status}:{stamp}",
        task=task,
    )


def report_submitted_notify(*, report: ProgressReport) -> int:
    task = Task.objects.select_related("lead_agency__head", "controller__agency", "event").get(pk=report.task_id)
    audience = Audience([task.controller, task.lead_agency.head])
    controller = audience.person(task.controller, Kind.REPORT_SUBMITTED) if task.controller else None
    return _notify(
        kind=Kind.REPORT_SUBMITTED,
        recipients=[controller, _head_copy(audience, task, Kind.REPORT_SUBMITTED)],
        occasion=f"report:{report.pk}",
        task=task,
        context={"report": report.pk},
    )


def extension_requested_notify(*, request: ExtensionRequest) -> int:
    task = Task.objects.select_related("lead_agency__head", "controller__agency", "event").get(pk=request.task_id)
    audience = Audience([task.controller])
    people = [task.controller, *selectors.committee_secretaries(task)]
    return _notify(
        kind=Kind.EXTENSION_REQUESTED,
        recipients=[audience.person(p, Kind.EXTENSION_REQUESTED) for p in people if p is not None],
        occasion=f"extension:{request.pk}",
        task=task,
        context={"extension": request.pk},
    )


def extension_decided_notify(*, request: ExtensionRequest) -> int:
    task = Task.objects.select_related("lead_agency__head", "responsible__agency", "event").get(pk=request.task_id)
    audience = Audience([task.responsible])
    requester = User.objects.select_related("agency").filter(pk=request.requested_by_id).first()
    return _notify(
        kind=Kind.EXTENSION_DECIDED,
        recipients=[
            audience.person(requester, Kind.EXTENSION_DECIDED) if requester else None,
            audience.executor(task, Kind.EXTENSION_DECIDED),
        ],
        occasion=f"extension:{request.pk}:{request.status}",
        task=task,
        context={"extension": request.pk},
    )


MEETING_CHANGES = {
    "created": Kind.MEETING_INVITATION,
    "updated": Kind.MEETING_UPDATE,
    "cancelled": Kind.MEETING_CANCELLED,
}


def meeting_notify(*, meeting: Meeting, change: str) -> int:
    """Invite, update or cancel: every invitee gets the meeting with an iCalendar part.

    Call it after the committee service saved the meeting (and raised `sequence` for a change).
    Older invitations still waiting in the queue are superseded by this one.
    """
    if change not in MEETING_CHANGES:
        raise ValidationError({"change": f"unknown meeting change {change!r}"})
    kind = MEETING_CHANGES[change]
    meeting = Meeting.objects.select_related("committee", "chair__agency").get(pk=meeting.pk)
    people = [a.user for a in meeting.attendance.select_related("user__agency")]
    if meeting.chair is not None and all(p.pk != meeting.chair_id for p in people):
        people.append(meeting.chair)
    audience = Audience(people)
    superseded = [Kind.MEETING_INVITATION, Kind.MEETING_UPDATE]
    if kind == Kind.MEETING_CANCELLED:
        superseded.append(Kind.MEETING_REMINDER)
    Notification.objects.filter(meeting=meeting, kind__in=superseded, state=State.QUEUED).update(
        state=State.CANCELLED, last_error="Superseded by a newer version of the meeting.", updated=timezone.now()
    )
    return _notify(
        kind=kind,
        recipients=[audience.person(p, kind) for p in people],
        occasion=f"seq:{meeting.sequence}",
        meeting=meeting,
        context={"sequence": meeting.sequence, "starts_at": meeting.starts_at.isoformat()},
        polite=False,
    )


# --- preferences -----------------------------------------------------------------------------------


PREFERENCE_FIELDS = (
    "assignments",
    "reminders",
    "status_notices",
    "meetings",
    "digests",
    "delivery",
    "language",
    "head_copies",
)


@transaction.atomic
def preference_update(*, user: Any, **fields: Any) -> NotificationPreference:
    unknown = set(fields) - set(PREFERENCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown preference fields: {sorted(unknown)}")
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(user_id=user.pk)
    for name, value in fields.items():
        setattr(pref, name, value)
    pref.full_clean()
    pref.save()
    return pref


@transaction.atomic
def reminder_settings_save(**fields: Any) -> ReminderSettings:
    rules = ReminderSettings.objects.select_for_update().order_by("pk").first() or ReminderSettings()
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.full_clean()
    rules.save()
    return rules
