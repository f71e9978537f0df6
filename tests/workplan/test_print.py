"""Print pages: the plan as filtered, a task's card, the dashboard — clean A4 sheets with the "as of" line, the same
visibility as the pages they print."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _ru(client, user, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    client.force_login(user)
    return client


def test_plan_print_follows_the_filter_and_the_scope(client, staff_a, agency_a, agency_b, settings):
    TaskFactory(title="Своё просроченное", lead_agency=agency_a, deadline=dt.date(2026, 8, 1), responsible=staff_a)
    TaskFactory(title="Своё в срок", lead_agency=agency_a, deadline=dt.date(2026, 10, 1))
    TaskFactory(title="Чужое просроченное", lead_agency=agency_b, deadline=dt.date(2026, 8, 1))

    html = _ru(client, staff_a, settings).get(reverse("workplan:task_list_print"), {"overdue": "1"}).content.decode()

    assert "Своё просроченное" in html
    assert "Своё в срок" not in html
    assert "Чужое просроченное" not in html
    assert "По состоянию на 01.09.2026 15:00 (Омск)" in html
    assert "1 поручение" in html
    assert staff_a.get_full_name() in html
    assert 'class="print-landscape print-plan"' in html
    assert "<script>" not in html  # the strict CSP: the print button is wired by static/js/print.js


def test_plan_print_counts_tasks_in_russian(client, secretariat, settings):
    TaskFactory.create_batch(3)

    html = _ru(client, secretariat, settings).get(reverse("workplan:task_list_print")).content.decode()

    assert "3 поручения" in html


def test_task_print_card_is_404_for_a_task_out_of_sight(client, staff_b, agency_a, settings):
    task = TaskFactory(lead_agency=agency_a)

    assert _ru(client, staff_b, settings).get(reverse("workplan:task_print", args=[task.pk])).status_code == 404


def test_task_print_card_shows_the_task(client, staff_a, agency_a, settings):
    task = TaskFactory(lead_agency=agency_a, title="Подготовить причал", description="Причал у Речного вокзала")

    html = _ru(client, staff_a, settings).get(reverse("workplan:task_print", args=[task.pk])).content.decode()

    assert "Подготовить причал" in html
    assert "Причал у Речного вокзала" in html
    assert "Ответственное лицо" in html


def test_dashboard_print_is_the_dashboard_on_a_sheet(client, secretariat, settings):
    TaskFactory(title="Задача для сводки")

    html = _ru(client, secretariat, settings).get(reverse("dashboard:home"), {"print": "1"}).content.decode()

    assert "Готовность мероприятий" in html
    assert "По состоянию на" in html
    assert 'class="print-dashboard"' in html
    assert "navbar" not in html


def test_task_page_says_the_next_step_for_each_role(client, staff_a, secretariat, agency_a, settings):
    task = TaskFactory(lead_agency=agency_a, status="reported")
    from tests.factories.workplan import ProgressReportFactory

    ProgressReportFactory(task=task, author=staff_a, is_final=True)

    executor_page = _ru(client, staff_a, settings).get(task.get_absolute_url()).content.decode()
    controller_page = _ru(client, secretariat, settings).get(task.get_absolute_url()).content.decode()

    assert "Следующий шаг:" in executor_page
    assert "Отчёт отправлен: его проверяет секретариат." in executor_page
    assert "Проверьте отчёт: примите его и снимите поручение с контроля или верните на доработку." in controller_page
    assert ">Принять и снять с контроля</button>" in controller_page
    assert ">Вернуть на доработку</button>" in controller_page
    assert "Представлен отчёт</button>" not in controller_page


def test_report_of_completion_is_one_button_of_the_report_form(client, staff_a, agency_a, settings):
    task = TaskFactory(lead_agency=agency_a, status="in_progress")
    page = _ru(client, staff_a, settings).get(task.get_absolute_url()).content.decode()

    assert ">Отправить отчёт о выполнении</button>" in page
    assert 'name="status" value="reported"' not in page

    client.post(reverse("workplan:task_report", args=[task.pk]), {"text": "Причал готов", "is_final": "on"})
    task.refresh_from_db()
    assert task.status == "reported"
