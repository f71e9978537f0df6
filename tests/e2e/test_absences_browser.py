"""In the browser: a person records their absence with a deputy; the secretariat's dashboard shows who is away
and who replaces them; the discipline report downloads from the dashboard. Screenshots at 1440 and 390 px."""

import datetime as dt
import io
import os
from pathlib import Path

import openpyxl
import pytest

from omskevents.accounts.models import Absence
from tests.e2e.conftest import login
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("OMSK_SHOTS_DIR", "var/screenshots"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_an_absence_recorded_in_the_browser_shows_on_the_secretariats_dashboard(page, staff_a, secretariat, agency_a):
    today = dt.date.today()  # the live server runs on the real clock
    UserFactory(username="deputy_a", agency=agency_a, last_name="Петров", first_name="Пётр", patronymic="Ильич")
    event = EventFactory(
        short_title="Форум XXII", start_date=today + dt.timedelta(days=60), end_date=today + dt.timedelta(days=61)
    )
    TaskFactory(event=event, lead_agency=agency_a, deadline=today - dt.timedelta(days=3))

    login(page, "staff_a", "correct horse battery staple")
    page.goto("/accounts/away/")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=start]", today.isoformat())
    page.fill("input[name=end]", (today + dt.timedelta(days=9)).isoformat())
    page.select_option("select[name=reason]", "business_trip")
    page.select_option("select[name=deputy]", label=f"Петров Пётр Ильич ({agency_a.short_name})")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Отсутствие записано").count() == 1
    _shot(page, "absence-own")
    absence = Absence.objects.get()
    assert (absence.person, absence.reason) == (staff_a, "business_trip")
    page.context.clear_cookies()

    login(page, "sec", "correct horse battery staple")
    page.goto("/")
    page.wait_for_load_state("networkidle")
    away = page.locator("#away")
    assert away.get_by_text(str(staff_a)).count() == 1
    assert away.get_by_text("Петров Пётр Ильич").count() == 1
    _shot(page, "dashboard-away")
    with page.expect_download() as download:
        page.click("form[action='/discipline/'] button[type=submit]")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    # A form whose answer is a file: Chromium reports the navigation it turned into a download as aborted.
    page.problems[:] = [p for p in page.problems if not ("/discipline/?" in p and p.endswith("net::ERR_ABORTED"))]
    assert download.value.suggested_filename == f"discipline-{today:%Y-%m-%d}.xlsx"
    assert book.sheetnames == ["Все мероприятия", "Форум XXII", "Диаграмма"]
    page.goto("/accounts/away/others/")
    page.wait_for_load_state("networkidle")
    _shot(page, "absence-manage")
