"""Who may see and manage committee meetings — the one place that decides.

The secretariat runs meetings. Every active member of an agency may read every meeting, its minutes and
decisions: the committee's minutes go to all member agencies. The tasks made from decisions belong to the
workplan app (workplan.permissions), so an agency still sees only its own instructions.
"""

import datetime as dt

from omskevents.accounts.permissions import is_agency_member, is_kz_secretariat, is_secretariat
from omskevents.accounts.types import AnyUser
from omskevents.core.confirm import UNDO_WINDOW

from .enums import MeetingStatus
from .models import Meeting


def can_view_meetings(user: AnyUser) -> bool:
    # The Kazakh secretariat reads the committee's meetings as its member agencies do; running them stays here.
    return is_secretariat(user) or is_kz_secretariat(user) or is_agency_member(user)


def can_view_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return can_view_meetings(user)


def can_manage_meetings(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_edit_meeting(user: AnyUser, meeting: Meeting) -> bool:
    """A cancelled meeting is final; planned and held ones can still be corrected by the secretariat."""
    return is_secretariat(user) and meeting.status != MeetingStatus.CANCELLED


def can_cancel_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return is_secretariat(user) and meeting.status == MeetingStatus.PLANNED


def can_restore_meeting(user: AnyUser, meeting: Meeting, *, now: dt.datetime) -> bool:
    """A cancellation can be undone by the secretariat within the undo window (its mail has not gone yet)."""
    return (
        is_secretariat(user)
        and meeting.status == MeetingStatus.CANCELLED
        and meeting.cancelled_at is not None
        and now < meeting.cancelled_at + UNDO_WINDOW
    )


def can_close_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return can_edit_meeting(user, meeting)


def can_view_committee(user: AnyUser) -> bool:
    """The committee's page (its people, working groups and their readiness): everyone who reads its meetings."""
    return can_view_meetings(user)


def can_invite_to_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return can_edit_meeting(user, meeting)
