"""Working-day arithmetic and seeding the calendar table from the holidays package."""

import datetime as dt

import holidays
from django.db import transaction

from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency

from .models import CalendarDay, CalendarSource


def calendar_country(agency: Agency | None) -> str:
    """Whose working days count for an agency: Kazakh agencies work by Kazakhstan's calendar, everyone else
    (the secretariat, people without an agency) by Russia's."""
    return Country.KZ if agency is not None and agency.country == Country.KZ else Country.RU


def _exceptions(country: str, start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    rows = CalendarDay.objects.filter(country=country, date__gte=start, date__lte=end)
    return dict(rows.values_list("date", "is_working"))


def is_working_day(country: str, day: dt.date) -> bool:
    return next_working_day(country, day) == day


def next_working_day(country: str, day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next working day."""
    # Sixty days covers the longest run of days off (the Russian New Year holidays) with room.
    table = _exceptions(country, day, day + dt.timedelta(days=60))
    current = day
    while True:
        working = table.get(current, current.weekday() < 5)
        if working:
            return current
        current += dt.timedelta(days=1)


def add_working_days(country: str, day: dt.date, count: int) -> dt.date:
    """Move `count` working days forward (positive) or back (negative) from `day`."""
    step = 1 if count >= 0 else -1
    span = dt.timedelta(days=abs(count) * 3 + 60)
    table = _exceptions(country, min(day, day - span), max(day, day + span))
    current, left = day, abs(count)
    while left:
        current += dt.timedelta(days=step)
        if table.get(current, current.weekday() < 5):
            left -= 1
    return current


@transaction.atomic
def calendar_seed(*, countries: list[str], years: list[int]) -> int:
    """Create rows for every holiday and working weekend day the holidays package knows.

    Rows a person entered (source=decree) are left as they are. Returns the number of rows written.
    """
    written = 0
    for country in countries:
        if country not in ("RU", "KZ"):
            continue
        calendar = holidays.country_holidays(country, years=years)
        days: dict[dt.date, tuple[bool, str]] = {}
        for date, name in calendar.items():
            days[date] = (False, str(name))
        for date in getattr(calendar, "weekend_workdays", set()):
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


class WorkingCalendar:
    """One country's working days over a date range, loaded in one query for loops over many dates."""

    def __init__(self, country: str, start: dt.date, end: dt.date) -> None:
        self.country = country
        self._table = _exceptions(country, start - dt.timedelta(days=90), end + dt.timedelta(days=90))

    def is_working(self, day: dt.date) -> bool:
        return self._table.get(day, day.weekday() < 5)

    def add(self, day: dt.date, count: int) -> dt.date:
        """Same rule as add_working_days, without a query per call."""
        step = 1 if count >= 0 else -1
        current, left = day, abs(count)
        while left:
            current += dt.timedelta(days=step)
            if self.is_working(current):
                left -= 1
        return current

    def count_between(self, after: dt.date, until: dt.date) -> int:
        """Working days d with after < d <= until (0 when until is not later)."""
        count, current = 0, after
        while current < until:
            current += dt.timedelta(days=1)
            if self.is_working(current):
                count += 1
        return count
