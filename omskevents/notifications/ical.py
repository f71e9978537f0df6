"""The iCalendar part of meeting mails: one VEVENT per meeting, with the organiser and this attendee."""

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from omskevents.committee.enums import MeetingStatus
from omskevents.committee.models import Meeting

DEFAULT_LENGTH = dt.timedelta(hours=2)
ALARM_BEFORE = dt.timedelta(hours=1)


def meeting_invitation_ics(meeting: Meeting, *, attendee_email: str, attendee_name: str, now: dt.datetime) -> bytes:
    """METHOD:REQUEST for an invitation or update, METHOD:CANCEL when the meeting is cancelled.

    The UID matches the committee's calendar feed, and SEQUENCE is the meeting's revision, so a calendar
    replaces the earlier version instead of adding a second event.
    """
    cancelled = meeting.status == MeetingStatus.CANCELLED
    cal = Calendar()
    cal.add("prodid", "-//omskevents//Organising committee//RU")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@omskevents")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", (meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH).astimezone(dt.UTC))
    event.add("sequence", meeting.sequence)
    event.add("summary", f"{meeting.committee}: {meeting}" + (f" — {meeting.title}" if meeting.title else ""))
    if meeting.place:
        event.add("location", meeting.place)
    agenda = "\n".join(str(item) for item in meeting.agenda.all())
    description = "\n".join(part for part in (agenda, meeting.video_link) if part)
    if description:
        event.add("description", description)
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
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
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", str(meeting))
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    cal.add_component(event)
    return cal.to_ical()
