"""A notice cancelled because its reason went away is never sent, even when the change races the delivery:
a report accepted while its "report submitted" notice goes, an extension decided (granted or refused) while
its "extension requested" notice goes.

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
from django.db.models.signals import post_save

from omskevents.notifications import delivery
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification
from omskevents.workplan import services as workplan_services
from omskevents.workplan.models import ExtensionRequest, Task
from tests.factories.accounts import UserFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db(transaction=True)

DAYTIME = dt.datetime(2026, 5, 8, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between concurrent transactions need PostgreSQL")


def _tasks_in_progress(executor, controller, n, *, kind, title):
    """n tasks of `executor` in progress; with n > 1 each has a controller of its own (one notice per person:
    nothing to gather)."""
    tasks = []
    for i in range(n):
        if n > 1:
            controller = UserFactory(
                username=f"ctl-{kind}-{i}",
                role="secretariat",
                agency=None,
                email=f"ctl-{kind}-{i}@example.org",
                time_zone="Europe/Moscow",
            )
        tasks.append(
            make_task(
                responsible=executor,
                lead_agency=executor.agency,
                controller=controller,
                deadline=dt.date(2026, 6, 30),
                title=f"{title} {i}",
                status="in_progress",
            )
        )
    return tasks


def _reported(executor, controller, n):
    """n reported tasks (see _tasks_in_progress)."""
    tasks = _tasks_in_progress(executor, controller, n, kind="report", title="Гонка")
    for task in tasks:
        workplan_services.task_report_progress(actor=executor, task=task, text="Готово", is_final=True)
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


def _deliver_while_holding(change, note):
    """Run `change` in a transaction of its own that stays open a second after it, deliver `note` meanwhile:
    (the delivery's outcomes, how long it took, the change's errors)."""
    changed = threading.Event()

    def hold():
        with transaction.atomic():
            change()
            changed.set()
            time.sleep(1.0)

    changer, errors = _in_thread(hold)
    assert changed.wait(5)
    started = time.monotonic()
    outcomes = delivery.outbox_deliver_batch(notification_ids=[note.pk])
    waited = time.monotonic() - started
    changer.join(10)
    return outcomes, waited, errors


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

    def accept():
        Task.objects.select_for_update().filter(pk=task.pk).update(status="accepted", status_changed_at=DAYTIME)

    outcomes, waited, errors = _deliver_while_holding(accept, note)
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


# --- extension requests -------------------------------------------------------------------------------

EXTENSION_GONE = "Reason gone: the extension was decided."


def _extensions(executor, controller, n):
    """n tasks in progress (see _tasks_in_progress), each with a pending extension request of its executor.
    Returns (task, request) pairs."""
    pairs = []
    for task in _tasks_in_progress(executor, controller, n, kind="extension", title="Перенос"):
        request = workplan_services.task_request_extension(
            actor=executor, task=task, new_deadline=dt.date(2026, 7, 31), reason="Паводок"
        )
        pairs.append((task, request))
    return pairs


def test_a_decision_holding_the_task_makes_the_delivery_wait_and_cancel_the_request_notice(
    postgres, calendars, executor, controller, mailoutbox
):
    """The deciding transaction holds the task and has granted the request, not yet committed, and (as a
    racing decision would) has not reached the notice: the delivery waits for the task, then finds the
    request decided and cancels the notice itself."""
    with time_machine.travel(DAYTIME, tick=False):
        [(task, request)] = _extensions(executor, controller, 1)
    note = Notification.objects.get(kind="extension_requested")

    def decide():
        list(Task.objects.select_for_update().filter(pk=task.pk).values_list("pk"))
        ExtensionRequest.objects.filter(pk=request.pk).update(status="approved", decided_by=controller)

    outcomes, waited, errors = _deliver_while_holding(decide, note)
    assert errors == []
    assert waited > 0.5  # it waited for the decision to commit
    note.refresh_from_db()
    assert (outcomes, note.state, note.last_error) == ({note.pk: "cancelled"}, State.CANCELLED, EXTENSION_GONE)
    assert mail.outbox == []


@pytest.mark.parametrize("approve", [True, False], ids=["granted", "refused"])
def test_the_decide_service_locks_the_task_before_it_decides(
    postgres, calendars, executor, controller, mailoutbox, approve
):
    """The real service, paused right after it saved the decision (before it cancels the notice): a delivery
    started meanwhile waits for the task the service locked first, and the notice is never mailed."""
    with time_machine.travel(DAYTIME, tick=False):
        [(_task, request)] = _extensions(executor, controller, 1)
    note = Notification.objects.get(kind="extension_requested")
    saved = threading.Event()
    deciding: list[threading.Thread] = []

    def pause(sender, instance, **kwargs):
        if threading.current_thread() in deciding and instance.status != "pending":
            saved.set()
            time.sleep(1.0)

    post_save.connect(pause, sender=ExtensionRequest, weak=False)
    try:
        decider, errors = _in_thread(
            lambda: workplan_services.extension_decide(actor=controller, request=request, approve=approve)
        )
        deciding.append(decider)
        assert saved.wait(5)
        started = time.monotonic()
        outcomes = delivery.outbox_deliver_batch(notification_ids=[note.pk])
        waited = time.monotonic() - started
        decider.join(10)
    finally:
        post_save.disconnect(pause, sender=ExtensionRequest)
    assert errors == []
    assert waited > 0.5  # it waited for the decision to commit
    note.refresh_from_db()
    # The decision cancelled the notice before the delivery could claim it: nothing to claim, nothing mailed.
    assert (outcomes, note.state, note.last_error) == ({note.pk: "skipped"}, State.CANCELLED, EXTENSION_GONE)
    assert ExtensionRequest.objects.get(pk=request.pk).status == ("approved" if approve else "rejected")
    assert mail.outbox == []


def test_racing_extension_decisions_and_deliveries_never_send_a_cancelled_notice(
    postgres, calendars, executor, controller, mailoutbox
):
    """Rounds of a decision (granted and refused by turns) and a delivery of the request's notice started
    together, on their own connections: each notice ends either sent (mailed once) or cancelled (never
    mailed), whichever transaction came first."""
    with time_machine.travel(DAYTIME, tick=False):
        pairs = _extensions(executor, controller, 16)
    notes = {n.task_id: n.pk for n in Notification.objects.filter(kind="extension_requested")}
    assert len(notes) == 16
    for round_, (task, request) in enumerate(pairs):
        barrier = threading.Barrier(2)

        def decide(task=task, request=request, barrier=barrier, approve=round_ % 2 == 0):
            barrier.wait()
            workplan_services.extension_decide(actor=task.controller, request=request, approve=approve)

        def deliver(pk=notes[task.pk], barrier=barrier):
            barrier.wait()
            delivery.outbox_deliver_batch(notification_ids=[pk])

        threads = [_in_thread(decide), _in_thread(deliver)]
        for thread, errors in threads:
            thread.join(20)
            assert errors == []
    rows = Notification.objects.filter(pk__in=notes.values())
    states = dict(rows.values_list("pk", "state"))
    mailed = _mailed_rows()
    assert set(states.values()) <= {State.SENT, State.CANCELLED}
    for pk, state in states.items():
        if state == State.CANCELLED:
            assert pk not in mailed, f"row {pk} was cancelled and still mailed"
        else:
            assert pk in mailed
    assert set(rows.filter(state=State.CANCELLED).values_list("last_error", flat=True)) <= {EXTENSION_GONE}
    assert len(mail.outbox) == len(mailed)  # none twice
    decided = ExtensionRequest.objects.filter(pk__in=[r.pk for _t, r in pairs]).values_list("status", flat=True)
    assert sorted(decided) == ["approved"] * 8 + ["rejected"] * 8
