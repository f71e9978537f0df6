"""The scan's rules: which reminders, overdue notices, digests and meeting reminders are due at a moment."""

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from omskevents.agencies.enums import Country
from omskevents.calendars.services import WorkingCalendar
from omskevents.committee.enums import MeetingStatus
from omskevents.committee.models import Meeting
from omskevents.workplan.enums import TaskStatus

from . import selectors
from .audience import Audience
from .enums import Channel, Delivery, Kind
from .models import ReminderSettings, parse_offsets
from .selectors import Recipient, ScanTask
from .store import Planned
from .timing import Calendars, local_moment, sending_window_open


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
    created_day = task.created.astimezone(recipient.tz).date() if task.created else today
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
        and audience.pref(executor_recipient.user).reminders_mode == Channel.DIGEST
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

    if task.status == TaskStatus.REPORTED:
        # The report awaits acceptance: the controller's turn, not the executor's or their head's.
        _plan_awaiting_acceptance(task, now=now, rules=rules, calendars=calendars, audience=audience, add=add)
        return planned

    # Deadline reminders go to the executor (unless they take their reminders as a digest).
    if executor_recipient is not None and not executor_digest and calendars.window_open(executor_recipient, now, rules):
        today = calendars.local_date(executor_recipient, now)
        offset = _deadline_occasion(task, executor_recipient, today, rules, calendars(executor_recipient.country))
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
        today = calendars.local_date(recipient, now)
        if today <= task.deadline or not calendars.window_open(recipient, now, rules):
            continue
        day = calendars(recipient.country).count_between(task.deadline, today)
        if day >= from_day:
            seen.add(recipient.key)
            add(Kind.OVERDUE, recipient, f"{task.deadline}:overdue:{today}", today, {"day": day})
    return planned


def _plan_awaiting_acceptance(
    task: ScanTask,
    *,
    now: dt.datetime,
    rules: ReminderSettings,
    calendars: Calendars,
    audience: Audience,
    add: Callable[[str, Recipient, str, dt.date, dict[str, Any]], None],
) -> None:
    """Every working day a report waits, its controller hears of it ("awaiting your acceptance N working
    days", from the first full working day waited); the committee secretaries are copied from the day the
    overdue ladder copies them."""
    submitted = task.status_changed_at or task.created or now
    ladder: list[tuple[Recipient | None, int]] = []
    if task.controller is not None:
        ladder.append((audience.person(task.controller, Kind.AWAITING_ACCEPTANCE), 1))
    for person in audience.secretaries(task):
        ladder.append((audience.person(person, Kind.AWAITING_ACCEPTANCE), rules.overdue_committee_from_day))
    seen: set[str] = set()
    for recipient, from_day in ladder:
        if recipient is None or recipient.key in seen:
            continue
        today = calendars.local_date(recipient, now)
        if not calendars.window_open(recipient, now, rules):
            continue
        cal = calendars(recipient.country)
        # Full working days waited: after the day of the report, before today (a report of Friday evening or
        # of the weekend is not "waiting" on Monday morning: its own notice goes then).
        day = cal.count_between(submitted.astimezone(recipient.tz).date(), today - dt.timedelta(days=1))
        if day >= from_day:
            seen.add(recipient.key)
            add(Kind.AWAITING_ACCEPTANCE, recipient, f"awaiting:{submitted.date()}:{today}", today, {"day": day})


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

    users = list(selectors.digest_users())
    with_tasks = selectors.people_with_open_tasks([u.pk for u in users])
    for user in users:
        pref = user.notification_preference
        recipient = selectors.recipient_for_user(user, pref)
        if not user.email or not sending_window_open(recipient, now, rules, calendars(recipient.country)):
            continue
        if user.pk in with_tasks:
            add(
                Kind.DIGEST,
                f"user:{user.pk}",
                recipient,
                _period(pref.delivery, now.astimezone(recipient.tz).date()),
                {},
            )

    agencies = list(selectors.agency_heads())
    audience = Audience(a.head for a in agencies)
    with_tasks = selectors.agencies_with_open_tasks([a.pk for a in agencies])
    for agency in agencies:
        head = agency.head
        to_head = audience.person(head, Kind.AGENCY_DIGEST)
        if to_head is None or not sending_window_open(to_head, now, rules, calendars(to_head.country)):
            continue
        if agency.pk in with_tasks:
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


def plan_discipline_reports(*, now: dt.datetime, rules: ReminderSettings, calendars: Calendars) -> list[Planned]:
    """The weekly discipline report (an Excel attachment) to the chairs and both secretariats, once a week: on the
    weekday the secretariat chose, or on the first working day after it in the same week."""
    planned: list[Planned] = []
    if rules.discipline_weekday is None:
        return planned
    audience = Audience()
    people = {m.user.pk: m.user for m in selectors.committee_chairs()}
    people.update((u.pk, u) for u in selectors.secretariat_people())
    for person in people.values():
        recipient = audience.person(person, Kind.DISCIPLINE_REPORT)
        if recipient is None:
            continue
        today = now.astimezone(recipient.tz).date()
        if today.isoweekday() < rules.discipline_weekday or not sending_window_open(
            recipient, now, rules, calendars(recipient.country)
        ):
            continue
        period = _week_key(today)
        planned.append(
            Planned(
                kind=Kind.DISCIPLINE_REPORT,
                item_key="discipline",
                recipient=recipient,
                occasion=period,
                scheduled_for=local_moment(recipient, today, rules.send_hour),
                next_attempt_at=now,
                context={"period": period},
            )
        )
    return planned
