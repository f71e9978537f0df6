"""The workspace in the browser at desk and phone widths: a meeting cancelled through its confirmation page and
restored within the undo window, the task page's next step and verbs, the plan's print page."""

import datetime as dt
from pathlib import Path

import pytest

from omskevents.committee.models import Meeting
from tests.e2e.conftest import SCREENSHOTS, login
from tests.factories.accounts import UserFactory
from tests.factories.committee import AttendanceFactory, MeetingFactory
from tests.factories.workplan import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"desk": (1440, 900), "phone": (390, 844)}


def _shot(page, name: str) -> None:
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        path = Path(SCREENSHOTS) / f"workspace-{name}-{label}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_meeting_cancel_asks_then_can_be_undone(page, secretariat):
    meeting = MeetingFactory(starts_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=5))
    for name, address in (("Соколова", "sokolova"), ("Ахметова", "akhmetova")):
        AttendanceFactory(meeting=meeting, user=UserFactory(last_name=name, email=f"{address}@example.org"))
    login(page, "sec", "correct horse battery staple")

    page.goto(meeting.get_absolute_url())
    page.click("text=Отменить заседание…")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Отменить:")
    assert "Письмо получат 2 человека:" in page.locator(".confirm-mail").inner_text()
    _shot(page, "confirm-cancel")
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"

    with page.expect_navigation():
        page.click("button[name=confirm]")
    assert Meeting.objects.get(pk=meeting.pk).status == "cancelled"
    page.click(".undo-box button")
    page.wait_for_load_state("networkidle")
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"


def test_task_page_and_plan_print(page, secretariat, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="assigned", title="Подготовить причал на Иртыше")
    TaskFactory.create_batch(4, lead_agency=agency_a)
    login(page, "sec", "correct horse battery staple")

    page.goto(task.get_absolute_url())
    assert "Следующий шаг:" in page.locator(".next-step").inner_text()
    _shot(page, "task")

    page.goto("/tasks/print/")
    page.wait_for_load_state("networkidle")
    assert "5 поручений" in page.locator(".print-asof").inner_text()
    _shot(page, "plan-print")
