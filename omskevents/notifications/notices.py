"""Notices on what people do (a task assigned, changed, reported; a meeting set), written in their transaction."""

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.committee.models import Meeting
from omskevents.workplan.enums import CLOSED_STATUSES, TaskStatus
from omskevents.workplan.models import ExtensionRequest, ProgressReport, Task

from . import selectors
from .audience import Audience, Deputies, channel, head_copy, route_to_deputies, unique_recipients
from .dispatch import outbox_dispatch
from .enums import CANCEL_MAKES_MOOT, GATHERABLE_KINDS, REASON_GONE_PREFIX, REMINDER_KINDS, Channel, Kind, State
from .models import Notification
from .selectors import Recipient
from .store import Planned, inbox_items_settle, outbox_store
from .timing import Calendars, next_polite_moment, next_sending_hour

SETTLE_SECONDS = 180  # edits to one item within this time make one notice
SUPERSEDED = "Superseded by a later change within a few minutes."


def _notify(
    *,
    kind: str,
    recipients: Iterable[Recipient | None],
    occasion: str,
    task: Task | None = None,
    meeting: Meeting | None = None,
    context: dict[str, Any] | None = None,
    polite: bool = True,
    send_after: dt.datetime | None = None,
    settle: bool = False,
) -> int:
    """Store notices about something that just happened and dispatch them once the transaction commits.

    The rows are written in the caller's transaction, with the change they announce: a rolled-back change
    announces nothing, a committed one cannot lose its notices. Only the hand-off to the worker waits for the
    commit; if it never comes (the process dies), the next scan hands the rows over.
    `polite` notices wait for the recipient's working hours; meeting changes go at once. `send_after` holds every
    row back until then (the undo window of a cancellation). A person who takes this kind in the daily digest
    gets it at the next sending hour, gathered with the others.
    `settle` notices (on edits) wait SETTLE_SECONDS, and a newer one replaces an older one still waiting: a
    burst of edits to one item within a few minutes makes one notice.
    A gatherable notice that would be mailed at once waits for its recipient's gathering window instead
    (`_gather_window`), so that what comes for them within it goes as one mail.
    """
    now = timezone.now()
    earliest = max(now, send_after) if send_after is not None else now
    rules = selectors.reminder_settings_get()
    calendars = Calendars(now.date())
    item = f"task:{task.pk}" if task is not None else f"meeting:{meeting.pk}" if meeting is not None else ""
    planned = []
    for recipient in unique_recipients(recipients):
        cal = calendars(recipient.country)
        moment = next_polite_moment(recipient, earliest, rules, cal) if polite else earliest
        way = channel(selectors.preference_for(recipient.user), kind) if recipient.user is not None else Channel.MAIL
        if way == Channel.DIGEST:
            moment = next_sending_hour(recipient, earliest, rules, cal)
        elif settle:
            moment = max(moment, now + dt.timedelta(seconds=SETTLE_SECONDS))
        planned.append(
            Planned(
                kind=kind,
                item_key=item,
                recipient=recipient,
                occasion=occasion,
                scheduled_for=moment,
                next_attempt_at=moment,
                task=task,
                meeting=meeting,
                deadline=task.deadline if task is not None else None,
                context=context or {},
                at_once=way == Channel.MAIL and moment <= now and kind in GATHERABLE_KINDS,
            )
        )
    planned = _gather_window(route_to_deputies(planned, Deputies(now.date())), now=now)
    if settle and planned:
        superseded = Q()
        for p in planned:
            superseded |= Q(recipient_key=p.recipient.key)
        Notification.objects.filter(superseded, kind=kind, item_key=item, state=State.QUEUED).update(
            state=State.CANCELLED, last_error=SUPERSEDED, updated=now
        )
    created = outbox_store(planned)
    if created:
        transaction.on_commit(lambda: outbox_dispatch())
    return created


def _gather_window(planned: list[Planned], *, now: dt.datetime) -> list[Planned]:
    """Notices that would be mailed at once go at the end of their recipient's gathering window instead: the
    moment of a row of theirs already waiting within NOTIFY_GATHER_WINDOW_SECONDS (the notice joins it), else
    now + the window (it opens one). The delivery claims a person's rows due at one moment together and
    makes them one mail; a notice whose reason goes meanwhile is cancelled, as at any moment."""
    seconds = settings.NOTIFY_GATHER_WINDOW_SECONDS
    if seconds <= 0:
        return planned
    end = now + dt.timedelta(seconds=seconds)
    placed = []
    for p in planned:
        if p.at_once:
            moment = selectors.open_gather_window(p.recipient.key, now=now, until=end) or end
            p = dataclasses.replace(p, scheduled_for=moment, next_attempt_at=moment)
        placed.append(p)
    return placed


DECIDED_STATUSES = (TaskStatus.ACCEPTED, TaskStatus.RETURNED, TaskStatus.CANCELLED)


def _history_stamp(task: Task) -> str:
    last = task.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return f"h{last}" if last is not None else f"t{timezone.now().timestamp():.6f}"


