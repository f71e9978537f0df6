"""Delegations as people: who sees them, the arrivals board, the manifest, the badges, the removal after the event."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from omskevents.committee.models import Committee, Meeting
from omskevents.events import permissions
from omskevents.events.exports import badges_pdf
from omskevents.events.models import Delegate, Journey
from omskevents.events.selectors import arrivals_board, delegate_personal_data
from omskevents.events.services import delegates_purge
from tests.factories.accounts import UserFactory
from tests.factories.events import (
    DelegateFactory,
    DelegationFactory,
    EventFactory,
    JourneyFactory,
    ProgrammeItemFactory,
)
from tests.factories.workplan import TaskFactory
from tests.support.web import login_in_english as _login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- Permissions: one predicate per thing ---------------------------------------------------------


def test_delegation_people_are_for_the_secretariat_and_the_responsible_agency(
    secretariat, staff_a, head_a, staff_b, agency_a
):
    delegation = DelegationFactory(responsible_agency=agency_a)
    unassigned = DelegationFactory(responsible_agency=None)
    inactive = UserFactory(agency=agency_a, is_active=False)
    answers = {
        user.username: (
            permissions.can_view_delegation(user, delegation),
            permissions.can_view_delegation(user, unassigned),
        )
        for user in (secretariat, staff_a, head_a, staff_b, inactive)
    }
    assert answers == {
        "sec": (True, True),
        "staff_a": (True, False),
        "head_a": (True, False),
        "staff_b": (False, False),
        inactive.username: (False, False),
    }


def test_only_the_secretariat_may_purge(secretariat, head_a):
    assert (permissions.can_purge_delegates(secretariat), permissions.can_purge_delegates(head_a)) == (True, False)


# --- The event list and the event page ------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 15])
def test_event_list_query_count_does_not_grow(client, staff_a, django_assert_num_queries, count):
    for _ in range(count):
        event = EventFactory()
        DelegationFactory(event=event)
        ProgrammeItemFactory(event=event)
    _login(client, staff_a)
    with django_assert_num_queries(7 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("event_pages:list"))
    assert response.content.decode().count('class="event-row"') == count


def test_event_list_is_in_the_menu(client, staff_a):
    content = _login(client, staff_a).get(reverse("dashboard:home")).content.decode()
    assert f'href="{reverse("event_pages:list")}">Events</a>' in content


@pytest.mark.parametrize("count", [1, 12])
def test_event_page_query_count_does_not_grow(client, staff_a, agency_a, django_assert_num_queries, count):
    event = EventFactory()
    committee = Committee.objects.create(name="Оргкомитет")
    for n in range(count):
        DelegateFactory(delegation=DelegationFactory(event=event, responsible_agency=agency_a))
        ProgrammeItemFactory(event=event)
        TaskFactory(event=event, lead_agency=agency_a, status="accepted" if n % 2 else "assigned")
        Meeting.objects.create(
            committee=committee,
            number=n + 1,
            event=event,
            starts_at=dt.datetime(2026, 9, 1 + n, 5, tzinfo=dt.UTC),
            place="Омск",
        )
    _login(client, staff_a)
    with django_assert_num_queries(12 + 1):  # + 1: the menu's unread count
        response = client.get(event.get_absolute_url())
    content = response.content.decode()
    assert content.count('class="delegation-row"') == count
    assert content.count('class="programme-item"') == count
    assert content.count('href="/meetings/') == count + 1  # and the menu's
    accepted = count // 2
    assert f"{round(100 * accepted / count)}% ({accepted} of {count})" in content


def test_event_page_links_only_the_delegations_the_reader_may_see(client, staff_a, agency_a, agency_b):
    event = EventFactory()
    own = DelegationFactory(event=event, name="Павлодар", responsible_agency=agency_a)
    foreign = DelegationFactory(event=event, name="Астана", responsible_agency=agency_b)
    content = _login(client, staff_a).get(event.get_absolute_url()).content.decode()
    assert f'href="{own.get_absolute_url()}"' in content
    assert foreign.get_absolute_url() not in content
    assert "Астана" in content


def test_event_page_is_printable(client, staff_a):
    content = _login(client, staff_a).get(EventFactory().get_absolute_url()).content.decode()
    assert 'href="/static/css/print.css" media="print"' in content
    assert '<nav class="no-print navbar' in content


# --- The delegation page ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_delegation_page_query_count_does_not_grow(client, head_a, agency_a, django_assert_num_queries, count):
    delegation = DelegationFactory(responsible_agency=agency_a)
    for _ in range(count):
        delegate = DelegateFactory(delegation=delegation)
        JourneyFactory(delegate=delegate)
        JourneyFactory(delegate=delegate, direction="departure", at=dt.datetime(2026, 12, 12, 8, tzinfo=dt.UTC))
    _login(client, head_a)
    with django_assert_num_queries(8 + 1):  # + 1: the menu's unread count
        response = client.get(delegation.get_absolute_url())
    assert response.content.decode().count('class="delegate-row"') == count


def test_delegation_page_shows_people_in_protocol_order_with_needs_and_local_times(client, secretariat):
    delegation = DelegationFactory(name="Павлодарская область")
    second = DelegateFactory(delegation=delegation, last_name="Ахметов", precedence=2, diet="халяль")
    head = DelegateFactory(
        delegation=delegation,
        last_name="Сапарова",
        precedence=1,
        role="head",
        needs_interpreter=True,
        hotel="Иртыш",
        room="512",
    )
    # 08:00 UTC is 14:00 in Omsk.
    JourneyFactory(delegate=head, number="KC 901", met_by="Иванов И. И.")
    content = _login(client, secretariat).get(delegation.get_absolute_url()).content.decode()
    assert content.index("Сапарова") < content.index("Ахметов")
    assert "09.12.2026 14:00</span> (Омск)" in content
    assert "Met by: Иванов И. И." in content
    assert "Иртыш, room 512" in content
    assert "Diet: халяль" in content
    assert 'needs-badge">interpreter</span>' in content
    assert second.full_name in content


def test_delegation_of_another_event_under_this_address_is_404(client, secretariat):
    delegation = DelegationFactory()
    other = EventFactory()
    response = _login(client, secretariat).get(reverse("events:delegation", args=[other.pk, delegation.pk]))
    assert response.status_code == 404


# --- The arrivals board -----------------------------------------------------------------------------


def test_arrivals_board_groups_by_the_local_day_of_the_city_of_arrival(secretariat):
    event = EventFactory()
    delegation = DelegationFactory(event=event)
    # 19:30 UTC on 8 December is 01:30 on 9 December in Omsk; 18:30 UTC the same evening is 23:30 in Almaty.
    late = JourneyFactory(
        delegate=DelegateFactory(delegation=delegation), at=dt.datetime(2026, 12, 8, 19, 30, tzinfo=dt.UTC)
    )
    almaty = JourneyFactory(
        delegate=DelegateFactory(delegation=delegation),
        at=dt.datetime(2026, 12, 8, 18, 30, tzinfo=dt.UTC),
        city="Павлодар",
        time_zone="Asia/Almaty",
    )
    morning = JourneyFactory(
        delegate=DelegateFactory(delegation=delegation), at=dt.datetime(2026, 12, 9, 2, tzinfo=dt.UTC)
    )
    JourneyFactory(delegate=DelegateFactory(delegation=delegation), direction="departure")
    days = arrivals_board(secretariat, event)
    assert [(d.day, [j.pk for j in d.journeys]) for d in days] == [
        (dt.date(2026, 12, 8), [almaty.pk]),
        (dt.date(2026, 12, 9), [late.pk, morning.pk]),
    ]


def test_arrivals_board_shows_only_the_delegations_the_reader_may_see(client, staff_a, agency_a, agency_b):
    event = EventFactory()
    JourneyFactory(
        delegate=DelegateFactory(
            delegation=DelegationFactory(event=event, responsible_agency=agency_a), last_name="Своя"
        )
    )
    JourneyFactory(
        delegate=DelegateFactory(
            delegation=DelegationFactory(event=event, responsible_agency=agency_b), last_name="Чужой"
        )
    )
    content = _login(client, staff_a).get(reverse("events:arrivals", args=[event.pk])).content.decode()
    assert content.count('class="arrival-row"') == 1
    assert "Своя" in content
    assert "Чужой" not in content


@pytest.mark.parametrize("count", [1, 30])
def test_arrivals_board_query_count_does_not_grow(client, secretariat, django_assert_num_queries, count):
    event = EventFactory()
    for n in range(count):
        delegation = DelegationFactory(event=event)
        JourneyFactory(
            delegate=DelegateFactory(delegation=delegation),
            at=dt.datetime(2026, 12, 8 + n % 3, 3 + n % 10, tzinfo=dt.UTC),
        )
    _login(client, secretariat)
    with django_assert_num_queries(7 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("events:arrivals", args=[event.pk]))
    assert response.content.decode().count('class="arrival-row"') == count


@pytest.mark.parametrize(
    "query", ["direction=sideways", "direction=%00", "direction=" + "x" * 5000, "direction=arrival&direction=<script>"]
)
def test_arrivals_board_with_a_malformed_filter_shows_arrivals_and_says_so(client, secretariat, query):
    event = EventFactory()
    JourneyFactory(delegate=DelegateFactory(delegation=DelegationFactory(event=event)))
    response = _login(client, secretariat).get(reverse("events:arrivals", args=[event.pk]) + "?" + query)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="arrival-row"') == 1
    assert "The filter was not understood; all arrivals are shown." in content
    assert "<script>" not in content.split("<main", 1)[1]


# --- The manifest (Excel) -------------------------------------------------------------------------


def _rows(content: bytes) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book.active.iter_rows(values_only=True))


def test_manifest_reads_back_with_the_visible_delegates_and_formula_safe_cells(client, staff_a, agency_a, agency_b):
    event = EventFactory()
    own = DelegationFactory(event=event, name="Павлодар", responsible_agency=agency_a)
    delegate = DelegateFactory(
        delegation=own,
        last_name='=HYPERLINK("http://x")',
        first_name="Айгуль",
        patronymic="",
        diet="+7 халяль",
        precedence=1,
    )
    JourneyFactory(delegate=delegate, number="KC 901", met_by="Иванов")
    DelegateFactory(delegation=DelegationFactory(event=event, responsible_agency=agency_b), last_name="Чужой")
    response = _login(client, staff_a).get(reverse("events:manifest", args=[event.pk]))
    assert response["Content-Disposition"].startswith(f'attachment; filename="manifest-forum-{event.number}-')
    rows = _rows(response.content)
    assert rows[0][:4] == ("Delegation", "Precedence", "Role", "Full name")
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == "Павлодар"
    assert row[3] == '=HYPERLINK("http://x") Айгуль'
    assert row[11] == "+7 халяль"
    assert row[14] == "09.12.2026 14:00 (Asia/Omsk), Plane KC 901, Аэропорт Омск-Центральный"
    assert row[15] == "Иванов"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cell = book.active["D2"]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


# --- Badges (PDF) ---------------------------------------------------------------------------------


def test_badges_pdf_reads_back_with_names_in_both_scripts_on_a4_sheets_of_four(client, secretariat):
    event = EventFactory(title_ru="XXII Форум межрегионального сотрудничества")
    delegation = DelegationFactory(event=event, name="Павлодарская область")
    for n in range(5):
        DelegateFactory(
            delegation=delegation,
            last_name=f"Сапарова{n}",
            name_alt=f"Сапарова{n} Айгүл / Saparova Aigul",
            precedence=n,
        )
    response = _login(client, secretariat).get(reverse("events:badges", args=[event.pk]), {"layout": "a4"})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]
    text = reader.pages[0].extract_text()
    for n in range(4):
        assert f"Сапарова{n}" in text
    assert "Айгүл / Saparova Aigul" in text
    assert "Павлодарская область" in text
    assert "MEMBER OF THE DELEGATION" in text
    assert "Сапарова4" in reader.pages[1].extract_text()


def test_badges_pdf_on_a6_has_a_page_per_person_of_the_chosen_delegation(secretariat):
    event = EventFactory()
    chosen = DelegationFactory(event=event)
    DelegateFactory.create_batch(3, delegation=chosen)
    reader = PdfReader(io.BytesIO(badges_pdf(event, list(Delegate.objects.filter(delegation=chosen)), layout="a6")))
    assert len(reader.pages) == 3
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [298, 420]


@pytest.mark.parametrize(
    "query", [{"layout": "a3"}, {"delegation": "abc"}, {"delegation": "-1"}, {"delegation": "9" * 30}]
)
def test_badges_with_malformed_options_answer_400_with_a_message(client, secretariat, query):
    event = EventFactory()
    response = _login(client, secretariat).get(reverse("events:badges", args=[event.pk]), query)
    assert response.status_code == 400
    assert response.content.decode() != ""


# --- A person's data on request, and the removal after the event ----------------------------------


def test_delegate_data_export_holds_everything_stored_about_the_person(client, secretariat):
    delegate = DelegateFactory(last_name="Сапарова", email="s@example.kz", diet="вегетарианское")
    JourneyFactory(delegate=delegate)
    response = _login(client, secretariat).get(reverse("events:delegate_data", args=[delegate.pk]))
    data = json.loads(response.content)
    assert data == delegate_personal_data(Delegate.objects.get(pk=delegate.pk))
    assert (data["last_name"], data["email"], data["diet"]) == ("Сапарова", "s@example.kz", "вегетарианское")
    assert data["journeys"][0]["at"] == "2026-12-09T08:00:00+00:00"
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_purge_removes_people_of_events_ended_past_the_retention_and_keeps_the_delegation():
    old = EventFactory(start_date=dt.date(2026, 1, 10), end_date=dt.date(2026, 1, 11), short_title="Старый")
    recent = EventFactory(start_date=dt.date(2026, 2, 20), end_date=dt.date(2026, 2, 21))
    gone = DelegateFactory(delegation=DelegationFactory(event=old))
    JourneyFactory(delegate=gone)
    kept = DelegateFactory(delegation=DelegationFactory(event=recent))
    result = delegates_purge(today=dt.date(2026, 3, 1), retention_days=30)
    assert (result.by_event, result.total) == ({"Старый": 1}, 1)
    assert list(Delegate.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Journey.objects.count() == 0
    assert gone.delegation.__class__.objects.filter(pk=gone.delegation_id).exists()


def test_purge_dry_run_counts_and_changes_nothing():
    old = EventFactory(start_date=dt.date(2026, 1, 10), end_date=dt.date(2026, 1, 11), short_title="Старый")
    DelegateFactory.create_batch(2, delegation=DelegationFactory(event=old))
    result = delegates_purge(today=dt.date(2026, 3, 1), retention_days=30, dry_run=True)
    assert (result.total, result.dry_run, Delegate.objects.count()) == (2, True, 2)


def test_purge_command_dry_run_and_setting(settings, capsys):
    settings.DELEGATE_DATA_RETENTION_DAYS = 0
    old = EventFactory(start_date=dt.date(2020, 1, 10), end_date=dt.date(2020, 1, 11), short_title="Старый")
    DelegateFactory(delegation=DelegationFactory(event=old))
    call_command("purge_delegates", "--dry-run")
    assert capsys.readouterr().out.splitlines() == [
        "Старый: would remove 1",
        "Total: would remove 1 delegates (events ended more than 0 days ago).",
    ]
    assert Delegate.objects.count() == 1
    call_command("purge_delegates")
    assert Delegate.objects.count() == 0


def test_purge_task_is_scheduled_daily(settings):
    assert settings.CELERY_BEAT_SCHEDULE["events-purge-delegates"]["task"] == "events.purge_delegates"
