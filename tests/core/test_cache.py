"""Cached page fragments: a write shows at once, scopes never share a fragment, a hit skips the queries."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omskevents.core.cache import cached_fragment, data_version
from omskevents.workplan import services
from tests.conftest import require_service
from tests.factories.workplan import ProgressReportFactory, TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_task_list_shows_a_status_change_made_after_it_was_cached(client, staff_a, agency_a):
    task = TaskFactory(title="Причал на Иртыше", lead_agency=agency_a, deadline=dt.date(2026, 12, 1))
    ProgressReportFactory(task=task, author=staff_a)
    client.force_login(staff_a)
    before = client.get(reverse("workplan:task_list")).content.decode()
    assert 'status-badge-assigned">Assigned<' in before

    services.task_change_status(actor=staff_a, task=task, status="reported")

    after = client.get(reverse("workplan:task_list")).content.decode()
    assert 'status-badge-reported">Reported<' in after
    assert "status-badge-assigned" not in after


def test_task_list_shows_a_renamed_agency(client, secretariat, agency_a):
    TaskFactory(lead_agency=agency_a)
    client.force_login(secretariat)
    assert "МИД России ДСФ" in client.get(reverse("workplan:task_list")).content.decode()

    agency_a.short_name = "МИД России ДСФ (новое)"
    agency_a.save()

    assert "МИД России ДСФ (новое)" in client.get(reverse("workplan:task_list")).content.decode()


def test_agencies_never_share_a_cached_table(client, staff_a, staff_b, agency_a, agency_b):
    TaskFactory(title="Задача агентства А", lead_agency=agency_a)
    TaskFactory(title="Задача агентства Б", lead_agency=agency_b)
    client.force_login(staff_a)
    page_a = client.get(reverse("workplan:task_list")).content.decode()
    client.force_login(staff_b)
    page_b = client.get(reverse("workplan:task_list")).content.decode()

    assert "Задача агентства А" in page_a
    assert "Задача агентства Б" not in page_a
    assert "Задача агентства Б" in page_b
    assert "Задача агентства А" not in page_b


def test_a_cached_task_list_is_served_with_fewer_queries_and_the_same_rows(client, secretariat):
    for n in range(5):
        TaskFactory(title=f"Поручение {n}")
    client.force_login(secretariat)
    url = reverse("workplan:task_list") + "?sort=title"
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url)

    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert not any("workplan_task" in q["sql"] for q in warm.captured_queries)
    table = first.content.decode().split('id="tasks-count"')[1].split("</table>")[0]
    assert table == second.content.decode().split('id="tasks-count"')[1].split("</table>")[0]


def test_dashboard_shows_a_new_task_at_once(client, secretariat):
    TaskFactory(title="Первое поручение", responsible=secretariat, deadline=dt.date(2026, 12, 1))
    client.force_login(secretariat)
    client.get(reverse("dashboard:home"))

    TaskFactory(title="Второе поручение", responsible=secretariat, deadline=dt.date(2026, 12, 2))

    assert "Второе поручение" in client.get(reverse("dashboard:home")).content.decode()


def test_fragment_with_a_csrf_token_is_never_stored():
    calls = []

    def render() -> str:
        calls.append(1)
        return '<input type="hidden" name="csrfmiddlewaretoken" value="secret">'

    cached_fragment("probe", ("x",), render)
    cached_fragment("probe", ("x",), render)
    assert len(calls) == 2


def test_data_version_changes_on_every_watched_write(secretariat):
    first = data_version()
    TaskFactory()
    second = data_version()
    assert first != second
    cache.clear()
    assert data_version() == data_version()


def test_cached_task_list_carries_each_visitors_own_csrf_token(secretariat, agency_b):
    from django.test import Client

    task = TaskFactory(title="Перенос срока")
    browsers = [Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)]
    tokens = []
    for browser in browsers:
        browser.cookies["django_language"] = "en"
        browser.force_login(secretariat)
        page = browser.get(reverse("workplan:task_list")).content.decode()
        tokens.append(page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
    assert tokens[0] != tokens[1]

    response = browsers[1].post(
        reverse("workplan:task_bulk"),
        {
            "csrfmiddlewaretoken": tokens[1],
            "action": "reassign",
            "id": [task.pk],
            "new_lead_agency": agency_b.pk,
            "confirm": "yes",
        },
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.lead_agency == agency_b


UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "omskevents.core.cache_backends.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing answers
    }
}


def test_pages_and_writes_work_while_the_cache_server_is_down(client, staff_a, agency_a, settings, caplog):
    settings.CACHES = UNREACHABLE_REDIS
    task = TaskFactory(title="Работа без кэша", lead_agency=agency_a)
    ProgressReportFactory(task=task, author=staff_a)
    client.force_login(staff_a)

    listed = client.get(reverse("workplan:task_list"))
    services.task_change_status(actor=staff_a, task=task, status="reported")
    again = client.get(reverse("workplan:task_list"))

    assert listed.status_code == 200
    assert "Работа без кэша" in listed.content.decode()
    assert "status-badge-reported" in again.content.decode()
    assert "cache get failed" in caplog.text


def test_a_version_change_lost_in_an_outage_is_made_once_the_cache_is_back(settings):
    from omskevents.core import cache as fragments

    stale = fragments.data_version()
    settings.CACHES = UNREACHABLE_REDIS
    fragments.data_changed()  # a write during the outage: the new version cannot be stored
    assert fragments._bump_pending is True

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.set(fragments.VERSION_KEY, stale, None)  # the cache comes back holding the old version
    assert fragments.data_version() != stale
    assert fragments._bump_pending is False


def test_a_process_that_met_the_cache_down_bumps_the_version_when_it_is_back(settings):
    from omskevents.core import cache as fragments

    stale = fragments.data_version()
    settings.CACHES = UNREACHABLE_REDIS
    cache.get("anything")  # this process meets the outage; another process's bump may have been lost

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.set(fragments.VERSION_KEY, stale, None)
    assert fragments.data_version() != stale


def test_a_login_does_not_empty_the_cache(client, staff_a):
    before = data_version()
    client.post(reverse("accounts:login"), {"username": "staff_a", "password": "correct horse battery staple"})
    assert data_version() == before


def test_made_up_parameters_share_the_cached_page_and_stay_out_of_its_links(client, secretariat):
    TaskFactory(title="Поручение для ссылок")
    client.force_login(secretariat)
    first = client.get(reverse("workplan:task_list") + "?sort=title&evil=1").content.decode()

    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("workplan:task_list") + "?sort=title&other=2").content.decode()

    main = [page.split('<main id="main"')[1].split("</main>")[0] for page in (first, second)]
    assert not any("workplan_task" in q["sql"] for q in queries.captured_queries)
    assert "evil" not in main[0]
    assert "other" not in main[1]
    assert 'href="/tasks/export.xlsx?sort=title"' in main[1]


# --- Each version is read once per request --------------------------------------------------------------------


def test_a_request_reads_each_version_once_and_keeps_it():
    from omskevents.core import cache as fragments

    with fragments.versions_read_once():
        data, names = fragments.data_version(), fragments.names_version()
        # Another process's write meanwhile: this request keeps what it read first (its data were read after).
        cache.set(fragments.VERSION_KEY, "another-process", None)
        cache.set(fragments.NAMES_VERSION_KEY, "another-process", None)
        assert (fragments.data_version(), fragments.names_version()) == (data, names)
    assert (fragments.data_version(), fragments.names_version()) == ("another-process", "another-process")


def test_a_write_within_the_request_gives_it_the_new_versions(agency_a):
    from omskevents.core import cache as fragments

    with fragments.versions_read_once():
        data, names = fragments.data_version(), fragments.names_version()
        agency_a.short_name = "Новое имя"
        agency_a.save()  # a names model: both versions move
        assert fragments.data_version() != data
        assert fragments.names_version() != names
        assert fragments.data_version() == cache.get(fragments.VERSION_KEY)


def test_a_page_asks_the_cache_for_each_version_once(client, secretariat, monkeypatch):
    """The admin task list asks both versions for its fragments, rows, filters and sidebar: one read each."""
    from omskevents.core import cache as fragments

    client.force_login(secretariat)
    client.get("/admin/workplan/task/")
    asked: list[str] = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        asked.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    assert client.get("/admin/workplan/task/").status_code == 200
    assert asked.count(fragments.VERSION_KEY) == 1
    assert asked.count(fragments.NAMES_VERSION_KEY) == 1


@pytest.mark.redis
def test_the_redis_cache_keeps_one_client_for_every_operation(settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "omskevents.core.cache_backends.ResilientRedisCache",
            "LOCATION": require_service("redis"),
            "KEY_PREFIX": "omskevents-test-client",
        }
    }
    redis_cache = caches["default"]
    client = redis_cache._cache.get_client(write=True)
    redis_cache.set("k", {"a": 1}, 30)
    assert redis_cache.get("k") == {"a": 1}
    assert redis_cache._cache.get_client("k") is client
    assert redis_cache._cache.get_client("k", write=True) is client
    redis_cache.delete("k")
