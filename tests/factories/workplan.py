"""Factories for tasks and what hangs off them. They write rows directly; services are tested on their own."""

import datetime as dt

import factory

from omskevents.workplan.models import ExtensionRequest, ProgressReport, Task

from .agencies import AgencyFactory
from .events import EventFactory


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    area = "irtysh_logistics"
    title = factory.Sequence(lambda n: f"Поручение {n}")
    lead_agency = factory.SubFactory(AgencyFactory)
    deadline = dt.date(2026, 12, 1)
    status = "assigned"

    @factory.post_generation
    def co_executors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.co_executors.set(extracted)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    task = factory.SubFactory(TaskFactory)
    author = factory.SubFactory("tests.factories.accounts.UserFactory")
    text = "Работа ведётся по графику."


class ExtensionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtensionRequest

    task = factory.SubFactory(TaskFactory)
    requested_by = factory.SubFactory("tests.factories.accounts.UserFactory")
    old_deadline = factory.LazyAttribute(lambda r: r.task.deadline)
    new_deadline = factory.LazyAttribute(lambda r: r.task.deadline + dt.timedelta(days=7))
    reason = "Нужно согласование с казахстанской стороной."
