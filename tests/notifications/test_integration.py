"""Against real servers: Redis, a Celery worker process and an SMTP server on loopback.

The worker is a separate process, so it must see the test's data: these tests commit (transactional
database) and pass the test database to the worker (PostgreSQL, or the SQLite file of settings/test.py).
"""

import datetime as dt
import email
import os

import pytest
import redis
import time_machine

from omskevents.bench import faultrun
from omskevents.notifications import journal
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification
from omskevents.workplan import services as workplan_services
from tests.conftest import service_missing
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory

from .conftest import make_task, shared_database_url

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def sink():
    server = faultrun.SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def harness(sink, transactional_db, tmp_path, settings):
    database_url = shared_database_url()
    settings.NOTIFY_REDISPATCH_SECONDS = int(faultrun.FAST_ENV["NOTIFY_REDISPATCH_SECONDS"])
    redis_url = os.environ["REDIS_URL"]
    redis.Redis.from_url(redis_url).flushdb()  # our own db number: stale messages of earlier runs
    faultrun.prepare_calendar()
    sink.reset()
    # The worker and this test share the host's journal, as the processes of one host do.
    env = faultrun.child_env(
        database_url=database_url,
        redis_url=redis_url,
        smtp_port=sink.port,
        NOTIFY_JOURNAL_PATH=str(settings.NOTIFY_JOURNAL_PATH),
    )
    worker = faultrun.WorkerProcess(env, tmp_path / "worker.log").start()
    h = faultrun.Harness(sink=sink, worker=worker, redis=None, timeout=40)
    yield h
    h.worker.stop()


def _deliver(h, tasks):
    faultrun._scan()
    assert faultrun.pump(faultrun.settled(list(tasks.values())), timeout=h.timeout)


def _outcome(outcome):
    return (outcome.due, outcome.delivered, outcome.lost, outcome.duplicated)


def test_scan_delivers_each_due_reminder_once(harness):
    tasks = faultrun.make_due("once", 4)
    _deliver(harness, tasks)
    assert _outcome(faultrun.count("once", harness.sink, tasks)) == (4, 4, 0, 0)
    rows = Notification.objects.filter(task_id__in=tasks.values())
    assert sorted(rows.values_list("state", "attempts", "last_smtp_code")) == [(State.SENT, 1, 250)] * 4
    received_ids = {mid for _rcpt, mid, _raw in harness.sink.received}
    assert received_ids == set(rows.values_list("message_id", flat=True))


def test_two_concurrent_scans_and_two_beat_ticks_deliver_once(harness):
    assert _outcome(faultrun.fault_duplicate_scans(harness, 4)) == (4, 4, 0, 0)


def test_worker_killed_mid_delivery_loses_nothing(harness):
    assert _outcome(faultrun.fault_worker_killed(harness, 3)) == (3, 3, 0, 0)


def test_worker_killed_mid_batch_keeps_what_it_sent_and_sends_the_rest_once(harness):
    tasks = faultrun.make_due("batch", 6)
    harness.sink.stall_after = 3
    faultrun._scan()
    assert harness.sink.stalled.wait(harness.timeout)
    harness.worker.kill()
    rows = Notification.objects.filter(task_id__in=tasks.values())
    # Each mail the worker sent was marked sent with the next one's stamp; the last one accepted is in the host's
    # journal, its row stamped and still leased; the mail held at RCPT and the rest are leased, not stamped.
    assert sorted(rows.values_list("state", "attempts")) == [(State.SENDING, 1)] * 4 + [(State.SENT, 1)] * 2
    accepted = {(entry.row_id, entry.attempt) for entry in journal.pending()}
    stamped = rows.filter(state=State.SENDING, send_started_at__isnull=False).values_list("pk", "attempts")
    sent = rows.filter(state=State.SENT).values_list("pk", "attempts")
    assert (len(stamped), len(accepted), set(sent) | set(stamped)) == (1, 3, accepted)
    harness.sink.release.set()
    harness.worker.start()
    assert faultrun.pump(faultrun.settled(list(tasks.values())), timeout=harness.timeout)
    assert _outcome(faultrun.count("batch", harness.sink, tasks)) == (6, 6, 0, 0)
    assert sorted(rows.values_list("state", "attempts")) == [(State.SENT, 1)] * 3 + [(State.SENT, 2)] * 3


