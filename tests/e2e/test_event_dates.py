"""Browser path of an event's new dates: the event page → Change the dates → the preview → Apply → the programme
and the deadlines moved. Screenshots at 1440 and 390 px wide go to var/screenshots/."""

import datetime as dt

import pytest

from omskevents.calendars.services import calendar_seed
from omskevents.events.models import Event, ProgrammeItem
from omskevents.workplan.models import Task
from tests.e2e.conftest import SCREENSHOTS, login
from tests.factories.committee import MeetingFactory
from tests.factories.events import EventFactory, ProgrammeItemFactory
from tests.factories.workplan import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def _shots(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_secretary_moves_the_forum_after_seeing_what_moves(page, secretariat, agency_a):
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    forum = EventFactory(number="XXII", short_title="XXII Форум", title_ru="XXII Форум межрегионального сотрудничества",
                         start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))  # fmt: skip
    opening = ProgrammeItemFactory(event=forum, title="Пленарное заседание",
                                   starts_at=dt.datetime(2026, 12, 10, 4, tzinfo=dt.UTC),
                                   ends_at=dt.datetime(2026, 12, 10, 6, tzinfo=dt.UTC))  # fmt: skip
    visit = ProgrammeItemFactory(event=forum, title="Посещение речного порта",
                                 starts_at=dt.datetime(2026, 12, 11, 8, tzinfo=dt.UTC),
                                 ends_at=dt.datetime(2026, 12, 11, 10, tzinfo=dt.UTC))  # fmt: skip
    task = TaskFactory(event=forum, number="1", title="Согласовать программу", lead_agency=agency_a,
                       deadline=dt.date(2026, 11, 26), deadline_anchor="start", deadline_offset_days=-14)  # fmt: skip
    MeetingFactory(event=forum, title="О готовности к Форуму", starts_at=dt.datetime(2026, 12, 1, 5, tzinfo=dt.UTC))
    login(page, "sec", PASSWORD)

    page.goto(f"/events/{forum.pk}/")
    page.click("a.event-change-dates")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=start_date]", "2026-12-17")
    page.fill("input[name=end_date]", "2026-12-18")
    page.click("form.dates-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    programme = page.locator("[data-section=programme] tr.dates-preview-change")
    assert programme.count() == 2
    assert page.locator("[data-section=programme] td.dates-preview-new").all_inner_texts() == [
        "17.12.2026 10:00",
        "18.12.2026 14:00",
    ]
    assert page.locator("[data-section=tasks] td.dates-preview-new").all_inner_texts() == ["03.12.2026"]
    assert page.locator("[data-section=meetings] tr.dates-preview-change").count() == 1
    assert Event.objects.get(pk=forum.pk).start_date == dt.date(2026, 12, 10)
    _shots(page, "event-dates-preview")

    page.click("form.dates-apply-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/events/{forum.pk}/")
    assert "17.12.2026–18.12.2026" in page.inner_text("main")
    assert ProgrammeItem.objects.get(pk=opening.pk).starts_at == dt.datetime(2026, 12, 17, 4, tzinfo=dt.UTC)
    assert ProgrammeItem.objects.get(pk=visit.pk).starts_at == dt.datetime(2026, 12, 18, 8, tzinfo=dt.UTC)
    assert Task.objects.get(pk=task.pk).deadline == dt.date(2026, 12, 3)
    _shots(page, "event-dates-applied")
