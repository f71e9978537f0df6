"""Two nodes on the same PostgreSQL, Redis and object store (`make two-nodes`).

Each node is a gunicorn and a Celery worker (on all the project's queues: mail, scans, celery) of its own, with
production settings and a local folder of its own (MEDIA_ROOT and the delivery journal, which must not matter);
files go to an S3 server started on loopback (moto), mail to an SMTP server on loopback. A session started on
one node works on the other, a file uploaded through one downloads through the other, a write through one shows
on the other's next page (no stale cached page), and the notices of reports made through each node and the
deadline reminders of a scan run on both at once reach the SMTP server exactly once each.
"""

import http.client
import os
import re
import secrets
import subprocess
import sys
import threading
import uuid
import zoneinfo
from contextlib import ExitStack
from pathlib import Path

import boto3
import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from omskevents.bench import faultrun, faults
from omskevents.bench.common import gunicorn
from omskevents.bench.http import login
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification
from omskevents.notifications.timing import QUIET_HOURS_END
from omskevents.workplan.models import Attachment
from tests.factories.accounts import UserFactory
from tests.factories.workplan import TaskFactory
from tests.notifications.conftest import shared_database_url
from tests.workplan.test_storage_s3 import KEYS, PDF, _free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "two-nodes-" + secrets.token_hex(4)


@pytest.fixture
def object_store():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint, bucket = f"http://127.0.0.1:{port}", f"omskevents-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS).create_bucket(Bucket=bucket)
    yield endpoint, bucket
    server.stop()


@pytest.fixture
def smtp():
    server = faultrun.SmtpSink().start()
    yield server
    server.stop()


def _env(
    tmp_path: Path, node: str, endpoint: str, bucket: str, redis_url: str, static: Path, smtp_port: int
) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "S3_"))}
    env.update(
        {
            "DATABASE_URL": shared_database_url(),
            "REDIS_URL": redis_url,
            "SECRET_KEY": "two-nodes-shared-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "MEDIA_ROOT": str(tmp_path / node / "media"),
            "NOTIFY_JOURNAL_PATH": str(tmp_path / node / "journal.sqlite3"),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "STATIC_ROOT": str(static),
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": endpoint,
            "S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
            "S3_REGION": "us-east-1",
            "DJANGO_SETTINGS_MODULE": "omskevents.settings.local",
            # The person here signs in with a password alone: the second factor has tests of its own
            # (tests/accounts/test_second_factor.py); this test is about what two nodes share.
            "SECOND_FACTOR_ENFORCED": "False",
            # The report notices go at once, not at the end of a gathering window (tested on its own in
            # tests/notifications/test_integration.py): this test is about what two nodes share.
            "NOTIFY_GATHER_WINDOW_SECONDS": "0",
        }
    )
    (tmp_path / node / "media").mkdir(parents=True)
    return env


def _get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    return response.status, response.read()


