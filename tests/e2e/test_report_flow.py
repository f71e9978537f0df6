"""The secretariat's day in the browser: dashboard → filter the plan → a ministry reports with a file →
the secretariat accepts → the dashboard's readiness changes."""

import datetime as dt

import pytest

from omskevents.workplan.models import Attachment, Task
from tests.e2e.conftest import login
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _overall_readiness(page) -> str:
    page.goto("/")
    page.wait_for_load_state("networkidle")
    return page.locator(".event-card progress").first.get_attribute("value")


def _log_out(page) -> None:
    page.click("nav form[action='/accounts/logout/'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_report_with_a_file_then_acceptance_moves_the_dashboard(page, staff_a, secretariat, agency_a, tmp_path):
    today = dt.date.today()  # the live server runs on the real clock
    event = EventFactory(
        short_title="XXII Форум",
        title_ru="XXII Форум межрегионального сотрудничества",
        start_date=today + dt.timedelta(days=40),
        end_date=today + dt.timedelta(days=41),
    )
    target = TaskFactory(
        event=event, title="Подготовить речной причал", lead_agency=agency_a, deadline=today + dt.timedelta(days=20)
    )
    TaskFactory(event=event, title="Аккредитация прессы", lead_agency=agency_a, deadline=today + dt.timedelta(days=25))
    report_file = tmp_path / "справка о готовности.pdf"
    report_file.write_bytes(PDF)

    login(page, "staff_a", "correct horse battery staple")
    assert _overall_readiness(page) == "0"

    page.goto("/tasks/")
    page.fill("form.task-filters input[name=q]", "причал")
    page.click("form.task-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    rows = page.locator("tr.task-row")
    assert rows.count() == 1
    page.click(f"tr.task-row a[href='/tasks/{target.pk}/']")
    page.wait_for_load_state("networkidle")

    report_form = f"form[action='/tasks/{target.pk}/report/']"
    page.fill(f"{report_form} textarea[name=text]", "Причал отремонтирован, акт приёмки приложен.")
    page.set_input_files(f"{report_form} input[name=files]", str(report_file))
    page.click(f"{report_form} button[name=is_final][value=on]")  # "Отправить отчёт о выполнении"
    page.wait_for_load_state("networkidle")

    target.refresh_from_db()
    assert target.status == "reported"
    attachment = Attachment.objects.get(report__task=target)
    assert attachment.original_name == "справка_о_готовности.pdf"  # a safe file name: spaces become "_"
    assert page.locator(f"a[href='/tasks/files/{attachment.pk}/']").count() == 1
    _log_out(page)

    login(page, "sec", "correct horse battery staple")
    page.goto(f"/tasks/{target.pk}/")
    page.click(f"form[action='/tasks/{target.pk}/status/'] button[name=status][value=accepted]")
    page.wait_for_load_state("networkidle")

    assert Task.objects.get(pk=target.pk).status == "accepted"
    assert _overall_readiness(page) == "50"
