"""Shared fixtures: the real services a test needs, and the kinds of accounts.

A test that needs a server asks for it through `require_service`: without the server the test is
skipped with the reason, unless REQUIRE_SERVICES=1 (as in CI), where a missing server is a failure.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2):
            return True
    except OSError:
        return False


def service_missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit and os.path.exists(explicit):
        return explicit
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


def require_service(name: str) -> str:
    """Return what the test needs to reach the service, or skip/fail saying why it is missing."""
    if name == "redis":
        url = os.environ.get("REDIS_URL", "")
        if not url:
            service_missing("REDIS_URL is not set: this test needs a real Redis server")
        if not _reachable(url, 6379):
            service_missing(f"Redis at {url} does not answer")
        return url
    if name == "postgres":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            service_missing("DATABASE_URL is not a PostgreSQL URL: this test needs PostgreSQL")
        return engine
    if name == "chromium":
        path = chromium_path()
        if not path:
            service_missing("Chromium is not installed (apt-get install chromium)")
        return path  # type: ignore[return-value]
    raise ValueError(name)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, service in (("redis", "redis"), ("postgres", "postgres"), ("browser", "chromium")):
        if item.get_closest_marker(marker):
            require_service(service)


@pytest.fixture(autouse=True)
def _reset_language_and_time_zone():
    """No test leaks an activated language or time zone into the next one."""
    from django.utils import timezone, translation

    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached fragments, rows and their versions never outlive a test (its rows are rolled back)."""
    from django.core.cache import caches

    for name in caches:
        caches[name].clear()
    yield
    for name in caches:
        caches[name].clear()


def make_agency_a():
    return AgencyFactory(short_name="МИД России ДСФ", country="RU", level="federal")


def make_agency_b():
    return AgencyFactory(short_name="Акимат Павлодарской обл.", country="KZ", level="foreign")


def make_secretariat():
    return UserFactory(username="sec", role="secretariat", agency=None, is_staff=True)


def make_staff_a(agency_a):
    return UserFactory(username="staff_a", role="agency_staff", agency=agency_a, is_staff=True)


def make_head_a(agency_a):
    user = UserFactory(username="head_a", role="agency_head", agency=agency_a, is_staff=True)
    agency_a.head = user
    agency_a.save()
    return user


def make_staff_b(agency_b):
    return UserFactory(username="staff_b", role="agency_staff", agency=agency_b, is_staff=True)


def make_kz_secretariat():
    """The Kazakh side's secretariat: no agency of its own, steers the Kazakh agencies' tasks."""
    return UserFactory(username="kz_sec", role="kz_secretariat", agency=None, is_staff=True, time_zone="Asia/Almaty")


def make_people() -> dict[str, object]:
    """Agency A and B and the kinds of accounts, made as the fixtures below make them (for data shared by a module's
    tests, tests/support/db_state.py)."""
    agency_a = make_agency_a()
    agency_b = make_agency_b()
    return {
        "agency_a": agency_a,
        "agency_b": agency_b,
        "secretariat": make_secretariat(),
        "staff_a": make_staff_a(agency_a),
        "head_a": make_head_a(agency_a),
        "staff_b": make_staff_b(agency_b),
        "kz_secretariat": make_kz_secretariat(),
    }


@pytest.fixture
def agency_a():
    return make_agency_a()


@pytest.fixture
def agency_b():
    return make_agency_b()


@pytest.fixture
def secretariat():
    return make_secretariat()


@pytest.fixture
def staff_a(agency_a):
    return make_staff_a(agency_a)


@pytest.fixture
def head_a(agency_a):
    return make_head_a(agency_a)


@pytest.fixture
def staff_b(agency_b):
    return make_staff_b(agency_b)


@pytest.fixture
def kz_secretariat():
    """The Kazakh side's secretariat: no agency of its own, steers the Kazakh agencies' tasks."""
    return make_kz_secretariat()


@pytest.fixture
def english():
    """Exact English assertions; and the language a request switches on does not leak into later tests."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _outbox_journal(settings, tmp_path):
    """Each test has a journal of accepted mails of its own (row ids repeat from one test database to the next)."""
    from omskevents.notifications import journal

    settings.NOTIFY_JOURNAL_PATH = str(tmp_path / "outbox-journal.sqlite3")
    yield
    journal.close()
