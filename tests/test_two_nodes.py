"""Two web nodes on the same PostgreSQL, Redis and object store (`make two-nodes`).

Each node is a gunicorn of its own with production settings and a local folder of its own (MEDIA_ROOT, which
must not matter); files go to an S3 server started on loopback (moto). A session started on one node works on
the other, a file uploaded through one downloads through the other, and a write through one shows on the
other's next page (no stale cached page).
"""

import http.client
import os
import re
import secrets
import subprocess
import sys
import uuid
from contextlib import ExitStack
from pathlib import Path

import boto3
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from omskevents.bench.common import gunicorn
from omskevents.bench.http import login
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


def _env(tmp_path: Path, node: str, endpoint: str, bucket: str, redis_url: str, static: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "S3_"))}
    env.update(
        {
            "DATABASE_URL": shared_database_url(),
            "REDIS_URL": redis_url,
            "SECRET_KEY": "two-nodes-shared-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "MEDIA_ROOT": str(tmp_path / node / "media"),
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


def test_two_nodes_share_sessions_files_and_fresh_pages(tmp_path, object_store, agency_a):
    endpoint, bucket = object_store
    user = UserFactory(username="two-nodes", agency=agency_a)
    # Hashed as production checks it (the test settings' fast MD5 hasher is not among production's).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "twonodessalt", iterations=1000)
    user.save()
    task = TaskFactory(lead_agency=agency_a, status="assigned", title="Поручение двух узлов")
    static = tmp_path / "static"
    envs = [_env(tmp_path, n, endpoint, bucket, os.environ["REDIS_URL"], static) for n in ("one", "two")]
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=envs[0], check=True
    )

    with ExitStack() as stack:
        one, two = (stack.enter_context(gunicorn(env, workers=1)) for env in envs)
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
