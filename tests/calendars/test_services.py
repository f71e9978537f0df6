import datetime as dt
import logging

import pytest

from omskevents.calendars import services
from omskevents.calendars.models import CalendarDay, CalendarSource
from omskevents.calendars.services import (
    WorkingCalendar,
    add_working_days,
    calendar_seed,
    calendar_seed_next_year,
    is_working_day,
    next_working_day,
)

pytestmark = pytest.mark.django_db

# The Russian government's decree on days off in 2026 (pinned so a lagging holidays release shows up here).
RU_2026_DAYS_OFF = [
    *[dt.date(2026, 1, d) for d in range(1, 12)],
    dt.date(2026, 2, 23),
    dt.date(2026, 3, 9),
    dt.date(2026, 5, 1),
    dt.date(2026, 5, 11),
    dt.date(2026, 6, 12),
    dt.date(2026, 11, 4),
    dt.date(2026, 12, 31),
]


@pytest.fixture
def seeded():
    calendar_seed(countries=["RU", "KZ"], years=[2026, 2027])


@pytest.mark.parametrize("day", RU_2026_DAYS_OFF)
def test_ru_2026_official_days_off_are_not_working(seeded, day):
    assert is_working_day("RU", day) is False


def test_ru_2026_ordinary_weekday_is_working(seeded):
    assert is_working_day("RU", dt.date(2026, 1, 12)) is True
    assert is_working_day("RU", dt.date(2026, 12, 30)) is True


def test_next_working_day_after_new_year_holidays(seeded):
    assert next_working_day("RU", dt.date(2026, 12, 31)) == dt.date(2027, 1, 11)


def test_add_working_days_skips_holidays_backwards(seeded):
    # Three working days before Tuesday 12 May 2026: Friday 8, Thursday 7, Wednesday 6 (11 May is off).
    assert add_working_days("RU", dt.date(2026, 5, 12), -3) == dt.date(2026, 5, 6)


def test_seed_is_idempotent_and_keeps_manual_corrections(seeded):
    CalendarDay.objects.filter(country="RU", date=dt.date(2026, 12, 31)).update(
        is_working=True, source=CalendarSource.DECREE
    )
    before = CalendarDay.objects.count()
    calendar_seed(countries=["RU", "KZ"], years=[2026, 2027])
    assert CalendarDay.objects.count() == before
    assert is_working_day("RU", dt.date(2026, 12, 31)) is True


def test_kz_calendar_differs_from_ru(seeded):
    # 16 December, Kazakhstan's Independence Day, is a working day in Russia.
    assert is_working_day("KZ", dt.date(2026, 12, 16)) is False
    assert is_working_day("RU", dt.date(2026, 12, 16)) is True


def test_a_date_beyond_the_loaded_years_is_still_read_from_the_table(seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = WorkingCalendar("RU", dt.date(2026, 6, 1), dt.date(2026, 6, 30))  # loads 2026 only
    with django_assert_num_queries(1):
        assert calendar.is_working(dt.date(2027, 1, 5)) is False  # a Tuesday of the New Year holidays
    with django_assert_num_queries(0):
        assert calendar.is_working(dt.date(2027, 1, 11)) is True


def test_a_year_without_rows_counts_monday_to_friday_and_says_so_once(seeded, caplog, monkeypatch):
    monkeypatch.setattr(services, "_REPORTED", set())  # what this process has said so far
    with caplog.at_level(logging.WARNING, logger="omskevents.calendars.services"):
        assert is_working_day("RU", dt.date(2031, 1, 1)) is True  # a Wednesday; the holiday is not known
        assert next_working_day("RU", dt.date(2031, 1, 4)) == dt.date(2031, 1, 6)
        assert is_working_day("KZ", dt.date(2026, 12, 16)) is False  # a seeded year: nothing to say
    assert [r.getMessage() for r in caplog.records] == [
        "working calendar: no days for RU in 2031; counting Monday to Friday as working days until the year is "
        "seeded (admin: Working calendar)"
    ]


def test_next_year_is_seeded_in_december_only_and_once():
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    assert calendar_seed_next_year(today=dt.date(2026, 11, 30)) == {}
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    written = calendar_seed_next_year(today=dt.date(2026, 12, 1))
    assert written == {
        "RU": CalendarDay.objects.filter(country="RU", date__year=2027).count(),
        "KZ": CalendarDay.objects.filter(country="KZ", date__year=2027).count(),
    }
    assert written["RU"] > 10
    assert written["KZ"] > 10
    assert set(CalendarDay.objects.filter(date__year=2027).values_list("source", flat=True)) == {"holidays"}
    assert calendar_seed_next_year(today=dt.date(2026, 12, 2)) == {}


def test_december_seeding_keeps_a_day_entered_by_hand():
    calendar_seed(countries=["RU", "KZ"], years=[2026])
    CalendarDay.objects.create(
        country="RU", date=dt.date(2027, 1, 1), is_working=True, name="Decree", source=CalendarSource.DECREE
    )
    written = calendar_seed_next_year(today=dt.date(2026, 12, 15))
    assert set(written) == {"RU", "KZ"}
    day = CalendarDay.objects.get(country="RU", date=dt.date(2027, 1, 1))
    assert (day.is_working, day.name, day.source) == (True, "Decree", "decree")
    assert CalendarDay.objects.filter(country="RU", date__year=2027, source="holidays").count() == written["RU"]


def test_seed_writes_only_the_years_asked_for():
    # The holidays package lists Kazakhstan's moved working day of 28 December 2013 for any year.
    written = calendar_seed(countries=["KZ"], years=[2027])
    assert sorted({d.year for d in CalendarDay.objects.values_list("date", flat=True)}) == [2027]
    assert CalendarDay.objects.count() == written
