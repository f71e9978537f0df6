"""Reads of a person's calendar feed token and of absences."""

import datetime as dt

from django.db.models import QuerySet

from .models import Absence, CalendarFeedToken, User
from .permissions import absence_people_for
from .types import AnyUser


def calendar_token_of(user: User) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user).first()


def calendar_token_owner(key: str) -> CalendarFeedToken | None:
    """The token of the active person a feed key belongs to; None for an unknown or revoked key."""
    return CalendarFeedToken.objects.select_related("user").filter(key=key, user__is_active=True).first()


def absences_of(person: User) -> QuerySet[Absence]:
    """A person's absences, the latest first, with their deputies."""
    return Absence.objects.filter(person=person).select_related("deputy").order_by("-start", "-pk")


def absences_managed_by(user: AnyUser, *, today: dt.date) -> QuerySet[Absence]:
    """Current and coming absences of the people this user records absences for (a secretariat: its side)."""
    return (
        Absence.objects.filter(person__in=absence_people_for(user), end__gte=today)
        .select_related("person__agency", "deputy__agency")
        .order_by("start", "person__last_name", "pk")
    )


def absences_now(*, today: dt.date) -> QuerySet[Absence]:
    """Who is away today and who replaces them (the dashboard's section for the secretariats)."""
    return (
        Absence.objects.filter(start__lte=today, end__gte=today, person__is_active=True)
        .select_related("person__agency", "deputy__agency")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def absences_between(start: dt.date, end: dt.date) -> list[Absence]:
    """Every absence touching the days from `start` to `end`, with person and deputy: one query for the routing
    of a whole scan (notifications.audience.Deputies)."""
    return list(
        Absence.objects.filter(start__lte=end, end__gte=start).select_related("person__agency", "deputy__agency")
    )
