"""The outbox listens to the apps below it (registered in NotificationsConfig.ready).

Each receiver runs inside the sender's transaction: the notices' rows are written with the change they announce.
"""

from typing import Any

from omskevents.accounts.types import AnyUser
from omskevents.committee.models import Meeting
from omskevents.core.sections import PageSection
from omskevents.workplan import permissions as task_permissions
from omskevents.workplan.models import ExtensionRequest, ProgressReport, Task

from . import notices, selectors, wording
from .enums import State


def task_assigned(sender: object, *, task: Task, **kwargs: Any) -> None:
    notices.task_assignment_notify(task=task)


def task_changed(
    sender: object, *, task: Task, old_responsible_id: int | None, old_deadline: Any, **kwargs: Any
) -> None:
    notices.task_changed_notify(task=task, old_responsible_id=old_responsible_id, old_deadline=old_deadline)


def task_status_changed(sender: object, *, task: Task, **kwargs: Any) -> None:
    notices.task_status_notify(task=task)


def report_submitted(sender: object, *, report: ProgressReport, **kwargs: Any) -> None:
    notices.report_submitted_notify(report=report)


def extension_requested(sender: object, *, request: ExtensionRequest, **kwargs: Any) -> None:
    notices.extension_requested_notify(request=request)


def extension_decided(sender: object, *, request: ExtensionRequest, **kwargs: Any) -> None:
    notices.extension_decided_notify(request=request)


def meeting_changed(sender: object, *, meeting: Meeting, change: str, **kwargs: Any) -> None:
    if change == "restored":
        notices.meeting_restored_notify(meeting=meeting)
        return
    notices.meeting_notify(meeting=meeting, change=change, send_after=kwargs.get("send_after"))


def meeting_mail_audience(sender: object, *, meeting: Meeting, change: str, **kwargs: Any) -> list[Any]:
    """committee.signals.meeting_mail_audience: the people a change would be mailed to, after their preferences."""
    return notices.meeting_audience(meeting=meeting, change=change)


def task_page_section(sender: object, *, task: Task, user: AnyUser, **kwargs: Any) -> PageSection | None:
    """workplan.signals.task_page: what was mailed about the task, for those who manage it."""
    if not task_permissions.can_edit_task(user, task):
        return None
    return PageSection(
        template="notifications/task_outbox.html",
        context={"entries": task_outbox_entries(task)},
        slot="side",
    )


def task_outbox_entries(task: Task) -> list[dict[str, Any]]:
    """The task page's notices: each with its state in words and, while queued, when it goes (the
    recipient's zone, named)."""
    return [
        {
            "note": note,
            "state": wording.state_label(note),
            "when": wording.sending_moment(note, today=None) if note.state in (State.QUEUED, State.HELD) else "",
        }
        for note in selectors.task_notifications(task)
    ]
