"""The one iCalendar builder for meetings: the page's .ics, the personal feed and the invitations by mail."""

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from .enums import MeetingStatus
from .models import Meeting

PRODID = "-//omskevents//Organising committee//RU"
DEFAULT_LENGTH = dt.timedelta(hours=2)
ALARM_BEFORE = dt.timedelta(hours=1)


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def new_calendar(*, method: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def meeting_vevent(meeting: Meeting, *, now: dt.datetime) -> VEvent:
    """A meeting as a VEVENT in UTC, with a reminder an hour before; cancelled ones say so.

    The UID and SEQUENCE (the meeting's revision) are the same in every file and mail, so a calendar
    replaces an earlier version instead of adding a second event.
    """
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event = VEvent()
    event.add("uid", f"meeting-{meeting.pk}@omskevents")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", (meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH).astimezone(dt.UTC))
    event.add("summary", f"{meeting.committee}: {meeting}" + (f" — {meeting.title}" if meeting.title else ""))
    if meeting.place:
        event.add("location", meeting.place)
    agenda = "\n".join(str(item) for item in meeting.agenda.all())
    description = "\n".join(part for part in (agenda, meeting.video_link) if part)
    if description:
        event.add("description", description)
    event.add("url", site_url(meeting.get_absolute_url()))
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", str(meeting))
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    return event


def meeting_ics(meeting: Meeting) -> bytes:
    """The meeting page's file: METHOD:PUBLISH."""
    cal = new_calendar(method="PUBLISH")
    cal.add_component(meeting_vevent(meeting, now=timezone.now()))
    return cal.to_ical()


def meeting_invitation_ics(meeting: Meeting, *, attendee_email: str, attendee_name: str, now: dt.datetime) -> bytes:
    """The part of an invitation mail: METHOD:REQUEST for an invitation or update, METHOD:CANCEL when cancelled,
    with the committee's address as the organiser and the recipient as the attendee."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    cal = new_calendar(method="CANCEL" if cancelled else "REQUEST")
    event = meeting_vevent(meeting, now=now)
    organizer_name, organizer_email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText(organizer_name or organizer_email)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name or attendee_email)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("TRUE")
    event.add("attendee", attendee)
    cal.add_component(event)
    return cal.to_ical()
