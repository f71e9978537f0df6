"""Prepare the next Forum: the number, the preview, the one atomic step, the page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omskevents.calendars.services import calendar_seed
from omskevents.events.models import Event, ProgrammeItem
from omskevents.events.services import NextEventSpec, event_next_number
from omskevents.workplan.models import ProgressReport, Task
from omskevents.workplan.next_event import next_event_create, next_event_preview
from tests.factories.agencies import AgencyFactory
from tests.factories.events import EventFactory, ProgrammeItemFactory, VenueFactory
from tests.factories.workplan import ProgressReportFactory, TaskFactory
from tests.security.conftest import changed_tables, db_state
from tests.support.web import login_in_english as _login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize(
    ("number", "expected"), [("XXII", "XXIII"), ("XXIII", "XXIV"), ("XIX", "XX"), ("27", "28"), ("Форум", "Форум-2")]
)
def test_the_next_number(number, expected):
    assert event_next_number(number) == expected


@pytest.fixture
def forum():
    """The XXII Forum in Omsk, 10–11 December 2026: two venues, a programme over two days, a plan of four tasks."""
    event = EventFactory(
        number="XXII",
        title_ru="XXII Форум межрегионального сотрудничества",
        title_en="XXII Interregional Cooperation Forum",
        short_title="XXII Форум",
        host_country="RU",
        start_date=dt.date(2026, 12, 10),
        end_date=dt.date(2026, 12, 11),
        time_zone="Asia/Omsk",
    )
    arena, hall = VenueFactory(name="Омск-Арена"), VenueFactory(name="Дом дружбы")
    event.venues.set([arena, hall])
    # 10:00 on the first day and 15:00 on the second, Omsk time (UTC+6).
    ProgrammeItemFactory(
        event=event,
        venue=arena,
        title="Пленарное заседание",
        moderator="Модератор",
        starts_at=dt.datetime(2026, 12, 10, 4, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 10, 6, tzinfo=dt.UTC),
    )
    ProgrammeItemFactory(
        event=event,
        venue=hall,
        title="Круглый стол",
        starts_at=dt.datetime(2026, 12, 11, 9, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 11, 10, tzinfo=dt.UTC),
    )
    ru = AgencyFactory(short_name="Минтранс Омской обл.", country="RU")
    kz = AgencyFactory(short_name="Акимат Павлодарской обл.", country="KZ")
    relative = TaskFactory(
        event=event,
        number="1",
        title="Согласовать программу",
        lead_agency=ru,
        deadline=dt.date(2026, 9, 29),
        deadline_anchor="start",
        deadline_offset_days=-72,
        status="accepted",
        co_executors=[kz],
    )
    fixed = TaskFactory(
        event=event,
        number="2",
        title="Подготовить причал",
        lead_agency=kz,
        deadline=dt.date(2026, 11, 20),
        status="in_progress",
        parent=relative,
    )
    fixed.depends_on.set([relative])
    TaskFactory(event=event, number="3", title="Отменённое", lead_agency=ru, status="cancelled")
    ProgressReportFactory(task=relative, text="Программа согласована")
    return event


def _spec(**changes) -> NextEventSpec:
    values = {
        "number": "XXIII",
        "start_date": dt.date(2027, 9, 16),
        "end_date": dt.date(2027, 9, 17),
        "city": "Павлодар",
        "host_country": "KZ",
        "time_zone": "Asia/Almaty",
        "copy_venues": False,
    }
    values.update(changes)
    return NextEventSpec(**values)


def test_preview_recounts_relative_deadlines_on_the_host_countrys_working_days_and_writes_nothing(forum):
    calendar_seed(countries=["RU", "KZ"], years=[2027])
    before = db_state()
    preview = next_event_preview(source=forum, spec=_spec())
    assert changed_tables(before, db_state()) == []
    # 72 days before 16.09.2027 is 06.07.2027, Capital Day in Kazakhstan (a working day in Russia, where the lead
    # agency is): the host's calendar moves it to 07.07. The fixed deadline moves by the span, 280 days.
    assert [(c.source.number, c.deadline, c.relative) for c in preview.tasks] == [
        ("1", dt.date(2027, 7, 7), True),
        ("2", dt.date(2027, 8, 27), False),
    ]
    assert preview.span_days == 280
    assert (preview.event.title_ru, preview.event.short_title, preview.event.city) == (
        "XXIII Форум межрегионального сотрудничества",
        "XXIII Форум",
        "Павлодар",
    )
    assert (len(preview.programme), preview.venues) == (2, 0)


def test_the_step_makes_the_event_its_programme_skeleton_and_plan_without_reports_or_statuses(forum, secretariat):
    calendar_seed(countries=["RU", "KZ"], years=[2027])
    event = next_event_create(actor=secretariat, source=forum, spec=_spec(copy_venues=True))
    assert (event.number, event.host_country, event.status, event.time_zone) == (
        "XXIII",
        "KZ",
        "planned",
        "Asia/Almaty",
    )
    assert sorted(event.venues.values_list("name", flat=True)) == ["Дом дружбы", "Омск-Арена"]
    items = list(ProgrammeItem.objects.filter(event=event).order_by("starts_at"))
    # The same local times on the same days of the event, now in Almaty (UTC+5); no moderator is copied.
    assert [(i.title, i.starts_at, i.ends_at, i.moderator, i.venue.name) for i in items] == [
        (
            "Пленарное заседание",
            dt.datetime(2027, 9, 16, 5, tzinfo=dt.UTC),
            dt.datetime(2027, 9, 16, 7, tzinfo=dt.UTC),
            "",
            "Омск-Арена",
        ),
        (
            "Круглый стол",
            dt.datetime(2027, 9, 17, 10, tzinfo=dt.UTC),
            dt.datetime(2027, 9, 17, 11, tzinfo=dt.UTC),
            "",
            "Дом дружбы",
        ),
    ]
    tasks = {t.number: t for t in Task.objects.filter(event=event)}
    assert sorted(tasks) == ["1", "2"]
    assert {(n, t.status, t.deadline, t.deadline_anchor, t.deadline_offset_days) for n, t in tasks.items()} == {
        ("1", "assigned", dt.date(2027, 7, 7), "start", -72),
        ("2", "assigned", dt.date(2027, 8, 27), "", None),
    }
    assert list(tasks["1"].co_executors.values_list("short_name", flat=True)) == ["Акимат Павлодарской обл."]
    assert tasks["2"].parent == tasks["1"]
    assert list(tasks["2"].depends_on.all()) == [tasks["1"]]
    assert ProgressReport.objects.filter(task__event=event).count() == 0
    # Its own history only (created, co-executors set), none of the source task's rows.
    assert list(tasks["1"].history.values_list("history_type", "history_user__username")) == [
        ("~", "sec"),
        ("+", "sec"),
    ]
    assert Task.objects.filter(event=forum).count() == 3  # the source plan is untouched


def test_the_step_is_all_or_nothing(forum, secretariat):
    # A one-day event: the fixed deadline shifted by the span still fits, but make one task that cannot.
    TaskFactory(event=forum, number="4", title="Итоги", deadline=dt.date(2026, 12, 11))
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        next_event_create(actor=secretariat, source=forum, spec=_spec(end_date=dt.date(2027, 9, 16)))
    assert exc.value.messages == [
        "Task “4 Итоги”: The deadline is after the event ends (16.09.2027). Mark the task as a post-event follow-up "
        "to allow it."
    ]
    assert changed_tables(before, db_state()) == []


def test_the_step_refuses_a_number_taken_and_agency_people(forum, secretariat, staff_a):
    EventFactory(number="XXIII")
    with pytest.raises(ValidationError) as exc:
        next_event_create(actor=secretariat, source=forum, spec=_spec())
    assert exc.value.messages == ["An event of this kind with this number already exists."]
    with pytest.raises(PermissionDenied):
        next_event_create(actor=staff_a, source=forum, spec=_spec(number="XXIV"))


def test_the_page_prefills_previews_then_makes_the_forum(client, forum, secretariat):
    _login(client, secretariat)
    url = reverse("workplan:next_event", args=[forum.pk])
    form = client.get(url).context["form"]
    assert {k: form.initial[k] for k in ("number", "start_date", "host_country", "time_zone", "copy_venues")} == {
        "number": "XXIII",
        "start_date": dt.date(2027, 12, 9),
        "host_country": "KZ",
        "time_zone": "Asia/Almaty",
        "copy_venues": False,
    }
    data = {
        "number": "XXIII",
        "start_date": "2027-09-16",
        "end_date": "2027-09-17",
        "host_country": "KZ",
        "city": "Павлодар",
        "time_zone": "Asia/Almaty",
    }
    before = db_state()
    preview = client.post(url, data)
    assert changed_tables(before, db_state()) == []
    content = preview.content.decode()
    assert content.count('class="preview-task"') == 2
    assert 'name="confirm" value="True"' in content
    response = client.post(url, {**data, "confirm": "True"})
    event = Event.objects.get(number="XXIII")
    assert response["Location"] == event.get_absolute_url()
    assert Task.objects.filter(event=event).count() == 2


def test_the_page_with_an_end_before_the_start_says_so(client, forum, secretariat):
    response = _login(client, secretariat).post(
        reverse("workplan:next_event", args=[forum.pk]),
        {
            "number": "XXIII",
            "start_date": "2027-09-16",
            "end_date": "2027-09-01",
            "host_country": "KZ",
            "city": "Павлодар",
            "time_zone": "Asia/Almaty",
            "confirm": "True",
        },
    )
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Event.objects.filter(number="XXIII").exists()


def test_the_event_page_offers_the_step_to_the_secretariat_only(client, forum, secretariat, staff_a):
    url = reverse("workplan:next_event", args=[forum.pk])
    assert url in _login(client, secretariat).get(forum.get_absolute_url()).content.decode()
    assert url not in _login(client, staff_a).get(forum.get_absolute_url()).content.decode()
