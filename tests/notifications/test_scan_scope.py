"""The scan plans every candidate only when something besides the tasks changed: otherwise the tasks written since.

Each test checks what was planned (ScanResult.full, tasks_planned) and, more to the point, what was stored: a
change a repeat scan must not miss makes a row appear, and the stored rows always cover what a scan of every
candidate would plan at that moment (plan_all, the morning preview's planning)."""

import datetime as dt
import random

import pytest
import time_machine
from django.db import transaction

from omskevents.accounts.services import absence_record
from omskevents.calendars.models import CalendarDay
from omskevents.notifications import dispatch, services
from omskevents.notifications.enums import Kind
from omskevents.notifications.models import Notification, ReminderSettings, ScanState
from omskevents.workplan.enums import TaskStatus
from omskevents.workplan.models import Task
from omskevents.workplan.services import task_change_status, task_report_progress, task_update
from tests.factories.accounts import UserFactory
from tests.factories.committee import CommitteeMemberFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db
UTC = dt.UTC
FRIDAY_0900_OMSK = dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)  # 09:00 in Omsk, 06:00 in Moscow


def scan_at(moment: dt.datetime) -> dispatch.ScanResult:
    with time_machine.travel(moment, tick=False):
        return dispatch.outbox_scan(now=moment)


def stored() -> set[tuple[str, str, str, str]]:
    return set(Notification.objects.values_list("kind", "item_key", "recipient_key", "occasion"))


def planned_by_every_candidate(moment: dt.datetime) -> set[tuple[str, str, str, str]]:
    with time_machine.travel(moment, tick=False):
        return {p.key for p in dispatch.plan_all(now=moment)}


def deadline_rows(task: Task) -> list[str]:
    return list(Notification.objects.filter(task=task, kind=Kind.DEADLINE).values_list("occasion", flat=True))


def test_a_repeat_scan_plans_only_the_tasks_written_since_the_last(calendars, executor, secretariat):
    first = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    second = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 13))
    result = scan_at(FRIDAY_0900_OMSK)
    assert (result.full, result.tasks_planned, result.created) == (True, 2, 2)

    again = scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=1))
    assert (again.full, again.tasks_planned, again.created) == (False, 0, 0)

    with time_machine.travel(FRIDAY_0900_OMSK + dt.timedelta(minutes=2), tick=False):
        task_update(actor=secretariat, task=second, title="Уточнённое название")
    third = scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=3))
    assert (third.full, third.tasks_planned, third.created) == (False, 1, 0)
    assert deadline_rows(first) == ["2026-05-12:1"]
    assert deadline_rows(second) == ["2026-05-13:3"]


def test_a_task_written_between_scans_gets_its_reminder_at_the_next(calendars, executor, secretariat):
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 6, 30))
    assert scan_at(FRIDAY_0900_OMSK).created == 0
    assert scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=1)).full is False

    with time_machine.travel(FRIDAY_0900_OMSK + dt.timedelta(minutes=5), tick=False):
        task_update(actor=secretariat, task=task, deadline=dt.date(2026, 5, 12))  # one working day ahead
        added = make_task(
            created=FRIDAY_0900_OMSK + dt.timedelta(minutes=5),
            responsible=executor,
            lead_agency=executor.agency,
            deadline=dt.date(2026, 5, 8),
        )
    result = scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=6))
    assert (result.full, result.tasks_planned) == (False, 2)
    assert deadline_rows(task) == ["2026-05-12:1"]
    assert deadline_rows(added) == ["2026-05-08:0"]


def test_a_write_in_flight_while_the_tasks_are_read_is_planned_by_the_next_scan(calendars, executor):
    """A task stamped before the scan read the tasks but committed after: the margin takes it in."""
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 6, 30))
    scan_at(FRIDAY_0900_OMSK)
    # Stamped 2 minutes before the second scan read the tasks, committed after it (the scan could not see it).
    scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=3))
    Task.objects.filter(pk=task.pk).update(
        deadline=dt.date(2026, 5, 12), updated=FRIDAY_0900_OMSK + dt.timedelta(minutes=1)
    )
    result = scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=4))
    assert (result.full, result.tasks_planned) == (False, 1)
    assert deadline_rows(task) == ["2026-05-12:1"]


def _zone_to_kamchatka(executor, **_):
    executor.time_zone = "Asia/Kamchatka"  # 14:59 there: the sending window is open
    executor.save()


