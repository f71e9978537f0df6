"""A change locks the row it changes, not the rows read with it.

A status change reads its task with the lead agency joined; locking that way without naming the task locked the
agency's row as well, for the whole transaction: two people of one ministry moving two different tasks waited for
each other, and nobody could edit the ministry meanwhile. Real PostgreSQL, real concurrent transactions on their
own connections (threads); each waiting statement gives up after two seconds (lock_timeout)."""

import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, transaction
from django.db.utils import OperationalError

from omskevents.agencies.models import Agency
from omskevents.protocol import services as protocol_services
from omskevents.workplan import services
from omskevents.workplan.models import Task
from tests.factories.protocol import ProtocolItemFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks between concurrent transactions need PostgreSQL")


@pytest.fixture
def holding() -> Iterator[Callable[[Callable[[], object]], None]]:
    """Run a change in a transaction of its own (a thread, its own connection) and keep it open until the test
    ends: its locks are held meanwhile."""
    release = threading.Event()
    threads: list[threading.Thread] = []
    errors: list[BaseException] = []

    def hold(change: Callable[[], object]) -> None:
        ready = threading.Event()

        def run() -> None:
            try:
                with transaction.atomic():
                    change()
                    ready.set()
                    release.wait(20)
            except Exception as error:  # noqa: BLE001 - reported by the test, not lost in the thread
                errors.append(error)
                ready.set()
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        threads.append(thread)
        assert ready.wait(20)
        assert not errors, errors

    yield hold
    release.set()
    for thread in threads:
        thread.join(20)
    assert not errors, errors


def _without_waiting(change: Callable[[], object]) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        change()


def test_two_tasks_of_one_agency_change_status_at_once(postgres, holding, staff_a, agency_a):
    first, second = TaskFactory(lead_agency=agency_a), TaskFactory(lead_agency=agency_a)

    holding(lambda: services.task_change_status(actor=staff_a, task=first, status="in_progress"))
    _without_waiting(lambda: services.task_change_status(actor=staff_a, task=second, status="in_progress"))
    _without_waiting(lambda: Agency.objects.filter(pk=agency_a.pk).update(phone="+7 3812 00-00-00"))

    assert Task.objects.get(pk=second.pk).status == "in_progress"
    assert Agency.objects.get(pk=agency_a.pk).phone == "+7 3812 00-00-00"


def test_a_status_change_still_waits_for_its_own_task(postgres, holding, staff_a, agency_a):
    task = TaskFactory(lead_agency=agency_a)

    holding(lambda: services.task_change_status(actor=staff_a, task=task, status="in_progress"))

    with pytest.raises(OperationalError, match="lock timeout"):  # the task's own row is locked, as before
        _without_waiting(lambda: services.task_change_status(actor=staff_a, task=task, status="cancelled"))


def test_an_edited_protocol_item_leaves_its_proposer_unlocked(postgres, holding, secretariat):
    item = ProtocolItemFactory()
    proposer = item.proposer

    holding(lambda: protocol_services.item_update(actor=secretariat, item=item, text_ru="Новая редакция пункта"))
    _without_waiting(lambda: type(proposer).objects.filter(pk=proposer.pk).update(updated=proposer.updated))
