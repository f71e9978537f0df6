"""What the committee does when a lower app signals (registered in CommitteeConfig.ready)."""

import zoneinfo
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omskevents.events.dates import PlannedChange, PreviewSection
from omskevents.events.models import Event

from .enums import MeetingStatus
from .models import Meeting


def meetings_to_check(sender: object, *, event: Event, moved: Event, **kwargs: Any) -> PreviewSection:
    """events.signals.event_dates_preview: the planned meetings for the event are NOT moved with its dates (a
    meeting's date is agreed with its members); they are listed for the secretary to check."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    changes = []
    for meeting in Meeting.objects.filter(event_id=event.pk, status=MeetingStatus.PLANNED).order_by("starts_at", "pk"):
        local = timezone.localtime(meeting.starts_at, zone)
        text = formats.date_format(local, "d.m.Y H:i")
        if local.date() >= moved.start_date:
            note = _("Check the meeting's date: it is not before the event's new start.")
        else:
            days = (moved.start_date - local.date()).days
            note = ngettext(
                "Check the meeting's date: %(days)d day before the new start.",
                "Check the meeting's date: %(days)d days before the new start.",
                days,
            ) % {"days": days}
        changes.append(
            PlannedChange(
                key=f"committee.meeting:{meeting.pk}",
                what=f"{meeting} — {meeting.title}" if meeting.title else str(meeting),
                old=meeting.starts_at,
                new=meeting.starts_at,
                old_text=text,
                new_text=_("not moved"),
                note=note,
            )
        )
    return PreviewSection(
        name="meetings",
        title=_("Meetings of the committee for the event"),
        changes=tuple(changes),
        moves=False,
        notice=_("Meetings are not moved with the event: check their dates and change them on the meeting's page."),
        order=40,
    )
