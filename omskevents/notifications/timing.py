"""The polite moment to send: working calendars per country and the recipient's own working hours."""

import datetime as dt

from omskevents.calendars.services import WorkingCalendar

from .models import ReminderSettings
from .selectors import Recipient

QUIET_HOURS_END = 20  # event-driven notices created after 20:00 local wait for the next working morning


class Calendars:
    """Working calendars per country, loaded once per scan."""

    def __init__(self, around: dt.date) -> None:
        self._around = around
        self._loaded: dict[str, WorkingCalendar] = {}
        self._windows: dict[tuple[str, str, dt.datetime, int], bool] = {}
        self._dates: dict[tuple[str, dt.datetime], dt.date] = {}

    def __call__(self, country: str) -> WorkingCalendar:
        if country not in self._loaded:
            self._loaded[country] = WorkingCalendar(
                country, self._around - dt.timedelta(days=120), self._around + dt.timedelta(days=120)
            )
        return self._loaded[country]

    def local_date(self, recipient: Recipient, now: dt.datetime) -> dt.date:
        """The recipient's date at `now`, worked out once per time zone (a scan asks it for every task)."""
        key = (recipient.time_zone, now)
        if key not in self._dates:
            self._dates[key] = now.astimezone(recipient.tz).date()
        return self._dates[key]

    def window_open(self, recipient: Recipient, now: dt.datetime, rules: ReminderSettings) -> bool:
        """sending_window_open, worked out once per time zone and calendar."""
        key = (recipient.time_zone, recipient.country, now, rules.send_hour)
        if key not in self._windows:
            self._windows[key] = sending_window_open(recipient, now, rules, self(recipient.country))
        return self._windows[key]


def local_moment(recipient: Recipient, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=recipient.tz)


def sending_window_open(recipient: Recipient, now: dt.datetime, rules: ReminderSettings, cal: WorkingCalendar) -> bool:
    """A working day for the recipient and the sending hour has come, in their own time zone."""
    local = now.astimezone(recipient.tz)
    return cal.is_working(local.date()) and local.hour >= rules.send_hour


def next_polite_moment(
    recipient: Recipient, now: dt.datetime, rules: ReminderSettings, cal: WorkingCalendar
) -> dt.datetime:
    """Now, if it is working hours for the recipient; otherwise the sending hour of their next working day."""
    local = now.astimezone(recipient.tz)
    if cal.is_working(local.date()) and rules.send_hour <= local.hour < QUIET_HOURS_END:
        return now
    day = local.date()
    if cal.is_working(day) and local.hour < rules.send_hour:
        return local_moment(recipient, day, rules.send_hour)
    return local_moment(recipient, cal.add(day, 1), rules.send_hour)


def next_sending_hour(
    recipient: Recipient, now: dt.datetime, rules: ReminderSettings, cal: WorkingCalendar
) -> dt.datetime:
    """The next sending hour on a working day of the recipient (today's, if it has not come yet): when the
    daily digest goes."""
    local = now.astimezone(recipient.tz)
    day = local.date()
    if cal.is_working(day) and local.hour < rules.send_hour:
        return local_moment(recipient, day, rules.send_hour)
    return local_moment(recipient, cal.add(day, 1), rules.send_hour)