def _post_file(port: int, path: str, cookie: str, fields: dict[str, str], filename: str, content: bytes) -> int:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST", path, body=b"".join(parts),
        headers={"Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )  # fmt: skip
    response = conn.getresponse()
    response.read()
    return response.status


def _report(port: int, cookie: str, task_id: int) -> None:
    status, page = _get(port, f"/tasks/{task_id}/", cookie)
    assert status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    fields = {"csrfmiddlewaretoken": token, "text": "Готово"}
    assert _post_file(port, f"/tasks/{task_id}/report/", cookie, fields, "a.pdf", PDF) == 302


def _worker(env: dict[str, str], log: Path) -> faultrun.WorkerProcess:
    """The node's worker on every queue of the project, as one node of the production process list would run."""
    return faultrun.WorkerProcess(env, log, pool=("--pool=solo", "-Q", "mail,scans,celery"))


def _before_the_evening() -> str:
    """A time zone where it is now at least an hour before the evening's quiet hours: a report's notice to a
    controller there goes at once. The days around today are working days (faultrun.prepare_calendar). In Omsk the
    notices of a run after 19:00 local waited for the next morning, and the test failed every evening."""
    now = timezone.now()
    for name in (*(zone for _country, zone in faults.ZONES), *faults.WORLD_ZONES):
        if now.astimezone(zoneinfo.ZoneInfo(name)).hour < QUIET_HOURS_END - 1:
            return name
    raise AssertionError("no time zone on Earth is before 19:00 now")  # cannot happen: offsets span 26 h


def test_two_nodes_share_sessions_files_and_fresh_pages(tmp_path, object_store, smtp, agency_a, settings):
    endpoint, bucket = object_store
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()  # our own db number: stale messages of earlier runs
    faultrun.prepare_calendar()
    settings.NOTIFY_REDISPATCH_SECONDS = int(faultrun.FAST_ENV["NOTIFY_REDISPATCH_SECONDS"])
    user = UserFactory(username="two-nodes", agency=agency_a)
    # Hashed as production checks it (the test settings' fast MD5 hasher is not among production's).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "twonodessalt", iterations=1000)
    user.save()
    task = TaskFactory(lead_agency=agency_a, status="assigned", title="Поручение двух узлов")
    # Two more tasks whose controllers get a notice of each report (one report through each node).
    zone = _before_the_evening()
    controllers = [
        UserFactory(username=f"controller-{n}", email=f"controller-{n}@two-nodes.test", time_zone=zone) for n in (1, 2)
    ]
    reported = [
        TaskFactory(lead_agency=agency_a, status="in_progress", controller=person, title=f"Отчёт через узел {n}")
        for n, person in enumerate(controllers, start=1)
    ]
    static = tmp_path / "static"
    envs = [_env(tmp_path, n, endpoint, bucket, os.environ["REDIS_URL"], static, smtp.port) for n in ("one", "two")]
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=envs[0], check=True
    )

    with ExitStack() as stack:
        one, two = (stack.enter_context(gunicorn(env, workers=1)) for env in envs)
        workers = [
            _worker(env, tmp_path / name / "worker.log").start() for env, name in zip(envs, ("one", "two"), strict=True)
        ]
        for worker in workers:
            stack.callback(worker.stop)
        cookie = login("127.0.0.1", one, "two-nodes", PASSWORD)

        # The session started on node one works on node two; node two caches the plan as it stands.
        status, before = _get(two, "/tasks/", cookie)
        assert status == 200
        assert f'data-task="{task.pk}"'.encode() in before
        assert b"status-badge-assigned" in before

        # A report with a file through node one: the file goes to the shared bucket, the task into work.
        status, page = _get(one, f"/tasks/{task.pk}/", cookie)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        posted = _post_file(
            one, f"/tasks/{task.pk}/report/", cookie, {"csrfmiddlewaretoken": token, "text": "Готово"}, "a.pdf", PDF
        )
        assert posted == 302
        attachment = Attachment.objects.get(report__task=task)

        # Node two serves the file it never saw, and its next page shows the write.
        status, body = _get(two, f"/tasks/files/{attachment.pk}/", cookie)
        assert (status, body) == (200, PDF)
        status, after = _get(two, "/tasks/", cookie)
        row = re.search(rf'<tr[^>]*data-task="{task.pk}".*?</tr>'.encode(), after, re.DOTALL).group(0)
        assert b"status-badge-in_progress" in row
        assert list((tmp_path / "one" / "media").iterdir()) == []
        assert list((tmp_path / "two" / "media").iterdir()) == []

        # Mail: a report through each node (a notice to its task's controller), and deadline reminders from a
        # scan that both nodes run at once (two beats); the two workers share the queues. Each exactly once.
        _report(one, cookie, reported[0].pk)
        _report(two, cookie, reported[1].pk)
        due = faultrun.make_due("two-nodes", 4)
        scans = [threading.Thread(target=faultrun._scan) for _node in (1, 2)]
        for scan in scans:
            scan.start()
        for scan in scans:
            scan.join()
        notices = Notification.objects.filter(task__in=reported, kind="report_submitted")
        mail = faultrun.settled([*due.values(), *(t.pk for t in reported)])
        assert faultrun.pump(lambda: mail() and smtp.counts(set(due)).total() == len(due), timeout=60)
        assert sorted(notices.values_list("to_email", "state")) == [
            (person.email, State.SENT) for person in controllers
        ]
        expected = {**dict.fromkeys(due, 1), **{person.email: 1 for person in controllers}}
        assert dict(smtp.counts(set(expected))) == expected
        assert all(worker.process is not None and worker.process.poll() is None for worker in workers)
