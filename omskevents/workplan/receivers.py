"""What the workplan does when a lower app signals (registered in WorkplanConfig.ready)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omskevents.accounts.models import User
from omskevents.accounts.types import AnyUser
from omskevents.committee.models import Meeting
from omskevents.committee.selectors import meeting_previous
from omskevents.core.sections import PageSection
from omskevents.events.dates import PlannedChange, PreviewSection, date_text
from omskevents.events.models import Event

from . import permissions, selectors, services
from .forms import DecisionTaskForm


def deadlines_follow_event(sender: object, *, event: Event, actor: User, **kwargs: Any) -> str | None:
    """events.signals.event_dates_changed: relative deadlines follow the event's new dates."""
    moved = services.event_deadlines_follow(actor=actor, event=event)
    if not moved:
        return None
    return ngettext(
        "%(count)d task deadline followed the new dates.",
        "%(count)d task deadlines followed the new dates.",
        moved,
    ) % {"count": moved}


def deadlines_preview(sender: object, *, moved: Event, **kwargs: Any) -> PreviewSection:
    """events.signals.event_dates_preview: the relative deadlines `deadlines_follow_event` would move (no writes)."""
    changes = tuple(
        PlannedChange(
            key=f"workplan.task:{task.pk}",
            what=f"{task.number} {task.title}".strip(),
            old=task.deadline,
            new=deadline,
            old_text=date_text(task.deadline),
            new_text=date_text(deadline),
            note=note,
        )
        for task, deadline, note in services.event_deadlines_plan(event=moved)
    )
    return PreviewSection(name="tasks", title=_("Deadlines of the action plan"), changes=changes, order=20)


def meeting_page_sections(sender: object, *, meeting: Meeting, user: AnyUser, **kwargs: Any) -> list[PageSection]:
    """committee.signals.meeting_page: the previous meeting's instructions, and the tasks made from decisions."""
    sections: list[PageSection] = []
    previous = meeting_previous(meeting)
    if previous is not None:
        sections.append(
            PageSection(
                template="workplan/meeting_previous_instructions.html",
                context={
                    "previous": previous,
                    "previous_instructions": selectors.instructions_of(user, previous),
                    "today": timezone.localdate(),
                },
                slot="before_agenda",
            )
        )
    rows = [
        {"decision": d, "can_make_task": permissions.can_make_task(user, d)}
        for d in selectors.decisions_with_tasks(user, meeting)
    ]
    can_make = permissions.can_make_tasks_from_decisions(user)
    sections.append(
        PageSection(
            template="workplan/meeting_decision_tasks.html",
            context={
                "meeting": meeting,
                "rows": rows,
                "any_task_to_make": any(row["can_make_task"] for row in rows),
                "task_form": DecisionTaskForm(prefix="task", meeting=meeting) if can_make else None,
            },
            slot="after_decisions",
        )
    )
    return sections
