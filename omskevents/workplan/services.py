"""Writes to tasks: create, edit, move through the workflow, report, extend. One behaviour, one place."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from omskevents.accounts.models import User
from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency
from omskevents.calendars.services import calendar_country, next_working_day
from omskevents.committee.models import Decision, Meeting
from omskevents.core.history import history_reason_set, history_user_set
from omskevents.events.models import Event

from . import permissions, signals
from .enums import DeadlineAnchor, ExtensionStatus, TaskSource, TaskStatus
from .models import Attachment, ExtensionRequest, ProgressReport, Task, TaskComment
from .selectors import attachment_bytes_of
from .uploads import check_storage_quota, check_upload_batch, inspect_upload
from .workflow import is_transition

EDITABLE_FIELDS = (
    "event",
    "number",
    "area",
    "working_group",
    "title",
    "description",
    "lead_agency",
    "responsible",
    "controller",
    "deadline",
    "deadline_anchor",
    "deadline_offset_days",
    "is_follow_up",
    "priority",
    "source",
    "source_decision",
    "parent",
)


def deadline_resolve(
    *, event: Event, deadline: dt.date | None, anchor: str, offset_days: int | None, lead_agency: Agency | None
) -> tuple[dt.date, str]:
    """The effective deadline and a note if it was moved off a non-working day."""
    if anchor:
        if offset_days is None:
            raise ValidationError({"deadline_offset_days": _("Give the number of days relative to the event.")})
        base = event.start_date if anchor == DeadlineAnchor.EVENT_START else event.end_date
        deadline = base + dt.timedelta(days=offset_days)
    if deadline is None:
        raise ValidationError({"deadline": _("Give a deadline.")})
    country = calendar_country(lead_agency)
    working = next_working_day(country, deadline)
    if working != deadline:
        note = _("Moved from %(date)s (a non-working day in %(country)s) to the next working day.") % {
            "date": formats.date_format(deadline, "SHORT_DATE_FORMAT"),
            "country": Country(country).label,
        }
        return working, note
    return deadline, ""


def _check_co_executors(lead_agency: Agency, co_executors: Iterable[Agency]) -> list[Agency]:
    agencies = list(co_executors)
    if any(a.pk == lead_agency.pk for a in agencies):
        raise ValidationError({"co_executors": _("The lead executor cannot also be a co-executor.")})
    return agencies


def _check_dependencies(task: Task, depends_on: Iterable[Task]) -> list[Task]:
    tasks = list(depends_on)
    if any(t.pk == task.pk for t in tasks):
        raise ValidationError({"depends_on": _("A task cannot depend on itself.")})
    return tasks


@transaction.atomic
def task_create(
    *,
    actor: User,
    event: Event,
    title: str,
    area: str,
    lead_agency: Agency,
    deadline: dt.date | None = None,
    deadline_anchor: str = "",
    deadline_offset_days: int | None = None,
    co_executors: Sequence[Agency] = (),
    depends_on: Sequence[Task] = (),
    **fields: Any,
) -> Task:
    if not permissions.can_create_task(actor):
        raise PermissionDenied(_("Only the committee secretariat can create tasks."))
    if not permissions.can_lead_with(actor, lead_agency):
        raise ValidationError({"lead_agency": _("The Kazakh secretariat gives tasks to Kazakh agencies only.")})
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    effective, note = deadline_resolve(
        event=event,
        deadline=deadline,
        anchor=deadline_anchor,
        offset_days=deadline_offset_days,
        lead_agency=lead_agency,
    )
    task = Task(
        event=event,
        title=title,
        area=area,
        lead_agency=lead_agency,
        deadline=effective,
        deadline_note=note,
        deadline_anchor=deadline_anchor,
        deadline_offset_days=deadline_offset_days if deadline_anchor else None,
        created_by=actor,
        controller=fields.pop("controller", None) or actor,
        status_changed_at=timezone.now(),
        **fields,
    )
    co = _check_co_executors(lead_agency, co_executors)
    task.full_clean()
    history_user_set(task, actor)
    task.save()
    task.co_executors.set(co)
    task.depends_on.set(_check_dependencies(task, depends_on))
    signals.task_assigned.send(sender=Task, task=task)
    return task


@transaction.atomic
def task_create_from_decision(*, actor: User, decision: Decision, event: Event, area: str) -> Task:
    """Turn a meeting decision into a task linked to it; a decision becomes at most one task.

    Calling it again for the same decision returns the task made the first time.
    """
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to lead_agency.
    decision = (
        Decision.objects.select_for_update(of=("self",)).select_related("meeting", "lead_agency").get(pk=decision.pk)
    )
    existing = Task.objects.filter(source_decision=decision).first()
    if existing is not None:
        return existing
    if decision.lead_agency is None or decision.deadline is None:
        raise ValidationError(_("A decision needs a lead executor and a deadline to become a task."))
    meeting = decision.meeting
    source = _("Decision %(number)s of the committee meeting No. %(meeting)s of %(date)s.") % {
        "number": decision.number,
        "meeting": meeting.number,
        "date": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y"),
    }
    return task_create(
        actor=actor,
        event=event,
        title=decision.text[:1000],
        description=f"{decision.text}\n\n{source}",
        area=area,
        lead_agency=decision.lead_agency,
        deadline=decision.deadline,
        co_executors=list(decision.co_executors.all()),
        # A decision's deadline after the event is a follow-up by its nature, not an error.
        is_follow_up=decision.deadline > event.end_date,
        source=TaskSource.DECISION,
        source_decision=decision,
    )


@transaction.atomic
def meeting_decisions_to_tasks(*, actor: User, meeting: Meeting, event: Event, area: str) -> tuple[list[Task], int]:
    """Turn every complete decision of a meeting that has no task yet into one.

    Returns the new tasks and how many decisions were skipped (no lead executor or deadline).
    """
    if not permissions.can_make_tasks_from_decisions(actor):
        raise PermissionDenied(_("Only the committee secretariat can create tasks."))
    created: list[Task] = []
    skipped = 0
    for decision in meeting.decisions.select_related("lead_agency", "task").order_by("pk"):
        if permissions.decision_has_task(decision):
            continue
        if decision.lead_agency_id is None or decision.deadline is None:
            skipped += 1
            continue
        created.append(task_create_from_decision(actor=actor, decision=decision, event=event, area=area))
    return created, skipped


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    co_executors: Sequence[Agency] | None = None,
    depends_on: Sequence[Task] | None = None,
    reason: str = "",
    **fields: Any,
) -> Task:
    if not permissions.can_edit_task(actor, task):
        raise PermissionDenied(_("Only the committee secretariat can edit a task."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown task fields: {sorted(unknown)}")
    task = Task.objects.select_for_update().get(pk=task.pk)
    old_responsible_id, old_deadline = task.responsible_id, task.deadline
    for name, value in fields.items():
        setattr(task, name, value)
    if "lead_agency" in fields and not permissions.steers_task(actor, task):
        raise ValidationError({"lead_agency": _("The Kazakh secretariat gives tasks to Kazakh agencies only.")})
    if not task.deadline_anchor:
        task.deadline_offset_days = None
    if {"deadline", "deadline_anchor", "deadline_offset_days", "lead_agency", "event"} & set(fields):
        task.deadline, task.deadline_note = deadline_resolve(
            event=task.event,
            deadline=task.deadline,
            anchor=task.deadline_anchor,
            offset_days=task.deadline_offset_days,
            lead_agency=task.lead_agency,
        )
    co = _check_co_executors(task.lead_agency, co_executors if co_executors is not None else task.co_executors.all())
    if task.counterpart_id is not None and {"lead_agency", "event"} & set(fields):
        _check_pair(task, Task.objects.select_related("lead_agency").get(pk=task.counterpart_id))
    task.full_clean()
    history_user_set(task, actor)
    history_reason_set(task, reason[:100] or None)
    task.save()
    if co_executors is not None:
        task.co_executors.set(co)
    if depends_on is not None:
        task.depends_on.set(_check_dependencies(task, depends_on))
    signals.task_changed.send(sender=Task, task=task, old_responsible_id=old_responsible_id, old_deadline=old_deadline)
    return task


PAIR_SIDES = (Country.RU, Country.KZ)


def _check_pair(task: Task, other: Task) -> None:
    """Two tasks of a pair: the same event, lead agencies on the two sides (one Russian, one Kazakh)."""
    if task.pk == other.pk:
        raise ValidationError({"counterpart": _("A task cannot be its own counterpart.")})
    if task.event_id != other.event_id:
        raise ValidationError({"counterpart": _("The counterpart must be a task of the same event.")})
    sides = {task.lead_agency.country, other.lead_agency.country}
    if sides != set(PAIR_SIDES):
        raise ValidationError({"counterpart": _("A pair joins a Russian agency's task and a Kazakh agency's task.")})


@transaction.atomic
def task_pair(*, actor: User, task: Task, counterpart: Task) -> Task:
    """Name each task the other's counterpart (symmetric). A task already in another pair must leave it first."""
    if not permissions.can_pair_tasks(actor):
        raise PermissionDenied(_("Only the committee secretariat pairs tasks."))
    locked = {
        t.pk: t
        for t in Task.objects.select_for_update(of=("self",))
        .select_related("lead_agency")
        .filter(pk__in=[task.pk, counterpart.pk])
    }
    task, counterpart = locked[task.pk], locked.get(counterpart.pk, counterpart)
    _check_pair(task, counterpart)
    if task.counterpart_id == counterpart.pk:
        return task
    for one in (task, counterpart):
        if one.counterpart_id is not None:
            raise ValidationError(
                {"counterpart": _("Task “%(task)s” already has a counterpart: unpair it first.") % {"task": one}}
            )
    for one, other in ((task, counterpart), (counterpart, task)):
        one.counterpart = other
        history_user_set(one, actor)
        one.save(update_fields=["counterpart", "updated"])
    return task


