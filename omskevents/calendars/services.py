"""Working-day arithmetic and seeding the calendar table from the holidays package."""

import datetime as dt
import logging

import holidays
from django.db import transaction

from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency

from .models import SEEDED_COUNTRIES, CalendarDay, CalendarSource

logger = logging.getLogger(__name__)

_REPORTED: set[tuple[str, int]] = set()  # (country, year) pairs this process has warned about


def _report_missing_year(country: str, year: int) -> None:
    """Say once per process that a year is counted by the Monday–Friday rule for want of rows."""
    if (country, year) in _REPORTED:
        return
    _REPORTED.add((country, year))
    logger.warning(
        "working calendar: no days for %s in %d; counting Monday to Friday as working days until the year is "
        "seeded (admin: Working calendar)",
        country,
        year,
    )


def _shift(day: dt.date, delta: dt.timedelta) -> dt.date:
    """day + delta, held at the ends of the calendar (a deadline typed as 31.12.9999 is not an error here)."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.max if delta > dt.timedelta(0) else dt.date.min


def calendar_country(agency: Agency | None) -> str:
    """Whose working days count for an agency: Kazakh agencies work by Kazakhstan's calendar, everyone else
    (the secretariat, people without an agency) by Russia's."""
    return Country.KZ if agency is not None and agency.country == Country.KZ else Country.RU


def is_working_day(country: str, day: dt.date) -> bool:
    return WorkingCalendar(country, day, day).is_working(day)


def next_working_day(country: str, day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next working day."""
    calendar = WorkingCalendar(country, day, day)
    while not calendar.is_working(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(country: str, day: dt.date, count: int) -> dt.date:
    """Move `count` working days forward (positive) or back (negative) from `day`."""
    return WorkingCalendar(country, day, day).add(day, count)


@transaction.atomic
def calendar_seed(*, countries: list[str], years: list[int]) -> int:
    """Create rows for every holiday and working weekend day the holidays package knows.

    Rows a person entered (source=decree) are left as they are. Returns the number of rows written.
    """
    written = 0
    for country in countries:
        if country not in SEEDED_COUNTRIES:
            continue
        calendar = holidays.country_holidays(country, years=years)
        days: dict[dt.date, tuple[bool, str]] = {}
        for date, name in calendar.items():
            days[date] = (False, str(name))
        # The package lists every moved working day it knows, whatever the year asked for (KZ: 28.12.2013).
        for date in getattr(calendar, "weekend_workdays", set()):
            if date.year in years:
                days[date] = (True, "Working day (moved)")
        manual = set(
            CalendarDay.objects.filter(country=country, source=CalendarSource.DECREE, date__in=days).values_list(
                "date", flat=True
            )
        )
        for date, (working, name) in sorted(days.items()):
            if date in manual:
                continue
            CalendarDay.objects.update_or_create(
                country=country,
                date=date,
                defaults={"is_working": working, "name": name[:255], "source": CalendarSource.HOLIDAYS},
            )
            written += 1
    return written


def calendar_seed_next_year(*, today: dt.date) -> dict[str, int]:
    """In December, seed next year from the holidays package for each country not yet seeded from it.

    Safe to run every day and from two beats: a country with any holidays-package row for next year is
    skipped, and calendar_seed never touches a row entered by hand. Returns {country: rows written} for the
    countries it seeded (0 rows: the package knows nothing of that year yet).
    """
    if today.month != 12:
        return {}
    year = today.year + 1
    seeded = set(
        CalendarDay.objects.filter(
            source=CalendarSource.HOLIDAYS, date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
        )
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return {
        country: calendar_seed(countries=[country], years=[year])
        for country in SEEDED_COUNTRIES
        if country not in seeded
    }


class WorkingCalendar:
    """One country's working days, loaded by whole years: one query for the years around the range at once,
    one more for each further year asked about. A year without a single row has not been seeded: its days
    follow the Monday–Friday rule, and the process logs that once."""

    # Lookups a little outside the range (a reminder offset before the first date) need no second query.
    MARGIN = dt.timedelta(days=90)

    def __init__(self, country: str, start: dt.date, end: dt.date) -> None:
        self.country = country
        self._table: dict[dt.date, bool] = {}
        self._years: set[int] = set()
        self._unseeded: set[int] = set()
        # A scan asks about the same few dozen deadlines for thousands of tasks: each answer is worked out once.
        self._added: dict[tuple[dt.date, int], dt.date] = {}
        self._counted: dict[tuple[dt.date, dt.date], int] = {}
        self._load(_shift(start, -self.MARGIN).year, _shift(end, self.MARGIN).year)

    def _load(self, first: int, last: int) -> None:
        rows = CalendarDay.objects.filter(
            country=self.country, date__gte=dt.date(first, 1, 1), date__lte=dt.date(last, 12, 31)
        ).values_list("date", "is_working")
        self._table.update(rows)
        years = set(range(first, last + 1))
        self._years |= years
        self._unseeded |= years - {day.year for day in self._table}

    def is_working(self, day: dt.date) -> bool:
        working = self._table.get(day)
        if working is not None:
            return working
        if day.year not in self._years:
            self._load(day.year, day.year)
            return self.is_working(day)
        if day.year in self._unseeded and self.country in SEEDED_COUNTRIES:
            _report_missing_year(self.country, day.year)
        return day.weekday() < 5

    def add(self, day: dt.date, count: int) -> dt.date:
        """Same rule as add_working_days, without a query per call."""
        known = self._added.get((day, count))
        if known is not None:
            return known
        self._added[(day, count)] = answer = self._add(day, count)
        return answer

    def _add(self, day: dt.date, count: int) -> dt.date:
        step = 1 if count >= 0 else -1
        current, left = day, abs(count)
        while left:
            current += dt.timedelta(days=step)
            if self.is_working(current):
                left -= 1
        return current

    def count_between(self, after: dt.date, until: dt.date) -> int:
        """Working days d with after < d <= until (0 when until is not later)."""
        known = self._counted.get((after, until))
        if known is not None:
            return known
        self._counted[(after, until)] = answer = self._count_between(after, until)
        return answer

    def _count_between(self, after: dt.date, until: dt.date) -> int:
        count, current = 0, after
        while current < until:
            current += dt.timedelta(days=1)
            if self.is_working(current):
                count += 1
        return count
