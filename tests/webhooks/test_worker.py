"""Against real parts: a Celery worker process on Redis, PostgreSQL shared with it, an HTTP receiver on loopback.

The worker is a separate process, so it must see the test's data: these tests commit (transactional database).
What beat does (the sweeper every ten seconds) this test does itself, fast (`pump`). The worker runs with short
timeouts and a four-second lease (WORKER_ENV) so a fault costs seconds.
"""

import json
import os
import time
from collections import Counter
from collections.abc import Callable

import pytest
import redis
from django.db import close_old_connections

from omskevents.bench import faultrun
from omskevents.webhooks import outbox
from omskevents.webhooks.enums import OPEN_STATES, DeliveryState
from omskevents.webhooks.models import Delivery
from omskevents.workplan import services as workplan
from tests.notifications.conftest import shared_database_url

from .conftest import make_task, register
from .test_delivery import documented_verify

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORKER_ENV = {
    "WEBHOOKS_CONNECT_TIMEOUT": "1",
    "WEBHOOKS_READ_TIMEOUT": "2",
    "WEBHOOKS_LEASE_SECONDS": "4",
    "WEBHOOKS_RETRY_BASE_SECONDS": "0.3",
    "WEBHOOKS_RETRY_MAX_DELAY_SECONDS": "0.6",
    "WEBHOOKS_REDISPATCH_SECONDS": "2",
}


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    settings.WEBHOOKS_REDISPATCH_SECONDS = 2
    redis_url = os.environ["REDIS_URL"]
    redis.Redis.from_url(redis_url).flushdb()  # our own db number: stale messages of earlier runs
    env = faultrun.child_env(database_url=shared_database_url(), redis_url=redis_url, smtp_port=1, **WORKER_ENV)
    process = faultrun.WorkerProcess(env, tmp_path / "worker.log").start()
    yield process
    process.stop()


def pump(until: Callable[[], bool], *, timeout: float = 40.0) -> bool:
    """What beat's webhooks.sweep does, every 0.3 s: take back lapsed leases, hand due rows to the broker."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        outbox.webhooks_sweep()
        outbox.webhooks_dispatch()
        close_old_connections()
        if until():
            return True
        time.sleep(0.3)
    return until()


def settled() -> bool:
    return Delivery.objects.exists() and not Delivery.objects.filter(state__in=OPEN_STATES).exists()


def test_every_event_is_delivered_once_to_each_endpoint_and_verifies(
    worker, receiver, head_a, secretariat, staff_a, event, agency_a, agency_b
):
    ministry, ministry_secret = register(head_a, receiver.url("/ministry"))
    committee, committee_secret = register(secretariat, receiver.url("/committee"))
    tasks = [make_task(secretariat, event, agency_a, title=f"Поручение {n}") for n in range(3)]
    foreign = make_task(secretariat, event, agency_b, title="Чужое поручение")
    workplan.task_report_progress(actor=staff_a, task=tasks[0], text="Начали работу")

    assert pump(settled)

    rows = Delivery.objects.all()
    assert set(rows.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    wanted = Counter((row.endpoint_id, str(row.event_id)) for row in rows)
    paths = {"/ministry": ministry.pk, "/committee": committee.pk}
    got = Counter((paths[r.path], r.headers["X-Omskevents-Event-Id"]) for r in receiver.received)
    assert got == wanted  # every row arrived, and each exactly once
    assert max(got.values()) == 1
    # 3 tasks and the foreign one assigned, the report and its status move: the ministry hears of its own only.
    assert rows.filter(endpoint=committee).count() == 6
    assert rows.filter(endpoint=ministry).count() == 5
    told = {(r.path, json.loads(r.body)["data"]["task"]["id"]) for r in receiver.received}
    assert ("/committee", foreign.pk) in told
    assert ("/ministry", foreign.pk) not in told
    verify = documented_verify()
    secrets = {"/ministry": ministry_secret, "/committee": committee_secret}
    assert all(verify(secrets[r.path], r.headers, r.body) for r in receiver.received)


def test_receiver_down_then_up_is_delivered_after_retries(worker, receiver, head_a, secretariat, event, agency_a):
    register(head_a, receiver.url())
    receiver.stop()
    make_task(secretariat, event, agency_a)

    assert pump(lambda: Delivery.objects.filter(attempts__gte=2).exists(), timeout=30)
    row = Delivery.objects.get()
    assert row.state in OPEN_STATES
    assert "ConnectionRefusedError" in row.last_error

    receiver.start()
    assert pump(settled)
    row.refresh_from_db()
    assert row.state == DeliveryState.DELIVERED
    assert receiver.event_ids() == [str(row.event_id)]


def test_500s_then_success_through_the_worker(worker, receiver, head_a, secretariat, event, agency_a):
    register(head_a, receiver.url())
    receiver.script.extend(["error", "error", "error"])
    make_task(secretariat, event, agency_a)

    assert pump(settled)
    row = Delivery.objects.get()
    assert (row.state, row.attempts, row.response_code) == (DeliveryState.DELIVERED, 4, 200)
    assert receiver.event_ids() == [str(row.event_id)] * 4
    assert [r.answered for r in receiver.received] == [500, 500, 500, 200]


def test_worker_killed_mid_delivery_is_delivered_after_the_lease_with_the_same_id(
    worker, receiver, head_a, secretariat, event, agency_a, tmp_path
):
    register(head_a, receiver.url())
    receiver.script.append("hang")  # the first request is held: the worker waits for the answer
    make_task(secretariat, event, agency_a)

    assert receiver.arrived.wait(30)
    worker.kill()  # SIGKILL while the POST is in flight
    row = Delivery.objects.get()
    assert (row.state, row.attempts) == (DeliveryState.SENDING, 1)
    receiver.release.set()

    replacement = faultrun.WorkerProcess(worker.env, tmp_path / "worker2.log").start()
    try:
        assert pump(settled)
    finally:
        replacement.stop()
    row.refresh_from_db()
    assert (row.state, row.attempts, row.response_code) == (DeliveryState.DELIVERED, 2, 200)
    # On the wire twice (the killed attempt's request had arrived), with one id: the receiver processes it once.
    assert receiver.event_ids() == [str(row.event_id)] * 2
    assert len(set(receiver.event_ids())) == 1
    assert [r.answered for r in receiver.received].count(200) == 1
