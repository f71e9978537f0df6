"""No reminder lost to a deadline that comes back: a reminder cancelled because its occasion lapsed is queued
again when the occasion is valid again (a task's deadline, or an event's dates, moved and moved back)."""

import datetime as dt

import pytest
import time_machine

from omskevents.events.services import event_save
from omskevents.notifications import dispatch, services
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification
from omskevents.notifications.store import REVIVED_NOTE
from omskevents.workplan import services as workplan

from .conftest import make_task

pytestmark = pytest.mark.django_db
UTC = dt.UTC
FRIDAY_0900_OMSK = dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)  # one working day before Tuesday 12 May
DEADLINE = dt.date(2026, 5, 12)


def scan(minutes: int = 0, *, sync: bool = False) -> dispatch.ScanResult:
    moment = FRIDAY_0900_OMSK + dt.timedelta(minutes=minutes)
    with time_machine.travel(moment, tick=False):
        return dispatch.outbox_scan(now=moment, sync=sync)


def reminders() -> list[tuple[str, str, str]]:
    return list(Notification.objects.filter(kind="deadline").values_list("occasion", "state", "last_error"))


def test_task_deadline_moved_and_moved_back_revives_its_reminder(calendars, executor, secretariat, mailoutbox):
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=DEADLINE)
    assert scan().created == 1
    with time_machine.travel(FRIDAY_0900_OMSK + dt.timedelta(minutes=1), tick=False):
        workplan.task_update(actor=secretariat, task=task, deadline=dt.date(2026, 5, 20), reason="перенос")
        assert reminders() == [("2026-05-12:1", State.CANCELLED, "The deadline changed.")]
        workplan.task_update(actor=secretariat, task=task, deadline=DEADLINE, reason="вернули")
    assert scan(5, sync=True).created == 1  # the cancelled row is queued again, and delivered
    assert [(o, s) for o, s, _e in reminders()] == [("2026-05-12:1", State.SENT)]
    assert [m.to for m in mailoutbox] == [["exec@example.org"]]


def test_event_dates_moved_and_moved_back_revive_the_relative_deadlines_reminder(
    calendars, executor, secretariat, event
):
    event.start_date, event.end_date = dt.date(2026, 5, 18), dt.date(2026, 5, 19)
    event_save(actor=secretariat, event=event, changed=["start_date", "end_date"])
    task = make_task(
        responsible=executor, lead_agency=executor.agency, event=event, deadline=DEADLINE,
        deadline_anchor="start", deadline_offset_days=-6,
    )  # fmt: skip
    assert scan().created == 1
    with time_machine.travel(FRIDAY_0900_OMSK + dt.timedelta(minutes=1), tick=False):
        event.start_date, event.end_date = dt.date(2026, 5, 25), dt.date(2026, 5, 26)
        event_save(actor=secretariat, event=event, changed=["start_date", "end_date"])
        task.refresh_from_db()
        assert (task.deadline, reminders()) == (
            dt.date(2026, 5, 19),
            [("2026-05-12:1", State.CANCELLED, "The deadline changed.")],
        )
        event.start_date, event.end_date = dt.date(2026, 5, 18), dt.date(2026, 5, 19)
        event_save(actor=secretariat, event=event, changed=["start_date", "end_date"])
    task.refresh_from_db()
    assert task.deadline == DEADLINE
    assert scan(5).created == 1
    assert reminders() == [("2026-05-12:1", State.QUEUED, REVIVED_NOTE)]
    row = Notification.objects.get(kind="deadline")
    assert (row.attempts, row.deadline, row.dispatched_at is not None) == (0, DEADLINE, True)


def test_reminder_cancelled_by_hand_stays_cancelled(calendars, executor):
    make_task(responsible=executor, lead_agency=executor.agency, deadline=DEADLINE)
    scan()
    services.outbox_cancel(notifications=Notification.objects.all())
    assert scan(5).created == 0
    assert reminders() == [("2026-05-12:1", State.CANCELLED, "Cancelled by hand.")]


def test_sent_reminder_is_never_revived(calendars, executor, mailoutbox):
    make_task(responsible=executor, lead_agency=executor.agency, deadline=DEADLINE)
    scan(sync=True)
    assert (scan(5, sync=True).created, len(mailoutbox)) == (0, 1)
