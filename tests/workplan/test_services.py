"""Task services: creation rules, working-day deadlines, relative deadlines, reports, extensions, denials."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from omskevents.calendars.services import calendar_seed
from omskevents.workplan import services
from omskevents.workplan.models import Attachment, ExtensionRequest, ProgressReport, Task
from tests.factories.events import EventFactory
from tests.factories.workplan import ExtensionRequestFactory, TaskFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def event():
    return EventFactory(number="XXII", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))


def _create(actor, event, lead, **kwargs):
    defaults = {"title": "Подготовить зал", "area": "organisation", "deadline": dt.date(2026, 11, 24)}
    return services.task_create(actor=actor, event=event, lead_agency=lead, **{**defaults, **kwargs})


def test_create_records_creator_controller_and_history(secretariat, event, agency_a):
    task = _create(secretariat, event, agency_a)
    assert (task.created_by, task.controller, task.status, task.deadline_note) == (
        secretariat,
        secretariat,
        "assigned",
        "",
    )
    assert task.history.get().history_user == secretariat


def test_create_with_co_executor_equal_to_lead_is_refused(secretariat, event, agency_a):
    with pytest.raises(ValidationError) as error:
        _create(secretariat, event, agency_a, co_executors=[agency_a])
    assert list(error.value.message_dict) == ["co_executors"]
    assert Task.objects.count() == 0


def test_create_by_agency_staff_is_denied(staff_a, event, agency_a):
    with pytest.raises(PermissionDenied):
        _create(staff_a, event, agency_a)
    assert Task.objects.count() == 0


def test_create_deadline_after_event_refused_unless_follow_up(secretariat, event, agency_a):
    with pytest.raises(ValidationError) as error:
        _create(secretariat, event, agency_a, deadline=dt.date(2026, 12, 14))
    assert list(error.value.message_dict) == ["deadline"]
    task = _create(secretariat, event, agency_a, deadline=dt.date(2026, 12, 14), is_follow_up=True)
    assert task.deadline == dt.date(2026, 12, 14)


def test_deadline_on_a_holiday_moves_to_the_next_working_day_with_a_note(secretariat, event, agency_a):
    calendar_seed(countries=["RU"], years=[2026])
    with translation.override("ru"):
        task = _create(secretariat, event, agency_a, deadline=dt.date(2026, 11, 4))  # National Unity Day
    assert task.deadline == dt.date(2026, 11, 5)
    assert "04.11.2026" in task.deadline_note


def test_deadline_on_a_weekend_moves_to_monday(secretariat, event, agency_a):
    task = _create(secretariat, event, agency_a, deadline=dt.date(2026, 11, 21))  # a Saturday
    assert task.deadline == dt.date(2026, 11, 23)
    assert task.deadline_note != ""


def test_relative_deadline_follows_event_dates(secretariat, event, agency_a):
    task = _create(secretariat, event, agency_a, deadline=None, deadline_anchor="start", deadline_offset_days=-10)
    assert task.deadline == dt.date(2026, 11, 30)
    event.start_date, event.end_date = dt.date(2026, 12, 17), dt.date(2026, 12, 18)
    event.save()
    assert services.event_deadlines_follow(actor=secretariat, event=event) == 1
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 12, 7)
    assert task.history.latest("history_id").history_user == secretariat
    assert services.event_deadlines_follow(actor=secretariat, event=event) == 0


def test_update_by_agency_staff_is_denied_and_changes_nothing(staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, title="Исходное")
    with pytest.raises(PermissionDenied):
        services.task_update(actor=staff_a, task=task, title="Другое")
    task.refresh_from_db()
    assert task.title == "Исходное"


def test_report_with_file_moves_assigned_to_in_progress(staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="assigned")
    upload = SimpleUploadedFile("акт.pdf", PDF, content_type="application/pdf")
    report = services.task_report_progress(actor=staff_a, task=task, text="Начали работу", files=[upload])
    task.refresh_from_db()
    assert (report.author, task.status) == (staff_a, "in_progress")
    assert list(Attachment.objects.values_list("original_name", "size")) == [("акт.pdf", len(PDF))]
    assert report.history.get().history_user == staff_a


def test_final_report_sends_the_task_to_the_controller(staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="in_progress")
    services.task_report_progress(actor=staff_a, task=task, text="Выполнено", is_final=True)
    task.refresh_from_db()
    assert task.status == "reported"


def test_report_with_a_bad_file_saves_nothing(staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="assigned")
    upload = SimpleUploadedFile("script.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.task_report_progress(actor=staff_a, task=task, text="Отчёт", files=[upload])
    task.refresh_from_db()
    assert (ProgressReport.objects.count(), Attachment.objects.count(), task.status) == (0, 0, "assigned")


def test_report_by_a_foreign_agency_is_denied(staff_b, agency_a):
    task = TaskFactory(lead_agency=agency_a)
    with pytest.raises(PermissionDenied):
        services.task_report_progress(actor=staff_b, task=task, text="Чужой отчёт")
    assert ProgressReport.objects.count() == 0


def test_extension_request_and_approval_move_the_deadline(staff_a, secretariat, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="in_progress", deadline=dt.date(2026, 11, 20))
    request = services.task_request_extension(
        actor=staff_a, task=task, new_deadline=dt.date(2026, 11, 27), reason="Ждём согласования"
    )
    assert (request.old_deadline, request.status) == (dt.date(2026, 11, 20), "pending")
    decided = services.extension_decide(actor=secretariat, request=request, approve=True)
    task.refresh_from_db()
    assert (decided.status, decided.decided_by, task.deadline) == ("approved", secretariat, dt.date(2026, 11, 27))
    assert task.history.latest("history_id").history_user == secretariat


def test_extension_rejection_keeps_the_deadline(secretariat, agency_a):
    task = TaskFactory(lead_agency=agency_a, deadline=dt.date(2026, 11, 20))
    request = ExtensionRequestFactory(task=task)
    services.extension_decide(actor=secretariat, request=request, approve=False, note="Сроки жёсткие")
    task.refresh_from_db()
    request.refresh_from_db()
    assert (request.status, request.decision_note, task.deadline) == (
        "rejected",
        "Сроки жёсткие",
        dt.date(2026, 11, 20),
    )


def test_second_pending_extension_is_refused(staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="in_progress", deadline=dt.date(2026, 11, 20))
    services.task_request_extension(actor=staff_a, task=task, new_deadline=dt.date(2026, 11, 27), reason="Причина")
    with pytest.raises(ValidationError):
        services.task_request_extension(actor=staff_a, task=task, new_deadline=dt.date(2026, 11, 30), reason="Ещё")
    assert ExtensionRequest.objects.filter(task=task).count() == 1


def test_extension_earlier_than_the_deadline_is_refused(staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="in_progress", deadline=dt.date(2026, 11, 20))
    with pytest.raises(ValidationError) as error:
        services.task_request_extension(actor=staff_a, task=task, new_deadline=dt.date(2026, 11, 19), reason="Р")
    assert list(error.value.message_dict) == ["new_deadline"]


def test_extension_by_a_co_executor_is_denied(staff_b, agency_a, agency_b):
    task = TaskFactory(lead_agency=agency_a, status="in_progress", co_executors=[agency_b])
    with pytest.raises(PermissionDenied):
        services.task_request_extension(actor=staff_b, task=task, new_deadline=dt.date(2026, 12, 5), reason="Р")
    assert ExtensionRequest.objects.count() == 0


def test_extension_decided_by_agency_staff_is_denied(staff_a, agency_a):
    request = ExtensionRequestFactory(task=TaskFactory(lead_agency=agency_a))
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=staff_a, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == "pending"
