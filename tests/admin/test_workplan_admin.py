"""What agency people and the secretariat do with tasks in the admin: every write goes through the services."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omskevents.workplan.models import Attachment, ExtensionRequest, ProgressReport, Task
from tests.factories.agencies import AgencyFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import ExtensionRequestFactory, ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _value(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    if isinstance(value, bool):
        return "on" if value else ""
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def form_data(response) -> dict:
    """The POST a browser would send for the change form as rendered: main form, inlines, management forms."""
    data: dict = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = _value(form[name].value())
        if value not in ("", []):
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = _value(sub[name].value())
                if value not in ("", []) and name != "files":
                    data[sub.add_prefix(name)] = value
    return data


@pytest.fixture
def event():
    return EventFactory(number="XXII", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))


@pytest.fixture
def task_a(event, agency_a):
    return TaskFactory(event=event, lead_agency=agency_a, deadline=dt.date(2026, 11, 20), status="in_progress")


def _change(task):
    return reverse("admin:workplan_task_change", args=[task.pk])


def test_staff_status_choices_are_the_workflow_targets(client, staff_a, task_a):
    client.force_login(staff_a)
    response = client.get(_change(task_a))
    form = response.context["adminform"].form
    assert set(form.fields) == {"status"}
    assert [value for value, _label in form.fields["status"].choices] == ["in_progress", "reported"]
    Task.objects.filter(pk=task_a.pk).update(status="reported")
    response = client.get(_change(task_a))
    assert set(response.context["adminform"].form.fields) == set()  # only the controller moves it on


def test_staff_status_change_goes_through_the_service_and_records_the_user(client, staff_a, task_a):
    ProgressReportFactory(task=task_a, author=staff_a)
    client.force_login(staff_a)
    data = form_data(client.get(_change(task_a)))
    data.update(status="reported", title="Другое название", deadline="2027-01-01")
    response = client.post(_change(task_a), data)
    assert response.status_code == 302
    task_a.refresh_from_db()
    assert task_a.status == "reported"
    assert task_a.title != "Другое название"
    assert task_a.deadline == dt.date(2026, 11, 20)
    assert task_a.history.latest("history_id").history_user == staff_a


def test_staff_status_outside_the_workflow_is_a_form_error(client, staff_a, task_a):
    client.force_login(staff_a)
    data = form_data(client.get(_change(task_a)))
    data["status"] = "accepted"
    response = client.post(_change(task_a), data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    task_a.refresh_from_db()
    assert task_a.status == "in_progress"


def test_staff_report_with_file_through_the_inline(client, staff_a, task_a):
    client.force_login(staff_a)
    data = form_data(client.get(_change(task_a)))
    data["reports-0-text"] = "Маршрут согласован с Минтрансом."
    data["reports-0-files"] = [SimpleUploadedFile("справка.pdf", PDF, content_type="application/pdf")]
    response = client.post(_change(task_a), data)
    assert response.status_code == 302
    report = ProgressReport.objects.get(task=task_a)
    assert (report.author, report.text) == (staff_a, "Маршрут согласован с Минтрансом.")
    attachment = Attachment.objects.get(report=report)
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "справка.pdf",
        "application/pdf",
        len(PDF),
    )
    page = client.get(_change(task_a)).content.decode()
    link = f'<a href="/tasks/files/{attachment.pk}/">справка.pdf</a>'
    assert link in page
    assert ">None<" not in page
    download = client.get(f"/tasks/files/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PDF
    download.close()


def test_staff_report_with_a_fake_pdf_is_refused_and_nothing_saved(client, staff_a, task_a):
    client.force_login(staff_a)
    data = form_data(client.get(_change(task_a)))
    data["reports-0-text"] = "Отчёт"
    data["reports-0-files"] = [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")]
    response = client.post(_change(task_a), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "files" in formset.forms[0].errors
    assert ProgressReport.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_staff_requests_an_extension_through_the_inline(client, staff_a, task_a):
    client.force_login(staff_a)
    data = form_data(client.get(_change(task_a)))
    data["extension_requests-0-new_deadline"] = "2026-11-30"
    data["extension_requests-0-reason"] = "Ждём ответа казахстанской стороны."
    response = client.post(_change(task_a), data)
    assert response.status_code == 302
    request = ExtensionRequest.objects.get(task=task_a)
    assert (request.requested_by, request.old_deadline, request.new_deadline, request.status) == (
        staff_a,
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 30),
        "pending",
    )


def test_staff_extension_earlier_than_the_deadline_is_a_form_error(client, staff_a, task_a):
    client.force_login(staff_a)
    data = form_data(client.get(_change(task_a)))
    data["extension_requests-0-new_deadline"] = "2026-11-10"
    data["extension_requests-0-reason"] = "Причина"
    response = client.post(_change(task_a), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() or response.context["adminform"].form.errors
    assert ExtensionRequest.objects.count() == 0


def test_staff_cannot_edit_others_reports(client, staff_a, staff_b, task_a, agency_b):
    task_a.co_executors.add(agency_b)
    report = ProgressReportFactory(task=task_a, author=staff_b, text="Отчёт соисполнителя")
    client.force_login(staff_a)
    response = client.get(_change(task_a))
    formset = response.context["inline_admin_formsets"][0]
    assert formset.has_change_permission is False
    assert formset.has_delete_permission is False
    data = form_data(response)
    data["reports-0-text"] = "Подменённый текст"
    client.post(_change(task_a), data)
    report.refresh_from_db()
    assert report.text == "Отчёт соисполнителя"


def _secretariat_add_data(event, agency_a, **extra):
    data = {
        "event": str(event.pk),
        "title": "Подготовить площадку",
        "area": "organisation",
        "lead_agency": str(agency_a.pk),
        "deadline": "2026-11-24",
        "priority": "normal",
        "source": "action_plan",
        "reports-TOTAL_FORMS": "0",
        "reports-INITIAL_FORMS": "0",
        "extension_requests-TOTAL_FORMS": "0",
        "extension_requests-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_secretariat_creates_a_task_through_the_service(client, secretariat, event, agency_a, agency_b):
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:workplan_task_add"), _secretariat_add_data(event, agency_a, co_executors=[str(agency_b.pk)])
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.created_by, task.controller, task.status) == (secretariat, secretariat, "assigned")
    assert list(task.co_executors.all()) == [agency_b]
    history = list(task.history.order_by("history_id"))
    assert history[0].history_type == "+"
    assert {record.history_user for record in history} == {secretariat}


def test_secretariat_co_executor_equal_to_lead_is_a_form_error(client, secretariat, event, agency_a):
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:workplan_task_add"), _secretariat_add_data(event, agency_a, co_executors=[str(agency_a.pk)])
    )
    assert response.status_code == 200
    assert "co_executors" in response.context["adminform"].form.errors
    assert Task.objects.count() == 0


def test_secretariat_deadline_after_the_event_is_a_form_error(client, secretariat, event, agency_a):
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:workplan_task_add"), _secretariat_add_data(event, agency_a, deadline="2027-02-01")
    )
    assert response.status_code == 200
    assert "deadline" in response.context["adminform"].form.errors
    assert Task.objects.count() == 0


def test_secretariat_edits_deadline_through_the_service(client, secretariat, task_a):
    client.force_login(secretariat)
    data = form_data(client.get(_change(task_a)))
    data["deadline"] = "2026-11-27"
    response = client.post(_change(task_a), data)
    assert response.status_code == 302
    task_a.refresh_from_db()
    assert task_a.deadline == dt.date(2026, 11, 27)
    assert task_a.history.latest("history_id").history_user == secretariat


def test_secretariat_approves_an_extension_with_the_action(client, secretariat, task_a, staff_a):
    request = ExtensionRequestFactory(task=task_a, requested_by=staff_a, new_deadline=dt.date(2026, 12, 4))
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:workplan_extensionrequest_changelist"),
        {"action": "approve", "_selected_action": [str(request.pk)]},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    task_a.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", secretariat)
    assert task_a.deadline == dt.date(2026, 12, 4)


def test_staff_cannot_use_the_decision_actions(client, staff_a, task_a):
    request = ExtensionRequestFactory(task=task_a, requested_by=staff_a)
    client.force_login(staff_a)
    response = client.get(reverse("admin:workplan_extensionrequest_changelist"))
    assert response.context["action_form"] is None
    client.post(
        reverse("admin:workplan_extensionrequest_changelist"),
        {"action": "approve", "_selected_action": [str(request.pk)]},
    )
    request.refresh_from_db()
    assert request.status == "pending"


def test_staff_cannot_revert_their_own_task(client, staff_a, task_a):
    record = task_a.history.latest("history_id")
    client.force_login(staff_a)
    url = reverse("admin:workplan_task_simple_history", args=[task_a.pk, record.history_id])
    response = client.get(url)
    assert response.context["revert_disabled"] is True
    assert client.post(url, {"status": "assigned"}).status_code == 403
    task_a.refresh_from_db()
    assert task_a.status == "in_progress"


def test_task_changelist_queries_do_not_grow_with_rows(client, secretariat, event, agency_a, agency_b):
    client.force_login(secretariat)
    url = reverse("admin:workplan_task_changelist")
    TaskFactory(event=event, lead_agency=agency_a)
    client.get(url)  # warm the content-type and session caches
    # A row nobody has rendered yet, of a new event: the filters' choices are read again (the names version moved),
    # as they are after the fifteen below.
    TaskFactory(event=EventFactory(), lead_agency=agency_a)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(15):
        TaskFactory(event=EventFactory(), lead_agency=agency_b)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["cl"].result_count == 17
    assert len(many) == len(one)
    # Every row cached: the page reads only the rows' keys, and no row is loaded whole; nothing was written since,
    # so the count, the date hierarchy (its range and its dates), the filters' events and agencies and the
    # sidebar's list of models (whether reminder rules exist) come from the caches too.
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    assert len(cached) == len(many) - 7
    assert not any('"workplan_task"."description"' in q["sql"] for q in cached.captured_queries)


def test_head_adds_a_person_to_their_own_agency_only(client, head_a, agency_b):
    from omskevents.accounts.models import User

    client.force_login(head_a)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_a",
            "usable_password": "true",
            "password1": "Irtysh-river-2026!",
            "password2": "Irtysh-river-2026!",
            "last_name": "Петров",
            "role": "agency_staff",
            "agency": str(agency_b.pk),
            "is_superuser": "on",
            "time_zone": "Asia/Omsk",
            "language": "ru",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(username="new_a")
    assert (person.agency_id, person.role, person.is_superuser, person.is_staff) == (
        head_a.agency_id,
        "agency_staff",
        False,
        True,
    )


def test_head_cannot_grant_the_secretariat_role(client, head_a, staff_a):
    client.force_login(head_a)
    url = reverse("admin:accounts_user_change", args=[staff_a.pk])
    response = client.get(url)
    role = response.context["adminform"].form.fields["role"]
    assert [value for value, _label in role.choices] == ["agency_head", "agency_staff"]
    data = form_data(response)
    data.update(role="secretariat", is_superuser="on", is_staff="on")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    staff_a.refresh_from_db()
    assert (staff_a.role, staff_a.is_superuser) == ("agency_staff", False)


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize(("who", "queries"), [("secretariat", 3), ("staff_a", 3)])
def test_task_changelist_query_count_is_exact_and_constant(
    client, request, event, agency_a, agency_b, count, who, queries, django_assert_num_queries
):
    for number in range(count):  # led by agency A, or co-executed by it: staff_a sees every one
        lead, co = (agency_a, agency_b) if number % 2 == 0 else (agency_b, agency_a)
        TaskFactory(event=event, lead_agency=lead, co_executors=[co])
    client.force_login(request.getfixturevalue(who))
    url = reverse("admin:workplan_task_changelist")
    client.get(url)  # the content types and the session's first refresh

    # session, user, the page's rows; the count, the date hierarchy's range and dates, the filters' events and
    # agencies and the sidebar's list of models (whether reminder rules exist yet: its add link) come from the
    # caches (nothing was written since the first request); no second count of every visible task
    # (show_full_result_count is off)
    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.context["cl"].result_count == count
    assert response.context["cl"].full_result_count is None


def _years(response) -> list[str]:
    """The years the date hierarchy offers (its links ?deadline__year=…)."""
    import re

    return sorted(set(re.findall(r"deadline__year=(\d{4})", response.content.decode())))


def test_task_list_date_hierarchy_and_filters_are_cached_per_scope_and_follow_writes(
    client, secretariat, staff_a, agency_a, agency_b, event
):
    TaskFactory(event=event, lead_agency=agency_a, deadline=dt.date(2026, 11, 20))
    TaskFactory(event=event, lead_agency=agency_b, deadline=dt.date(2027, 3, 1))
    url = reverse("admin:workplan_task_changelist")

    client.force_login(secretariat)
    assert _years(client.get(url)) == ["2026", "2027"]
    with CaptureQueriesContext(connection) as again:
        assert _years(client.get(url)) == ["2026", "2027"]
    # The second time no query asks for the tasks' years or bounds: the cached fragment answers.
    assert not [q for q in again.captured_queries if "MIN(" in q["sql"].upper() or "DATE_TRUNC" in q["sql"].upper()]

    # A ministry's scope has a fragment of its own: agency A's tasks are all in 2026.
    client.force_login(staff_a)
    assert _years(client.get(url)) == ["2026"]

    # A write shows at once: a task of agency A due in 2028.
    TaskFactory(event=event, lead_agency=agency_a, deadline=dt.date(2028, 5, 5))
    assert _years(client.get(url)) == ["2026", "2028"]
    client.force_login(secretariat)
    response = client.get(url)
    assert _years(response) == ["2026", "2027", "2028"]
    assert 'id="changelist-filter"' in response.content.decode()


def test_task_list_count_is_kept_per_scope_and_filters_and_follows_writes(
    client, secretariat, staff_a, agency_a, agency_b, event
):
    """The list's count is read once per scope, filters and data version: the next page and the same list again
    ask no COUNT; another scope, another filter or any write to a task counts anew."""
    for _ in range(3):
        TaskFactory(event=event, lead_agency=agency_a)
    TaskFactory(event=event, lead_agency=agency_b, status="in_progress")
    url = reverse("admin:workplan_task_changelist")

    def counted(query: str = "") -> tuple[int, bool]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url + query)
        asked = any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
        return response.context["cl"].result_count, asked

    client.force_login(staff_a)
    assert counted() == (3, True)
    assert counted() == (3, False)
    assert counted("?o=2") == (3, False)  # another order, the same count
    client.force_login(secretariat)
    assert counted() == (4, True)
    assert counted("?status__exact=in_progress") == (1, True)
    assert counted("?status__exact=in_progress") == (1, False)

    TaskFactory(event=event, lead_agency=agency_a, status="in_progress")
    assert counted("?status__exact=in_progress") == (2, True)
    client.force_login(staff_a)
    assert counted() == (4, True)


def test_the_task_filters_offer_a_new_agency_or_event_at_once(client, secretariat, event, agency_a):
    """The filters' events and agencies are read once per names version: a new one is offered on the next page."""
    client.force_login(secretariat)
    url = reverse("admin:workplan_task_changelist")
    TaskFactory(event=event, lead_agency=agency_a)
    client.get(url)
    agency = AgencyFactory(short_name="Новое ведомство фильтра")
    other_event = EventFactory()
    html = client.get(url).content.decode()
    assert f"lead_agency__id__exact={agency.pk}" in html
    assert f"event__id__exact={other_event.pk}" in html
