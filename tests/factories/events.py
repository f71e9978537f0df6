"""Factories for events and their programme."""

import datetime as dt

import factory

from omskevents.events.models import Delegate, Delegation, Event, Journey, ProgrammeItem, Venue


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = "forum"
    number = factory.Sequence(lambda n: f"F{n}")
    title_ru = factory.LazyAttribute(lambda e: f"Форум межрегионального сотрудничества {e.number}")
    title_en = factory.LazyAttribute(lambda e: f"Interregional Cooperation Forum {e.number}")
    short_title = factory.LazyAttribute(lambda e: f"Форум {e.number}")
    start_date = dt.date(2026, 12, 10)
    end_date = dt.date(2026, 12, 11)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Зал {n}")


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    event = factory.SubFactory(EventFactory)
    kind = "section"
    area = "irtysh_logistics"
    title = factory.Sequence(lambda n: f"Секция {n}")
    starts_at = dt.datetime(2026, 12, 10, 4, 0, tzinfo=dt.UTC)
    ends_at = dt.datetime(2026, 12, 10, 6, 0, tzinfo=dt.UTC)
    venue = factory.SubFactory(VenueFactory)


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    event = factory.SubFactory(EventFactory)
    side = "KZ"
    name = factory.Sequence(lambda n: f"Делегация {n}")


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    delegation = factory.SubFactory(DelegationFactory)
    last_name = factory.Sequence(lambda n: f"Сапарова{n}")
    first_name = "Айгуль"
    name_alt = factory.Sequence(lambda n: f"Saparova{n} Aigul")
    country = "KZ"
    position = "Заместитель акима"
    consent_at = dt.datetime(2026, 11, 1, 5, 0, tzinfo=dt.UTC)


class JourneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journey

    delegate = factory.SubFactory(DelegateFactory)
    direction = "arrival"
    transport = "plane"
    number = "KC 901"
    at = dt.datetime(2026, 12, 9, 8, 0, tzinfo=dt.UTC)
    city = "Омск"
    time_zone = "Asia/Omsk"
    place = "Аэропорт Омск-Центральный"
