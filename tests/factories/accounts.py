"""Factories for users."""

import factory

from omskevents.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Иван"
    last_name = factory.Sequence(lambda n: f"Иванов{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = "agency_staff"
    agency = factory.SubFactory("tests.factories.agencies.AgencyFactory")
    time_zone = "Asia/Omsk"
    language = "ru"
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
