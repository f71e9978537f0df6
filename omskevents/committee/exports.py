"""Documents made from meetings: the minutes ready to sign (DOCX)."""

import datetime as dt
import io
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from omskevents.accounts.models import User
from omskevents.core.documents import official_document

from .enums import Attendance, MeetingStatus, MemberRole
from .models import Meeting
from .selectors import committee_officer


def _local(value: dt.datetime) -> dt.datetime:
    """Minutes carry the time where the committee sits, whoever exports them."""
    return timezone.localtime(value, zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _date(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def minutes_filename(meeting: Meeting) -> str:
    return f"minutes-{meeting.number}-{_local(meeting.starts_at):%Y-%m-%d}.docx"


def _person(user: User | None) -> str:
    if user is None:
        return ""
    position = f", {user.position}" if user.position else ""
    agency = f" ({user.agency})" if user.agency_id else ""
    return f"{user.get_full_name() or user.username}{position}{agency}"


def minutes_docx(meeting: Meeting) -> bytes:
    """The minutes as an official document: header, attendance, agenda, decisions, signature lines.

    Takes a meeting loaded by `selectors.meeting_detail` (agenda, attendance and decisions prefetched).
    """
    doc = official_document()  # A4 with the margins and fonts of an official document (ГОСТ Р 7.0.97-2016)

    def centred(text: str, *, bold: bool = False) -> None:
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = bold

    starts = _local(meeting.starts_at)
    if meeting.status != MeetingStatus.HELD:
        # The minutes of a meeting not yet held (or called off) are a draft, never taken for the record.
        centred(_("DRAFT"), bold=True)
    centred(meeting.committee.name.upper(), bold=True)
    centred(_("MINUTES No. %(number)s") % {"number": meeting.number}, bold=True)
    centred(_("of the meeting of the organising committee"))
    if meeting.title:
        centred(meeting.title)
    doc.add_paragraph(_("Date: %(date)s, %(time)s") % {"date": _date(starts.date()), "time": starts.strftime("%H:%M")})
    doc.add_paragraph(_("Place: %(place)s") % {"place": meeting.place or meeting.video_link})
    if meeting.chair_id:
        doc.add_paragraph(_("Chaired by: %(person)s") % {"person": _person(meeting.chair)})

    attendance = list(meeting.attendance.all())
    present = [a for a in attendance if a.status in (Attendance.PRESENT, Attendance.REMOTE)]
    absent = [a for a in attendance if a.status == Attendance.ABSENT]
    # Until attendance is marked, the people invited: nobody is listed as present who was not marked so.
    doc.add_paragraph(_("Present:") if present else _("Invited:"), style="Heading 2")
    for row in present or attendance:
        suffix = f" — {Attendance(row.status).label}" if row.status == Attendance.REMOTE else ""
        doc.add_paragraph(_person(row.user) + suffix, style="List Bullet")
    if absent:
        doc.add_paragraph(_("Absent:"), style="Heading 2")
        for row in absent:
            doc.add_paragraph(_person(row.user), style="List Bullet")

    doc.add_paragraph(_("Agenda:"), style="Heading 2")
    for item in meeting.agenda.all():
        speaker = f" ({item.speaker})" if item.speaker else ""
        doc.add_paragraph(f"{item.order}. {item.title}{speaker}")

    if meeting.minutes:
        doc.add_paragraph(_("Proceedings:"), style="Heading 2")
        for block in meeting.minutes.splitlines():
            if block.strip():
                doc.add_paragraph(block.strip())

    doc.add_paragraph(_("Decided:"), style="Heading 2")
    for decision in meeting.decisions.all():
        doc.add_paragraph(f"{decision.number}. {decision.text}")
        executors = []
        if decision.lead_agency_id:
            executors.append(_("Lead executor: %(agency)s") % {"agency": decision.lead_agency})
        co = ", ".join(str(a) for a in decision.co_executors.all())
        if co:
            executors.append(_("co-executors: %(agencies)s") % {"agencies": co})
        if decision.deadline:
            executors.append(_("deadline: %(date)s") % {"date": _date(decision.deadline)})
        if executors:
            run = doc.add_paragraph().add_run("; ".join(executors) + ".")
            run.italic = True

    chair = meeting.chair or getattr(committee_officer(meeting.committee, MemberRole.CHAIR), "user", None)
    secretary = getattr(committee_officer(meeting.committee, MemberRole.SECRETARY), "user", None)
    doc.add_paragraph()
    for label, person in ((_("Chair"), chair), (_("Secretary"), secretary)):
        name = person.get_full_name() if person is not None else ""
        doc.add_paragraph(f"{label} ____________________ {name}")

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
