"""Writes to committee meetings: schedule, change, cancel, close with minutes; agenda, attendance, decisions."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.core.confirm import UNDO_WINDOW
from omskevents.events.models import Event

from . import permissions, signals
from .enums import Attendance, MeetingStatus
from .models import AgendaItem, Committee, Decision, Meeting, MeetingAttendance, WorkingGroup
from .selectors import committee_next_number, invitation_group_people

MEETING_FIELDS = ("title", "event", "starts_at", "ends_at", "place", "video_link", "chair")
# A change to any of these is news to the invitees: their calendars must pick it up.
INVITATION_FIELDS = ("starts_at", "ends_at", "place", "video_link")


def _require_manager(actor: User) -> None:
    if not permissions.can_manage_meetings(actor):
        raise PermissionDenied(_("Only the committee secretariat manages meetings."))


def _require_editable(actor: User, meeting: Meeting) -> None:
    _require_manager(actor)
    if not permissions.can_edit_meeting(actor, meeting):
        raise ValidationError(_("A cancelled meeting cannot be changed."))


def _check_event(meeting: Meeting) -> None:
    """A meeting prepares one of its committee's events, or none."""
    if meeting.event_id is not None and not meeting.committee.events.filter(pk=meeting.event_id).exists():
        raise ValidationError({"event": _("Choose one of the committee's events.")})


def _notify(meeting: Meeting, change: str, **extra: Any) -> None:
    """Tell the invitees: receivers write their rows in this transaction (a rolled-back change announces nothing,
    a crash after the commit loses nothing); only the hand-off to the broker waits for the commit."""
    signals.meeting_changed.send(sender=Meeting, meeting=meeting, change=change, **extra)


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    committee: Committee,
    starts_at: dt.datetime,
    place: str = "",
    video_link: str = "",
    title: str = "",
    ends_at: dt.datetime | None = None,
    chair: User | None = None,
    number: int | None = None,
    invitees: Sequence[User] = (),
    event: Event | None = None,
) -> Meeting:
    """Schedule a meeting; without a number it takes the committee's next one."""
    _require_manager(actor)
    # Lock the committee so that two meetings scheduled at once cannot take the same number.
    committee = Committee.objects.select_for_update().get(pk=committee.pk)
    meeting = Meeting(
        committee=committee,
        number=number if number is not None else committee_next_number(committee),
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_link=video_link,
        chair=chair,
        event=event,
    )
    meeting.full_clean()
    _check_event(meeting)
    meeting.save()
    for user in invitees:
        MeetingAttendance.objects.create(meeting=meeting, user=user, status=Attendance.INVITED)
    _notify(meeting, "created")
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **fields: Any) -> Meeting:
    """Change a meeting; a new time or place raises its revision so calendars replace the old one."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(actor, meeting)
    changed = {name for name, value in fields.items() if getattr(meeting, name) != value}
    for name in changed:
        setattr(meeting, name, fields[name])
    if not changed:
        return meeting
    if changed & set(INVITATION_FIELDS):
        meeting.sequence += 1
    meeting.full_clean()
    _check_event(meeting)
    meeting.save()
    if changed & set(INVITATION_FIELDS) and meeting.status == MeetingStatus.PLANNED:
        _notify(meeting, "updated")
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor)
    if not permissions.can_cancel_meeting(actor, meeting):
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.cancelled_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    # The cancellation's mail waits for the undo window: a restored meeting withdraws it unsent.
    _notify(meeting, "cancelled", send_after=meeting.cancelled_at + UNDO_WINDOW)
    return meeting


@transaction.atomic
def meeting_restore(*, actor: User, meeting: Meeting) -> Meeting:
    """Undo a cancellation within the undo window: the meeting is planned again and its cancellation mail, still
    waiting, is withdrawn (the calendars never heard of the cancellation)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_manager(actor)
    if not permissions.can_restore_meeting(actor, meeting, now=timezone.now()):
        raise ValidationError(_("The cancellation can no longer be undone."))
    meeting.status = MeetingStatus.PLANNED
    meeting.cancelled_at = None
    meeting.full_clean()
    meeting.save()
    _notify(meeting, "restored")
    return meeting


