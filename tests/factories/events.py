"""Factories for events and their programme."""

import datetime as dt

import factory

from omskevents.events.models import Event, ProgrammeItem, Venue


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
