import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from omskevents.workplan.models import Task
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory
from tests.support.web import login_in_english as _login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


URL = reverse("workplan:timeline")


def _task(**kwargs):
    created = kwargs.pop("created", dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC))
    task = TaskFactory(**kwargs)
    Task.objects.filter(pk=task.pk).update(created=created)
    task.refresh_from_db()
    return task


def test_timeline_requires_login(client):
    assert client.get(URL).status_code == 302


@time_machine.travel(dt.datetime(2026, 11, 25, 6, tzinfo=dt.UTC))
def test_timeline_groups_bars_by_area_and_marks_overdue(client, secretariat, agency_a):
    event = EventFactory(short_title="XXII Форум", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    _task(event=event, area="education", title="Обмен студентами", lead_agency=agency_a, deadline=dt.date(2026, 12, 1))
    _task(event=event, area="agriculture", title="Выставка семян", lead_agency=agency_a, deadline=dt.date(2026, 11, 20))
    response = _login(client, secretariat).get(URL, {"event": event.pk})
    timeline = response.context["timeline"]
    assert [(g.label, [b.task.title for b in g.bars]) for g in timeline.groups] == [
        ("Agriculture and seed production", ["Выставка семян"]),
        ("Education and student exchange", ["Обмен студентами"]),
    ]
    assert [b.overdue for g in timeline.groups for b in g.bars] == [True, False]
    assert [m.label for m in timeline.events] == ["XXII Форум"]
    content = response.content.decode()
    assert content.count('class="timeline-bar timeline-bar-assigned timeline-bar-overdue"') == 1
    assert content.count('class="timeline-event"') == 1
    assert ' style="' not in content


@time_machine.travel(dt.datetime(2026, 11, 25, 6, tzinfo=dt.UTC))
def test_timeline_bar_runs_from_assignment_to_deadline(client, secretariat):
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    _task(event=event, deadline=dt.date(2026, 11, 30), created=dt.datetime(2026, 11, 10, 6, tzinfo=dt.UTC))
    timeline = _login(client, secretariat).get(URL).context["timeline"]
    # From 3 November (7 days before the first bar) to 18 December (7 days after the event): 45 days.
    assert (timeline.start, timeline.end) == (dt.date(2026, 11, 3), dt.date(2026, 12, 18))
    bar = timeline.groups[0].bars[0]
    per_day = 900 / 45
    assert (bar.x, bar.width) == (round(320 + 7 * per_day, 1), round(21 * per_day, 1))


def test_timeline_lists_dependencies_both_visible(client, secretariat, agency_a):
    event = EventFactory()
    first = _task(event=event, title="Согласовать маршрут", lead_agency=agency_a)
    second = _task(event=event, title="Заказать теплоход", lead_agency=agency_a)
    second.depends_on.add(first)
    content = _login(client, secretariat).get(URL).content.decode()
    assert "“Заказать теплоход” waits for “Согласовать маршрут”" in content
    assert content.count('class="timeline-link"') == 1


def test_timeline_for_agency_staff_shows_only_their_tasks(client, staff_a, agency_a, agency_b):
    event = EventFactory()
    ours = _task(event=event, title="Наше поручение", lead_agency=agency_a)
    theirs = _task(event=event, title="Чужое поручение", lead_agency=agency_b)
    ours.depends_on.add(theirs)
    content = _login(client, staff_a).get(URL).content.decode()
    assert "Наше поручение" in content
    assert "Чужое поручение" not in content
    assert "No dependencies among these tasks." in content


def test_timeline_hides_closed_tasks_unless_asked(client, secretariat):
    event = EventFactory()
    _task(event=event, title="Снято с контроля", status="accepted")
    _login(client, secretariat)
    assert "No tasks to show." in client.get(URL).content.decode()
    assert "Снято с контроля" in client.get(URL, {"closed": "1"}).content.decode()


def test_timeline_with_unknown_filters_shows_everything(client, secretariat):
    _task(title="Поручение")
    response = _login(client, secretariat).get(URL, {"event": "abc", "area": "<script>"})
    assert response.status_code == 200
    assert (response.context["selected_event"], response.context["selected_area"], response.context["task_count"]) == (
        None,
        "",
        1,
    )


@pytest.mark.parametrize("count", [1, 30])
def test_timeline_query_count_does_not_grow(client, secretariat, django_assert_num_queries, count):
    event = EventFactory()
    previous = None
    for n in range(count):
        task = _task(
            event=event,
            area="education" if n % 2 else "agriculture",
            deadline=dt.date(2026, 12, 1) + dt.timedelta(days=n % 9),
        )
        if previous is not None:
            task.depends_on.add(previous)
        previous = task
    _login(client, secretariat)
    with django_assert_num_queries(8 + 1):  # + 1: the menu's unread count
        response = client.get(URL)
    assert response.content.decode().count('<rect class="timeline-bar ') == count


@time_machine.travel(dt.datetime(2026, 11, 25, 6, tzinfo=dt.UTC))
def test_timeline_event_labels_on_the_same_day_never_overprint(client, secretariat):
    forum = EventFactory(short_title="XXII Форум", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    EventFactory(short_title="27-е заседание МПК", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 10))
    _task(event=forum, deadline=dt.date(2026, 12, 1))

    timeline = _login(client, secretariat).get(URL).context["timeline"]

    assert sorted(m.label_y for m in timeline.events) == [30, 44]
    assert timeline.groups[0].y == 40 + 14  # the chart starts below the second line of labels


@time_machine.travel(dt.datetime(2026, 11, 25, 6, tzinfo=dt.UTC))
def test_timeline_zooms_to_a_month_cutting_the_bars_to_it(client, secretariat):
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    _task(
        event=event,
        title="В ноябре",
        deadline=dt.date(2026, 11, 30),
        created=dt.datetime(2026, 10, 20, 6, tzinfo=dt.UTC),
    )
    _task(
        event=event,
        title="В декабре",
        deadline=dt.date(2026, 12, 20),
        created=dt.datetime(2026, 12, 2, 6, tzinfo=dt.UTC),
    )

    response = _login(client, secretariat).get(URL, {"month": "2026-11"})

    timeline = response.context["timeline"]
    assert (timeline.start, timeline.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [b.task.title for g in timeline.groups for b in g.bars] == ["В ноябре"]
    bar = timeline.groups[0].bars[0]
    assert (bar.x, bar.width) == (320, 900.0)  # from the month's first day to the deadline, the month's last
    assert [d.label for d in timeline.days if d.label] == ["9", "16", "23", "30"]
    assert response.context["task_count"] == 1
    assert [m.isoformat() for m in response.context["months"]] == ["2026-10-01", "2026-11-01", "2026-12-01"]
    assert (response.context["previous_month"], response.context["next_month"]) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 1),
    )
    content = response.content.decode()
    assert 'data-month="2026-12"' in content
    assert 'aria-current="page">November 2026<' in content


@pytest.mark.parametrize("month", ["2026-13", "0000-01", "2026-1", "٢٠٢٦-١١", "9999-01", "x" * 300, "2026-11-01"])
def test_timeline_malformed_month_shows_the_whole_plan(client, secretariat, month):
    _task(deadline=dt.date(2026, 12, 1))

    response = _login(client, secretariat).get(URL, {"month": month})

    assert response.status_code == 200
    assert response.context["month"] is None
    assert response.context["timeline"].days == []
