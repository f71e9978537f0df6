"""Reads of events."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .enums import EventStatus
from .models import Delegation, Event, ProgrammeItem, Venue


def events_upcoming() -> QuerySet[Event]:
    return Event.objects.exclude(status=EventStatus.CANCELLED).order_by("start_date", "kind")


def event_detail(pk: int) -> Event:
    """An event with its venues and delegations; raises Event.DoesNotExist."""
    return Event.objects.prefetch_related(
        Prefetch("venues", queryset=Venue.objects.order_by("name")),
        Prefetch("delegations", queryset=Delegation.objects.order_by("side", "name")),
    ).get(pk=pk)


@dataclass
class VenueSlot:
    venue: Venue | None
    items: list[ProgrammeItem] = field(default_factory=list)


@dataclass
class ProgrammeDay:
    day: dt.date
    venues: list[VenueSlot] = field(default_factory=list)


def programme_by_day(event: Event) -> list[ProgrammeDay]:
    """The programme grouped by day (in the event's time zone) and, within a day, by venue in name order."""
    zone = zoneinfo.ZoneInfo(event.time_zone)
    items = ProgrammeItem.objects.filter(event=event).select_related("venue").order_by("starts_at", "pk")
    days: dict[dt.date, dict[int | None, VenueSlot]] = {}
    for item in items:
        slots = days.setdefault(timezone.localtime(item.starts_at, zone).date(), {})
        slots.setdefault(item.venue_id, VenueSlot(venue=item.venue)).items.append(item)
    return [
        ProgrammeDay(
            day=day,
            # Items without a venue come last.
            venues=sorted(slots.values(), key=lambda s: (s.venue is None, s.venue.name if s.venue else "")),
        )
        for day, slots in sorted(days.items())
    ]
