import datetime as dt

import pytest
from django.urls import reverse

from omskevents.events.models import Delegation
from tests.factories.events import EventFactory, ProgrammeItemFactory, VenueFactory
from tests.support.web import login_in_english as _login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_event_detail_shows_dates_venues_and_delegations(client, staff_a):
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    event.venues.add(VenueFactory(name="Омск-Арена", capacity=500))
    Delegation.objects.create(event=event, side="KZ", name="Павлодарская область", head="Аким", size=40)
    content = _login(client, staff_a).get(event.get_absolute_url()).content.decode()
    assert event.title_en in content
    assert "10.12.2026–11.12.2026" in content
    assert "Омск-Арена — 500 seats" in content
    assert "Павлодарская область" in content
    assert reverse("events:programme", args=[event.pk]) in content


def test_event_detail_requires_login(client):
    event = EventFactory()
    assert client.get(event.get_absolute_url()).status_code == 302


def test_event_detail_of_an_unknown_event_is_404(client, staff_a):
    assert _login(client, staff_a).get(reverse("event_pages:detail", args=[404])).status_code == 404


def test_programme_groups_items_by_local_day_and_venue(client, staff_a):
    event = EventFactory(time_zone="Asia/Omsk")
    hall, arena = VenueFactory(name="Б-зал"), VenueFactory(name="А-арена")
    # 19:00 UTC on 9 December is 01:00 on 10 December in Omsk.
    ProgrammeItemFactory(
        event=event,
        venue=hall,
        title="Ночной приём",
        starts_at=dt.datetime(2026, 12, 9, 19, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 9, 20, tzinfo=dt.UTC),
    )
    ProgrammeItemFactory(
        event=event,
        venue=arena,
        title="Пленарное заседание",
        starts_at=dt.datetime(2026, 12, 10, 4, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 10, 6, tzinfo=dt.UTC),
    )
    ProgrammeItemFactory(
        event=event,
        venue=None,
        title="Экскурсия",
        starts_at=dt.datetime(2026, 12, 11, 4, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 11, 6, tzinfo=dt.UTC),
    )
    response = _login(client, staff_a).get(reverse("events:programme", args=[event.pk]))
    days = [
        (d.day, [(s.venue.name if s.venue else None, [i.title for i in s.items]) for s in d.venues])
        for d in response.context["days"]
    ]
    assert days == [
        (dt.date(2026, 12, 10), [("А-арена", ["Пленарное заседание"]), ("Б-зал", ["Ночной приём"])]),
        (dt.date(2026, 12, 11), [(None, ["Экскурсия"])]),
    ]
    content = response.content.decode()
    assert "01:00–02:00" in content
    assert "10:00–12:00" in content
    assert "Venue to be announced" in content


@pytest.mark.parametrize("count", [1, 25])
def test_programme_query_count_does_not_grow(client, secretariat, django_assert_num_queries, count):
    event = EventFactory()
    for n in range(count):
        ProgrammeItemFactory(
            event=event,
            starts_at=dt.datetime(2026, 12, 10, 3, tzinfo=dt.UTC) + dt.timedelta(minutes=n),
            ends_at=dt.datetime(2026, 12, 10, 9, tzinfo=dt.UTC),
        )
    _login(client, secretariat)
    with django_assert_num_queries(7 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("events:programme", args=[event.pk]))
    assert response.content.decode().count('class="programme-item"') == count


@pytest.mark.parametrize("count", [1, 10])
def test_event_detail_query_count_does_not_grow(client, secretariat, django_assert_num_queries, count):
    event = EventFactory()
    for n in range(count):
        event.venues.add(VenueFactory())
        Delegation.objects.create(event=event, side="RU", name=f"Делегация {n}")
    # The page also reads the committee's meetings for the event, the readiness of its action plan and (the
    # agreements app's section) the agreements signed of planned.
    _login(client, secretariat)
    with django_assert_num_queries(12 + 1):  # + 1: the menu's unread count
        response = client.get(event.get_absolute_url())
    assert response.content.decode().count('class="delegation-row"') == count
