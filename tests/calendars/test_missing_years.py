"""A year missing from the working calendar raises an alarm: the selector, the system check, the admin banner."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.checks import WARNING, run_checks
from django.core.checks.registry import registry
from django.urls import reverse

from omskevents.calendars.checks import check_calendar_years
from omskevents.calendars.models import CalendarDay, CalendarSource
from omskevents.calendars.selectors import calendar_missing_years
from omskevents.calendars.services import calendar_seed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
UTC = dt.UTC
NOVEMBER = dt.date(2026, 11, 30)
DECEMBER = dt.date(2026, 12, 1)
BANNER = "The working calendar has no days for %s in %s: until the year is seeded"


def test_nothing_seeded_this_year_is_missing_for_both_countries():
    assert calendar_missing_years(today=NOVEMBER) == [(2026, "RU"), (2026, "KZ")]


def test_next_year_is_needed_only_from_december():
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    assert calendar_missing_years(today=NOVEMBER) == []
    assert calendar_missing_years(today=DECEMBER) == [(2027, "RU"), (2027, "KZ")]
    calendar_seed(countries=["KZ"], years=[2027])
    assert calendar_missing_years(today=DECEMBER) == [(2027, "RU")]


def test_one_row_entered_by_hand_makes_a_year_present():
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    CalendarDay.objects.create(country="RU", date=dt.date(2027, 1, 1), is_working=False, source=CalendarSource.DECREE)
    assert calendar_missing_years(today=DECEMBER) == [(2027, "KZ")]


def test_missing_year_is_read_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar_missing_years(today=DECEMBER)


def test_the_check_warns_per_missing_country_and_year():
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    assert check_calendar_years(today=NOVEMBER) == []
    warnings = check_calendar_years(today=DECEMBER)
    assert [(w.level, w.id, w.msg) for w in warnings] == [
        (
            WARNING,
            "calendars.W001",
            f"The working calendar has no days for {country} in 2027: deadlines and reminders in that year "
            "would count every Monday to Friday as a working day, holidays included.",
        )
        for country in ("RU", "KZ")
    ]
    assert warnings[0].hint == (
        "Seed it in the admin (Working calendar, 'Re-seed a year': 2027) and review the rows; "
        "in December the daily task calendars.seed_next_year seeds the next year by itself."
    )


def test_the_check_is_registered_and_runs_with_the_others():
    assert check_calendar_years in registry.get_checks()
    calendar_seed(countries=["RU"], years=[2026])
    with time_machine.travel(dt.datetime(2026, 6, 1, 6, 0, tzinfo=UTC), tick=False):
        messages = [m for m in run_checks() if m.id == "calendars.W001"]
    assert [m.msg.split(":")[0] for m in messages] == ["The working calendar has no days for KZ in 2026"]


def _admin_page(client, user, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with time_machine.travel(dt.datetime(2026, 12, 1, 6, 0, tzinfo=UTC), tick=False):
        client.force_login(user)
        response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", ["admin:index", "admin:calendars_calendarday_changelist"])
def test_admin_banner_names_the_missing_year_and_country_for_the_secretariat(client, secretariat, page):
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    calendar_seed(countries=["KZ"], years=[2027])
    html = _admin_page(client, secretariat, page)
    assert html.count('<li class="warning">') == 1
    assert BANNER % ("Russia", "2027") in html
    assert "Kazakhstan in 2027" not in html
    assert f'<a href="{reverse("admin:calendars_calendarday_changelist")}">Seed it from the holidays package' in html


def test_admin_banner_is_gone_once_the_years_are_seeded(client, secretariat):
    calendar_seed(countries=["RU", "KZ"], years=[2026, 2027])
    html = _admin_page(client, secretariat, "admin:index")
    assert "The working calendar has no days" not in html


def test_admin_banner_is_not_shown_to_an_agency(client, staff_a):
    html = _admin_page(client, staff_a, "admin:index")
    assert '<div id="content-main">' in html
    assert "The working calendar has no days" not in html
