"""The Kazakh secretariat: the Kazakh agencies' tasks are its to see and steer; the Russian ones are not."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omskevents.workplan import permissions, selectors, services
from omskevents.workplan.models import Task
from tests.factories.events import EventFactory
from tests.factories.workplan import ExtensionRequestFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))


@pytest.fixture
def tasks(event, agency_a, agency_b):
    return TaskFactory(event=event, lead_agency=agency_a), TaskFactory(event=event, lead_agency=agency_b)


def test_kz_secretariat_sees_only_kazakh_led_tasks(kz_secretariat, secretariat, tasks):
    russian, kazakh = tasks
    assert list(selectors.tasks_visible_to(kz_secretariat)) == [kazakh]
    assert set(selectors.tasks_visible_to(secretariat)) == {russian, kazakh}
    assert (selectors.task_scope_key(kz_secretariat), selectors.task_scope_key(secretariat)) == ("side:KZ", "all")


def test_kz_secretariat_sees_a_kazakh_co_executed_russian_task_not(kz_secretariat, tasks, agency_b):
    """The side of a task is its lead agency's: a Kazakh co-executor does not bring a Russian task over."""
    russian, _kazakh = tasks
    russian.co_executors.add(agency_b)
    assert permissions.can_view_task(kz_secretariat, russian) is False
    assert russian not in selectors.tasks_visible_to(kz_secretariat)


def test_kz_secretariat_permissions_per_side(kz_secretariat, tasks):
    russian, kazakh = tasks
    assert [permissions.can_view_task(kz_secretariat, t) for t in tasks] == [False, True]
    assert [permissions.can_edit_task(kz_secretariat, t) for t in tasks] == [False, True]
    assert permissions.can_create_task(kz_secretariat) is True
    assert permissions.can_import_tasks(kz_secretariat) is False
    assert permissions.can_make_tasks_from_decisions(kz_secretariat) is False
    assert permissions.status_targets(kz_secretariat, kazakh) == ["in_progress", "cancelled"]
    assert permissions.status_targets(kz_secretariat, russian) == []


def test_omsk_secretariat_keeps_every_task(secretariat, tasks):
    assert [permissions.can_edit_task(secretariat, t) for t in tasks] == [True, True]
    assert [permissions.status_targets(secretariat, t) for t in tasks] == [["in_progress", "cancelled"]] * 2
    assert permissions.can_import_tasks(secretariat) is True


def test_kz_secretariat_creates_a_task_for_a_kazakh_agency(kz_secretariat, event, agency_b):
    task = services.task_create(
        actor=kz_secretariat, event=event, title="Подготовить площадку в Павлодаре", area="organisation",
        lead_agency=agency_b, deadline=dt.date(2026, 11, 2),
    )  # fmt: skip
    assert (task.lead_agency, task.controller, task.created_by) == (agency_b, kz_secretariat, kz_secretariat)


def test_kz_secretariat_cannot_give_a_task_to_a_russian_agency(english, kz_secretariat, event, agency_a):
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=kz_secretariat, event=event, title="Чужое", area="organisation",
            lead_agency=agency_a, deadline=dt.date(2026, 11, 2),
        )  # fmt: skip
    assert error.value.message_dict == {"lead_agency": ["The Kazakh secretariat gives tasks to Kazakh agencies only."]}
    assert Task.objects.count() == 0


def test_kz_secretariat_cannot_move_a_kazakh_task_to_a_russian_agency(kz_secretariat, tasks, agency_a, agency_b):
    _russian, kazakh = tasks
    with pytest.raises(ValidationError):
        services.task_update(actor=kz_secretariat, task=kazakh, lead_agency=agency_a)
    kazakh.refresh_from_db()
    assert kazakh.lead_agency == agency_b


def test_kz_secretariat_cannot_edit_a_russian_task(kz_secretariat, tasks):
    russian, _kazakh = tasks
    with pytest.raises(PermissionDenied):
        services.task_update(actor=kz_secretariat, task=russian, title="Чужое")
    russian.refresh_from_db()
    assert russian.title != "Чужое"


def test_kz_secretariat_accepts_and_returns_a_kazakh_task(kz_secretariat, tasks):
    _russian, kazakh = tasks
    Task.objects.filter(pk=kazakh.pk).update(status="reported")
    kazakh.refresh_from_db()
    assert services.task_change_status(actor=kz_secretariat, task=kazakh, status="accepted").status == "accepted"
    assert services.task_change_status(actor=kz_secretariat, task=kazakh, status="returned").status == "returned"


def test_kz_secretariat_cannot_accept_a_russian_task(kz_secretariat, tasks):
    russian, _kazakh = tasks
    Task.objects.filter(pk=russian.pk).update(status="reported")
    russian.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.task_change_status(actor=kz_secretariat, task=russian, status="accepted")
    russian.refresh_from_db()
    assert russian.status == "reported"


def test_kz_secretariat_decides_kazakh_extensions_only(kz_secretariat, tasks, staff_a, staff_b):
    russian, kazakh = tasks
    own = ExtensionRequestFactory(task=kazakh, requested_by=staff_b)
    foreign = ExtensionRequestFactory(task=russian, requested_by=staff_a)
    services.extension_decide(actor=kz_secretariat, request=own, approve=True)
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=kz_secretariat, request=foreign, approve=True)
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert (own.status, foreign.status) == ("approved", "pending")


def test_kz_secretariat_bulk_reassign_to_a_russian_agency_changes_nothing(kz_secretariat, tasks, agency_a, agency_b):
    _russian, kazakh = tasks
    with pytest.raises(ValidationError):
        services.task_bulk_reassign(actor=kz_secretariat, tasks=[kazakh], lead_agency=agency_a)
    kazakh.refresh_from_db()
    assert kazakh.lead_agency == agency_b


def test_kz_secretariat_task_form_offers_kazakh_agencies_only(client, kz_secretariat, agency_a, agency_b):
    client.force_login(kz_secretariat)
    response = client.get(reverse("workplan:task_create"))
    assert list(response.context["form"].fields["lead_agency"].queryset) == [agency_b]


def test_kz_secretariat_task_list_shows_kazakh_tasks(client, kz_secretariat, tasks):
    russian, kazakh = tasks
    client.force_login(kz_secretariat)
    body = client.get(reverse("workplan:task_list")).content.decode()
    assert (kazakh.title in body, russian.title in body) == (True, False)