def task_assignment_notify(*, task: Task, settle: bool = False) -> int:
    """The responsible person learns of the task; co-executors' contacts get a copy."""
    task = Task.objects.select_related("lead_agency__head", "responsible__agency", "event").get(pk=task.pk)
    audience = Audience([task.responsible, task.lead_agency.head])
    recipients: list[Recipient | None] = [audience.executor(task, Kind.ASSIGNMENT)]
    recipients += [selectors.recipient_for_agency(a) for a in task.co_executors.all() if a.email]
    recipients.append(head_copy(audience, task, Kind.ASSIGNMENT))
    return _notify(kind=Kind.ASSIGNMENT, recipients=recipients, occasion=_history_stamp(task), task=task, settle=settle)


def _reason_gone(task: Task, kinds: Iterable[str], reason: str, **filters: Any) -> int:
    """Cancel the task's queued notices of these kinds: what they asked for is done or moot. Their inbox items
    no longer count as unread (inbox_items_settle)."""
    rows = Notification.objects.filter(task=task, kind__in=list(kinds), **filters)
    now = timezone.now()
    cancelled = rows.filter(state=State.QUEUED).update(
        state=State.CANCELLED, last_error=REASON_GONE_PREFIX + reason, updated=now
    )
    if cancelled:
        inbox_items_settle(rows, now=now)
    return cancelled


def task_changed_notify(*, task: Task, old_responsible_id: int | None, old_deadline: dt.date) -> int:
    """After an edit: a new responsible person is told; a new deadline cancels the old one's reminders."""
    cancelled = 0
    if task.deadline != old_deadline:
        cancelled = (
            Notification.objects.filter(task=task, kind__in=REMINDER_KINDS, state=State.QUEUED)
            .exclude(deadline=task.deadline)
            .update(state=State.CANCELLED, last_error="The deadline changed.", updated=timezone.now())
        )
    if task.responsible_id != old_responsible_id:
        # The former responsible person's waiting notices are moot: the task is someone else's now.
        if old_responsible_id is not None:
            _reason_gone(
                task,
                (Kind.ASSIGNMENT, Kind.DEADLINE, Kind.EXTENSION_DECIDED),
                "the task was reassigned.",
                recipient_id=old_responsible_id,
            )
        if task.responsible_id is not None:
            task_assignment_notify(task=task, settle=True)
    return cancelled


TASK_CLOSED = "The task is closed."


def task_status_notify(*, task: Task) -> int:
    """Accepted or returned: the executor (and an opted-in head) hear of it."""
    kinds = {TaskStatus.ACCEPTED: Kind.REPORT_ACCEPTED, TaskStatus.RETURNED: Kind.REPORT_RETURNED}
    if task.status in CLOSED_STATUSES:
        Notification.objects.filter(task=task, kind__in=REMINDER_KINDS, state=State.QUEUED).update(
            state=State.CANCELLED, last_error=TASK_CLOSED, updated=timezone.now()
        )
    else:
        # Reopened (a cancellation undone): the reminders it withdrew that are still ahead go back in the queue.
        Notification.objects.filter(
            task=task, kind__in=REMINDER_KINDS, state=State.CANCELLED, last_error=TASK_CLOSED,
            deadline=task.deadline, scheduled_for__gt=timezone.now(),
        ).update(state=State.QUEUED, last_error="", updated=timezone.now())  # fmt: skip
    if task.status == TaskStatus.REPORTED:
        # The ball is in the controller's court: no deadline or overdue reminder to the executor's side.
        _reason_gone(task, (Kind.DEADLINE, Kind.OVERDUE), "the report awaits acceptance.")
    elif task.status in DECIDED_STATUSES:
        _reason_gone(task, (Kind.REPORT_SUBMITTED, Kind.AWAITING_ACCEPTANCE), "the report was decided.")
    if task.status == TaskStatus.CANCELLED:
        _reason_gone(task, CANCEL_MAKES_MOOT, "the task was cancelled.")
    kind = kinds.get(TaskStatus(task.status))
    if kind is None:
        return 0
    task = Task.objects.select_related("lead_agency__head", "responsible__agency", "event").get(pk=task.pk)
    audience = Audience([task.responsible, task.lead_agency.head])
    stamp = task.status_changed_at.isoformat() if task.status_changed_at else _history_stamp(task)
    return _notify(
        kind=kind,
        recipients=[audience.executor(task, kind), head_copy(audience, task, kind)],
        occasion=f"{task.status}:{stamp}",
        task=task,
    )


def report_submitted_notify(*, report: ProgressReport) -> int:
    task = Task.objects.select_related("lead_agency__head", "controller__agency", "event").get(pk=report.task_id)
    audience = Audience([task.controller, task.lead_agency.head])
    controller = audience.person(task.controller, Kind.REPORT_SUBMITTED) if task.controller else None
    return _notify(
        kind=Kind.REPORT_SUBMITTED,
        recipients=[controller, head_copy(audience, task, Kind.REPORT_SUBMITTED)],
        occasion=f"report:{report.pk}",
        task=task,
        context={"report": report.pk},
    )


