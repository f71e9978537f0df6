"""The action plan page /tasks/: scope, filters, search, sorting, marks, bulk actions and query counts."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from omskevents.workplan import services
from omskevents.workplan.models import Task, TaskComment
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock_and_language(client, settings):
    # English pages: exact strings do not depend on the state of the Russian catalogue.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(TODAY, tick=False):
        yield


def _titles(response) -> list[str]:
    return [row["task"].title for row in response.context["rows"]]


def test_task_list_secretariat_sees_every_agency(client, secretariat, agency_a, agency_b):
    TaskFactory(title="Навигация по Иртышу", lead_agency=agency_a, deadline=dt.date(2026, 10, 1))
    TaskFactory(title="Встреча делегации", lead_agency=agency_b, deadline=dt.date(2026, 10, 2))
    client.force_login(secretariat)

    response = client.get(reverse("workplan:task_list"))

    assert _titles(response) == ["Навигация по Иртышу", "Встреча делегации"]
    assert "2 tasks found" in response.content.decode()


def test_task_list_ministry_sees_only_led_and_co_executed(client, staff_a, agency_a, agency_b):
    TaskFactory(title="Своя", lead_agency=agency_a)
    TaskFactory(title="Соисполнение", lead_agency=agency_b, co_executors=[agency_a])
    TaskFactory(title="Чужая", lead_agency=agency_b)
    client.force_login(staff_a)

    response = client.get(reverse("workplan:task_list"))

    assert sorted(_titles(response)) == ["Своя", "Соисполнение"]
    assert "Чужая" not in response.content.decode()


def test_task_list_overdue_filter_marks_rows_with_text(client, secretariat):
    TaskFactory(title="Просрочено", deadline=dt.date(2026, 8, 20))
    TaskFactory(title="Скоро", deadline=dt.date(2026, 9, 10))
    TaskFactory(title="Выполнено давно", deadline=dt.date(2026, 8, 1), status="accepted")
    client.force_login(secretariat)

    overdue = client.get(reverse("workplan:task_list"), {"overdue": "1"})
    everything = client.get(reverse("workplan:task_list"))

    assert _titles(overdue) == ["Просрочено"]
    states = {row["task"].title: row["state"] for row in everything.context["rows"]}
    assert states == {"Выполнено давно": "", "Просрочено": "overdue", "Скоро": "due_soon"}
    html = everything.content.decode()
    assert "status-overdue table-danger" in html
    assert '<span class="badge text-bg-danger deadline-flag">Overdue</span>' in html
    assert '<span class="badge text-bg-warning deadline-flag">Due soon</span>' in html


def test_task_list_search_ignores_case_of_cyrillic(client, secretariat):
    TaskFactory(title="Подготовить речной круиз по Иртышу", description="")
    TaskFactory(title="Аккредитация СМИ", description="Пресс-центр у ИРТЫША")
    TaskFactory(title="Питание делегаций")
    client.force_login(secretariat)

    response = client.get(reverse("workplan:task_list"), {"q": "иртыш"})

    assert sorted(_titles(response)) == ["Аккредитация СМИ", "Подготовить речной круиз по Иртышу"]


def test_task_list_agency_filter_includes_co_executed(client, secretariat, agency_a, agency_b):
    TaskFactory(title="Ведёт А", lead_agency=agency_a)
    TaskFactory(title="Помогает А", lead_agency=agency_b, co_executors=[agency_a])
    TaskFactory(title="Только Б", lead_agency=agency_b)
    client.force_login(secretariat)

    response = client.get(reverse("workplan:task_list"), {"agency": agency_a.pk})

    assert sorted(_titles(response)) == ["Ведёт А", "Помогает А"]


def test_task_list_filters_by_event_status_people_and_dates(client, secretariat, staff_a):
    forum, session = EventFactory(), EventFactory(kind="commission")
    TaskFactory(title="Нужная", event=forum, status="in_progress", responsible=staff_a, deadline=dt.date(2026, 9, 15))
    TaskFactory(title="Другое событие", event=session, status="in_progress", responsible=staff_a)
    TaskFactory(title="Другой статус", event=forum, status="assigned", responsible=staff_a)
    TaskFactory(
        title="Поздний срок", event=forum, status="in_progress", responsible=staff_a, deadline=dt.date(2026, 11, 20)
    )
    client.force_login(secretariat)

    response = client.get(
        reverse("workplan:task_list"),
        {
            "event": forum.pk,
            "status": "in_progress",
            "responsible": staff_a.pk,
            "due_from": "2026-09-01",
            "due_to": "2026-10-01",
        },
    )

    assert _titles(response) == ["Нужная"]


def test_task_list_due_range_reversed_shows_error(client, secretariat):
    TaskFactory(title="Любая")
    client.force_login(secretariat)

    response = client.get(reverse("workplan:task_list"), {"due_from": "2026-10-01", "due_to": "2026-09-01"})

    assert response.context["filter_form"].errors["due_to"] == ["“Due to” cannot be before “Due from”."]
    assert _titles(response) == ["Любая"]


def test_task_list_sorts_by_title_and_unknown_sort_falls_back(client, secretariat):
    TaskFactory(title="Б", deadline=dt.date(2026, 9, 20))
    TaskFactory(title="А", deadline=dt.date(2026, 9, 25))
    client.force_login(secretariat)

    assert _titles(client.get(reverse("workplan:task_list"), {"sort": "title"})) == ["А", "Б"]
    assert _titles(client.get(reverse("workplan:task_list"), {"sort": "-deadline"})) == ["А", "Б"]
    assert _titles(client.get(reverse("workplan:task_list"), {"sort": "password"})) == ["Б", "А"]


def test_task_list_paginates_fifty_and_keeps_filters_in_links(client, secretariat):
    event = EventFactory()
    TaskFactory.create_batch(55, event=event)
    client.force_login(secretariat)

    first = client.get(reverse("workplan:task_list"), {"event": event.pk})
    second = client.get(reverse("workplan:task_list"), {"event": event.pk, "page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 5
    assert first.context["page"].paginator.count == 55
    assert f"?event={event.pk}&amp;page=2" in first.content.decode()


def test_task_list_requires_login(client):
    response = client.get(reverse("workplan:task_list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _make_tasks(count: int, agency) -> None:
    co = AgencyFactory()
    for _ in range(count):
        TaskFactory(lead_agency=agency, co_executors=[co])


@pytest.mark.parametrize("count", [1, 30])
def test_task_list_query_count_secretariat_is_constant(client, secretariat, agency_a, count, django_assert_num_queries):
    _make_tasks(count, agency_a)
    client.force_login(secretariat)

    # a cold cache: session read, user, the viewer's agencies, lead agencies and people (read once for both
    # forms), events, count, page, the rows' tasks, their co-executors, the names the rows show (one query, once
    # per names version), and the session's refresh (a savepoint, the update, its release)
    with django_assert_num_queries(14 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("workplan:task_list"))

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_task_list_query_count_ministry_is_constant(client, staff_a, agency_a, count, django_assert_num_queries):
    _make_tasks(count, agency_a)
    client.force_login(staff_a)

    # as above (the bulk form is the secretariat's; the navbar's agency comes with the user)
    with django_assert_num_queries(14 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("workplan:task_list"))

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_task_list_page_never_asked_costs_four_queries_with_rows_cached(
    client, secretariat, agency_a, count, django_assert_num_queries
):
    _make_tasks(count, agency_a)
    client.force_login(secretariat)
    client.get(reverse("workplan:task_list"), {"sort": "title"})

    # a sort nobody asked before (no cached page): session, user, count, page — forms and rows from the cache
    with django_assert_num_queries(4 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("workplan:task_list"), {"sort": "-title"})

    assert len(response.context["rows"]) == count


def test_task_list_write_renders_only_the_changed_row_again(client, secretariat, agency_a, django_assert_num_queries):
    first, second = TaskFactory(title="Первая", lead_agency=agency_a), TaskFactory(title="Вторая", lead_agency=agency_a)
    client.force_login(secretariat)
    client.get(reverse("workplan:task_list"))
    with time_machine.travel(TODAY + dt.timedelta(seconds=1), tick=False):  # the clock moves between requests
        services.task_update(actor=secretariat, task=first, title="Первая, исправленная")

    # session, user, the viewer's choice lists again (a write may change what a viewer is offered: agencies, lead
    # agencies, people, events), count, page, then the one changed task and its co-executors
    with django_assert_num_queries(10 + 1) as captured:  # + 1: the menu's unread count
        response = client.get(reverse("workplan:task_list"), {"sort": "title"})

    assert captured.captured_queries[8]["sql"].count(f"IN ({first.pk})") == 1
    assert _titles(response) == ["Вторая", "Первая, исправленная"]
    assert "Первая, исправленная" in response.content.decode()
    assert second.pk != first.pk


def test_task_list_agency_renamed_shows_in_cached_rows(client, secretariat, agency_a):
    TaskFactory(title="Любая", lead_agency=agency_a)
    client.force_login(secretariat)
    client.get(reverse("workplan:task_list"))
    agency_a.short_name = "Минтранс (новое имя)"
    agency_a.save()

    response = client.get(reverse("workplan:task_list"), {"sort": "title"})

    assert '<td class="cell-lead" data-label="Lead executor">Минтранс (новое имя)</td>' in response.content.decode()


def test_bulk_reassign_changes_lead_and_responsible(client, secretariat, agency_a, agency_b, staff_b):
    one, two = TaskFactory(lead_agency=agency_a), TaskFactory(lead_agency=agency_a)
    untouched = TaskFactory(lead_agency=agency_a)
    client.force_login(secretariat)

    response = client.post(
        reverse("workplan:task_bulk"),
        {
            "action": "reassign",
            "id": [one.pk, two.pk],
            "new_lead_agency": agency_b.pk,
            "new_responsible": staff_b.pk,
            "next": "/tasks/?q=x",
            "confirm": "yes",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/tasks/?q=x"
    assert list(Task.objects.filter(pk__in=[one.pk, two.pk]).values_list("lead_agency", "responsible")) == [
        (agency_b.pk, staff_b.pk),
        (agency_b.pk, staff_b.pk),
    ]
    untouched.refresh_from_db()
    assert untouched.lead_agency == agency_a


def test_bulk_reassign_is_all_or_nothing(client, secretariat, agency_a, agency_b):
    fine = TaskFactory(lead_agency=agency_a)
    clash = TaskFactory(lead_agency=agency_a, co_executors=[agency_b])
    client.force_login(secretariat)

    client.post(
        reverse("workplan:task_bulk"), {"action": "reassign", "id": [fine.pk, clash.pk], "new_lead_agency": agency_b.pk}
    )

    assert set(Task.objects.values_list("lead_agency", flat=True)) == {agency_a.pk}


def test_bulk_shift_moves_deadlines_with_reason(client, secretariat):
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    fixed = TaskFactory(event=event, deadline=dt.date(2026, 9, 14))  # a Monday
    relative = TaskFactory(
        event=event, deadline=dt.date(2026, 10, 26), deadline_anchor="start", deadline_offset_days=-45
    )
    client.force_login(secretariat)

    client.post(
        reverse("workplan:task_bulk"),
        {
            "action": "shift",
            "id": [fixed.pk, relative.pk],
            "days": 7,
            "reason": "Перенос заседания МПК",
            "confirm": "yes",
        },
    )

    fixed.refresh_from_db()
    relative.refresh_from_db()
    assert fixed.deadline == dt.date(2026, 9, 21)
    assert relative.deadline_offset_days == -38
    assert relative.deadline == dt.date(2026, 11, 2)
    assert fixed.history.first().history_change_reason == "Перенос заседания МПК"
    assert TaskComment.objects.filter(task=fixed).get().text.endswith("Перенос заседания МПК")


def test_bulk_shift_without_reason_changes_nothing(client, secretariat):
    task = TaskFactory(deadline=dt.date(2026, 9, 14))
    client.force_login(secretariat)

    response = client.post(reverse("workplan:task_bulk"), {"action": "shift", "id": [task.pk], "days": 7}, follow=True)

    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 9, 14)
    assert [str(m) for m in response.context["messages"]] == ["Give the reason for moving the deadlines."]


def test_bulk_actions_forbidden_to_ministry(client, staff_a, agency_a, agency_b):
    task = TaskFactory(lead_agency=agency_a)
    client.force_login(staff_a)

    response = client.post(
        reverse("workplan:task_bulk"), {"action": "reassign", "id": [task.pk], "new_lead_agency": agency_b.pk}
    )

    assert response.status_code == 403
    task.refresh_from_db()
    assert task.lead_agency == agency_a


# --- The filter lists offer only what the reader may see -------------------------------------------


def test_filter_lists_offer_a_ministry_only_agencies_and_people_it_may_see(
    client, secretariat, staff_a, agency_a, agency_b, staff_b
):
    partner = AgencyFactory(short_name="Минтранс Омской обл.")
    stranger = AgencyFactory(short_name="Чужое ведомство")
    outsider = UserFactory(username="outsider", last_name="Посторонний", agency=stranger)
    TaskFactory(title="Своя", lead_agency=agency_a, co_executors=[partner], responsible=staff_a, controller=secretariat)
    TaskFactory(title="Чужая", lead_agency=stranger, co_executors=[agency_b], responsible=outsider)
    client.force_login(secretariat)
    everything = client.get(reverse("workplan:task_list")).content.decode()  # fills the cache first
    client.force_login(staff_a)

    html = client.get(reverse("workplan:task_list")).content.decode()

    for name in ("Чужое ведомство", "Посторонний", str(staff_b), "Акимат Павлодарской обл."):
        assert name in everything
        assert name not in html
    for name in ("МИД России ДСФ", "Минтранс Омской обл.", str(staff_a), str(secretariat)):
        assert name in html


def test_filter_by_an_agency_the_ministry_may_not_see_is_refused(client, staff_a, agency_a, agency_b):
    TaskFactory(title="Своя", lead_agency=agency_a)
    client.force_login(staff_a)

    response = client.get(reverse("workplan:task_list"), {"agency": agency_b.pk})

    assert "Select a valid choice." in response.content.decode()
    assert _titles(response) == ["Своя"]


def test_filter_applied_from_the_form_is_remembered_for_the_person(client, staff_a, agency_a):
    TaskFactory(title="Любая", lead_agency=agency_a, area="education")
    client.force_login(staff_a)

    applied = client.get(
        reverse("workplan:task_list"), {"remember": "1", "q": "", "area": "education", "sort": "deadline"}
    )

    assert applied.status_code == 302
    assert applied["Location"] == "/tasks/?area=education"
    staff_a.refresh_from_db()
    assert staff_a.ui_state == {"plan_filters": "area=education"}
    again = client.get(reverse("workplan:task_list"))
    assert (again.status_code, again["Location"]) == (302, "/tasks/?area=education")


def test_a_link_with_a_filter_leaves_the_remembered_one_alone(client, staff_a, agency_a):
    TaskFactory(title="Любая", lead_agency=agency_a)
    client.force_login(staff_a)
    client.get(reverse("workplan:task_list"), {"remember": "1", "area": "education"})

    response = client.get(reverse("workplan:task_list"), {"overdue": "1"})

    assert response.status_code == 200
    staff_a.refresh_from_db()
    assert staff_a.ui_state == {"plan_filters": "area=education"}


def test_reset_forgets_the_remembered_filter(client, staff_a, agency_a):
    TaskFactory(title="Любая", lead_agency=agency_a)
    client.force_login(staff_a)
    client.get(reverse("workplan:task_list"), {"remember": "1", "area": "education"})

    reset = client.get(reverse("workplan:task_list"), {"reset": "1"})

    assert (reset.status_code, reset["Location"]) == (302, "/tasks/")
    staff_a.refresh_from_db()
    assert staff_a.ui_state == {}
    assert _titles(client.get(reverse("workplan:task_list"))) == ["Любая"]


def test_invalid_filter_is_not_remembered(client, staff_a, agency_a, agency_b):
    client.force_login(staff_a)

    response = client.get(reverse("workplan:task_list"), {"remember": "1", "agency": agency_b.pk})

    assert response.status_code == 200
    staff_a.refresh_from_db()
    assert staff_a.ui_state == {}


def test_filter_panel_state_is_the_persons_own_and_put_in_the_cached_page(client, staff_a, head_a, agency_a):
    TaskFactory(title="Любая", lead_agency=agency_a)
    client.force_login(staff_a)
    assert 'id="plan-filters" data-panel-url="/tasks/filters/panel/">' in client.get("/tasks/").content.decode()

    assert client.post(reverse("workplan:filter_panel"), {"open": "1"}).status_code == 204

    staff_a.refresh_from_db()
    assert staff_a.ui_state == {"plan_filters_open": True}
    assert 'data-panel-url="/tasks/filters/panel/" open>' in client.get("/tasks/").content.decode()
    client.force_login(head_a)  # the same agency, the same cached page: the panel stays closed for them
    assert 'data-panel-url="/tasks/filters/panel/">' in client.get("/tasks/").content.decode()
    client.force_login(staff_a)
    client.post(reverse("workplan:filter_panel"), {"open": "0"})
    staff_a.refresh_from_db()
    assert staff_a.ui_state == {}


@pytest.mark.parametrize("count", [1, 30])
def test_task_list_query_count_with_a_remembered_filter_is_constant(
    client, staff_a, agency_a, count, django_assert_num_queries
):
    _make_tasks(count, agency_a)
    client.force_login(staff_a)
    applied = client.get(reverse("workplan:task_list"), {"remember": "1", "sort": "title"})
    client.get(applied["Location"])  # the remembered page, rendered once: forms and rows in the cache
    staff_a.refresh_from_db()
    assert staff_a.ui_state == {"plan_filters": "sort=title"}

    # the person's remembered filter and panel state come with the user: nothing more than an unfiltered page
    with django_assert_num_queries(4 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("workplan:task_list"), {"sort": "-title"})

    assert len(response.context["rows"]) == count