def test_smtp_451_twice_then_250_delivers_once(harness):
    outcome = faultrun.fault_smtp_451(harness, 2)
    assert _outcome(outcome) == (2, 2, 0, 0)
    rows = Notification.objects.filter(kind="deadline", to_email__startswith="smtp451-")
    assert sorted(rows.values_list("state", "attempts", "last_smtp_code")) == [(State.SENT, 3, 250)] * 2


def test_smtp_550_marks_the_row_failed(harness):
    tasks = faultrun.make_due("perm", 1)
    [address] = tasks
    harness.sink.permanent.add(address)
    _deliver(harness, tasks)
    row = Notification.objects.get(task_id=tasks[address])
    assert (row.state, row.last_smtp_code, row.attempts) == (State.FAILED, 550, 1)
    assert harness.sink.counts({address}) == {}


def test_title_cannot_inject_headers_and_script_is_escaped(harness):
    tasks = faultrun.make_due("inject", 1, title='Причал\r\nBcc: attacker@evil.example\r\n<script>alert("x")</script>')
    _deliver(harness, tasks)
    [address] = tasks
    [raw] = harness.sink.messages_to(address)
    assert [rcpt for rcpt, _mid, _raw in harness.sink.received] == [address]
    message = email.message_from_bytes(raw)
    assert message["Bcc"] is None
    assert "\n" not in str(email.header.make_header(email.header.decode_header(message["Subject"])))
    html = next(p for p in message.walk() if p.get_content_type() == "text/html").get_payload(decode=True).decode()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_redis_stopped_and_restarted_loses_nothing(harness, tmp_path):
    if not faultrun.RedisServer.available():
        service_missing("redis-server is not installed: this test restarts a Redis of its own")
    private = faultrun.RedisServer().start()
    harness.worker.stop()
    env = dict(harness.worker.env, REDIS_URL=private.url)
    harness.worker = faultrun.WorkerProcess(env, tmp_path / "worker-private.log").start()
    harness.redis = private
    try:
        with faultrun.broker(private.url):
            outcome = faultrun.fault_redis_restart(harness, 4)
    finally:
        harness.worker.stop()
        private.kill()
    assert _outcome(outcome) == (4, 4, 0, 0)


def test_worker_killed_right_after_the_250_is_flagged_not_sent_twice(harness):
    """The one window no record closes: the server accepted, the worker died before hearing the 250.

    The row is flagged 'possibly sent' when its lease lapses; a reminder is not sent again by itself, the
    rest of the batch (never tried) goes once."""
    tasks = faultrun.make_due("after250", 3)
    worker = harness.worker.process
    harness.sink.on_accept = lambda _rcpt: worker.kill()
    faultrun._scan()
    assert faultrun.pump(faultrun.settled(list(tasks.values())), timeout=5) is False  # the worker is gone
    harness.worker.process = None
    harness.worker.start()
    assert faultrun.pump(faultrun.settled(list(tasks.values())), timeout=harness.timeout)
    outcome = faultrun.count("after 250", harness.sink, tasks)
    assert _outcome(outcome) == (3, 3, 0, 0)
    rows = Notification.objects.filter(task_id__in=tasks.values()).order_by("pk")
    assert [(r.state, r.attempts, r.possibly_sent_at is not None) for r in rows] == [
        (State.UNCERTAIN, 1, True),
        (State.SENT, 2, False),
        (State.SENT, 2, False),
    ]


# --- the gathering window ---------------------------------------------------------------------------


WINDOW_START = dt.datetime(2026, 5, 8, 7, 0, tzinfo=dt.UTC)  # Friday, 10:00 in Moscow (the controller's zone)


