"""The task page /tasks/<id>/: content, scope, status buttons, reports with files, comments, extensions, history."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omskevents.workplan import history, services
from omskevents.workplan.models import Attachment, ExtensionRequest, ProgressReport, Task, TaskComment
from tests.factories.agencies import AgencyFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import ExtensionRequestFactory, ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _clock_and_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _url(task: Task, name: str = "workplan:task_detail") -> str:
    return reverse(name, args=[task.pk])


def test_task_page_shows_everything_about_the_task(client, secretariat, agency_a, agency_b, staff_a):
    parent = TaskFactory(title="Программа форума", lead_agency=agency_a)
    blocker = TaskFactory(title="Смета", lead_agency=agency_a)
    task = TaskFactory(
        number="1.2",
        title="Речной круиз для делегаций",
        description="Теплоход по Иртышу",
        lead_agency=agency_a,
        co_executors=[agency_b],
        responsible=staff_a,
        parent=parent,
        deadline=dt.date(2026, 10, 5),
        deadline_note="Moved from 04.10.2026 (a non-working day in Russia) to the next working day.",
    )
    task.depends_on.set([blocker])
    child = TaskFactory(title="Заказ теплохода", lead_agency=agency_a, parent=task)
    ProgressReportFactory(task=task, author=staff_a, text="Теплоход зафрахтован")
    TaskComment.objects.create(task=task, author=secretariat, text="Проверьте сроки")
    client.force_login(secretariat)

    response = client.get(_url(task))

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "1.2. Речной круиз для делегаций",
        "Теплоход по Иртышу",
        "МИД России ДСФ",
        "Акимат Павлодарской обл.",
        "05.10.2026",
        "Moved from 04.10.2026 (a non-working day in Russia) to the next working day.",
        "Теплоход зафрахтован",
        "Проверьте сроки",
        str(staff_a),
    ):
        assert text in html
    assert f'href="{parent.get_absolute_url()}"' in html
    assert f'href="{blocker.get_absolute_url()}"' in html
    assert f'href="{child.get_absolute_url()}"' in html


def test_task_page_of_another_agency_is_404_for_ministry(client, staff_a, agency_b):
    task = TaskFactory(lead_agency=agency_b)
    client.force_login(staff_a)

    assert client.get(_url(task)).status_code == 404
    assert client.post(_url(task, "workplan:task_comment"), {"text": "Привет"}).status_code == 404
    assert TaskComment.objects.count() == 0


def test_task_page_status_buttons_follow_the_workflow(client, secretariat, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="assigned")

    client.force_login(staff_a)
    staff_buttons = client.get(_url(task)).context["status_buttons"]
    client.force_login(secretariat)
    secretariat_buttons = client.get(_url(task)).context["status_buttons"]

    # Reporting completion is the report form's job alone: no "reported" button beside it.
    assert staff_buttons == [("in_progress", "Take into work", False)]
    assert secretariat_buttons == [("in_progress", "Take into work", False), ("cancelled", "Cancel the task…", True)]


def test_status_change_moves_task_and_records_comment(client, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="assigned")
    client.force_login(staff_a)

    response = client.post(_url(task, "workplan:task_status"), {"status": "in_progress", "note": "Начали"})

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "in_progress"
    assert list(task.comments.values_list("text", flat=True)) == ["Начали"]


def test_status_change_not_allowed_shows_error_and_changes_nothing(client, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="reported")
    client.force_login(staff_a)

    response = client.post(_url(task, "workplan:task_status"), {"status": "accepted"})

    assert response.status_code == 400
    assert "A task cannot go from “Reported” to “Accepted (removed from control)”." in response.content.decode()
    task.refresh_from_db()
    assert task.status == "reported"


def test_report_with_file_is_stored_under_random_name_and_downloadable(client, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="assigned")
    client.force_login(staff_a)
    upload = SimpleUploadedFile("Справка о готовности.pdf", PDF, content_type="application/pdf")

    response = client.post(_url(task, "workplan:task_report"), {"text": "Готово наполовину", "files": [upload]})

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Справка_о_готовности.pdf"
    assert "Справка" not in attachment.file.name
    assert attachment.file.name.startswith("reports/")
    task.refresh_from_db()
    assert task.status == "in_progress"

    download = client.get(reverse("workplan:attachment_download", args=[attachment.pk]))

    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_report_with_a_fake_pdf_is_refused_and_nothing_saved(client, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="assigned")
    client.force_login(staff_a)
    fake = SimpleUploadedFile("отчёт.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(_url(task, "workplan:task_report"), {"text": "Отчёт", "files": [fake]})

    assert response.status_code == 400
    assert "is not a real PDF file." in response.content.decode()
    assert ProgressReport.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_report_without_text_shows_translated_message(client, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a)
    client.force_login(staff_a)

    response = client.post(_url(task, "workplan:task_report"), {"text": ""})

    assert response.status_code == 400
    assert response.context["report_form"].errors["text"] == ["Write what has been done."]


def test_attachment_of_another_agency_is_404(client, staff_a, staff_b, agency_b):
    task = TaskFactory(lead_agency=agency_b, status="assigned")
    services.task_report_progress(
        actor=staff_b, task=task, text="Отчёт", files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]
    )
    attachment = Attachment.objects.get()
    client.force_login(staff_a)

    response = client.get(reverse("workplan:attachment_download", args=[attachment.pk]))

    assert response.status_code == 404


def test_attachment_download_requires_login(client, staff_b, agency_b):
    task = TaskFactory(lead_agency=agency_b, status="assigned")
    services.task_report_progress(
        actor=staff_b, task=task, text="Отчёт", files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]
    )

    response = client.get(reverse("workplan:attachment_download", args=[Attachment.objects.get().pk]))

    assert response.status_code == 302


def test_co_executor_may_download_reports(client, agency_a, agency_b, staff_b):
    task = TaskFactory(lead_agency=agency_b, co_executors=[agency_a], status="assigned")
    services.task_report_progress(
        actor=staff_b, task=task, text="Отчёт", files=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]
    )
    co_staff = type(staff_b).objects.create(username="co", role="agency_staff", agency=agency_a)
    client.force_login(co_staff)

    response = client.get(reverse("workplan:attachment_download", args=[Attachment.objects.get().pk]))

    assert response.status_code == 200


def test_comment_is_added(client, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a)
    client.force_login(staff_a)

    client.post(_url(task, "workplan:task_comment"), {"text": "Уточните формат"})

    assert list(TaskComment.objects.values_list("task", "author", "text")) == [(task.pk, staff_a.pk, "Уточните формат")]


def test_a_posted_comment_reads_the_task_not_its_page(client, staff_a, agency_a):
    """A write finds its task in the person's scope and acts: it reads none of the reports, comments and history
    the page lists, so its queries do not grow with them."""
    quiet, busy = TaskFactory(lead_agency=agency_a), TaskFactory(lead_agency=agency_a)
    for n in range(12):
        ProgressReportFactory(task=busy, author=staff_a)
        TaskComment.objects.create(task=busy, author=staff_a, text=f"Комментарий {n}")
    client.force_login(staff_a)
    client.post(_url(quiet, "workplan:task_comment"), {"text": "Первый"})  # the session's first refresh

    counts = []
    for task in (quiet, busy):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(_url(task, "workplan:task_comment"), {"text": "Уточните формат"})
        assert response.status_code == 302
        assert not any("workplan_progressreport" in q["sql"] for q in queries.captured_queries)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert TaskComment.objects.filter(task=busy, text="Уточните формат").count() == 1


def test_a_report_asks_the_database_for_nothing_it_holds(client, secretariat, staff_a, agency_a):
    """A progress report checks its form and writes the report and the controller's notice, without asking the
    database whether the task it just locked, the person signed in or the notice's recipient exist (a query apiece,
    a fifth of the report's queries): the foreign keys check them at commit."""
    task = TaskFactory(lead_agency=agency_a, controller=secretariat)
    client.force_login(staff_a)
    client.post(_url(task, "workplan:task_comment"), {"text": "Первый"})  # the session's first refresh

    with CaptureQueriesContext(connection) as queries:
        response = client.post(_url(task, "workplan:task_report"), {"text": "Теплоход зафрахтован"})

    assert response.status_code == 302
    asked = [q["sql"] for q in queries.captured_queries if ' AS "a" FROM ' in q["sql"]]
    assert asked == []
    assert ProgressReport.objects.filter(task=task, author=staff_a, text="Теплоход зафрахтован").count() == 1
    assert task.notifications.filter(recipient=secretariat, kind="report_submitted").count() == 1


