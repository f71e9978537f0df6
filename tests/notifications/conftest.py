"""Fixtures for the outbox tests: the 2026 calendars and a small world of agencies, people and a task."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from omskevents.calendars.services import calendar_seed
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.committee import CommitteeFactory, CommitteeMemberFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

UTC = dt.UTC


@pytest.fixture
def calendars(db):
    calendar_seed(countries=["RU", "KZ"], years=[2025, 2026, 2027])


@pytest.fixture
def event(db):
    return EventFactory(short_title="Форум XXII", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))


@pytest.fixture
def omsk_agency(db):
    return AgencyFactory(short_name="Минэкономики Омской обл.", country="RU", level="regional", email="mek@example.org")


@pytest.fixture
def executor(omsk_agency):
    return UserFactory(username="exec", agency=omsk_agency, time_zone="Asia/Omsk", email="exec@example.org")


@pytest.fixture
def head(omsk_agency):
    user = UserFactory(username="head", role="agency_head", agency=omsk_agency, email="head@example.org")
    omsk_agency.head = user
    omsk_agency.save()
    return user


@pytest.fixture
def controller(db):
    return UserFactory(
        username="ctl", role="secretariat", agency=None, time_zone="Europe/Moscow", email="ctl@example.org"
    )


@pytest.fixture
def secretary(event):
    committee = CommitteeFactory()
    committee.events.add(event)
    member = CommitteeMemberFactory(
        committee=committee,
        role="secretary",
        user=UserFactory(username="secr", role="secretariat", agency=None, email="secr@example.org"),
    )
    return member.user


def make_task(*, created: dt.datetime = dt.datetime(2026, 3, 2, 6, 0, tzinfo=UTC), **fields):
    """A task row whose creation time is in the past, as if made through the workspace long ago."""
    with time_machine.travel(created, tick=False):
        return TaskFactory(**fields)


def shared_database_url() -> str:
    """The test database as a URL for a child process (a worker, a service run apart); the data must be committed."""
    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    name = str(db["NAME"])
    if name.startswith("file:memorydb") or name == ":memory:":
        pytest.skip("a child process cannot see an in-memory SQLite test database: use a file (settings/test.py)")
    return f"sqlite:///{name}"
