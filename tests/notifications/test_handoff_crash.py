"""A process that dies between its commit and the hand-off to the worker loses no notice.

The service runs in a child process (`manage.py shell -c`) inside a transaction whose first after-commit
callback is `os._exit`: the process dies right after the commit, before anything the service left to run
after it (the hand-off, or anything else). Notices written in the business transaction are then queued in the
database, and the next scan delivers each of them once; a notice written after the commit would be missing.
The child must see the test's data: these tests commit (transactional database) and pass the test database
(PostgreSQL, or the SQLite file of settings/test.py) to the child.
"""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from omskevents.calendars.services import calendar_seed
from omskevents.committee.models import Meeting
from omskevents.notifications import dispatch
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification
from omskevents.workplan.models import Task
from tests.factories.committee import CommitteeFactory
from tests.factories.events import EventFactory

from .conftest import shared_database_url

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DIED = 77  # the child's exit status when it died where we meant it to (an exception exits with 1)

CHILD = """
import datetime as dt
import os

from django.db import transaction

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.committee.models import Committee
from omskevents.committee.services import meeting_create
from omskevents.events.models import Event
from omskevents.workplan.services import task_create

with transaction.atomic():
    # Registered before the service runs, so it is the first thing to run after the commit.
    transaction.on_commit(lambda: os._exit({died}))
    {call}
"""


@pytest.fixture
def calendars_now(transactional_db):
    """The working calendars around today: the polite moment of a task notice is computed from the real clock."""
    today = timezone.localdate()
    calendar_seed(countries=["RU", "KZ"], years=[today.year - 1, today.year, today.year + 1])


def die_after_commit(call: str) -> None:
    """Run `call` (a service call) in a child process that dies as soon as its transaction has committed."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update({"DJANGO_SETTINGS_MODULE": "omskevents.settings.test", "DATABASE_URL": shared_database_url()})
    child = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", CHILD.format(died=DIED, call=call)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == DIED, child.stderr[-3000:]


def scan_delivers_each_once(rows: QuerySet[Notification], mailoutbox: list) -> None:
    """The scan at the rows' moment hands them over (here: delivers them), once; a second scan finds nothing."""
    count = rows.count()
    moment = max([timezone.now(), *rows.values_list("next_attempt_at", flat=True)])
    assert dispatch.outbox_scan(now=moment, sync=True) == dispatch.ScanResult(created=0, dispatched=count, returned=0)
    assert dispatch.outbox_scan(now=moment, sync=True) == dispatch.ScanResult(created=0, dispatched=0, returned=0)
    assert sorted(rows.values_list("state", "attempts")) == [(State.SENT, 1)] * count
    assert sorted(m.to[0] for m in mailoutbox) == sorted(rows.values_list("to_email", flat=True))
    assert sorted(m.extra_headers["Message-ID"] for m in mailoutbox) == sorted(
        rows.values_list("message_id", flat=True)
    )


def test_meeting_invitations_survive_a_crash_between_commit_and_hand_off(
    calendars_now, secretariat, executor, controller, mailoutbox
):
    committee = CommitteeFactory()
    starts_at = timezone.now() + dt.timedelta(days=30)  # far enough that no meeting reminder is due yet
    die_after_commit(
        f"meeting_create(actor=User.objects.get(pk={secretariat.pk}), "
        f"committee=Committee.objects.get(pk={committee.pk}), "
        f"starts_at=dt.datetime.fromisoformat({starts_at.isoformat()!r}), place='Зал', "
        f"invitees=list(User.objects.filter(pk__in={[executor.pk, controller.pk]})))"
    )
    meeting = Meeting.objects.get(committee=committee)
    rows = Notification.objects.filter(meeting=meeting)
    assert sorted(rows.values_list("kind", "to_email", "state", "attempts", "dispatched_at")) == [
        ("meeting_invitation", "ctl@example.org", State.QUEUED, 0, None),
        ("meeting_invitation", "exec@example.org", State.QUEUED, 0, None),
    ]
    scan_delivers_each_once(rows, mailoutbox)


def test_task_assignment_survives_a_crash_between_commit_and_hand_off(
    calendars_now, secretariat, executor, omsk_agency, mailoutbox
):
    today = timezone.localdate()
    event = EventFactory(start_date=today + dt.timedelta(days=90), end_date=today + dt.timedelta(days=91))
    deadline = today + dt.timedelta(days=60)  # far enough that no deadline reminder is due yet
    die_after_commit(
        f"task_create(actor=User.objects.get(pk={secretariat.pk}), event=Event.objects.get(pk={event.pk}), "
        f"title='Причал', area='organisation', lead_agency=Agency.objects.get(pk={omsk_agency.pk}), "
        f"deadline=dt.date.fromisoformat({deadline.isoformat()!r}), responsible=User.objects.get(pk={executor.pk}))"
    )
    task = Task.objects.get(event=event)
    rows = Notification.objects.filter(task=task)
    assert list(rows.values_list("kind", "to_email", "state", "attempts", "dispatched_at")) == [
        ("assignment", "exec@example.org", State.QUEUED, 0, None),
    ]
    scan_delivers_each_once(rows, mailoutbox)
