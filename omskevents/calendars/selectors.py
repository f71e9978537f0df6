"""Reads of the working calendar: which years it lacks."""

import datetime as dt

from django.utils import timezone

from .models import SEEDED_COUNTRIES, CalendarDay


def calendar_years_needed(today: dt.date) -> list[int]:
    """This year always; from December on, the next one too (deadlines and reminders reach into it)."""
    return [today.year, today.year + 1] if today.month == 12 else [today.year]


def calendar_missing_years(*, today: dt.date | None = None) -> list[tuple[int, str]]:
    """(year, country) pairs, in order, that the calendar needs and has not a single row for.

    Such a year would count every Monday to Friday as a working day, holidays included. Read by the system
    check, the admin banner and any readiness probe; one query.
    """
    years = calendar_years_needed(today or timezone.localdate())
    present = set(
        CalendarDay.objects.filter(date__gte=dt.date(years[0], 1, 1), date__lte=dt.date(years[-1], 12, 31))
        .order_by()
        .values_list("date__year", "country")
        .distinct()
    )
    return [(year, country) for year in years for country in SEEDED_COUNTRIES if (year, country) not in present]