def extension_requested_notify(*, request: ExtensionRequest) -> int:
    task = Task.objects.select_related("lead_agency__head", "controller__agency", "event").get(pk=request.task_id)
    audience = Audience([task.controller])
    people = [task.controller, *selectors.committee_secretaries(task)]
    return _notify(
        kind=Kind.EXTENSION_REQUESTED,
        recipients=[audience.person(p, Kind.EXTENSION_REQUESTED) for p in people if p is not None],
        occasion=f"extension:{request.pk}",
        task=task,
        context={"extension": request.pk},
    )


def extension_decided_notify(*, request: ExtensionRequest) -> int:
    _reason_gone(
        request.task, (Kind.EXTENSION_REQUESTED,), "the extension was decided.", occasion=f"extension:{request.pk}"
    )
    task = Task.objects.select_related("lead_agency__head", "responsible__agency", "event").get(pk=request.task_id)
    audience = Audience([task.responsible])
    requester = User.objects.select_related("agency").filter(pk=request.requested_by_id).first()
    return _notify(
        kind=Kind.EXTENSION_DECIDED,
        recipients=[
            audience.person(requester, Kind.EXTENSION_DECIDED) if requester else None,
            audience.executor(task, Kind.EXTENSION_DECIDED),
        ],
        occasion=f"extension:{request.pk}:{request.status}",
        task=task,
        context={"extension": request.pk},
    )


MEETING_CHANGES = {
    "created": Kind.MEETING_INVITATION,
    "updated": Kind.MEETING_UPDATE,
    "cancelled": Kind.MEETING_CANCELLED,
}


# The mark on the rows a cancellation withdrew: a restore within the undo window puts them back in the queue.
SUPERSEDED_BY_CANCELLATION = "Superseded by the meeting's cancellation."


def _meeting_people(meeting: Meeting) -> list[Any]:
    people = [a.user for a in meeting.attendance.select_related("user__agency")]
    if meeting.chair is not None and all(p.pk != meeting.chair_id for p in people):
        people.append(meeting.chair)
    return people


def meeting_audience(*, meeting: Meeting, change: str) -> list[Any]:
    """The people meeting_notify would write a notice to for this change (the confirmation page lists them)."""
    kind = MEETING_CHANGES[change]
    meeting = Meeting.objects.select_related("committee", "chair__agency").get(pk=meeting.pk)
    people = _meeting_people(meeting)
    audience = Audience(people)
    # Mailed ones only: a person who takes meeting notices in the app only gets no mail.
    chosen = [
        p for p in people if audience.person(p, kind) is not None and channel(audience.pref(p), kind) != Channel.APP
    ]
    return sorted(chosen, key=lambda p: (p.last_name, p.first_name, p.pk))


def meeting_restored_notify(*, meeting: Meeting) -> int:
    """A cancellation undone within its window: its notices, still waiting, are withdrawn unsent, and what it
    withdrew (invitations, updates, reminders not yet sent) goes back in the queue. Returns the rows withdrawn."""
    now = timezone.now()
    withdrawn = Notification.objects.filter(meeting=meeting, kind=Kind.MEETING_CANCELLED, state=State.QUEUED).update(
        state=State.CANCELLED, last_error="The cancellation was undone.", updated=now
    )
    Notification.objects.filter(meeting=meeting, state=State.CANCELLED, last_error=SUPERSEDED_BY_CANCELLATION).update(
        state=State.QUEUED, last_error="", updated=now
    )
    return withdrawn


def meeting_notify(*, meeting: Meeting, change: str, send_after: dt.datetime | None = None) -> int:
    """Invite, update or cancel: every invitee gets the meeting with an iCalendar part.

    Call it after the committee service saved the meeting (and raised `sequence` for a change).
    Older invitations still waiting in the queue are superseded by this one.
    """
    if change not in MEETING_CHANGES:
        raise ValidationError({"change": f"unknown meeting change {change!r}"})
    kind = MEETING_CHANGES[change]
    meeting = Meeting.objects.select_related("committee", "chair__agency").get(pk=meeting.pk)
    people = _meeting_people(meeting)
    audience = Audience(people)
    superseded = [Kind.MEETING_INVITATION, Kind.MEETING_UPDATE]
    reason = "Superseded by a newer version of the meeting."
    if kind == Kind.MEETING_CANCELLED:
        superseded.append(Kind.MEETING_REMINDER)
        reason = SUPERSEDED_BY_CANCELLATION
    Notification.objects.filter(meeting=meeting, kind__in=superseded, state=State.QUEUED).update(
        state=State.CANCELLED, last_error=reason, updated=timezone.now()
    )
    return _notify(
        kind=kind,
        recipients=[audience.person(p, kind) for p in people],
        occasion=f"seq:{meeting.sequence}",
        meeting=meeting,
        context={"sequence": meeting.sequence, "starts_at": meeting.starts_at.isoformat()},
        polite=False,
        send_after=send_after,
    )