@transaction.atomic
def task_unpair(*, actor: User, task: Task) -> Task:
    if not permissions.can_pair_tasks(actor):
        raise PermissionDenied(_("Only the committee secretariat pairs tasks."))
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.counterpart_id is None:
        return task
    for one in Task.objects.select_for_update().filter(pk__in=[task.pk, task.counterpart_id]):
        one.counterpart = None
        history_user_set(one, actor)
        one.save(update_fields=["counterpart", "updated"])
    task.counterpart = None
    return task


@transaction.atomic
def task_bulk_reassign(
    *, actor: User, tasks: Iterable[Task], lead_agency: Agency | None = None, responsible: User | None = None
) -> int:
    """Give many tasks a new lead executor and/or responsible person, each through task_update's rules.

    All or nothing: one task that cannot take the change (say, the new lead is already its co-executor)
    stops the whole batch with that task named. Returns how many tasks changed.
    """
    if not permissions.can_edit_task(actor):
        raise PermissionDenied(_("Only the committee secretariat can edit a task."))
    changes: dict[str, Any] = {}
    if lead_agency is not None:
        changes["lead_agency"] = lead_agency
    if responsible is not None:
        changes["responsible"] = responsible
    if not changes:
        raise ValidationError(_("Choose a new lead executor or a responsible person."))
    changed = 0
    for task in tasks:
        try:
            task_update(actor=actor, task=task, reason=_("Bulk reassignment"), **changes)
        except ValidationError as error:
            raise ValidationError(
                _("Task “%(task)s”: %(error)s") % {"task": task, "error": " ".join(error.messages)}
            ) from error
        changed += 1
    return changed