def _rules_send_at_eight(**_):
    services.reminder_settings_save(send_hour=8)


def _calendar_makes_a_holiday_working(**_):
    CalendarDay.objects.filter(country="RU", date=dt.date(2026, 5, 11)).update(is_working=True)


def _preference_from_digest_back_to_mail(executor, **_):
    services.preference_update(user=executor, reminders_mode="mail")


def _committee_secretary_added(event, task, **_):
    CommitteeMemberFactory(
        committee=event.committees.first(),
        role="secretary",
        user=UserFactory(username="secr2", role="secretariat", agency=None, email="secr2@example.org"),
    )


@pytest.mark.parametrize(
    "change",
    [
        _zone_to_kamchatka,
        _rules_send_at_eight,
        _preference_from_digest_back_to_mail,
    ],
)
def test_a_change_to_what_the_rules_read_besides_tasks_makes_the_next_scan_plan_every_candidate(
    calendars, executor, change
):
    """The executor's reminder is not due (08:59 local, or a digest taken instead); after the change it is due,
    with the task untouched: a scan of written tasks only would miss it."""
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    if change is _preference_from_digest_back_to_mail:
        services.preference_update(user=executor, reminders_mode="digest")
        moment = FRIDAY_0900_OMSK
    else:
        moment = FRIDAY_0900_OMSK - dt.timedelta(minutes=1)  # 08:59 in Omsk
    scan_at(moment)
    assert scan_at(moment + dt.timedelta(seconds=20)).full is False
    assert deadline_rows(task) == []

    with time_machine.travel(moment + dt.timedelta(seconds=30), tick=False):
        change(executor=executor)
    result = scan_at(moment + dt.timedelta(seconds=40))
    assert result.full is True
    assert deadline_rows(task) == ["2026-05-12:1"]


def test_a_calendar_corrected_by_hand_makes_the_next_scan_plan_every_candidate(calendars, executor):
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    monday = dt.datetime(2026, 5, 11, 3, 0, tzinfo=UTC)  # 09:00 in Omsk on a day off in Russia
    scan_at(monday - dt.timedelta(days=3))  # Friday: the 1-day reminder
    Notification.objects.all().delete()
    scan_at(monday)
    assert scan_at(monday + dt.timedelta(minutes=1)).full is False
    assert deadline_rows(task) == []
    _calendar_makes_a_holiday_working()
    result = scan_at(monday + dt.timedelta(minutes=2))
    assert result.full is True
    # Monday is now the last working day before Tuesday's deadline: the 1-day reminder, already sent on Friday
    # in this story, was deleted above, so it is planned again: the calendar change was seen.
    assert deadline_rows(task) == ["2026-05-12:1"]


def test_a_new_committee_secretary_is_copied_on_the_overdue_ladder_at_the_next_scan(
    calendars, executor, event, secretary
):
    make_task(responsible=executor, lead_agency=executor.agency, event=event, deadline=dt.date(2026, 4, 20))
    scan_at(FRIDAY_0900_OMSK)
    assert scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=1)).full is False
    before = stored()
    _committee_secretary_added(event=event, task=None)
    result = scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=2))
    assert result.full is True
    new = stored() - before
    assert {(kind, recipient) for kind, _item, recipient, _occasion in new} == {
        (Kind.OVERDUE, f"user:{UserFactory._meta.model.objects.get(username='secr2').pk}")
    }


def test_an_absence_hands_the_next_reminder_to_the_deputy(calendars, executor, secretariat):
    deputy = UserFactory(username="deputy", agency=executor.agency, email="deputy@example.org")
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    scan_at(FRIDAY_0900_OMSK - dt.timedelta(minutes=1))
    assert scan_at(FRIDAY_0900_OMSK - dt.timedelta(seconds=30)).full is False
    with time_machine.travel(FRIDAY_0900_OMSK - dt.timedelta(seconds=20), tick=False):
        absence_record(
            actor=secretariat,
            person=executor,
            start=dt.date(2026, 5, 8),
            end=dt.date(2026, 5, 20),
            reason="leave",
            deputy=deputy,
        )
    # The window opens as well at 09:00: a full scan either way; the deputy is the one reminded.
    scan_at(FRIDAY_0900_OMSK)
    assert list(Notification.objects.filter(task=task).values_list("recipient_key", flat=True)) == [f"user:{deputy.pk}"]


