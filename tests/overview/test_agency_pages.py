import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.workplan import TaskFactory
from tests.support.web import login_in_english as _login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_agency_list_for_the_secretariat_shows_every_agency_with_readiness(client, secretariat, agency_a, agency_b):
    TaskFactory(lead_agency=agency_a, status="accepted")
    TaskFactory(lead_agency=agency_a, status="in_progress")
    TaskFactory(lead_agency=agency_a, status="cancelled")
    TaskFactory(lead_agency=agency_b, co_executors=[agency_a])
    response = _login(client, secretariat).get(reverse("agencies:list"))
    rows = {
        agency.short_name: (readiness, agency.tasks_accepted, agency.tasks_counted, agency.tasks_co_executed)
        for agency, readiness in response.context["rows"]
    }
    assert rows == {"МИД России ДСФ": (50, 1, 2, 1), "Акимат Павлодарской обл.": (0, 0, 1, 0)}
    assert '<progress class="readiness" value="50" max="100"' in response.content.decode()


def test_agency_list_for_agency_staff_holds_only_their_agency(client, staff_a, agency_b):
    response = _login(client, staff_a).get(reverse("agencies:list"))
    assert [agency.short_name for agency, _ in response.context["rows"]] == ["МИД России ДСФ"]
    assert "Акимат Павлодарской обл." not in response.content.decode()


def test_agency_list_requires_login(client):
    assert client.get(reverse("agencies:list")).status_code == 302


def test_agency_detail_of_another_agency_is_404_for_agency_staff(client, staff_a, agency_b):
    assert _login(client, staff_a).get(agency_b.get_absolute_url()).status_code == 404


def test_agency_detail_for_staff_shows_tasks_but_not_people(client, staff_a, agency_a, agency_b):
    TaskFactory(title="Подготовить причал", lead_agency=agency_a)
    TaskFactory(title="Общая задача", lead_agency=agency_b, co_executors=[agency_a])
    content = _login(client, staff_a).get(agency_a.get_absolute_url()).content.decode()
    assert "Подготовить причал" in content
    assert "co-executor (lead: Акимат Павлодарской обл.)" in content
    assert 'id="people"' not in content


def test_agency_detail_for_the_head_shows_their_people(client, head_a, staff_a, agency_a):
    UserFactory(username="gone", agency=agency_a, is_active=False, last_name="Уволенный")
    response = _login(client, head_a).get(agency_a.get_absolute_url())
    assert sorted(p.username for p in response.context["people"]) == ["head_a", "staff_a"]
    assert "Уволенный" not in response.content.decode()


def test_agency_detail_for_the_secretariat_shows_people_and_all_tasks(client, secretariat, staff_a, agency_a):
    TaskFactory(title="Задача ведомства", lead_agency=agency_a, deadline=dt.date(2026, 1, 10))
    content = _login(client, secretariat).get(agency_a.get_absolute_url()).content.decode()
    assert staff_a.get_full_name() in content
    assert "Задача ведомства" in content
    assert 'class="task-row status-overdue"' in content


@pytest.mark.parametrize("count", [1, 20])
def test_agency_list_query_count_does_not_grow(client, secretariat, django_assert_num_queries, count):
    for n in range(count):
        agency = AgencyFactory(
            short_name=f"Министерство {n:02d}", parent=AgencyFactory(short_name=f"Правительство {n:02d}")
        )
        UserFactory(agency=agency)
        TaskFactory(lead_agency=agency, status="accepted")
    _login(client, secretariat)
    with django_assert_num_queries(7 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("agencies:list"))
    assert response.content.decode().count('class="agency-row"') == 2 * count


@pytest.mark.parametrize("count", [1, 20])
def test_agency_detail_query_count_does_not_grow(client, head_a, agency_a, django_assert_num_queries, count):
    for _ in range(count):
        UserFactory(agency=agency_a)
        TaskFactory(lead_agency=agency_a)
        TaskFactory(co_executors=[agency_a])
    _login(client, head_a)
    with django_assert_num_queries(8 + 1):  # + 1: the menu's unread count
        response = client.get(agency_a.get_absolute_url())
    assert response.content.decode().count('class="task-row') == 2 * count
