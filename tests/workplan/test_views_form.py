"""Creating and editing tasks (the secretariat's forms) and the people search behind the responsible field."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from omskevents.calendars.services import calendar_seed
from omskevents.workplan.models import Task
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock_and_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def calendar():
    calendar_seed(countries=["RU", "KZ"], years=[2026])


@pytest.fixture
def forum():
    return EventFactory(kind="forum", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))


def _form(event, agency, **overrides):
    data = {
        "event": event.pk,
        "number": "2.1",
        "area": "irtysh_logistics",
        "title": "Организовать речную прогулку",
        "lead_agency": agency.pk,
        "deadline_mode": "fixed",
        "deadline": "2026-10-06",
        "relative_anchor": "start",
        "priority": "normal",
    }
    data.update(overrides)
    return data


def test_create_task_with_fixed_date(client, secretariat, agency_a, agency_b, staff_a, forum):
    client.force_login(secretariat)

    response = client.post(
        reverse("workplan:task_create"),
        _form(forum, agency_a, co_executors=[agency_b.pk], responsible=staff_a.pk),
    )

    task = Task.objects.get()
    assert response.status_code == 302
    assert response["Location"] == task.get_absolute_url()
    assert (task.title, task.deadline, task.lead_agency, task.responsible, task.controller, task.created_by) == (
        "Организовать речную прогулку",
        dt.date(2026, 10, 6),
        agency_a,
        staff_a,
        secretariat,
        secretariat,
    )
    assert list(task.co_executors.all()) == [agency_b]


def test_create_task_relative_to_the_forum(client, secretariat, agency_a, forum):
    client.force_login(secretariat)

    client.post(
        reverse("workplan:task_create"),
        _form(forum, agency_a, deadline_mode="relative", deadline="", days_before="45", relative_anchor="start"),
    )

    task = Task.objects.get()
    assert (task.deadline_anchor, task.deadline_offset_days, task.deadline) == ("start", -45, dt.date(2026, 10, 26))


def test_create_task_on_a_holiday_moves_deadline_with_note_and_message(client, secretariat, agency_a, forum, calendar):
    client.force_login(secretariat)

    # 4 November is National Unity Day in Russia; 5 November is a Thursday.
    response = client.post(reverse("workplan:task_create"), _form(forum, agency_a, deadline="2026-11-04"), follow=True)

    task = Task.objects.get()
    note = "Moved from 11/04/2026 (a non-working day in Russia) to the next working day."
    assert task.deadline == dt.date(2026, 11, 5)
    assert task.deadline_note == note
    assert note in [str(m) for m in response.context["messages"]]
    assert note in response.content.decode()


def test_create_task_for_kazakh_agency_uses_kazakh_calendar(client, secretariat, agency_a, agency_b, forum, calendar):
    client.force_login(secretariat)

    # Republic Day falls on Sunday 25 October 2026 in Kazakhstan; Monday 26th is its day off. Russia works.
    client.post(reverse("workplan:task_create"), _form(forum, agency_b, number="1", deadline="2026-10-26"))
    client.post(reverse("workplan:task_create"), _form(forum, agency_a, number="2", deadline="2026-10-26"))

    assert list(Task.objects.order_by("number").values_list("deadline", flat=True)) == [
        dt.date(2026, 10, 27),
        dt.date(2026, 10, 26),
    ]


def test_create_task_missing_fields_shows_translated_messages(client, secretariat, forum):
    client.force_login(secretariat)

    response = client.post(reverse("workplan:task_create"), {"deadline_mode": "fixed", "event": forum.pk})

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["title"] == ["Write what must be done."]
    assert errors["lead_agency"] == ["Choose the lead executor."]
    assert errors["deadline"] == ["Give a deadline."]
    assert Task.objects.count() == 0


def test_create_task_relative_without_days_is_refused(client, secretariat, agency_a, forum):
    client.force_login(secretariat)

    response = client.post(
        reverse("workplan:task_create"), _form(forum, agency_a, deadline_mode="relative", deadline="", days_before="")
    )

    assert response.context["form"].errors["days_before"] == ["Give the number of days before the event."]
    assert Task.objects.count() == 0


def test_create_task_lead_also_co_executor_is_refused(client, secretariat, agency_a, forum):
    client.force_login(secretariat)

    response = client.post(reverse("workplan:task_create"), _form(forum, agency_a, co_executors=[agency_a.pk]))

    assert response.context["form"].errors["co_executors"] == ["The lead executor cannot also be a co-executor."]
    assert Task.objects.count() == 0


def test_create_task_after_the_event_needs_follow_up(client, secretariat, agency_a, forum):
    client.force_login(secretariat)

    response = client.post(reverse("workplan:task_create"), _form(forum, agency_a, deadline="2026-12-21"))

    assert response.context["form"].errors["deadline"] == [
        "The deadline is after the event ends (11.12.2026). Mark the task as a post-event follow-up to allow it."
    ]
    assert Task.objects.count() == 0


def test_create_page_forbidden_to_ministry(client, staff_a, agency_a, forum):
    client.force_login(staff_a)

    assert client.get(reverse("workplan:task_create")).status_code == 403
    assert client.post(reverse("workplan:task_create"), _form(forum, agency_a)).status_code == 403
    assert Task.objects.count() == 0


def test_edit_task_switches_to_relative_deadline(client, secretariat, agency_a, forum):
    task = TaskFactory(event=forum, lead_agency=agency_a, deadline=dt.date(2026, 10, 1), title="Старое")
    client.force_login(secretariat)

    page = client.get(reverse("workplan:task_update", args=[task.pk]))
    response = client.post(
        reverse("workplan:task_update", args=[task.pk]),
        _form(
            forum,
            agency_a,
            title="Новое",
            deadline_mode="relative",
            deadline="",
            days_before="30",
            relative_anchor="start",
        ),
    )

    assert page.context["form"]["deadline_mode"].value() == "fixed"
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.deadline_anchor, task.deadline_offset_days, task.deadline) == (
        "Новое",
        "start",
        -30,
        dt.date(2026, 11, 10),
    )


def test_edit_form_shows_relative_deadline_as_days_before(client, secretariat, agency_a, forum):
    task = TaskFactory(
        event=forum,
        lead_agency=agency_a,
        deadline=dt.date(2026, 10, 26),
        deadline_anchor="start",
        deadline_offset_days=-45,
    )
    client.force_login(secretariat)

    form = client.get(reverse("workplan:task_update", args=[task.pk])).context["form"]

    assert (form.initial["deadline_mode"], form.initial["days_before"], form.initial["relative_anchor"]) == (
        "relative",
        45,
        "start",
    )


def test_people_search_returns_matching_people(client, secretariat, agency_a):
    UserFactory(username="p1", last_name="Петрова", first_name="Анна", agency=agency_a)
    UserFactory(username="p2", last_name="Сидоров", first_name="Олег", agency=agency_a)
    client.force_login(secretariat)

    response = client.get(reverse("workplan:people_search"), {"q": "петр"})

    assert response.json() == {
        "results": [{"id": type(secretariat).objects.get(username="p1").pk, "text": "Петрова Анна (МИД России ДСФ)"}]
    }


def test_people_search_forbidden_to_ministry(client, staff_a):
    client.force_login(staff_a)

    assert client.get(reverse("workplan:people_search"), {"q": "a"}).status_code == 403


def test_the_deadline_is_named_once_in_the_form_and_its_hint_fits_every_event(client, settings, secretariat):
    """The fieldset is headed «Срок исполнения»; its choice and its date are not labelled so again, and the hint of the
    days names no event (the commission's tasks count from the session, not the Forum)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    client.force_login(secretariat)

    page = client.get(reverse("workplan:task_create")).content.decode()

    field = page.index('name="deadline_mode"')
    form = page[page.rindex("<form", 0, field) : page.index("</form>", field)]
    assert re.findall(r"<(legend|label)[^>]*>\s*Срок исполнения", form) == ["legend"]
    assert "Как задан срок" in form
    assert re.search(r"<label[^>]*>\s*Дата\b", form)
    assert "45 — за 45 дней, −3 — через 3 дня после." in form
    assert "Форума" not in form[form.index("Как задан срок") :]
