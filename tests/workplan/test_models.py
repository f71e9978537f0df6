"""Model rules: database constraints and Task.clean."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from omskevents.events.models import Event
from omskevents.workplan.models import ExtensionRequest, Task
from tests.factories.events import EventFactory
from tests.factories.workplan import ExtensionRequestFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _integrity(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_event_end_before_start_is_refused_by_the_database():
    _integrity(lambda: EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 9)))
    assert Event.objects.count() == 0


def test_event_kind_and_number_are_unique():
    EventFactory(kind="forum", number="XXII")
    _integrity(lambda: EventFactory(kind="forum", number="XXII"))
    EventFactory(kind="commission", number="XXII")
    assert Event.objects.count() == 2


def test_event_full_clean_names_the_rule():
    event = Event(
        kind="forum",
        number="I",
        title_ru="Ф",
        short_title="Ф",
        start_date=dt.date(2026, 12, 10),
        end_date=dt.date(2026, 12, 1),
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.messages == ["The end date cannot be before the start date."]


def test_task_relative_deadline_needs_anchor_and_days():
    _integrity(lambda: TaskFactory(deadline_anchor="start", deadline_offset_days=None))
    _integrity(lambda: TaskFactory(deadline_anchor="", deadline_offset_days=-10))
    TaskFactory(deadline_anchor="start", deadline_offset_days=-10)
    assert Task.objects.count() == 1


def test_task_from_a_decision_must_link_it():
    _integrity(lambda: TaskFactory(source="decision", source_decision=None))
    assert Task.objects.count() == 0


def test_task_cannot_be_its_own_parent():
    task = TaskFactory()
    task.parent_id = task.pk
    _integrity(lambda: task.save())


def test_extension_must_move_the_deadline_later():
    task = TaskFactory(deadline=dt.date(2026, 11, 20))
    _integrity(lambda: ExtensionRequestFactory(task=task, new_deadline=dt.date(2026, 11, 20)))
    assert ExtensionRequest.objects.count() == 0


def test_only_one_pending_extension_per_task():
    task = TaskFactory()
    ExtensionRequestFactory(task=task)
    _integrity(lambda: ExtensionRequestFactory(task=task))
    ExtensionRequestFactory(task=task, status="rejected")
    assert ExtensionRequest.objects.filter(task=task).count() == 2


def test_task_clean_refuses_deadline_after_the_event():
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    task = TaskFactory.build(event=event, deadline=dt.date(2026, 12, 12))
    with pytest.raises(ValidationError) as error:
        task.clean()
    assert list(error.value.message_dict) == ["deadline"]


def test_task_clean_allows_deadline_after_the_event_for_follow_up():
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    task = TaskFactory.build(event=event, deadline=dt.date(2027, 1, 20), is_follow_up=True)
    task.clean()
    assert task.deadline == dt.date(2027, 1, 20)


def test_task_clean_allows_deadline_on_the_last_day():
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    assert TaskFactory.build(event=event, deadline=dt.date(2026, 12, 11)).clean() is None