def test_extension_request_and_approval(client, secretariat, staff_a, agency_a):
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    task = TaskFactory(event=event, lead_agency=agency_a, deadline=dt.date(2026, 10, 1))
    client.force_login(staff_a)

    client.post(
        _url(task, "workplan:task_extension_request"),
        {"new_deadline": "2026-10-15", "reason": "Ждём ответа от Казахстана"},
    )
    client.force_login(secretariat)
    page = client.get(_url(task))
    client.post(_url(task, "workplan:extension_decide"), {"approve": "1", "note": "Согласовано"})

    assert page.context["can_decide_extension"] is True
    request = ExtensionRequest.objects.get()
    assert (request.status, request.decided_by, request.decision_note) == ("approved", secretariat, "Согласовано")
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 10, 15)


def test_extension_request_earlier_date_is_refused(client, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, deadline=dt.date(2026, 10, 1))
    client.force_login(staff_a)

    response = client.post(
        _url(task, "workplan:task_extension_request"), {"new_deadline": "2026-09-20", "reason": "Раньше"}
    )

    assert response.status_code == 400
    assert response.context["extension_form"].errors["new_deadline"] == [
        "The requested deadline must be later than the current one."
    ]
    assert ExtensionRequest.objects.count() == 0


def test_ministry_cannot_decide_extension(client, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a)
    ExtensionRequestFactory(task=task, requested_by=staff_a)
    client.force_login(staff_a)

    client.post(_url(task, "workplan:extension_decide"), {"approve": "1"})

    assert ExtensionRequest.objects.get().status == "pending"


