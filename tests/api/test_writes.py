"""The API's writes go through the services: what they do, and hostile input on every write endpoint — a 400 with
the messages under their fields and nothing written (every row of every model compared before and after)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from omskevents.workplan.models import Attachment, ExtensionRequest, Task
from tests.security.conftest import PDF, changed_tables, close_response, db_state

pytestmark = pytest.mark.django_db


def _state():
    state = db_state()
    state.pop("api.ApiToken")  # every request records the token's use
    return state


def test_an_agency_reports_progress_with_files_and_the_file_comes_back(api, tokens, world):
    api.use(tokens["staff_a"])
    response = api.post(
        f"/api/v1/tasks/{world.task_a.pk}/reports/",
        {
            "text": "Причал подготовлен, акт приёмки во вложении.",
            "files": [
                SimpleUploadedFile("акт.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("фото.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, "image/png"),
            ],
        },
        format="multipart",
    )
    assert response.status_code == 201
    report = response.json()
    assert report["text"] == "Причал подготовлен, акт приёмки во вложении."
    assert [a["original_name"] for a in report["attachments"]] == ["акт.pdf", "фото.png"]
    assert Task.objects.get(pk=world.task_a.pk).status == "in_progress"  # the workflow's own consequence
    download = api.get(report["attachments"][0]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    close_response(download)
    # The other agency cannot fetch it: the same check as the task page's download.
    assert api.use(tokens["staff_b"]).get(report["attachments"][0]["download_url"]).status_code == 404


def test_a_final_report_sends_the_task_to_its_controller(api, tokens, world):
    api.use(tokens["head_a"])
    response = api.post(
        f"/api/v1/tasks/{world.task_a.pk}/reports/", {"text": "Исполнено", "is_final": True}, format="multipart"
    )
    assert response.status_code == 201
    assert Task.objects.get(pk=world.task_a.pk).status == "reported"
    detail = api.use(tokens["sec"]).get(f"/api/v1/tasks/{world.task_a.pk}/").json()
    assert detail["status_targets"] == ["accepted", "returned", "cancelled"]


def test_the_secretariat_creates_and_assigns_a_task(api, tokens, world):
    api.use(tokens["sec"])
    response = api.post(
        "/api/v1/tasks/",
        {
            "event": world.event.pk,
            "title": "Обеспечить переводчиков",
            "area": "organisation",
            "lead_agency": world.agency_a.pk,
            "co_executors": [world.agency_b.pk],
            "responsible": world.staff_a.pk,
            "deadline": "2026-12-05",  # a Saturday: moved to the next working day, with a note
        },
    )
    assert response.status_code == 201
    task = response.json()
    assert task["deadline"] == "2026-12-07"
    assert task["deadline_note"] != ""
    assert [a["id"] for a in task["co_executors"]] == [world.agency_b.pk]
    assert task["controller"]["id"] == world.secretariat.pk
    changed = api.patch(
        f"/api/v1/tasks/{task['id']}/", {"lead_agency": world.agency_b.pk, "co_executors": [], "reason": "Передано"}
    )
    assert changed.status_code == 200
    assert changed.json()["lead_agency"]["id"] == world.agency_b.pk
    record = Task.objects.get(pk=task["id"]).history.first()
    assert (record.history_user, record.history_change_reason) == (world.secretariat, "Передано")


def test_an_agency_asks_for_an_extension_and_the_secretariat_decides(api, tokens, world):
    api.use(tokens["staff_a"])
    made = api.post(
        f"/api/v1/tasks/{world.task_a.pk}/extension-requests/", {"new_deadline": "2026-12-09", "reason": "Лёд на реке"}
    )
    assert made.status_code == 201
    assert made.json()["status"] == "pending"
    decided = api.use(tokens["sec"]).post(
        f"/api/v1/extension-requests/{made.json()['id']}/decide/", {"approve": True, "note": "Согласовано"}
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "approved"
    assert Task.objects.get(pk=world.task_a.pk).deadline.isoformat() == "2026-12-09"


def _docx_lookalike() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.txt", "not a document")
    return buffer.getvalue()


def _task(w):
    return f"/api/v1/tasks/{w.task_a.pk}/"


# (account, method, path, payload, multipart, the fields that must carry a message)
HOSTILE = [
    # Creating a task (the secretariats).
    ("sec", "post", lambda w: "/api/v1/tasks/", lambda w: {}, False, {"event", "title", "area", "lead_agency"}),
    ("sec", "post", lambda w: "/api/v1/tasks/", lambda w: ["not", "an", "object"], False, {"non_field_errors"}),
    ("sec", "post", lambda w: "/api/v1/tasks/",
     lambda w: {"event": "1 OR 1=1", "title": "x", "area": "mars", "lead_agency": 10**30, "deadline": "2026-02-30"},
     False, {"event", "area", "lead_agency", "deadline"}),
    ("sec", "post", lambda w: "/api/v1/tasks/",
     lambda w: {"event": w.event.pk, "title": "x" * 1001, "area": "organisation", "lead_agency": w.agency_a.pk,
                "deadline": "2026-11-30", "co_executors": ["١"], "responsible": True}, False,
     {"title", "co_executors", "responsible"}),
    # The service's own rules: a deadline after the event, the lead among the co-executors, no deadline at all.
    ("sec", "post", lambda w: "/api/v1/tasks/",
     lambda w: {"event": w.event.pk, "title": "Поздно", "area": "organisation", "lead_agency": w.agency_a.pk,
                "deadline": "2027-03-01"}, False, {"deadline"}),
    ("sec", "post", lambda w: "/api/v1/tasks/",
     lambda w: {"event": w.event.pk, "title": "Дважды", "area": "organisation", "lead_agency": w.agency_a.pk,
                "deadline": "2026-11-30", "co_executors": [w.agency_a.pk]}, False, {"co_executors"}),
    ("sec", "post", lambda w: "/api/v1/tasks/",
     lambda w: {"event": w.event.pk, "title": "Без срока", "area": "organisation", "lead_agency": w.agency_a.pk},
     False, {"deadline"}),
    ("kz", "post", lambda w: "/api/v1/tasks/",
     lambda w: {"event": w.event.pk, "title": "Чужой стороне", "area": "organisation", "lead_agency": w.agency_a.pk,
                "deadline": "2026-11-30"}, False, {"lead_agency"}),
    # Assigning a task.
    ("sec", "patch", _task, lambda w: {}, False, {"non_field_errors"}),
    ("sec", "patch", _task, lambda w: {"reason": "только причина"}, False, {"non_field_errors"}),
    ("sec", "patch", _task, lambda w: {"lead_agency": "x", "deadline": "завтра", "priority": "urgent"}, False,
     {"lead_agency", "deadline", "priority"}),
    ("sec", "patch", _task, lambda w: {"co_executors": [w.agency_a.pk]}, False, {"co_executors"}),
    ("sec", "patch", _task, lambda w: {"deadline": "2027-06-01"}, False, {"deadline"}),
    # Moving the status.
    ("staff_a", "post", lambda w: f"{_task(w)}status/", lambda w: {"status": "done"}, False, {"status"}),
    ("staff_a", "post", lambda w: f"{_task(w)}status/", lambda w: {"status": "accepted"}, False, {"status"}),
    ("staff_a", "post", lambda w: f"{_task(w)}status/", lambda w: {}, False, {"status"}),
    # Marking "reported" before any report (the pending task has none).
    ("staff_a", "post", lambda w: f"/api/v1/tasks/{w.pending_a.pk}/status/", lambda w: {"status": "reported"}, False,
     {"status"}),
    # Reporting progress (multipart).
    ("staff_a", "post", lambda w: f"{_task(w)}reports/", lambda w: {"text": ""}, True, {"text"}),
    ("staff_a", "post", lambda w: f"{_task(w)}reports/", lambda w: {"text": "   "}, True, {"text"}),
    ("staff_a", "post", lambda w: f"{_task(w)}reports/", lambda w: {"text": "Отчёт", "is_final": "perhaps"}, True,
     {"is_final"}),
    ("staff_a", "post", lambda w: f"{_task(w)}reports/",
     lambda w: {"text": "Отчёт", "files": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", "application/pdf")]}, True,
     {"files"}),
    ("staff_a", "post", lambda w: f"{_task(w)}reports/",
     lambda w: {"text": "Отчёт", "files": [SimpleUploadedFile("doc.docx", _docx_lookalike(), "application/pdf")]},
     True, {"files"}),
    ("staff_a", "post", lambda w: f"{_task(w)}reports/",
     lambda w: {"text": "Отчёт", "files": [SimpleUploadedFile(f"{i}.pdf", PDF, "application/pdf") for i in range(11)]},
     True, {"files"}),
    ("staff_a", "post", lambda w: f"{_task(w)}reports/",
     lambda w: {"text": "Отчёт", "files": [SimpleUploadedFile("script.exe", b"MZ", "application/octet-stream")]},
     True, {"files"}),
    # Asking for an extension.
    ("staff_a", "post", lambda w: f"{_task(w)}extension-requests/", lambda w: {}, False, {"new_deadline", "reason"}),
    ("staff_a", "post", lambda w: f"{_task(w)}extension-requests/",
     lambda w: {"new_deadline": "2026-11-01", "reason": "Раньше"}, False, {"new_deadline"}),
    ("staff_a", "post", lambda w: f"{_task(w)}extension-requests/",
     lambda w: {"new_deadline": "2026-12-20", "reason": "   "}, False, {"reason"}),
    ("staff_a", "post", lambda w: f"/api/v1/tasks/{w.pending_a.pk}/extension-requests/",
     lambda w: {"new_deadline": "2026-12-20", "reason": "Ещё раз"}, False, {"non_field_errors"}),
    # Deciding an extension.
    ("sec", "post", lambda w: f"/api/v1/extension-requests/{ExtensionRequest.objects.get(task=w.pending_a).pk}/decide/",
     lambda w: {"approve": "perhaps"}, False, {"approve"}),
    ("sec", "post", lambda w: f"/api/v1/extension-requests/{ExtensionRequest.objects.get(task=w.pending_a).pk}/decide/",
     lambda w: {}, False, {"approve"}),
]  # fmt: skip


@pytest.mark.parametrize(("account", "method", "path", "payload", "multipart", "fields"), HOSTILE)
def test_hostile_input_is_a_400_with_field_errors_and_writes_nothing(
    api, tokens, world, account, method, path, payload, multipart, fields
):
    api.use(tokens[account])
    before = _state()
    response = getattr(api, method)(path(world), payload(world), format="multipart" if multipart else "json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert fields <= set(body), body
    assert all(isinstance(messages, list) and messages for messages in body.values()), body
    assert changed_tables(before, _state()) == []
    assert not Attachment.objects.exclude(pk__in=[world.attachment_a.pk, world.attachment_b.pk]).exists()


def test_an_already_decided_extension_is_a_400(api, tokens, world):
    api.use(tokens["sec"])
    url = f"/api/v1/extension-requests/{ExtensionRequest.objects.get(task=world.pending_a).pk}/decide/"
    assert api.post(url, {"approve": False}).status_code == 200
    before = _state()
    response = api.post(url, {"approve": True})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Решение по этому запросу уже принято."]}
    assert changed_tables(before, _state()) == []


def test_messages_are_in_russian_by_default(api, tokens, world):
    response = api.use(tokens["staff_a"]).post(f"{_task(world)}extension-requests/", {"new_deadline": "2026-11-01",
                                                                                      "reason": "Раньше"})  # fmt: skip
    assert response.json() == {"new_deadline": ["Запрашиваемый срок исполнения должен быть позже текущего."]}


def test_malformed_json_is_a_400(api, tokens, world):
    api.use(tokens["sec"])
    response = api.generic("POST", "/api/v1/tasks/", b"{not json", content_type="application/json")
    assert response.status_code == 400