def test_every_candidate_is_planned_again_at_least_every_full_scan_period(calendars, executor, settings):
    """The safety net: a write that bypasses the `updated` stamp is planned within NOTIFY_FULL_SCAN_SECONDS."""
    settings.NOTIFY_FULL_SCAN_SECONDS = 600
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 6, 30))
    scan_at(FRIDAY_0900_OMSK)
    Task.objects.filter(pk=task.pk).update(deadline=dt.date(2026, 5, 12))  # behind the services' backs
    missed = scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=5))
    assert (missed.full, deadline_rows(task)) == (False, [])
    caught = scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=10))
    assert caught.full is True
    assert deadline_rows(task) == ["2026-05-12:1"]


def test_a_scan_that_fails_saves_no_state_and_the_next_plans_every_candidate(calendars, executor, monkeypatch):
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    real_store = dispatch.outbox_store

    def store_then_fail(*args, **kwargs):
        real_store(*args, **kwargs)
        raise RuntimeError("database gone mid-scan")

    monkeypatch.setattr(dispatch, "outbox_store", store_then_fail)
    with pytest.raises(RuntimeError), transaction.atomic():
        scan_at(FRIDAY_0900_OMSK)
    monkeypatch.undo()
    assert not ScanState.objects.exists()
    assert deadline_rows(task) == []
    result = scan_at(FRIDAY_0900_OMSK + dt.timedelta(minutes=1))
    assert (result.full, deadline_rows(task)) == (True, ["2026-05-12:1"])


def test_random_days_of_work_leave_nothing_a_scan_of_every_candidate_would_add(
    calendars, event, head, controller, secretary, secretariat
):
    """Deadlines moved, reports written and accepted, preferences and absences changed between scans a few
    minutes apart, across sending hours and days: after each scan, the stored rows cover what planning every
    candidate gives at that moment."""
    rng = random.Random(20261129)
    agency = head.agency
    people = [
        UserFactory(username=f"p{i}", agency=agency, time_zone=zone, email=f"p{i}@example.org")
        for i, zone in enumerate(["Asia/Omsk", "Europe/Moscow", "Asia/Almaty", "Asia/Omsk"])
    ]
    tasks = [
        make_task(
            responsible=rng.choice(people),
            controller=controller,
            lead_agency=agency,
            event=event,
            deadline=dt.date(2026, 5, 4) + dt.timedelta(days=rng.randint(0, 20)),
        )
        for _ in range(12)
    ]
    moment = dt.datetime(2026, 5, 6, 1, 0, tzinfo=UTC)
    ReminderSettings.objects.all().delete()
    kinds_of_scan = set()
    for _step in range(40):
        moment += dt.timedelta(minutes=rng.choice([1, 2, 7, 45, 180]))
        with time_machine.travel(moment, tick=False):
            action = rng.randrange(6)
            task = Task.objects.get(pk=rng.choice(tasks).pk)
            if action == 0 and task.status not in (TaskStatus.ACCEPTED, TaskStatus.REPORTED):
                task_update(
                    actor=secretariat, task=task, deadline=moment.date() + dt.timedelta(days=rng.randint(-3, 9))
                )
            elif action == 1 and task.status == TaskStatus.ASSIGNED:
                task_report_progress(actor=task.responsible, task=task, text="Сделано", is_final=True)
            elif action == 2 and task.status == TaskStatus.REPORTED:
                status = rng.choice([TaskStatus.RETURNED, TaskStatus.ACCEPTED])
                task_change_status(actor=controller, task=task, status=status, note="Доработать")
            elif action == 3:
                services.preference_update(user=rng.choice(people), reminders_mode=rng.choice(["mail", "app"]))
            elif action == 4:
                person = rng.choice(people)
                if not person.absences.exists():
                    start = moment.date() + dt.timedelta(days=rng.randint(0, 2))
                    deputy = rng.choice([p for p in people if p != person])
                    absence_record(
                        actor=secretariat,
                        person=person,
                        start=start,
                        end=start + dt.timedelta(days=3),
                        reason="leave",
                        deputy=deputy,
                    )
        result = scan_at(moment)
        kinds_of_scan.add(result.full)
        missing = planned_by_every_candidate(moment) - stored()
        assert not missing, f"step {_step} at {moment:%d.%m %H:%M} (full scan: {result.full}): {sorted(missing)}"
    assert kinds_of_scan == {True, False}
