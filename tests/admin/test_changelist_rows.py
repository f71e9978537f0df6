"""The admin task list's rows come from the row cache and never show a stale value."""

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.templatetags import admin_list

from omskevents.core.templatetags import admin_rows
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db

URL = "/admin/workplan/task/"


@pytest.fixture
def tasks(agency_a, agency_b):
    event = EventFactory(number="XXII", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    mine = [
        TaskFactory(event=event, lead_agency=agency_a, title=f"Поручение А-{n}", deadline=dt.date(2026, 11, 20))
        for n in range(3)
    ]
    foreign = TaskFactory(event=event, lead_agency=agency_b, title="Чужое поручение Б", deadline=dt.date(2026, 11, 20))
    return mine, foreign


@pytest.fixture
def rendered(monkeypatch):
    """Counts the rows the admin renders (rather than reads from the cache)."""
    calls: list[int] = []
    original = admin_list.items_for_result

    def counting(cl, result, form):
        calls.append(result.pk)
        return original(cl, result, form)

    monkeypatch.setattr(admin_rows, "items_for_result", counting)
    return calls


def test_second_view_renders_no_row(client, secretariat, tasks, rendered):
    client.force_login(secretariat)
    first = client.get(URL)
    assert first.status_code == 200
    assert len(rendered) == 4
    rendered.clear()
    second = client.get(URL)
    assert rendered == []
    assert second.content.count(b"<tr>") == first.content.count(b"<tr>")
    assert "Поручение А-2" in second.content.decode()


def test_a_changed_task_rerenders_its_row_only(client, secretariat, tasks, rendered):
    mine, _foreign = tasks
    client.force_login(secretariat)
    client.get(URL)
    rendered.clear()
    mine[1].title = "Переименованное поручение"
    mine[1].save()
    page = client.get(URL).content.decode()
    assert rendered == [mine[1].pk]
    assert "Переименованное поручение" in page
    assert "Поручение А-1" not in page


def test_a_renamed_agency_shows_in_every_row(client, secretariat, tasks, agency_a):
    client.force_login(secretariat)
    client.get(URL)
    agency_a.short_name = "Минобороны-новое"
    agency_a.save()
    page = client.get(URL).content.decode()
    assert page.count("Минобороны-новое") >= 3


def test_overdue_column_follows_the_day(client, secretariat, tasks, rendered):
    with time_machine.travel(dt.datetime(2026, 11, 19, 8, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(secretariat)
        before = client.get(URL).content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(secretariat)  # a session idle for days has ended
        rendered.clear()
        after = client.get(URL).content.decode()
    assert len(rendered) == 4  # a new day: every row's "overdue" may have changed
    assert before.count("deadline-overdue") == 0
    assert after.count("deadline-overdue") == 4


def test_a_ministry_gets_its_own_rows_from_a_shared_cache(client, secretariat, staff_a, tasks):
    client.force_login(secretariat)
    assert "Чужое поручение Б" in client.get(URL).content.decode()  # every row now cached
    client.force_login(staff_a)
    page = client.get(URL).content.decode()
    assert "Поручение А-0" in page
    assert "Чужое поручение Б" not in page


def test_the_row_link_carries_the_current_filter(client, secretariat, tasks):
    mine, _foreign = tasks
    client.force_login(secretariat)
    client.get(URL)
    page = client.get(URL + "?status__exact=assigned").content.decode()
    assert f"/admin/workplan/task/{mine[0].pk}/change/?_changelist_filters=status__exact%3Dassigned" in page