def _reported_one_by_one(controller, count, *, start, step, first=0):
    """`count` tasks of executors of their own, each reported `step` seconds after the one before (the test's
    clock only: the worker runs on the real one, long after)."""
    agency = AgencyFactory(country="RU")
    tasks = []
    for i in range(first, first + count):
        executor = UserFactory(username=f"window-exec-{i}", agency=agency, email=f"window-exec-{i}@faultrun.test")
        task = make_task(
            responsible=executor, lead_agency=agency, controller=controller, title=f"Отчёт окна {i}",
            deadline=dt.date(2026, 6, 30), status="in_progress",
        )  # fmt: skip
        with time_machine.travel(start + dt.timedelta(seconds=step * (i - first)), tick=False):
            workplan_services.task_report_progress(actor=executor, task=task, text="Готово", is_final=True)
        tasks.append(task)
    return tasks


def _decoded_subject(raw):
    return str(email.header.make_header(email.header.decode_header(email.message_from_bytes(raw)["Subject"])))


def _text(raw):
    part = next(p for p in email.message_from_bytes(raw).walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def test_reports_within_the_gathering_window_go_through_the_worker_as_one_mail(harness, calendars, settings):
    """Twelve executors report within two minutes: their controller gets one mail listing the twelve at the
    window's end, every row settled (one sent, eleven gathered into it); a report after the window closed
    comes in a second mail."""
    settings.NOTIFY_GATHER_WINDOW_SECONDS = 120
    controller = UserFactory(
        username="window-ctl",
        role="secretariat",
        agency=None,
        time_zone="Europe/Moscow",
        email="window-ctl@faultrun.test",
    )
    tasks = _reported_one_by_one(controller, 12, start=WINDOW_START, step=9)
    rows = Notification.objects.filter(task__in=tasks, kind="report_submitted")
    window_end = WINDOW_START + dt.timedelta(seconds=120)
    assert set(rows.values_list("state", "next_attempt_at")) == {(State.QUEUED, window_end)}
    assert faultrun.pump(faultrun.settled([t.pk for t in tasks]), timeout=harness.timeout)
    [raw] = harness.sink.messages_to(controller.email)
    assert "12 отчётов ожидают вашего принятия" in _decoded_subject(raw)
    lines = _text(raw).splitlines()
    assert [sum(line.endswith(f": Отчёт окна {i}") for line in lines) for i in range(12)] == [1] * 12
    lead = int(email.message_from_bytes(raw)["X-Omskevents-Outbox"])
    assert sorted(rows.values_list("state", "gathered_into")) == [(State.GATHERED, lead)] * 11 + [(State.SENT, None)]
    assert rows.get(pk=lead).message_id == email.message_from_bytes(raw)["Message-ID"]

    # The window closed (and its mail went): a later report opens a window of its own, a second mail.
    [late] = _reported_one_by_one(controller, 1, start=window_end + dt.timedelta(seconds=30), step=0, first=12)
    note = Notification.objects.get(task=late, kind="report_submitted")
    assert note.next_attempt_at == window_end + dt.timedelta(seconds=150)
    assert faultrun.pump(faultrun.settled([late.pk]), timeout=harness.timeout)
    first, second = harness.sink.messages_to(controller.email)
    assert first == raw
    assert _decoded_subject(second).endswith("Представлен отчёт: Отчёт окна 12")
    assert Notification.objects.get(pk=note.pk).state == State.SENT
    assert len(harness.sink.received) == 2  # nothing else, nothing twice


def test_without_a_window_each_report_goes_through_the_worker_in_a_mail_of_its_own(harness, calendars, settings):
    settings.NOTIFY_GATHER_WINDOW_SECONDS = 0
    controller = UserFactory(
        username="nowindow-ctl", role="secretariat", agency=None, time_zone="Europe/Moscow",
        email="nowindow-ctl@faultrun.test",
    )  # fmt: skip
    for i in range(3):
        [task] = _reported_one_by_one(controller, 1, start=WINDOW_START + dt.timedelta(seconds=10 * i), step=0, first=i)
        note = Notification.objects.get(task=task, kind="report_submitted")
        assert note.next_attempt_at == WINDOW_START + dt.timedelta(seconds=10 * i)  # at once
        assert faultrun.pump(faultrun.settled([task.pk]), timeout=harness.timeout)
    subjects = [_decoded_subject(raw).partition("] ")[2] for raw in harness.sink.messages_to(controller.email)]
    assert subjects == [f"Представлен отчёт: Отчёт окна {i}" for i in range(3)]