@transaction.atomic
def meeting_close(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    """Record the minutes and mark the meeting as held (the minutes can be corrected later)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(actor, meeting)
    if not minutes.strip():
        raise ValidationError({"minutes": _("Write the minutes of the meeting.")})
    meeting.minutes = minutes.strip()
    meeting.status = MeetingStatus.HELD
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def agenda_item_add(*, actor: User, meeting: Meeting, title: str, speaker: str = "") -> AgendaItem:
    """Add an item at the end of the agenda."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(actor, meeting)
    last = meeting.agenda.order_by("-order").values_list("order", flat=True).first()
    item = AgendaItem(meeting=meeting, order=(last or 0) + 1, title=title.strip(), speaker=speaker.strip())
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_delete(*, actor: User, item: AgendaItem) -> None:
    """Remove an item; the ones after it move up so the numbering stays 1, 2, 3…"""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _require_editable(actor, meeting)
    item.delete()
    for position, following in enumerate(meeting.agenda.order_by("order"), start=1):
        if following.order != position:
            following.order = position
            following.save(update_fields=["order", "updated"])


@transaction.atomic
def attendance_set(*, actor: User, meeting: Meeting, user: User, status: str) -> MeetingAttendance:
    """Invite a person or record whether they came."""
    _require_editable(actor, meeting)
    if status not in Attendance.values:
        raise ValidationError({"status": _("Choose an attendance status.")})
    row, _created = MeetingAttendance.objects.get_or_create(meeting=meeting, user=user, defaults={"status": status})
    if row.status != status:
        row.status = status
        row.full_clean()
        row.save(update_fields=["status", "updated"])
    return row


@transaction.atomic
def meeting_invite_group(*, actor: User, meeting: Meeting, group: Committee | WorkingGroup) -> int:
    """Invite, in one step, every active member of the meeting's committee or of one of its working groups.

    People already on the attendance list keep their row as it is. Returns how many were added. No mail is
    written here: the invitations by mail go out when the meeting is scheduled (meeting_create with its invitees).
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(actor, meeting)
    committee_id = group.pk if isinstance(group, Committee) else group.committee_id
    if committee_id != meeting.committee_id:
        raise ValidationError({"group": _("Choose the meeting's committee or one of its working groups.")})
    present = set(meeting.attendance.values_list("user_id", flat=True))
    new = [user for user in invitation_group_people(group) if user.pk not in present]
    MeetingAttendance.objects.bulk_create(
        [MeetingAttendance(meeting=meeting, user=user, status=Attendance.INVITED) for user in new]
    )
    return len(new)


@transaction.atomic
def decision_add(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    lead_agency: Agency | None = None,
    co_executors: Sequence[Agency] = (),
    deadline: dt.date | None = None,
    number: str = "",
) -> Decision:
    """Record a decision; without a number it takes the next one (1, 2, 3…)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_editable(actor, meeting)
    if not text.strip():
        raise ValidationError({"text": _("Write the text of the decision.")})
    if lead_agency is not None and any(a.pk == lead_agency.pk for a in co_executors):
        raise ValidationError({"co_executors": _("The lead executor cannot also be a co-executor.")})
    decision = Decision(
        meeting=meeting,
        number=number.strip() or str(meeting.decisions.count() + 1),
        text=text.strip(),
        lead_agency=lead_agency,
        deadline=deadline,
    )
    decision.full_clean()
    decision.save()
    decision.co_executors.set(co_executors)
    return decision


@transaction.atomic
def decision_delete(*, actor: User, decision: Decision) -> None:
    _require_editable(actor, decision.meeting)
    try:
        decision.delete()
    except ProtectedError:
        # What an app above made of the decision (a task of the action plan) keeps it.
        raise ValidationError(_("This decision has already become a task and cannot be deleted.")) from None
