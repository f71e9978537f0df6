"""Who may do what with tasks, reports, files and extension requests — the one place that decides.

Views, the admin and templates all ask these predicates.
"""

import datetime as dt

from omskevents.accounts.permissions import is_agency_member, is_kz_secretariat, is_secretariat
from omskevents.accounts.types import AnyUser
from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency
from omskevents.committee.models import Decision
from omskevents.core.confirm import UNDO_WINDOW

from .enums import CLOSED_STATUSES, TaskStatus
from .models import Attachment, ExtensionRequest, Task
from .workflow import Actor, allowed_targets


def _agency_ids(task: Task) -> set[int]:
    return {task.lead_agency_id, *(a.pk for a in task.co_executors.all())}


def is_executor(user: AnyUser, task: Task) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id and user.agency_id in _agency_ids(task))


def is_lead_executor(user: AnyUser, task: Task) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id == task.lead_agency_id)


# The two secretariats. The Omsk (committee) secretariat steers every task; the Kazakh secretariat the
# tasks a Kazakh agency leads, and only those: the side of a task is the side of its lead agency.


def steered_side(user: AnyUser) -> str | None:
    """The country whose agencies' tasks a side secretariat steers (None: every side, or none at all)."""
    return Country.KZ if is_kz_secretariat(user) else None


def is_any_secretariat(user: AnyUser) -> bool:
    return is_secretariat(user) or is_kz_secretariat(user)


def can_lead_with(user: AnyUser, agency: Agency) -> bool:
    """Whether this secretariat may give a task to this lead agency."""
    if is_secretariat(user):
        return True
    return is_kz_secretariat(user) and agency.country == Country.KZ


def steers_task(user: AnyUser, task: Task) -> bool:
    """Whether the user manages the task as a secretariat (edits it, accepts, returns, decides extensions)."""
    return can_lead_with(user, task.lead_agency)


def can_view_tasks(user: AnyUser) -> bool:
    """Whether the user has any tasks to see at all (the admin's index and changelists)."""
    return is_any_secretariat(user) or is_agency_member(user)


def can_view_task(user: AnyUser, task: Task) -> bool:
    return is_secretariat(user) or is_executor(user, task) or (is_kz_secretariat(user) and steers_task(user, task))


def can_create_task(user: AnyUser) -> bool:
    """Both secretariats create tasks; the Kazakh one only with a Kazakh lead agency (can_lead_with)."""
    return is_any_secretariat(user)


def can_import_tasks(user: AnyUser) -> bool:
    """Importing the plan from Excel, with any agencies in it, stays with the committee secretariat."""
    return is_secretariat(user)


def can_edit_task(user: AnyUser, task: Task | None = None) -> bool:
    """Editing title, deadline, agencies and people is a secretariat's alone, each on its own side."""
    if task is None:
        return is_any_secretariat(user)
    return steers_task(user, task)


def can_delete_task(user: AnyUser, task: Task | None = None) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def actors_for(user: AnyUser, task: Task) -> set[Actor]:
    actors = set()
    if is_any_secretariat(user) and steers_task(user, task):
        actors.add(Actor.CONTROLLER)
    if is_executor(user, task):
        actors.add(Actor.EXECUTOR)
    return actors


def status_targets(user: AnyUser, task: Task) -> list[str]:
    """The statuses this user may move the task to now."""
    return allowed_targets(task.status, actors_for(user, task))


def can_change_status(user: AnyUser, task: Task, new_status: str) -> bool:
    return new_status in status_targets(user, task)


def can_restore_task(user: AnyUser, task: Task, *, now: dt.datetime) -> bool:
    """A cancellation is undone, within the undo window, by whoever may reopen the task."""
    return (
        task.status == TaskStatus.CANCELLED
        and task.status_changed_at is not None
        and now < task.status_changed_at + UNDO_WINDOW
        and can_change_status(user, task, TaskStatus.ASSIGNED)
    )


def can_report_progress(user: AnyUser, task: Task) -> bool:
    return is_executor(user, task) and task.status not in CLOSED_STATUSES


def can_request_extension(user: AnyUser, task: Task) -> bool:
    return is_lead_executor(user, task) and task.status not in CLOSED_STATUSES and task.status != TaskStatus.REPORTED


def can_work_on_task(user: AnyUser, task: Task) -> bool:
    """Whether an executor has anything to submit on the task now: a status move, a report or a request."""
    return bool(status_targets(user, task)) or can_report_progress(user, task) or can_request_extension(user, task)


def can_decide_extension(user: AnyUser, request: ExtensionRequest | None = None) -> bool:
    if request is None:
        return is_any_secretariat(user)
    return steers_task(user, request.task)


def can_comment(user: AnyUser, task: Task) -> bool:
    return can_view_task(user, task)


def can_download_attachment(user: AnyUser, attachment: Attachment) -> bool:
    return can_view_task(user, attachment.report.task)


def decision_has_task(decision: Decision) -> bool:
    """Whether a committee decision already became a task (the reverse one-to-one raises when absent)."""
    try:
        return decision.task is not None
    except Task.DoesNotExist:
        return False


def can_pair_tasks(user: AnyUser) -> bool:
    """Naming a task's counterpart on the other side touches both sides' plans: the committee secretariat's."""
    return is_secretariat(user)


def can_make_tasks_from_decisions(user: AnyUser) -> bool:
    """The organising committee's decisions are the committee secretariat's to turn into tasks."""
    return is_secretariat(user)


def can_make_task(user: AnyUser, decision: Decision) -> bool:
    """Only the secretariat turns decisions into tasks, once, and only complete ones."""
    return (
        is_secretariat(user)
        and decision.lead_agency_id is not None
        and decision.deadline is not None
        and not decision_has_task(decision)
    )


def can_prepare_next_event(user: AnyUser) -> bool:
    """ "Prepare the next Forum": a new event with a copy of the plan, the secretariat's to make."""
    return is_secretariat(user)
