import datetime as dt

import pytest

from omskevents.calendars.models import CalendarDay, CalendarSource
from omskevents.calendars.services import add_working_days, calendar_seed, is_working_day, next_working_day

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
