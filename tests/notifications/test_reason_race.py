"""A notice cancelled because its reason went away is never sent, even when the change races the delivery.

Real PostgreSQL, real concurrent transactions on their own connections (threads). The delivery locks the
rows' tasks before it claims them and checks their reasons in the same transaction; every change of a task
locks the task first. So a change either commits before the check (which sees it: the row is cancelled,
no mail) or waits until the claim has committed (the mail goes as the reason stood when claimed, and the
change finds the row no longer queued): never a cancelled row whose mail went out."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction

from omskevents.notifications import delivery
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification
from omskevents.workplan import services as workplan_services
from omskevents.workplan.models import Task
from tests.factories.accounts import UserFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db(transaction=True)

DAYTIME = dt.datetime(2026, 5, 8, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between concurrent transactions need PostgreSQL")


def _reported(executor, controller, n):
    """n reported tasks; with n > 1 each has a controller of its own (one notice per person: nothing to gather)."""
    tasks = []
    for i in range(n):
        if n > 1:
            controller = UserFactory(
                username=f"ctl{i}",
                role="secretariat",
                agency=None,
                email=f"ctl{i}@example.org",
                time_zone="Europe/Moscow",
            )
        task = make_task(
            responsible=executor,
            lead_agency=executor.agency,
            controller=controller,
            deadline=dt.date(2026, 6, 30),
            title=f"Гонка {i}",
            status="in_progress",
        )
        workplan_services.task_report_progress(actor=executor, task=task, text="Готово", is_final=True)
        tasks.append(task)
    return tasks


def _in_thread(target, *args):
    errors = []

    def run():
        try:
            target(*args)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def _mailed_rows():
    return {int(m.extra_headers["X-Omskevents-Outbox"]) for m in mail.outbox}


def test_a_change_holding_the_task_makes_the_delivery_wait_and_see_it(
    postgres, calendars, executor, controller, mailoutbox
):
    """The accepting transaction has changed the task but not yet committed (and, as a racing change would,
    has not reached the row): the delivery waits for the task's lock, then sees the report accepted."""
    with time_machine.travel(DAYTIME, tick=False):
        [task] = _reported(executor, controller, 1)
    note = Notification.objects.get(kind="report_submitted")
    changed = threading.Event()

    def accept_slowly():
        with transaction.atomic():
            Task.objects.select_for_update().filter(pk=task.pk).update(status="accepted", status_changed_at=DAYTIME)
            changed.set()
            time.sleep(1.0)

    changer, errors = _in_thread(accept_slowly)
    assert changed.wait(5)
    started = time.monotonic()
    outcomes = delivery.outbox_deliver_batch(notification_ids=[note.pk])
    waited = time.monotonic() - started
    changer.join(10)
    assert errors == []
    assert waited > 0.5  # it waited for the change to commit
    note.refresh_from_db()
    assert (outcomes, note.state, note.last_error) == (
        {note.pk: "cancelled"},
        State.CANCELLED,
        "Reason gone: the report was decided.",
    )
    assert mail.outbox == []


def test_racing_acceptances_and_deliveries_never_send_a_cancelled_notice(
    postgres, calendars, executor, controller, mailoutbox
):
    """Many rounds of an acceptance and a delivery started together, on their own connections: each notice
    ends either sent (mailed once) or cancelled (never mailed), whichever transaction came first."""
    with time_machine.travel(DAYTIME, tick=False):
        tasks = _reported(executor, controller, 16)
    notes = {n.task_id: n.pk for n in Notification.objects.filter(kind="report_submitted")}
    outcomes: dict[int, str] = {}
    for task in tasks:
        barrier = threading.Barrier(2)

        def accept(task=task, barrier=barrier):
            barrier.wait()
            workplan_services.task_change_status(actor=task.controller, task=task, status="accepted")

        def deliver(pk=notes[task.pk], barrier=barrier):
            barrier.wait()
            outcomes.update(delivery.outbox_deliver_batch(notification_ids=[pk]))

        threads = [_in_thread(accept), _in_thread(deliver)]
        for thread, errors in threads:
            thread.join(20)
            assert errors == []
    states = dict(Notification.objects.filter(pk__in=notes.values()).values_list("pk", "state"))
    mailed = _mailed_rows()
    assert set(states.values()) <= {State.SENT, State.CANCELLED}
    for pk, state in states.items():
        if state == State.CANCELLED:
            assert pk not in mailed, f"row {pk} was cancelled and still mailed"
        else:
            assert pk in mailed
    assert len(mail.outbox) == len(mailed)  # none twice
    assert set(Task.objects.filter(pk__in=notes).values_list("status", flat=True)) == {"accepted"}
