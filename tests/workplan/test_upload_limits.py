"""Upload limits: files per request, bytes per request, and each person's storage quota — with clear messages."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from omskevents.workplan import services
from omskevents.workplan.models import Attachment, ProgressReport
from tests.factories.accounts import UserFactory
from tests.factories.workplan import ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _clock_and_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _pdf(name: str, size: int = len(PDF)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"%" * (size - len(PDF)), content_type="application/pdf")


def _report(client, task, files):
    return client.post(reverse("workplan:task_report", args=[task.pk]), {"text": "Сделано", "files": files})


def _nothing_saved() -> bool:
    return ProgressReport.objects.count() == 0 and Attachment.objects.count() == 0


def test_more_files_than_allowed_in_one_report_are_refused(client, settings, staff_a, agency_a):
    settings.UPLOAD_MAX_FILES = 3
    task = TaskFactory(lead_agency=agency_a)
    client.force_login(staff_a)

    response = _report(client, task, [_pdf(f"{n}.pdf") for n in range(4)])

    assert response.status_code == 400
    assert response.context["report_form"].errors["files"] == [
        "At most 3 files can be sent at once; 4 were chosen. Send the rest in another report."
    ]
    assert _nothing_saved()


def test_files_larger_together_than_allowed_in_one_report_are_refused(client, settings, staff_a, agency_a):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1 * MB
    task = TaskFactory(lead_agency=agency_a)
    client.force_login(staff_a)

    response = _report(client, task, [_pdf("1.pdf", 600 * 1024), _pdf("2.pdf", 600 * 1024)])

    assert response.status_code == 400
    assert response.context["report_form"].errors["files"] == [
        "The files come to 1.2 MB together; at most 1.0 MB can be sent at once. Send the rest in another report."
    ]
    assert _nothing_saved()


def test_a_request_body_far_over_the_limit_is_refused_before_it_is_read(client, settings, staff_a, agency_a):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1 * MB
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    task = TaskFactory(lead_agency=agency_a)
    client.force_login(staff_a)

    response = _report(client, task, [_pdf("big.pdf", 2 * MB)])

    assert response.status_code == 413
    assert "Files of at most 1.0 MB can be sent at once." in response.content.decode()
    assert _nothing_saved()


def test_a_person_over_their_storage_quota_is_refused_and_a_colleague_is_not(client, settings, staff_a, agency_a):
    settings.UPLOAD_USER_QUOTA_BYTES = 1 * MB
    task = TaskFactory(lead_agency=agency_a)
    earlier = ProgressReportFactory(task=task, author=staff_a)
    Attachment.objects.create(
        report=earlier, file=_pdf("old.pdf"), original_name="old.pdf", content_type="application/pdf", size=900 * 1024
    )
    client.force_login(staff_a)

    response = _report(client, task, [_pdf("new.pdf", 200 * 1024)])

    assert response.status_code == 400
    assert response.context["report_form"].errors["files"] == [
        "Your files already take 0.9 MB of your 1.0 MB; these 0.2 MB do not fit. Ask the committee secretariat "
        "for help."
    ]
    assert ProgressReport.objects.count() == 1
    colleague = UserFactory(username="colleague", agency=agency_a)
    client.force_login(colleague)
    assert _report(client, task, [_pdf("new.pdf", 200 * 1024)]).status_code == 302
    assert Attachment.objects.count() == 2


def test_the_service_itself_holds_the_limits_for_every_caller(settings, staff_a, agency_a):
    """The admin's report inline and any other caller go through the same service."""
    settings.UPLOAD_MAX_FILES = 2
    task = TaskFactory(lead_agency=agency_a)

    files = [_pdf(f"{n}.pdf") for n in range(3)]

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.task_report_progress(actor=staff_a, task=task, text="Сделано", files=files)

    assert error.value.message_dict == {
        "files": ["At most 2 files can be sent at once; 3 were chosen. Send the rest in another report."]
    }
    assert _nothing_saved()
