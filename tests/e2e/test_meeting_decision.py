import datetime as dt

import pytest

from omskevents.workplan.models import Task
from tests.e2e.conftest import login
from tests.factories.committee import MeetingFactory
from tests.factories.events import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_records_a_decision_and_makes_it_a_task(page, secretariat, agency_a):
    event = EventFactory(short_title="XXII Форум", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    meeting = MeetingFactory(number=3, starts_at=dt.datetime(2026, 12, 1, 5, tzinfo=dt.UTC))
    meeting.committee.events.add(event)
    login(page, "sec", "correct horse battery staple")

    page.goto("/meetings/")
    page.click(f"a[href='/meetings/{meeting.pk}/']")
    page.wait_for_load_state("networkidle")
    page.fill("textarea[name=decision-text]", "Организовать трансфер делегаций от речного вокзала")
    page.select_option("select[name=decision-lead_agency]", str(agency_a.pk))
    page.fill("input[name=decision-deadline]", "2026-12-03")
    page.click(f"form[action='/meetings/{meeting.pk}/decisions/'] button[type=submit]")
    page.wait_for_load_state("networkidle")

    page.click("button[name=decision]")
    page.wait_for_load_state("networkidle")

    task = Task.objects.get()
    assert (task.source, task.source_decision.meeting_id, task.lead_agency_id, task.deadline) == (
        "decision",
        meeting.pk,
        agency_a.pk,
        dt.date(2026, 12, 3),
    )
    assert page.locator(f"a[href='/tasks/{task.pk}/']").count() == 1
    assert page.locator("button[name=decision]").count() == 0

    # The other pages of the workspace render under the strict CSP without console errors.
    for path in ("/meetings/calendar/?month=2026-12", "/tasks/timeline/", "/agencies/", f"/events/{event.pk}/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").count() == 1
    page.goto(f"/meetings/{meeting.pk}/")  # the screenshot shows the meeting with its task
