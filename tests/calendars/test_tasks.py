"""The daily beat task that seeds next year's working calendar in December and says so in the log."""

import datetime as dt
import logging

import holidays
import pytest
import time_machine
from django.conf import settings

from omskevents.calendars import services
from omskevents.calendars.models import CalendarDay
from omskevents.calendars.selectors import calendar_missing_years
from omskevents.calendars.services import calendar_seed
from omskevents.calendars.tasks import seed_next_year
from omskevents.celery import app

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def ours(caplog) -> list[tuple[str, str]]:
    """What the calendar said (Celery's own "task succeeded" lines left out)."""
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name.startswith("omskevents.calendars")]


def test_beat_runs_the_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["calendars-seed-next-year"]
    assert entry["task"] == "calendars.seed_next_year"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})
    assert app.tasks["calendars.seed_next_year"].name == seed_next_year.name


def test_task_in_november_does_nothing(caplog):
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    with (
        caplog.at_level(logging.INFO, logger="omskevents.calendars"),
        time_machine.travel(dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC), tick=False),
    ):
        seed_next_year.apply()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert ours(caplog) == []


def test_task_in_december_seeds_next_year_once_and_logs_where_to_review(caplog):
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    with caplog.at_level(logging.INFO, logger="omskevents.calendars"):
        # 1 December 2026, 08:30 in Omsk (the beat time); then the next day's run finds nothing to do.
        for day in (1, 2):
            with time_machine.travel(dt.datetime(2026, 12, day, 2, 30, tzinfo=UTC), tick=False):
                seed_next_year.apply()
    counts = {c: CalendarDay.objects.filter(country=c, date__year=2027).count() for c in ("RU", "KZ")}
    assert ours(caplog) == [
        (
            "WARNING",
            f"working calendar: {country} 2027 seeded from the holidays package ({counts[country]} days); review "
            f"them at /admin/calendars/calendarday/?country={country}&date__year=2027",
        )
        for country in ("RU", "KZ")
    ]


def test_task_says_when_the_holidays_package_knows_nothing_of_next_year(caplog, monkeypatch):
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    # The outside boundary: a holidays release that has no data for the year asked.
    monkeypatch.setattr(services.holidays, "country_holidays", lambda country, years: holidays.HolidayBase())
    with (
        caplog.at_level(logging.INFO, logger="omskevents.calendars"),
        time_machine.travel(dt.datetime(2026, 12, 1, 2, 30, tzinfo=UTC), tick=False),
    ):
        seed_next_year.apply()
    assert ours(caplog) == [
        (
            "ERROR",
            f"working calendar: the holidays package has no days for {country} in 2027; enter them by hand at "
            f"/admin/calendars/calendarday/?country={country}&date__year=2027",
        )
        for country in ("RU", "KZ")
    ]
    assert calendar_missing_years(today=dt.date(2026, 12, 1)) == [(2027, "RU"), (2027, "KZ")]
