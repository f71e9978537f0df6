"""The status workflow through the service: every allowed move by its actor, and moves that are refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from omskevents.workplan.services import task_change_status
from omskevents.workplan.workflow import TRANSITIONS, Actor, allowed_targets
from tests.factories.workplan import ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db

ALLOWED = [(old, new, actor) for (old, new), actors in TRANSITIONS.items() for actor in sorted(actors, key=str)]
DISALLOWED = [
    ("assigned", "accepted", Actor.CONTROLLER),
    ("assigned", "returned", Actor.CONTROLLER),
    ("in_progress", "accepted", Actor.EXECUTOR),
    ("reported", "accepted", Actor.EXECUTOR),
    ("reported", "returned", Actor.EXECUTOR),
    ("in_progress", "cancelled", Actor.EXECUTOR),
    ("cancelled", "in_progress", Actor.CONTROLLER),
    ("accepted", "in_progress", Actor.EXECUTOR),
    ("accepted", "cancelled", Actor.CONTROLLER),
    ("cancelled", "assigned", Actor.EXECUTOR),
]


def _actor_user(actor, request):
    return request.getfixturevalue("secretariat" if actor is Actor.CONTROLLER else "staff_a")


@pytest.mark.parametrize(("old", "new", "actor"), ALLOWED)
def test_allowed_transition_is_made(request, agency_a, old, new, actor):
    user = _actor_user(actor, request)
    task = TaskFactory(lead_agency=agency_a, status=old)
    ProgressReportFactory(task=task, author=user)
    result = task_change_status(actor=user, task=task, status=new)
    task.refresh_from_db()
    assert (result.status, task.status) == (new, new)
    assert task.history.latest("history_id").history_user == user


@pytest.mark.parametrize(("old", "new", "actor"), DISALLOWED)
def test_disallowed_transition_changes_nothing(request, agency_a, old, new, actor):
    user = _actor_user(actor, request)
    task = TaskFactory(lead_agency=agency_a, status=old)
    ProgressReportFactory(task=task, author=user)
    with pytest.raises(ValidationError) as error:
        task_change_status(actor=user, task=task, status=new)
    assert list(error.value.message_dict) == ["status"]
    task.refresh_from_db()
    assert task.status == old


def test_reported_needs_a_report(staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="in_progress")
    with pytest.raises(ValidationError):
        task_change_status(actor=staff_a, task=task, status="reported")
    task.refresh_from_db()
    assert task.status == "in_progress"


def test_co_executor_moves_the_task_as_executor(staff_b, agency_a, agency_b):
    task = TaskFactory(lead_agency=agency_a, status="assigned", co_executors=[agency_b])
    assert task_change_status(actor=staff_b, task=task, status="in_progress").status == "in_progress"


def test_foreign_agency_cannot_see_the_task_to_move_it(staff_b, agency_a):
    task = TaskFactory(lead_agency=agency_a, status="assigned")
    with pytest.raises(PermissionDenied):
        task_change_status(actor=staff_b, task=task, status="in_progress")
    task.refresh_from_db()
    assert task.status == "assigned"


def test_unknown_status_is_refused(secretariat):
    task = TaskFactory(status="assigned")
    with pytest.raises(ValidationError):
        task_change_status(actor=secretariat, task=task, status="finished")


def test_allowed_targets_in_workflow_order():
    assert allowed_targets("reported", {Actor.CONTROLLER}) == ["accepted", "returned", "cancelled"]
    assert allowed_targets("assigned", {Actor.EXECUTOR}) == ["in_progress", "reported"]
    assert allowed_targets("accepted", {Actor.EXECUTOR}) == []
