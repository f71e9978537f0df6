"""The dashboard at /: countdowns, readiness, the status chart, task lists, next meeting, scope and query count."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from omskevents.accounts.models import Absence
from omskevents.committee.models import Committee, Meeting
from omskevents.workplan import services
from omskevents.workplan.models import Task
from omskevents.workplan.selectors import Readiness, status_series, tasks_visible_to
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def forum():
    return EventFactory(kind="forum", start_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 10, 2))


def test_readiness_is_accepted_over_non_cancelled():
    assert Readiness(key=1, label="x", accepted=1, total=3).percent == 33
    assert Readiness(key=1, label="x", accepted=0, total=0).percent == 0


def test_dashboard_shows_countdown_and_readiness(client, clock, secretariat, agency_a, agency_b, forum):
    session = EventFactory(kind="commission", start_date=dt.date(2026, 9, 11), end_date=dt.date(2026, 9, 11))
    TaskFactory(event=forum, lead_agency=agency_a, status="accepted", area="education")
    TaskFactory(event=forum, lead_agency=agency_a, status="in_progress", area="education")
    TaskFactory(event=forum, lead_agency=agency_a, status="cancelled", area="education")
    TaskFactory(event=forum, lead_agency=agency_b, status="accepted", area="river_tourism")
    client.force_login(secretariat)

    response = client.get(reverse("dashboard:home"))

    cards = {card["readiness"].event: card for card in response.context["cards"]}
    assert cards[forum]["days_left"] == 30
    assert cards[session]["days_left"] == 10
    forum_readiness = cards[forum]["readiness"]
    assert (forum_readiness.overall.accepted, forum_readiness.overall.total) == (2, 3)
    assert [(r.label, r.accepted, r.total, r.percent) for r in forum_readiness.by_agency] == [
        ("Акимат Павлодарской обл.", 1, 1, 100),
        ("МИД России ДСФ", 1, 2, 50),
    ]
    assert [(r.label, r.percent) for r in forum_readiness.by_area] == [
        ("Education and student exchange", 50),
        ("River tourism", 100),
    ]
    html = response.content.decode()
    assert "days to the Forum" in html
    assert "days to the session" in html
    assert '<progress max="100" value="50"' in html
    assert "50% (1 of 2)" in html


def test_dashboard_lists_overdue_due_soon_and_my_tasks(client, clock, staff_a, agency_a, forum):
    TaskFactory(event=forum, lead_agency=agency_a, title="Просрочено", deadline=dt.date(2026, 8, 25))
    TaskFactory(event=forum, lead_agency=agency_a, title="Скоро", deadline=dt.date(2026, 9, 10))
    TaskFactory(event=forum, lead_agency=agency_a, title="Моя", deadline=dt.date(2026, 9, 28), responsible=staff_a)
    TaskFactory(event=forum, lead_agency=agency_a, title="Закрыта", deadline=dt.date(2026, 8, 1), status="accepted")
    client.force_login(staff_a)

    response = client.get(reverse("dashboard:home"))

    lists = response.context["lists"]
    assert [t.title for t in lists["overdue"]] == ["Просрочено"]
    assert [t.title for t in lists["due_soon"]] == ["Скоро"]
    assert [t.title for t in lists["mine"]] == ["Моя"]
    assert response.context["counts"] == {"overdue": 1, "due_soon": 1, "mine": 1}


def test_dashboard_of_a_ministry_counts_only_its_tasks(client, clock, staff_a, agency_a, agency_b, forum):
    TaskFactory(event=forum, lead_agency=agency_a, status="accepted")
    TaskFactory(
        event=forum, lead_agency=agency_b, status="assigned", title="Чужая просроченная", deadline=dt.date(2026, 8, 1)
    )
    client.force_login(staff_a)

    response = client.get(reverse("dashboard:home"))

    readiness = response.context["cards"][0]["readiness"]
    assert [(r.label, r.accepted, r.total) for r in readiness.by_agency] == [("МИД России ДСФ", 1, 1)]
    assert response.context["counts"]["overdue"] == 0
    assert "Чужая просроченная" not in response.content.decode()
    assert "Tasks of МИД России ДСФ" in response.content.decode()


def test_dashboard_shows_the_next_planned_meeting(client, clock, secretariat):
    committee = Committee.objects.create(name="Оргкомитет")
    Meeting.objects.create(committee=committee, number=1, starts_at=NOW - dt.timedelta(days=3), place="Зал 1")
    Meeting.objects.create(committee=committee, number=2, starts_at=NOW + dt.timedelta(days=5), place="Зал 2")
    Meeting.objects.create(committee=committee, number=3, starts_at=NOW + dt.timedelta(days=9), place="Зал 3")
    client.force_login(secretariat)

    response = client.get(reverse("dashboard:home"))

    assert response.context["next_meeting"].number == 2
    html = response.content.decode()
    assert "Зал 2" in html
    assert f'<a href="{reverse("calendar:settings")}">Subscribe to your deadlines and meetings (iCalendar)</a>' in html


def test_status_series_replays_history_week_by_week(secretariat, agency_a, forum):
    with time_machine.travel(dt.datetime(2026, 8, 3, 6, 0, tzinfo=dt.UTC), tick=False):
        task = services.task_create(
            actor=secretariat,
            event=forum,
            title="Задача",
            area="education",
            lead_agency=agency_a,
            deadline=dt.date(2026, 9, 15),
        )
    with time_machine.travel(dt.datetime(2026, 8, 18, 6, 0, tzinfo=dt.UTC), tick=False):
        services.task_change_status(actor=secretariat, task=task, status="in_progress")

    series = status_series(tasks_visible_to(secretariat), today=dt.date(2026, 9, 1), weeks=6)

    assert [(p.day, p.counts["assigned"], p.counts["in_progress"]) for p in series] == [
        (dt.date(2026, 7, 28), 0, 0),
        (dt.date(2026, 8, 4), 1, 0),
        (dt.date(2026, 8, 11), 1, 0),
        (dt.date(2026, 8, 18), 0, 1),
        (dt.date(2026, 8, 25), 0, 1),
        (dt.date(2026, 9, 1), 0, 1),
    ]


def test_dashboard_chart_is_inline_svg_without_style_attributes(client, clock, secretariat, forum):
    TaskFactory(event=forum)
    client.force_login(secretariat)

    html = client.get(reverse("dashboard:home")).content.decode()

    assert '<svg class="status-chart"' in html
    assert 'role="img"' in html
    assert '<polyline class="series-assigned"' in html
    assert "style=" not in html
    assert "<script>" not in html


def test_dashboard_requires_login(client):
    response = client.get(reverse("dashboard:home"))

    assert response.status_code == 302


@pytest.mark.parametrize("count", [1, 40])
def test_dashboard_query_count_is_constant(client, clock, secretariat, count, django_assert_num_queries):
    forum = EventFactory(kind="forum", start_date=dt.date(2026, 10, 1), end_date=dt.date(2026, 10, 2))
    session = EventFactory(kind="commission", start_date=dt.date(2026, 9, 20), end_date=dt.date(2026, 9, 20))
    agencies = [AgencyFactory() for _ in range(3)]
    kazakh = AgencyFactory(short_name="Акимат СКО", country="KZ")
    for index in range(count):
        task = TaskFactory(
            event=(forum, session)[index % 2],
            lead_agency=agencies[index % 3],
            responsible=secretariat,
            deadline=dt.date(2026, 8, 20) + dt.timedelta(days=index),
        )
        # Every task has its Kazakh counterpart: the pairs come in the same one query however many there are.
        other = TaskFactory(event=task.event, lead_agency=kazakh, deadline=task.deadline, counterpart=task)
        Task.objects.filter(pk=task.pk).update(counterpart=other)
        away = UserFactory(agency=agencies[index % 3])
        Absence.objects.create(
            person=away,
            deputy=UserFactory(agency=away.agency),
            start=dt.date(2026, 8, 1),
            end=dt.date(2026, 9, 30),
        )
    client.force_login(secretariat)

    # a cold cache: session read, user, events, readiness with the counts, agreements signed of planned, chart
    # history, the 3 lists (one UNION ALL query where the database takes a limit in each part, as PostgreSQL
    # does), next meeting, pairs, who is away today, session refresh (3)
    lists = 1 if connection.features.supports_slicing_ordering_in_compound else 3
    with django_assert_num_queries(12 + lists + 1):  # + 1: the menu's unread count
        response = client.get(reverse("dashboard:home"))

    assert len(response.context["cards"]) == 2


def test_the_three_lists_and_counts_come_right_from_their_merged_queries(secretariat, forum):
    from omskevents.workplan.dashboard import dashboard_counts, dashboard_lists
    from omskevents.workplan.selectors import dashboard_rows

    today = dt.date(2026, 9, 1)
    other = UserFactory()
    overdue_mine = [
        TaskFactory(event=forum, responsible=secretariat, deadline=today - dt.timedelta(days=n)) for n in range(1, 13)
    ]
    soon_other = [TaskFactory(event=forum, responsible=other, deadline=today + dt.timedelta(days=n)) for n in range(3)]
    TaskFactory(event=forum, responsible=secretariat, deadline=today - dt.timedelta(days=40), status="accepted")
    visible = tasks_visible_to(secretariat)

    lists = dashboard_lists(visible, user=secretariat, today=today)
    by_deadline = sorted(overdue_mine, key=lambda t: (t.deadline, t.pk))
    assert [t.pk for t in lists["overdue"]] == [t.pk for t in by_deadline[:10]]  # the ten oldest, in order
    assert [t.pk for t in lists["mine"]] == [t.pk for t in by_deadline[:10]]  # the same tasks in a second list
    assert [t.pk for t in lists["due_soon"]] == [t.pk for t in soon_other]
    assert lists["overdue"][0].event.pk == forum.pk  # the event and lead come with the row

    rows = dashboard_rows(visible, user=secretariat, today=today)
    assert dashboard_counts(visible, user=secretariat, today=today, rows=rows) == {
        "overdue": 12,
        "due_soon": 3,
        "mine": 12,
    }
    assert dashboard_counts(visible, user=secretariat, today=today) == {"overdue": 12, "due_soon": 3, "mine": 12}
