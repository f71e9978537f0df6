"""System check of the working calendar: a year it needs but has no rows for."""

import datetime as dt
from typing import Any

from django.core.checks import CheckMessage, Warning
from django.db import DatabaseError

from .selectors import calendar_missing_years


def check_calendar_years(app_configs: Any = None, *, today: dt.date | None = None, **kwargs: Any) -> list[CheckMessage]:
    """A warning per country and year the calendar lacks: this year, and next year from December on.

    It reads the database, yet is not tagged `database` (which `check` and `runserver` skip by default): the
    point is to be seen. Before the first migrate, or with the database down, it has nothing to say.
    """
    try:
        missing = calendar_missing_years(today=today)
    except DatabaseError:
        return []
    return [
        Warning(
            f"The working calendar has no days for {country} in {year}: deadlines and reminders in that year "
            "would count every Monday to Friday as a working day, holidays included.",
            hint=(
                f"Seed it in the admin (Working calendar, 'Re-seed a year': {year}) and review the rows; "
                "in December the daily task calendars.seed_next_year seeds the next year by itself."
            ),
            id="calendars.W001",
        )
        for year, country in missing
    ]
