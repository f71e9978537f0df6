"""The gathering window: notices to one person during their working hours wait NOTIFY_GATHER_WINDOW_SECONDS for
more, and what comes within it goes as one mail at its end. Real PostgreSQL; the mail through Django's
in-memory backend (tests/notifications/test_integration.py runs the same through a worker and an SMTP server).
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from omskevents.notifications import delivery, dispatch, selectors, services
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification
from omskevents.workplan import services as workplan_services
from omskevents.workplan.models import Task
from tests.factories.accounts import UserFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db
UTC = dt.UTC
START = dt.datetime(2026, 5, 8, 7, 0, 30, tzinfo=UTC)  # Friday, 10:00:30 in Moscow (the controller's zone)
WINDOW = 120


@pytest.fixture(autouse=True)
def window(settings):
    settings.NOTIFY_GATHER_WINDOW_SECONDS = WINDOW
    settings.LANGUAGE_CODE = "ru"


def at(seconds: float) -> dt.datetime:
    return START + dt.timedelta(seconds=seconds)


def tasks_for(controller, omsk_agency, n: int, *, first: int = 0) -> list[Task]:
    """n tasks in work, each with an executor of its own, all controlled by `controller`."""
    tasks = []
    for i in range(first, first + n):
        executor = UserFactory(
            username=f"exec{i}", agency=omsk_agency, time_zone="Asia/Omsk", email=f"exec{i}@example.org"
        )
        tasks.append(
            make_task(
                responsible=executor,
                lead_agency=omsk_agency,
                controller=controller,
                deadline=dt.date(2026, 6, 30),
                title=f"Поручение {i}",
                status="in_progress",
            )
        )
    return tasks


def submit(task: Task, moment: dt.datetime) -> Notification:
    """The task's executor reports its completion at `moment`; returns the controller's notice."""
    with time_machine.travel(moment, tick=False):
        workplan_services.task_report_progress(actor=task.responsible, task=task, text="Готово", is_final=True)
    return Notification.objects.get(task=task, kind="report_submitted")


def deliver_due(moment: dt.datetime) -> int:
    """What the sweep and the scan do at `moment`: hand over the due rows (delivered here)."""
    with time_machine.travel(moment, tick=False):
        return dispatch.outbox_dispatch(sync=True)


def to(mailoutbox, person) -> list:
    return [m for m in mailoutbox if m.to == [person.email]]


def test_reports_within_the_window_go_at_its_end_as_one_mail(calendars, omsk_agency, controller, mailoutbox):
    tasks = tasks_for(controller, omsk_agency, 12)
    notes = [submit(task, at(9 * i)) for i, task in enumerate(tasks)]  # the last at 99 s
    # The first report opened the controller's window; each later one joined it.
    assert {(n.scheduled_for, n.next_attempt_at) for n in notes} == {(at(WINDOW), at(WINDOW))}
    assert deliver_due(at(WINDOW - 1)) == 0
    assert mailoutbox == []
    assert deliver_due(at(WINDOW)) == 12
    [mail] = mailoutbox
    assert "12 отчётов ожидают вашего принятия" in mail.subject
    assert all(mail.body.count(f"Поручение {i}\n") == 1 for i in range(12))
    lead = int(mail.extra_headers["X-Omskevents-Outbox"])
    rows = Notification.objects.filter(pk__in=[n.pk for n in notes])
    assert sorted(rows.values_list("state", "gathered_into")) == [(State.GATHERED, lead)] * 11 + [(State.SENT, None)]
    assert rows.get(pk=lead).sent_at == at(WINDOW)


def test_a_report_after_the_window_closed_goes_in_a_second_mail(calendars, omsk_agency, controller, mailoutbox):
    first, second, late = tasks_for(controller, omsk_agency, 3)
    submit(first, at(0))
    submit(second, at(60))
    # The window closed at 120 s; its mail is due but not yet taken (the next tick comes at 135 s).
    note = submit(late, at(WINDOW + 10))
    assert note.next_attempt_at == at(2 * WINDOW + 10)  # a window of its own, not the past moment
    assert deliver_due(at(WINDOW + 15)) == 2
    [mail] = to(mailoutbox, controller)
    assert "2 отчёта ожидают вашего принятия" in mail.subject
    assert "Поручение 2" not in mail.body
    assert Notification.objects.get(pk=note.pk).state == State.QUEUED
    assert deliver_due(at(2 * WINDOW + 10)) == 1
    assert [m.subject for m in to(mailoutbox, controller)][1].endswith("Представлен отчёт: Поручение 2")
    assert set(Notification.objects.filter(kind="report_submitted").values_list("state", flat=True)) == {
        State.SENT,
        State.GATHERED,
    }


def test_window_zero_sends_each_notice_at_once_as_before(calendars, omsk_agency, controller, mailoutbox, settings):
    settings.NOTIFY_GATHER_WINDOW_SECONDS = 0
    for i, task in enumerate(tasks_for(controller, omsk_agency, 3)):
        note = submit(task, at(10 * i))
        assert note.next_attempt_at == at(10 * i)
        assert deliver_due(at(10 * i)) == 1
    assert [m.subject.rpartition(": ")[2] for m in mailoutbox] == ["Поручение 0", "Поручение 1", "Поручение 2"]
    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_notice_whose_reason_goes_within_the_window_is_cancelled_and_not_listed(
    calendars, omsk_agency, controller, mailoutbox
):
    tasks = tasks_for(controller, omsk_agency, 4)
    notes = [submit(task, at(10 * i)) for i, task in enumerate(tasks)]
    with time_machine.travel(at(60), tick=False):  # the controller accepts report 1 within the window
        workplan_services.task_change_status(actor=controller, task=tasks[1], status="accepted")
    # Report 2 is accepted behind the outbox's back: the delivery's own check must catch it.
    Task.objects.filter(pk=tasks[2].pk).update(status="accepted", status_changed_at=at(70))
    assert Notification.objects.get(pk=notes[1].pk).state == State.CANCELLED
    deliver_due(at(WINDOW))
    [mail] = to(mailoutbox, controller)
    assert "2 отчёта ожидают вашего принятия" in mail.subject
    assert ("Поручение 0" in mail.body, "Поручение 3" in mail.body) == (True, True)
    assert ("Поручение 1" in mail.body, "Поручение 2" in mail.body) == (False, False)
    states = {n.pk: Notification.objects.values_list("state", "last_error").get(pk=n.pk) for n in notes}
    assert states[notes[1].pk] == states[notes[2].pk] == (State.CANCELLED, "Reason gone: the report was decided.")
    assert {states[notes[0].pk][0], states[notes[3].pk][0]} == {State.SENT, State.GATHERED}


def test_the_task_page_and_the_inbox_show_the_windows_end(calendars, omsk_agency, controller, client):
    first, second = tasks_for(controller, omsk_agency, 2)
    submit(first, at(0))  # 10:00:30: the window ends at 10:02:30
    note = submit(second, at(80))  # 10:01:50: joins it (a window of its own would end at 10:03:50)
    assert note.next_attempt_at == at(WINDOW)
    client.force_login(controller)
    client.cookies["django_language"] = "ru"
    with time_machine.travel(at(90), tick=False):
        page = client.get(reverse("workplan:task_detail", args=[second.pk])).content.decode()
        inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "уйдёт 08.05 в 10:02 (Москва)" in page
    assert "10:03" not in page
    assert inbox.count("уйдёт в 10:02 (Москва)") == 2


def test_only_notices_mailed_at_once_wait_for_the_window(calendars, omsk_agency, controller, secretary, event):
    """A digest reader's notice goes at the next sending hour and an evening one at the next working morning,
    as before; an app-only one is not mailed: the window moves none of them."""
    tuesday = dt.datetime(2026, 5, 12, 6, 0, tzinfo=UTC)  # 09:00 in Moscow; 9 to 11 May are days off
    services.preference_update(user=controller, status_mode="digest")
    services.preference_update(user=secretary, status_mode="app")
    [task] = tasks_for(controller, omsk_agency, 1)
    Task.objects.filter(pk=task.pk).update(event=event)  # the secretary's committee's event
    with time_machine.travel(at(0), tick=False):
        workplan_services.task_request_extension(
            actor=task.responsible, task=task, new_deadline=dt.date(2026, 7, 15), reason="Ливни"
        )
    rows = Notification.objects.filter(kind="extension_requested")
    assert dict(rows.values_list("recipient_id", "next_attempt_at")) == {controller.pk: tuesday, secretary.pk: at(0)}
    evening_controller = UserFactory(username="ctl-evening", role="secretariat", agency=None, time_zone="Europe/Moscow")
    [late] = tasks_for(evening_controller, omsk_agency, 1, first=1)
    note = submit(late, dt.datetime(2026, 5, 8, 18, 0, tzinfo=UTC))  # 21:00 in Moscow
    assert (note.scheduled_for, note.next_attempt_at) == (tuesday, tuesday)


def test_a_persons_rows_cut_by_the_dispatch_chunks_still_make_one_mail(
    calendars, omsk_agency, controller, mailoutbox, monkeypatch
):
    tasks = tasks_for(controller, omsk_agency, 5)
    for i, task in enumerate(tasks):
        submit(task, at(i))
    others = [
        make_task(responsible=t.responsible, lead_agency=omsk_agency, deadline=dt.date(2026, 5, 12)) for t in tasks[:3]
    ]
    morning = dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)  # 09:00 in Omsk: deadline reminders, due before the reports
    with time_machine.travel(morning, tick=False):
        dispatch.outbox_scan(now=morning)  # (their hand-over is lost: the broker never sees it in this test)
    assert Notification.objects.filter(kind="deadline", task__in=others).count() == 3
    monkeypatch.setattr(dispatch, "DISPATCH_CHUNK", 4)  # three reminders and one report, then the rest
    # The first chunk's report brings the controller's four others along: the second chunk finds none queued.
    assert deliver_due(at(WINDOW)) == 4
    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENT, State.GATHERED}
    [mail] = to(mailoutbox, controller)
    assert "5 отчётов ожидают вашего принятия" in mail.subject
    assert len(mailoutbox) == 4


def test_the_dispatch_keeps_a_persons_rows_in_one_broker_message():
    ids = list(range(1, 71))
    people = ["a"] * 20 + ["b"] * 25 + ["a"] * 10 + ["c"] * 15
    messages = dispatch.batches(ids, people)
    assert messages == [list(range(1, 21)) + list(range(46, 56)), list(range(21, 46)) + list(range(56, 71))]
    huge = dispatch.batches(list(range(1, 81)), ["d"] * 5 + ["e"] * 70 + ["f"] * 5)
    assert [len(m) for m in huge] == [5, 70, 5]  # one person's seventy rows: one message, not two


def test_a_claim_above_its_limit_leaves_whole_recipients_for_a_later_batch(
    calendars, omsk_agency, controller, secretariat, mailoutbox, monkeypatch
):
    ours = [submit(task, at(i)) for i, task in enumerate(tasks_for(controller, omsk_agency, 3))]
    theirs = [submit(task, at(i)) for i, task in enumerate(tasks_for(secretariat, omsk_agency, 3, first=3))]
    monkeypatch.setattr(selectors, "CLAIM_LIMIT", 4)
    with time_machine.travel(at(WINDOW), tick=False):
        outcomes = delivery.outbox_deliver_batch(notification_ids=[ours[0].pk, theirs[0].pk])
    assert outcomes == {ours[0].pk: "sent", ours[1].pk: "gathered", ours[2].pk: "gathered", theirs[0].pk: "deferred"}
    assert [m.to for m in mailoutbox] == [[controller.email]]
    waiting = Notification.objects.filter(pk__in=[n.pk for n in theirs])
    assert set(waiting.values_list("state", "dispatched_at")) == {(State.QUEUED, None)}
    assert deliver_due(at(WINDOW + 10)) == 3
    assert [m.to for m in mailoutbox] == [[controller.email], [secretariat.email]]
    assert "3 отчёта ожидают вашего принятия" in mailoutbox[1].subject


@pytest.mark.postgres
def test_a_batch_reads_its_peoples_rows_by_their_index_however_many_are_queued(calendars, omsk_agency, controller):
    """A morning: thousands of other people's reminders queued and due. The batch's query for its people's other
    rows reads them by notification_queued_person, not the whole outbox, whatever the statistics say."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from omskevents.notifications.store import INSERT_COLUMNS

    notes = [submit(task, at(i)) for i, task in enumerate(tasks_for(controller, omsk_agency, 3))]
    # 20,000 rows queued for a hundred other people, and 40,000 sent before: an outbox in its second month.
    others = {"recipient_key": "'agency:' || mod(g, 100)", "occasion": "occasion || g", "recipient_id": "NULL"}
    others["state"] = "CASE WHEN g > 20000 THEN 'sent' ELSE state END"
    others["sent_at"] = "CASE WHEN g > 20000 THEN created END"
    columns = ", ".join([*INSERT_COLUMNS, "sent_at"])
    values = ", ".join(others.get(name, name) for name in [*INSERT_COLUMNS, "sent_at"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO notifications_notification ({columns}) SELECT {values} "  # noqa: S608 - names from the code
            "FROM notifications_notification, generate_series(1, 60000) AS g WHERE id = %s",
            [notes[0].pk],
        )
        cursor.execute("ANALYZE notifications_notification")
        # ... and sent since: the statistics still count them queued until autovacuum's next turn.
        sent = "UPDATE notifications_notification SET state = 'sent', sent_at = created WHERE recipient_id IS NULL"
        cursor.execute(sent)
    with CaptureQueriesContext(connection) as queries:
        found = selectors.delivery_candidates([notes[0].pk], now=at(WINDOW))
    assert sorted(pk for pk, _task in found.rows) == sorted(n.pk for n in notes)
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan on notifications_notification" not in plan, plan
    assert "notification_queued_person" in plan  # the last query: the people's queued rows
