"""The workplan permission predicates and the agency scope of the selectors."""

import pytest
from django.contrib.auth.models import AnonymousUser

from omskevents.workplan import permissions as p
from omskevents.workplan.selectors import extension_requests_visible_to, reports_visible_to, tasks_visible_to
from tests.factories.workplan import ExtensionRequestFactory, ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(agency_a, agency_b):
    own = TaskFactory(lead_agency=agency_a, status="in_progress")
    shared = TaskFactory(lead_agency=agency_b, status="in_progress", co_executors=[agency_a])
    foreign = TaskFactory(lead_agency=agency_b, status="in_progress")
    return own, shared, foreign


def test_tasks_visible_to_each_kind_of_account(tasks, secretariat, staff_a, head_a, staff_b):
    own, shared, foreign = tasks
    assert set(tasks_visible_to(secretariat)) == {own, shared, foreign}
    assert set(tasks_visible_to(staff_a)) == {own, shared}
    assert set(tasks_visible_to(head_a)) == {own, shared}
    assert set(tasks_visible_to(staff_b)) == {shared, foreign}
    assert list(tasks_visible_to(AnonymousUser())) == []


def test_inactive_staff_see_nothing(tasks, staff_a):
    staff_a.is_active = False
    assert list(tasks_visible_to(staff_a)) == []
    assert p.can_view_task(staff_a, tasks[0]) is False


def test_reports_and_extensions_follow_the_task_scope(tasks, staff_a, staff_b):
    own, _shared, foreign = tasks
    own_report = ProgressReportFactory(task=own, author=staff_a)
    ProgressReportFactory(task=foreign, author=staff_b)
    own_request = ExtensionRequestFactory(task=own, requested_by=staff_a)
    ExtensionRequestFactory(task=foreign, requested_by=staff_b)
    assert list(reports_visible_to(staff_a)) == [own_report]
    assert list(extension_requests_visible_to(staff_a)) == [own_request]


def test_view_predicates(tasks, secretariat, staff_a):
    own = tasks[0]
    assert [p.can_view_task(staff_a, t) for t in tasks] == [True, True, False]
    assert [p.can_view_task(secretariat, t) for t in tasks] == [True, True, True]
    assert p.can_view_task(AnonymousUser(), own) is False


def test_only_the_secretariat_creates_and_edits(tasks, secretariat, staff_a, head_a):
    own = tasks[0]
    assert (p.can_create_task(secretariat), p.can_create_task(staff_a), p.can_create_task(head_a)) == (
        True,
        False,
        False,
    )
    assert (p.can_edit_task(secretariat, own), p.can_edit_task(staff_a, own)) == (True, False)


def test_only_a_superuser_deletes(tasks, secretariat):
    own = tasks[0]
    assert p.can_delete_task(secretariat, own) is False
    secretariat.is_superuser = True
    assert p.can_delete_task(secretariat, own) is True


def test_status_targets_by_role(tasks, secretariat, staff_a):
    own = tasks[0]
    assert p.status_targets(staff_a, own) == ["reported"]
    assert p.status_targets(secretariat, own) == ["cancelled"]
    own.status = "reported"
    assert p.status_targets(staff_a, own) == []
    assert p.status_targets(secretariat, own) == ["accepted", "returned", "cancelled"]


def test_reporting_and_extensions(tasks, staff_a, secretariat):
    own = tasks[0]
    assert [p.can_report_progress(staff_a, t) for t in tasks] == [True, True, False]
    # Only the lead executor asks for more time.
    assert [p.can_request_extension(staff_a, t) for t in tasks] == [True, False, False]
    own.status = "accepted"
    assert (p.can_report_progress(staff_a, own), p.can_request_extension(staff_a, own)) == (False, False)
    assert p.can_decide_extension(secretariat) is True
    assert p.can_decide_extension(staff_a) is False


def test_can_work_on_task(tasks, staff_a):
    own, _shared, foreign = tasks
    assert p.can_work_on_task(staff_a, own) is True
    assert p.can_work_on_task(staff_a, foreign) is False
    own.status = "accepted"
    assert p.can_work_on_task(staff_a, own) is False