@transaction.atomic
def task_bulk_shift_deadline(*, actor: User, tasks: Iterable[Task], days: int, reason: str) -> int:
    """Move many deadlines by the same number of days, with the reason kept in each task's history.

    A relative deadline keeps its anchor and moves its offset; the working-day rule applies to each
    task as task_update applies it. All or nothing. Returns how many tasks moved.
    """
    if not permissions.can_edit_task(actor):
        raise PermissionDenied(_("Only the committee secretariat can edit a task."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for moving the deadlines.")})
    if days == 0:
        raise ValidationError({"days": _("Give a non-zero number of days.")})
    moved = 0
    for task in tasks:
        if task.deadline_anchor:
            change: dict[str, Any] = {"deadline_offset_days": (task.deadline_offset_days or 0) + days}
        else:
            change = {"deadline": task.deadline + dt.timedelta(days=days)}
        try:
            updated = task_update(actor=actor, task=task, reason=reason, **change)
        except ValidationError as error:
            raise ValidationError(
                _("Task “%(task)s”: %(error)s") % {"task": task, "error": " ".join(error.messages)}
            ) from error
        TaskComment.objects.create(
            task=updated,
            author=actor,
            text=_("Deadline moved by %(days)+d days to %(date)s: %(reason)s")
            % {"days": days, "date": formats.date_format(updated.deadline, "SHORT_DATE_FORMAT"), "reason": reason},
        )
        moved += 1
    return moved


def event_deadlines_plan(*, event: Event, lock: bool = False) -> list[tuple[Task, dt.date, str]]:
    """The open tasks whose deadline is set relative to `event` (which may be an unsaved copy with new dates) and
    would change, with the new deadline and note: what `event_deadlines_follow` does, and the dates' preview
    shows. Counted on the lead agency's calendar, as when the task was set; writes nothing."""
    tasks = Task.objects.filter(event_id=event.pk).exclude(deadline_anchor="").open().order_by("deadline", "pk")
    if lock:
        tasks = tasks.select_for_update(of=("self",))
    plan = []
    for task in tasks.select_related("lead_agency"):
        deadline, note = deadline_resolve(
            event=event,
            deadline=None,
            anchor=task.deadline_anchor,
            offset_days=task.deadline_offset_days,
            lead_agency=task.lead_agency,
        )
        if (deadline, note) != (task.deadline, task.deadline_note):
            plan.append((task, deadline, note))
    return plan


@transaction.atomic
def event_deadlines_follow(*, actor: User, event: Event) -> int:
    """Recompute the deadlines set relative to an event after its dates change. Returns how many moved."""
    moved = 0
    for task, deadline, note in event_deadlines_plan(event=event, lock=True):
        old_deadline = task.deadline
        task.deadline, task.deadline_note = deadline, note
        history_user_set(task, actor)
        task.save(update_fields=["deadline", "deadline_note", "updated"])
        signals.task_changed.send(
            sender=Task, task=task, old_responsible_id=task.responsible_id, old_deadline=old_deadline
        )
        moved += 1
    return moved


@transaction.atomic
def task_change_status(*, actor: User, task: Task, status: str, note: str = "") -> Task:
    """Move a task through the workflow; a move the workflow does not allow changes nothing."""
    task = Task.objects.select_for_update(of=("self",)).select_related("lead_agency").get(pk=task.pk)
    if not permissions.can_view_task(actor, task):
        raise PermissionDenied(_("You cannot see this task."))
    if task.status == status:
        return task
    if not is_transition(task.status, status) or not permissions.can_change_status(actor, task, status):
        raise ValidationError(
            {
                "status": _("A task cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": TaskStatus(task.status).label,
                    "new": TaskStatus(status).label if status in TaskStatus.values else status,
                }
            }
        )
    if status == TaskStatus.REPORTED and not task.reports.exists():
        raise ValidationError({"status": _("Write a progress report before marking the task as reported.")})
    task.status = status
    task.status_changed_at = timezone.now()
    history_user_set(task, actor)
    history_reason_set(task, note[:100] if note else None)
    task.save(update_fields=["status", "status_changed_at", "updated"])
    if note:
        TaskComment.objects.create(task=task, author=actor, text=note)
    signals.task_status_changed.send(sender=Task, task=task)
    return task


@transaction.atomic
def task_restore(*, actor: User, task: Task) -> Task:
    """Undo a cancellation within the undo window: the task goes back to the status it had before it."""
    task = Task.objects.select_for_update(of=("self",)).select_related("lead_agency").get(pk=task.pk)
    if not permissions.can_view_task(actor, task):
        raise PermissionDenied(_("You cannot see this task."))
    if not permissions.can_restore_task(actor, task, now=timezone.now()):
        raise ValidationError(_("The cancellation can no longer be undone."))
    previous = (
        task.history.exclude(status=TaskStatus.CANCELLED).order_by("-history_id").values_list("status", flat=True)
    ).first()
    task.status = previous or TaskStatus.ASSIGNED
    task.status_changed_at = timezone.now()
    history_user_set(task, actor)
    history_reason_set(task, _("Cancellation undone"))
    task.save(update_fields=["status", "status_changed_at", "updated"])
    signals.task_status_changed.send(sender=Task, task=task)
    return task


@transaction.atomic
def task_report_progress(
    *, actor: User, task: Task, text: str, files: Sequence["UploadedFile[bytes]"] = (), is_final: bool = False
) -> ProgressReport:
    """An executor reports progress, with files; a report of completion sends the task to its controller."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not permissions.can_report_progress(actor, task):
        raise PermissionDenied(_("You cannot report on this task."))
    if not text.strip():
        raise ValidationError({"text": _("Write what has been done.")})
    checked = [inspect_upload(f) for f in files]
    _check_upload_limits(actor=actor, files=files)
    report = ProgressReport(task=task, author=actor, text=text, is_final=is_final)
    report.full_clean(exclude=["task", "author"])  # the task locked above, the person signed in: no query for either
    history_user_set(report, actor)
    report.save()
    for upload, info in zip(files, checked, strict=True):
        Attachment.objects.create(
            report=report, file=upload, original_name=info.name, content_type=info.content_type, size=info.size
        )
    if task.status == TaskStatus.ASSIGNED and not is_final:
        task_change_status(actor=actor, task=task, status=TaskStatus.IN_PROGRESS)
    elif is_final:
        task_change_status(actor=actor, task=task, status=TaskStatus.REPORTED)
    signals.report_submitted.send(sender=ProgressReport, report=report)
    return report


def _check_upload_limits(*, actor: User, files: Sequence["UploadedFile[bytes]"]) -> None:
    """Files per report, bytes per report and the author's storage quota; the author's row is locked first, so
    two reports sent at once cannot both squeeze into the last of the quota."""
    if not files:
        return
    try:
        check_upload_batch(files)
        list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
        check_storage_quota(used=attachment_bytes_of(actor), adding=sum(f.size or 0 for f in files))
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from error


@transaction.atomic
def task_request_extension(*, actor: User, task: Task, new_deadline: dt.date, reason: str) -> ExtensionRequest:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not permissions.can_request_extension(actor, task):
        raise PermissionDenied(_("Only the lead executor can ask to extend an open task's deadline."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if new_deadline <= task.deadline:
        raise ValidationError({"new_deadline": _("The requested deadline must be later than the current one.")})
    if task.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(_("This task already has an extension request awaiting a decision."))
    request = ExtensionRequest(
        task=task, requested_by=actor, old_deadline=task.deadline, new_deadline=new_deadline, reason=reason
    )
    request.full_clean()
    history_user_set(request, actor)
    request.save()
    signals.extension_requested.send(sender=ExtensionRequest, request=request)
    return request


@transaction.atomic
def extension_decide(*, actor: User, request: ExtensionRequest, approve: bool, note: str = "") -> ExtensionRequest:
    """Grant or refuse a pending extension. The task is locked first, as by every change of a task (then the
    request): a mail delivery checking whether the request's notice is still wanted locks the task too, so it
    either sees the decision or has claimed the notice before it (tests/notifications/test_reason_race.py)."""
    list(Task.objects.select_for_update().filter(pk=request.task_id).values_list("pk", flat=True))
    request = ExtensionRequest.objects.select_for_update(of=("self",)).select_related("task").get(pk=request.pk)
    if not permissions.can_decide_extension(actor, request):
        raise PermissionDenied(_("Only the committee secretariat decides on extensions."))
    if request.status != ExtensionStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    history_user_set(request, actor)
    request.save()
    if approve:
        task_update(actor=actor, task=request.task, deadline=request.new_deadline, deadline_anchor="")
    signals.extension_decided.send(sender=ExtensionRequest, request=request)
    return request


@transaction.atomic
def task_comment_add(*, actor: User, task: Task, text: str) -> TaskComment:
    if not permissions.can_comment(actor, task):
        raise PermissionDenied(_("You cannot comment on this task."))
    if not text.strip():
        raise ValidationError({"text": _("The comment is empty.")})
    comment = TaskComment(task=task, author=actor, text=text)
    comment.full_clean(exclude=["author"])  # the person signed in
    comment.save()
    return comment
