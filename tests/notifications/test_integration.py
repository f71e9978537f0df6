"""Against real servers: Redis, a Celery worker process and an SMTP server on loopback.

The worker is a separate process, so it must see the test's data: these tests commit (transactional
database) and pass the test database to the worker (PostgreSQL, or the SQLite file of settings/test.py).
"""

import email
import os

import pytest
import redis

from omskevents.bench import faultrun
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification
from tests.conftest import service_missing

from .conftest import shared_database_url

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
    env = faultrun.child_env(database_url=database_url, redis_url=redis_url, smtp_port=sink.port)
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
    # Each mail the worker sent was marked sent before the next went out; the rest are still leased.
    assert sorted(rows.values_list("state", "attempts")) == [(State.SENDING, 1)] * 3 + [(State.SENT, 1)] * 3
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
