"""Factories for the organising committee and its meetings."""

import datetime as dt

import factory

from omskevents.committee.models import Committee, CommitteeMember, Decision, Meeting, MeetingAttendance


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = "Организационный комитет по подготовке XXII Форума"


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    committee = factory.SubFactory(CommitteeFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    role = "member"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_at = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
    place = "Правительство Омской области, зал заседаний"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory("tests.factories.accounts.UserFactory")
    status = "invited"


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    text = factory.Sequence(lambda n: f"Обеспечить подготовку площадки {n}")
    lead_agency = factory.SubFactory("tests.factories.agencies.AgencyFactory")
    deadline = dt.date(2026, 12, 3)

    @factory.post_generation
    def co_executors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.co_executors.set(extracted)
