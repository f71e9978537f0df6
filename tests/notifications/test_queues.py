"""Queues by kind: mail, scans and sweeps, other work. A stalled SMTP server holds back mail and nothing else.

The routing is read from the settings; the stall is played against real processes: a worker per queue as in
omskevents/Procfile.production, Redis and an SMTP server on loopback that stops answering mid-dialogue.
"""

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings

from omskevents.bench import faultrun
from omskevents.celery import app
from omskevents.notifications.models import Notification

from .conftest import shared_database_url

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("notifications.send_batch", "mail"),
        ("notifications.scan", "scans"),
        ("notifications.sweep", "scans"),
        ("webhooks.deliver", "webhooks"),
        ("webhooks.sweep", "scans"),
        ("calendars.seed_next_year", "celery"),
    ],
)
def test_each_task_goes_to_the_queue_of_its_kind(task, queue):
    assert app.amqp.router.route({}, task)["queue"].name == queue


def _workers(procfile: str) -> dict[str, list[str]]:
    """Process name -> the queues its `celery worker` consumes (all of them without -Q)."""
    every = [q.name for q in django_settings.CELERY_TASK_QUEUES]
    found = {}
    for line in (ROOT / "omskevents" / procfile).read_text().splitlines():
        name, _, command = line.partition(":")
        if not line.startswith("#") and " worker" in command:
            queues = re.search(r"-Q (\S+)", command)
            found[name] = queues.group(1).split(",") if queues else every
    return found


def test_production_runs_one_worker_per_queue_and_development_one_for_all():
    production = _workers("Procfile.production")
    assert production == {
        "worker-mail": ["mail"],
        "worker-scans": ["scans"],
        "worker-webhooks": ["webhooks"],
        "worker": ["celery"],
    }
    assert _workers("Procfile") == {"worker": ["mail", "scans", "webhooks", "celery"]}


def _wait(until: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if until():
            return True
        time.sleep(0.2)
    return until()


@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_stalled_smtp_server_delays_mail_and_not_the_scans(tmp_path, settings):
    settings.NOTIFY_REDISPATCH_SECONDS = int(faultrun.FAST_ENV["NOTIFY_REDISPATCH_SECONDS"])
    redis_url = os.environ["REDIS_URL"]
    redis.Redis.from_url(redis_url).flushdb()
    faultrun.prepare_calendar()
    sink = faultrun.SmtpSink().start()
    env = faultrun.child_env(database_url=shared_database_url(), redis_url=redis_url, smtp_port=sink.port)
    mail = faultrun.WorkerProcess(env, tmp_path / "mail.log", pool=("--pool=solo", "-Q", "mail")).start()
    other = faultrun.WorkerProcess(env, tmp_path / "other.log", pool=("--pool=solo", "-Q", "scans,celery")).start()
    try:
        sink.stall_after = 0  # the first recipient: the server stops answering mid-dialogue
        stuck = faultrun.make_due("stuck", 1)
        app.send_task("notifications.scan")
        assert sink.stalled.wait(60)  # the mail worker hangs inside an SMTP conversation

        later = faultrun.make_due("later", 2)
        app.send_task("notifications.scan")
        # The scans worker plans the second wave while mail is held: its rows are written, none delivered.
        assert _wait(lambda: Notification.objects.filter(task_id__in=later.values()).count() == 2, 20)
        assert sum(sink.counts(set(later)).values()) == 0

        sink.release.set()
        everything = [*stuck.values(), *later.values()]
        assert faultrun.pump(faultrun.settled(everything), timeout=60)
        tasks = {**stuck, **later}
        outcome = faultrun.count("queues", sink, tasks)
        assert (outcome.due, outcome.delivered, outcome.lost, outcome.duplicated) == (3, 3, 0, 0)
    finally:
        mail.stop()
        other.stop()
        sink.stop()
