"""Reads of events."""

from django.db.models import QuerySet

from .enums import EventStatus
from .models import Event


def events_upcoming() -> QuerySet[Event]:
    return Event.objects.exclude(status=EventStatus.CANCELLED).order_by("start_date", "kind")