def test_history_shows_who_changed_what(client, secretariat, agency_a, agency_b):
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    task = services.task_create(
        actor=secretariat,
        event=event,
        title="Аккредитация",
        area="organisation",
        lead_agency=agency_a,
        deadline=dt.date(2026, 10, 1),
    )
    services.task_update(
        actor=secretariat,
        task=task,
        lead_agency=agency_b,
        deadline=dt.date(2026, 10, 8),
        co_executors=[AgencyFactory(short_name="Минтранс Омской обл.")],
    )
    client.force_login(secretariat)

    history = client.get(_url(task)).context["history"]

    changes = [(c.field, c.old, c.new) for entry in history for c in entry.changes]
    assert changes == [
        ("co-executors", "—", "Минтранс Омской обл."),
        ("lead executor", "МИД России ДСФ", "Акимат Павлодарской обл."),
        ("deadline", "10/01/2026", "10/08/2026"),
    ]
    assert {entry.who for entry in history} == {secretariat}
    assert history[-1].kind == "+"


def test_the_history_is_read_in_the_same_queries_however_long_it_grows(client, secretariat, agency_a, agency_b):
    """Every version's co-executors and dependencies are read at once: a task changed twenty times costs its page
    no more queries than one changed twice, and each change of the co-executors is still shown."""
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    task = services.task_create(
        actor=secretariat, event=event, title="Аккредитация", area="organisation", lead_agency=agency_a,
        deadline=dt.date(2026, 10, 1),
    )  # fmt: skip
    others = [AgencyFactory(short_name=f"Ведомство {n}") for n in range(3)]
    client.force_login(secretariat)

    def change(n: int) -> None:
        services.task_update(
            actor=secretariat, task=task, deadline=dt.date(2026, 10, 1) + dt.timedelta(days=n),
            co_executors=[others[n % 3]],
        )  # fmt: skip

    for n in range(1, 3):
        change(n)
    client.get(_url(task))  # the session and what the layout caches, read once
    with CaptureQueriesContext(connection) as short:
        client.get(_url(task))
    for n in range(3, 21):
        change(n)
    with CaptureQueriesContext(connection) as long:
        response = client.get(_url(task))

    assert len(long) == len(short)
    shown = [
        (c.old, c.new) for entry in response.context["history"] for c in entry.changes if c.field == "co-executors"
    ]
    assert shown[0][1] == "Ведомство 2"  # the newest first: the 20th change
    # The same changes as simple-history's own diff of each version against the one before (two queries a pair).
    records = list(task.history.order_by("history_date", "history_id"))
    expected = {
        after.pk: [
            (c.field, c.old, c.new) for c in after.diff_against(before, included_fields=["co_executors"]).changes
        ]
        for before, after in itertools.pairwise(records)
    }
    found = history._m2m_changes(records)
    assert {
        pk: [(c.field, c.old, c.new) for c in found[pk] if c.field == "co_executors"] for pk in expected
    } == expected
    assert sum(1 for changes in expected.values() if changes) >= 20


# --- Related tasks and history name only tasks the reader may see ---------------------------------


