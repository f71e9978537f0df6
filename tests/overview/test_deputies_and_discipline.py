"""The dashboard's sections of this round: who is away today (for the secretariats) and the discipline report
downloaded for a period (the form validated, the workbook over the viewer's tasks)."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from omskevents.accounts.models import Absence
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 13, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def away(staff_a, head_a, staff_b):
    colleague_b = UserFactory(username="colleague_b", agency=staff_b.agency, last_name="Ахметов", first_name="Ерлан")
    Absence.objects.create(person=staff_a, deputy=head_a, start=dt.date(2026, 5, 11), end=dt.date(2026, 5, 22))
    Absence.objects.create(
        person=staff_b, deputy=colleague_b, start=dt.date(2026, 5, 13), end=dt.date(2026, 5, 13), reason="sick_leave"
    )
    Absence.objects.create(person=head_a, deputy=staff_a, start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 5))
    return colleague_b


def _away_section(client, user) -> str | None:
    client.force_login(user)
    html = client.get(reverse("dashboard:home")).content.decode()
    start = html.find('id="away"')
    return None if start < 0 else html[start : html.find("</section>", start)]


def test_the_secretariat_sees_who_is_away_today_and_who_replaces_them(client, secretariat, staff_a, head_a, away):
    section = _away_section(client, secretariat)
    assert section is not None
    assert "Сегодня отсутствуют" in section
    assert str(staff_a) in section
    assert str(head_a) in section
    assert "22.05.2026" in section
    assert "Ахметов Ерлан" in section
    assert "Больничный" in section
    assert section.count("<tr>") == 1 + 2  # the header and today's two: head A's absence in June is not today's


def test_the_kazakh_secretariat_sees_its_side_only(client, kz_secretariat, staff_a, away):
    section = _away_section(client, kz_secretariat)
    assert section is not None
    assert "Ахметов Ерлан" in section
    assert str(staff_a) not in section


def test_agency_people_see_no_such_section(client, staff_a, head_a, away):
    assert _away_section(client, staff_a) is None
    assert _away_section(client, head_a) is None


@pytest.fixture
def plan(agency_a, agency_b):
    forum = EventFactory(short_title="Форум XXII")
    TaskFactory(event=forum, lead_agency=agency_a, deadline=dt.date(2026, 5, 6))
    TaskFactory(event=forum, lead_agency=agency_b, deadline=dt.date(2026, 5, 8), status="accepted")
    return forum


def _book(response) -> openpyxl.Workbook:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )


def test_the_download_covers_the_period_and_the_viewers_tasks(client, secretariat, staff_a, plan):
    client.force_login(secretariat)
    response = client.get(reverse("dashboard:discipline"), {"date_from": "2026-05-01", "date_to": "2026-05-31"})
    assert response["Content-Disposition"] == 'attachment; filename="discipline-2026-05-01-2026-05-31.xlsx"'
    sheet = _book(response)["Форум XXII"]
    names = sorted(
        [staff_a.agency.short_name, plan.tasks.exclude(lead_agency=staff_a.agency).get().lead_agency.short_name]
    )
    assert [sheet["A5"].value, sheet["A6"].value, sheet["A7"].value] == [*names, "Итого"]
    client.force_login(staff_a)
    mine = _book(client.get(reverse("dashboard:discipline"), {"date_to": "2026-05-31"}))["Форум XXII"]
    assert [mine["A5"].value, mine["B5"].value, mine["D5"].value, mine["A6"].value] == [
        staff_a.agency.short_name,
        1,
        1,
        "Итого",
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_to": ""}, "date_to", "Укажите последний день периода."),
        ({"date_to": "2026-13-45"}, "date_to", "Введите правильную дату."),
        ({"date_to": "<script>alert(1)</script>"}, "date_to", "Введите правильную дату."),
        (
            {"date_from": "2026-06-01", "date_to": "2026-05-01"},
            "date_to",
            "Период не может закончиться раньше, чем начнётся.",
        ),
        ({"date_from": "2020-01-01", "date_to": "2026-05-01"}, "date_from", "Период может быть не длиннее трёх лет."),
        ({"date_to": "1900-01-01"}, "date_to", "Укажите дату между 2000 и 2100 годом."),
        ({"date_to": "9999-12-31"}, "date_to", "Укажите дату между 2000 и 2100 годом."),
    ],
)
def test_a_bad_period_answers_400_with_a_russian_message(client, staff_a, query, field, message):
    client.force_login(staff_a)
    response = client.get(reverse("dashboard:discipline"), query)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]


def test_without_a_period_the_form_is_shown(client, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("dashboard:discipline"))
    assert response.status_code == 200
    assert 'value="2026-05-13"' in response.content.decode()
