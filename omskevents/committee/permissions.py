"""Who may see and manage committee meetings — the one place that decides.

The secretariat runs meetings. Every active member of an agency may read every meeting, its minutes and
decisions: the committee's minutes go to all member agencies. The tasks made from decisions stay scoped
by `tasks_visible_to`, so an agency still sees only its own instructions.
"""

from omskevents.accounts.permissions import is_agency_member, is_secretariat
from omskevents.accounts.types import AnyUser

from .enums import MeetingStatus
from .models import Decision, Meeting


def can_view_meetings(user: AnyUser) -> bool:
    return is_secretariat(user) or is_agency_member(user)


def can_view_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return can_view_meetings(user)


def can_manage_meetings(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_edit_meeting(user: AnyUser, meeting: Meeting) -> bool:
    """A cancelled meeting is final; planned and held ones can still be corrected by the secretariat."""
    return is_secretariat(user) and meeting.status != MeetingStatus.CANCELLED


def can_cancel_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return is_secretariat(user) and meeting.status == MeetingStatus.PLANNED


def can_close_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return can_edit_meeting(user, meeting)


def can_make_task(user: AnyUser, decision: Decision) -> bool:
    """Only the secretariat turns decisions into tasks, once, and only complete ones."""
    return (
        is_secretariat(user)
        and decision.lead_agency_id is not None
        and decision.deadline is not None
        and not decision_has_task(decision)
    )


def decision_has_task(decision: Decision) -> bool:
    """Whether the decision already became a task (the reverse one-to-one raises when absent)."""
    try:
        return decision.task is not None
    except Decision.task.RelatedObjectDoesNotExist:
        return False