def test_related_tasks_list_only_tasks_the_reader_may_see(client, secretariat, staff_a, agency_a, agency_b):
    parent = TaskFactory(number="7", title="Чужой раздел плана", lead_agency=agency_b)
    task = TaskFactory(title="Причал на Иртыше", lead_agency=agency_a, parent=parent)
    task.depends_on.set([TaskFactory(title="Чужая смета", lead_agency=agency_b)])
    TaskFactory(title="Чужая охрана причала", lead_agency=agency_b).depends_on.set([task])
    TaskFactory(title="Чужой подряд", lead_agency=agency_b, parent=task)
    own_child = TaskFactory(title="Свой подряд", lead_agency=agency_a, parent=task)
    client.force_login(staff_a)

    html = client.get(_url(task)).content.decode()

    for foreign in ("Чужой раздел плана", "Чужая смета", "Чужая охрана причала", "Чужой подряд"):
        assert foreign not in html
    assert f'href="{parent.get_absolute_url()}"' not in html
    assert f'href="{own_child.get_absolute_url()}"' in html
    client.force_login(secretariat)
    as_secretariat = client.get(_url(task)).content.decode()
    for foreign in ("7 Чужой раздел плана", "Чужая смета", "Чужая охрана причала", "Чужой подряд"):
        assert foreign in as_secretariat


def test_related_tasks_cost_the_same_queries_however_many_there_are(client, staff_a, agency_a, agency_b):
    """The parent, the tasks depended on, the tasks blocked and the sub-tasks are read together, in one read of
    the plan: a task with several of each (some of another agency, so hidden) costs the page no more queries than
    a task with one of each, and each list holds its own tasks only."""

    def linked(count: int) -> tuple[Task, dict[str, set[str]]]:
        task = TaskFactory(lead_agency=agency_a, parent=TaskFactory(title=f"Раздел {count}", lead_agency=agency_a))
        titles: dict[str, set[str]] = {"depends": set(), "blocks": set(), "subtasks": set()}
        for n in range(count):
            for kind, agency in (("own", agency_a), ("foreign", agency_b)):
                needed = TaskFactory(title=f"Смета {count}-{n} {kind}", lead_agency=agency)
                task.depends_on.add(needed)
                TaskFactory(title=f"Охрана {count}-{n} {kind}", lead_agency=agency).depends_on.add(task)
                TaskFactory(title=f"Подряд {count}-{n} {kind}", lead_agency=agency, parent=task)
                if kind == "own":
                    titles["depends"].add(f"Смета {count}-{n} own")
                    titles["blocks"].add(f"Охрана {count}-{n} own")
                    titles["subtasks"].add(f"Подряд {count}-{n} own")
        return task, titles

    few, many = linked(1), linked(6)
    client.force_login(staff_a)
    client.get(_url(few[0]))  # the session's first refresh
    counts = []
    for task, titles in (few, many):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(task))
        counts.append(len(queries))
        # The task, then every linked task at once (not a read of the plan per list).
        assert sum('FROM "workplan_task" ' in q["sql"] for q in queries.captured_queries) == 2
        page = response.context["task"]
        assert page.visible_parent == task.parent
        assert {t.title for t in page.visible_depends_on} == titles["depends"]
        assert {t.title for t in page.visible_blocks} == titles["blocks"]
        assert {t.title for t in page.visible_subtasks} == titles["subtasks"]
        assert "foreign" not in response.content.decode()
    assert counts[0] == counts[1]


def test_history_names_a_foreign_parent_neutrally_even_after_the_link_is_removed(
    client, secretariat, staff_a, agency_a, agency_b
):
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    foreign = TaskFactory(event=event, number="9", title="Чужой раздел плана", lead_agency=agency_b)
    task = services.task_create(
        actor=secretariat, event=event, title="Аккредитация", area="organisation", lead_agency=agency_a,
        deadline=dt.date(2026, 10, 1),
    )  # fmt: skip
    services.task_update(actor=secretariat, task=task, parent=foreign)
    services.task_update(actor=secretariat, task=task, parent=None)
    client.force_login(staff_a)

    response = client.get(_url(task))

    changes = [(c.field, c.old, c.new) for entry in response.context["history"] for c in entry.changes]
    assert changes == [
        ("parent task", "a task you cannot see", "—"),
        ("parent task", "—", "a task you cannot see"),
    ]
    assert "Чужой раздел плана" not in response.content.decode()
    client.force_login(secretariat)
    as_secretariat = client.get(_url(task)).context["history"]
    assert [(c.old, c.new) for entry in as_secretariat for c in entry.changes] == [
        ("9 Чужой раздел плана", "—"),
        ("—", "9 Чужой раздел плана"),
    ]
