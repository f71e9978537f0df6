"""Uploaded files in an S3-compatible object store, against a real S3 API server on loopback (moto's server).

The server is started by the test run itself (no Docker, no network): the same requests botocore would send to
MinIO or Amazon S3 go over HTTP to 127.0.0.1.
"""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from omskevents.workplan.models import Attachment
from tests.factories.workplan import TaskFactory

ROOT = Path(__file__).resolve().parent.parent.parent
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
KEYS = {"aws_access_key_id": "omskevents-test", "aws_secret_access_key": "omskevents-test-secret"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    name = f"omskevents-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=name)
    return client, name


def _s3_settings(endpoint: str, bucket: str) -> dict[str, object]:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "access_key": KEYS["aws_access_key_id"],
            "secret_key": KEYS["aws_secret_access_key"],
            "region_name": "us-east-1",
            "location": "media",
            "addressing_style": "path",
            "default_acl": None,
            "file_overwrite": False,
        },
    }


@pytest.fixture
def s3_storage(settings, s3_endpoint, bucket):
    client, name = bucket
    settings.STORAGES = {**settings.STORAGES, "default": _s3_settings(s3_endpoint, name)}
    return client, name


@pytest.mark.django_db
def test_report_file_goes_to_the_bucket_and_downloads_through_the_view(client, staff_a, agency_a, s3_storage):
    s3, bucket = s3_storage
    task = TaskFactory(lead_agency=agency_a, status="assigned")
    client.force_login(staff_a)
    upload = SimpleUploadedFile("Справка.pdf", PDF, content_type="application/pdf")

    response = client.post(reverse("workplan:task_report", args=[task.pk]), {"text": "Готово", "files": [upload]})

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    stored = s3.get_object(Bucket=bucket, Key=f"media/{attachment.file.name}")["Body"].read()
    assert stored == PDF
    assert not Path(str(attachment.file.name)).is_absolute()
    download = client.get(reverse("workplan:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.django_db
def test_file_missing_from_the_bucket_answers_404(client, staff_a, agency_a, s3_storage):
    s3, bucket = s3_storage
    task = TaskFactory(lead_agency=agency_a, status="assigned")
    client.force_login(staff_a)
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    client.post(reverse("workplan:task_report", args=[task.pk]), {"text": "Готово", "files": [upload]})
    attachment = Attachment.objects.get()
    s3.delete_object(Bucket=bucket, Key=f"media/{attachment.file.name}")

    response = client.get(reverse("workplan:attachment_download", args=[attachment.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_readyz_checks_the_bucket(client, settings, s3_endpoint, s3_storage):
    ready = client.get("/readyz")
    settings.STORAGES = {**settings.STORAGES, "default": _s3_settings(s3_endpoint, "no-such-bucket")}
    missing = client.get("/readyz")

    assert ready.json()["checks"]["storage"]["ok"] is True
    assert missing.status_code == 503
    assert missing.json()["checks"]["storage"]["ok"] is False
    assert missing.json()["checks"]["storage"]["error"] == "ClientError"


def test_environment_selects_the_object_store(s3_endpoint, bucket):
    s3, name = bucket
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "S3_", "AWS_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "omskevents.settings.local",
            "S3_BUCKET": name,
            "S3_ENDPOINT_URL": s3_endpoint,
            "S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
            "S3_REGION": "us-east-1",
        }
    )
    script = (
        "import django; django.setup()\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "default_storage.save('probe.txt', ContentFile(b'x'))\n"
        "print(type(default_storage._wrapped).__name__)\n"
    )

    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )

    assert (done.returncode, done.stdout.strip()) == (0, "S3Storage")
    assert s3.get_object(Bucket=name, Key="media/probe.txt")["Body"].read() == b"x"
