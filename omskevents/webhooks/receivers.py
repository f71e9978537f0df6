"""The webhooks listen to the apps below them (registered in WebhooksConfig.ready).

Each receiver runs inside the sender's transaction: the deliveries' rows are written with the change they
announce. Whether an endpoint gets an event is asked of the apps' own scoped selectors and predicates with the
endpoint owner's stand-in (permissions.viewer_of): a ministry's endpoint hears only of tasks its agency leads or
co-executes.
"""

import datetime as dt
from typing import Any

from omskevents.accounts.models import User
from omskevents.agreements.models import Agreement
from omskevents.agreements.selectors import agreements_visible_to
from omskevents.committee.models import Meeting
from omskevents.committee.permissions import can_view_meeting
from omskevents.workplan.models import ExtensionRequest, ProgressReport, Task
from omskevents.workplan.selectors import extension_requests_visible_to, reports_visible_to, tasks_visible_to

from . import payloads
from .enums import EventKind
from .outbox import announce

# committee.signals.meeting_changed's `change` for a newly scheduled meeting.
MEETING_CREATED = "created"


def _fresh(task_id: int) -> Task:
    """The task as saved now: a report or a decision may have moved its status or deadline through another copy."""
    return Task.objects.select_related("event", "lead_agency", "responsible").get(pk=task_id)


def _sees_task(task: Task) -> Any:
    return lambda viewer: tasks_visible_to(viewer).filter(pk=task.pk).exists()


def task_assigned(sender: object, *, task: Task, **kwargs: Any) -> None:
    announce(
        kind=EventKind.TASK_ASSIGNED,
        object_key=f"task:{task.pk}",
        visible=_sees_task(task),
        data=lambda viewer: {"task": payloads.task_data(task)},
    )


def task_changed(
    sender: object, *, task: Task, old_responsible_id: int | None, old_deadline: dt.date | None, **kwargs: Any
) -> None:
    """Only a new deadline is an event for the webhooks (edits of other fields are not announced)."""
    if old_deadline is None or old_deadline == task.deadline:
        return
    announce(
        kind=EventKind.TASK_DEADLINE_CHANGED,
        object_key=f"task:{task.pk}",
        visible=_sees_task(task),
        data=lambda viewer: {
            "task": payloads.task_data(task),
            "old_deadline": old_deadline.isoformat(),
            "deadline": task.deadline.isoformat(),
        },
    )


def task_status_changed(sender: object, *, task: Task, **kwargs: Any) -> None:
    announce(
        kind=EventKind.TASK_STATUS_CHANGED,
        object_key=f"task:{task.pk}",
        visible=_sees_task(task),
        data=lambda viewer: {"task": payloads.task_data(task), "status": task.status},
    )


def report_submitted(sender: object, *, report: ProgressReport, **kwargs: Any) -> None:
    def visible(viewer: User) -> bool:
        return reports_visible_to(viewer).filter(pk=report.pk).exists()

    announce(
        kind=EventKind.REPORT_SUBMITTED,
        object_key=f"task:{report.task_id}",
        visible=visible,
        data=lambda viewer: {
            "task": payloads.task_data(_fresh(report.task_id)),
            "report": payloads.report_data(report),
        },
    )


def extension_decided(sender: object, *, request: ExtensionRequest, **kwargs: Any) -> None:
    def visible(viewer: User) -> bool:
        return extension_requests_visible_to(viewer).filter(pk=request.pk).exists()

    announce(
        kind=EventKind.EXTENSION_DECIDED,
        object_key=f"task:{request.task_id}",
        visible=visible,
        data=lambda viewer: {
            "task": payloads.task_data(_fresh(request.task_id)),
            "extension": payloads.extension_data(request),
        },
    )


def meeting_changed(sender: object, *, meeting: Meeting, change: str, **kwargs: Any) -> None:
    """A meeting scheduled (moves and cancellations are not announced to webhooks)."""
    if change != MEETING_CREATED:
        return
    announce(
        kind=EventKind.MEETING_SCHEDULED,
        object_key=f"meeting:{meeting.pk}",
        visible=lambda viewer: can_view_meeting(viewer, meeting),
        data=lambda viewer: {"meeting": payloads.meeting_data(meeting)},
    )


def agreement_stage_changed(sender: object, *, agreement: Agreement, old_stage: str, **kwargs: Any) -> None:
    announce(
        kind=EventKind.AGREEMENT_STAGE_CHANGED,
        object_key=f"agreement:{agreement.pk}",
        visible=lambda viewer: agreements_visible_to(viewer).filter(pk=agreement.pk).exists(),
        data=lambda viewer: {"agreement": payloads.agreement_data(agreement, old_stage=old_stage)},
    )
