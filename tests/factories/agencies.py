"""Factories for agencies."""

import factory

from omskevents.agencies.models import Agency


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("short_name",)

    name = factory.LazyAttribute(lambda a: f"{a.short_name} (полное наименование)")
    short_name = factory.Sequence(lambda n: f"Ведомство {n}")
    country = "RU"
    level = "regional"
    email = factory.Sequence(lambda n: f"agency{n}@example.org")
