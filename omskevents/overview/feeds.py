"""A person's calendar feed: their meetings (the committee's builder) and their deadlines as all-day events."""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event as VEvent

from omskevents.committee.ical import meeting_vevent, new_calendar, site_url
from omskevents.committee.models import Meeting
from omskevents.workplan.models import Task


def task_vevent(task: Task, *, now: dt.datetime) -> VEvent:
    """A deadline as an all-day event on its day."""
    event = VEvent()
    event.add("uid", f"task-{task.pk}-deadline@omskevents")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", task.deadline)
    event.add("dtend", task.deadline + dt.timedelta(days=1))
    event.add("summary", _("Deadline: %(task)s") % {"task": task})
    event.add("description", _("Lead executor: %(agency)s") % {"agency": task.lead_agency})
    event.add("url", site_url(task.get_absolute_url()))
    event.add("transp", "TRANSPARENT")
    return event


def feed_ics(*, name: str, meetings: Iterable[Meeting], tasks: Iterable[Task]) -> bytes:
    """A personal calendar: the person's meetings and deadlines."""
    now = timezone.now()
    cal = new_calendar()
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        cal.add_component(meeting_vevent(meeting, now=now))
    for task in tasks:
        cal.add_component(task_vevent(task, now=now))
    return cal.to_ical()
