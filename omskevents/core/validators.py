"""Validators with no domain knowledge."""

import datetime as dt
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The dates a person may enter (deadlines, meetings, events, absences, agreements): the calendar pickers offer
# years 1 to 9999, and a deadline in year 1 or 9999 broke every page that counts months or days around it.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def validate_plausible_date(value: dt.date | dt.datetime | None) -> None:
    """A date (or a moment's date) from EARLIEST_DATE to LATEST_DATE."""
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.strftime("%d.%m.%Y"), "latest": LATEST_DATE.strftime("%d.%m.%Y")},
        )


def validate_time_zone(value: str) -> None:
    """Accept only IANA zone names (Europe/Moscow), never offsets."""
    if not value or value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known IANA time zone."), params={"value": value})
