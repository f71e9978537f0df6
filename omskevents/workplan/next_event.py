"""The next Forum from this one ("Prepare the next Forum"): a preview first, then one atomic step.

The event and its programme skeleton come from `events.services` (the venues too, or a blank set); the action
plan is copied here: every task with its lead and co-executors, working group, area, priority and links between
tasks. A relative deadline is re-counted from the new dates on the host country's working days; a fixed deadline
moves by the same span as the start date. Reports, files, comments, extension requests, statuses and history
are not copied: every task starts as assigned, and no notice is mailed (the plan is a draft for the next year).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from omskevents.accounts.models import User
from omskevents.calendars.services import calendar_country, next_working_day
from omskevents.core.history import history_user_set
from omskevents.events.enums import Side
from omskevents.events.models import Event, ProgrammeItem
from omskevents.events.services import NextEventSpec, event_create_next, event_next_draft

from . import permissions
from .enums import DeadlineAnchor, TaskSource, TaskStatus
from .models import Task


@dataclass(frozen=True)
class TaskCopy:
    source: Task
    deadline: dt.date
    relative: bool


@dataclass
class NextEventPreview:
    event: Event
    programme: list[ProgrammeItem]
    venues: int
    tasks: list[TaskCopy] = field(default_factory=list)
    span_days: int = 0


def _country(host_country: str, task: Task) -> str:
    # The host country's calendar; an event hosted elsewhere counts by each lead agency's own.
    return host_country if host_country in (Side.RU, Side.KZ) else calendar_country(task.lead_agency)


def _plan(source: Event) -> list[Task]:
    return list(
        Task.objects.filter(event=source)
        .exclude(status=TaskStatus.CANCELLED)
        .select_related("lead_agency")
        .prefetch_related("co_executors", "depends_on")
        .order_by("deadline", "pk")
    )


def next_event_preview(*, source: Event, spec: NextEventSpec) -> NextEventPreview:
    """What the step would make, without saving anything; raises ValidationError for a bad spec."""
    event, programme = event_next_draft(source=source, spec=spec)
    span = spec.start_date - source.start_date
    copies = []
    for task in _plan(source):
        if task.deadline_anchor:
            base = spec.start_date if task.deadline_anchor == DeadlineAnchor.EVENT_START else spec.end_date
            wanted = base + dt.timedelta(days=task.deadline_offset_days or 0)
            deadline = next_working_day(_country(spec.host_country, task), wanted)
        else:
            deadline = task.deadline + span
        copies.append(TaskCopy(source=task, deadline=deadline, relative=bool(task.deadline_anchor)))
    return NextEventPreview(
        event=event,
        programme=programme,
        venues=source.venues.count() if spec.copy_venues else 0,
        tasks=copies,
        span_days=span.days,
    )


@transaction.atomic
def next_event_create(*, actor: User, source: Event, spec: NextEventSpec) -> Event:
    """Make the next event, its programme skeleton and its action plan in one transaction: all or nothing."""
    if not permissions.can_prepare_next_event(actor):
        raise PermissionDenied(_("Only the committee secretariat prepares the next event."))
    preview = next_event_preview(source=source, spec=spec)
    event = event_create_next(actor=actor, source=source, spec=spec)
    made: dict[int, Task] = {}
    for copy in preview.tasks:
        old = copy.source
        task = Task(
            event=event,
            number=old.number,
            area=old.area,
            working_group=old.working_group,
            title=old.title,
            description=old.description,
            lead_agency=old.lead_agency,
            deadline=copy.deadline,
            deadline_anchor=old.deadline_anchor,
            deadline_offset_days=old.deadline_offset_days,
            is_follow_up=old.is_follow_up,
            priority=old.priority,
            status=TaskStatus.ASSIGNED,
            source=TaskSource.ACTION_PLAN,
            created_by=actor,
        )
        try:
            task.full_clean(exclude=["parent"])
        except ValidationError as error:
            raise ValidationError(
                _("Task “%(task)s”: %(error)s") % {"task": old, "error": " ".join(error.messages)}
            ) from error
        history_user_set(task, actor)
        task.save()
        task.co_executors.set(old.co_executors.all())
        made[old.pk] = task
    for copy in preview.tasks:
        old, new = copy.source, made[copy.source.pk]
        if old.parent_id in made:
            new.parent = made[old.parent_id]
            new.save(update_fields=["parent", "updated"])
        new.depends_on.set([made[d.pk] for d in old.depends_on.all() if d.pk in made])
    return event
