"""Reads of events: lists, the programme by day, delegations with their people, arrivals, personal data."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from omskevents.accounts.permissions import is_agency_member, is_secretariat
from omskevents.accounts.types import AnyUser

from .enums import Direction, EventStatus
from .models import Delegate, Delegation, Event, Journey, ProgrammeItem, Venue


def events_upcoming() -> QuerySet[Event]:
    return Event.objects.exclude(status=EventStatus.CANCELLED).order_by("start_date", "kind")


def event_list() -> QuerySet[Event]:
    """Every event, newest first, with its counts in the same query."""
    return Event.objects.annotate(
        delegation_count=Count("delegations", distinct=True),
        programme_count=Count("programme", distinct=True),
    ).order_by("-start_date", "kind")


def event_detail(pk: int) -> Event:
    """An event with its venues and delegations; raises Event.DoesNotExist."""
    return Event.objects.prefetch_related(
        Prefetch("venues", queryset=Venue.objects.order_by("name")),
        Prefetch(
            "delegations",
            queryset=Delegation.objects.select_related("responsible_agency")
            .annotate(delegate_count=Count("delegates"))
            .order_by("side", "name"),
        ),
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


# --- Delegations and their people: personal data, scoped by events.permissions.can_view_delegation ------------


def delegations_visible_to(user: AnyUser) -> QuerySet[Delegation]:
    """Delegations whose people this person may see: all for the secretariat, those their agency receives."""
    if is_secretariat(user):
        return Delegation.objects.all()
    if is_agency_member(user):
        return Delegation.objects.filter(responsible_agency_id=user.agency_id)
    return Delegation.objects.none()


def delegates_visible_to(user: AnyUser) -> QuerySet[Delegate]:
    return Delegate.objects.filter(delegation__in=delegations_visible_to(user))


def _journeys() -> Prefetch:  # type: ignore[type-arg]  # generic only in the stubs
    return Prefetch("journeys", queryset=Journey.objects.order_by("direction", "at"))


def delegation_page(user: AnyUser, event_pk: int, pk: int) -> Delegation:
    """A delegation with its people in protocol order and their journeys; raises DoesNotExist when not visible."""
    return (
        delegations_visible_to(user)
        .select_related("event", "responsible_agency")
        .prefetch_related(
            Prefetch(
                "delegates",
                queryset=Delegate.objects.order_by("precedence", "last_name", "first_name").prefetch_related(
                    _journeys()
                ),
            )
        )
        .get(event_id=event_pk, pk=pk)
    )


def event_delegates(user: AnyUser, event: Event, delegation_pk: int | None = None) -> QuerySet[Delegate]:
    """The event's delegates this person may see, in delegation and protocol order (manifest, badges)."""
    qs = delegates_visible_to(user).filter(delegation__event=event)
    if delegation_pk is not None:
        qs = qs.filter(delegation_id=delegation_pk)
    return (
        qs.select_related("delegation")
        .prefetch_related(_journeys())
        .order_by("delegation__side", "delegation__name", "precedence", "last_name", "first_name")
    )


@dataclass
class ArrivalDay:
    day: dt.date
    journeys: list[Journey] = field(default_factory=list)


def arrivals_board(user: AnyUser, event: Event, *, direction: str = Direction.ARRIVAL) -> list[ArrivalDay]:
    """Arrivals (or departures) of the visible delegates by local day of the city where they happen."""
    journeys = (
        Journey.objects.filter(delegate__in=delegates_visible_to(user).filter(delegation__event=event))
        .filter(direction=direction)
        .select_related("delegate__delegation")
        .order_by("at", "delegate__delegation__name", "delegate__precedence", "pk")
    )
    days: dict[dt.date, ArrivalDay] = {}
    for journey in journeys:
        local = timezone.localtime(journey.at, zoneinfo.ZoneInfo(journey.time_zone))
        journey.local_at = local  # type: ignore[attr-defined]  # the board shows the time of the city of arrival
        days.setdefault(local.date(), ArrivalDay(day=local.date())).journeys.append(journey)
    # Ordered by the local day, then by the local time within it (zones differ between cities).
    for day in days.values():
        day.journeys.sort(key=lambda j: (j.local_at.replace(tzinfo=None), j.pk))  # type: ignore[attr-defined]
    return [days[d] for d in sorted(days)]


def delegate_for(user: AnyUser, pk: int) -> Delegate:
    """One delegate this person may see, with delegation and journeys; raises Delegate.DoesNotExist."""
    return delegates_visible_to(user).select_related("delegation__event").prefetch_related(_journeys()).get(pk=pk)


PERSONAL_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "name_alt",
    "role",
    "precedence",
    "position",
    "organisation",
    "country",
    "language",
    "email",
    "phone",
    "needs_interpreter",
    "accessibility",
    "diet",
    "hotel",
    "room",
    "local_transport",
    "badge_status",
    "consent_at",
)
JOURNEY_FIELDS = ("direction", "transport", "number", "at", "city", "time_zone", "place", "met_by")


def delegate_personal_data(delegate: Delegate) -> dict[str, Any]:
    """Everything stored about one person, for an export on their request (152-FZ, art. 14)."""

    def plain(value: object) -> object:
        return value.isoformat() if isinstance(value, dt.datetime | dt.date) else value

    return {
        "event": str(delegate.delegation.event),
        "delegation": delegate.delegation.name,
        **{name: plain(getattr(delegate, name)) for name in PERSONAL_FIELDS},
        "journeys": [{name: plain(getattr(j, name)) for name in JOURNEY_FIELDS} for j in delegate.journeys.all()],
        "created": plain(delegate.created),
        "updated": plain(delegate.updated),
    }


def delegates_due_for_removal(*, today: dt.date, retention_days: int) -> QuerySet[Delegate]:
    """Delegates of events that ended more than `retention_days` days before today."""
    return Delegate.objects.filter(delegation__event__end_date__lt=today - dt.timedelta(days=retention_days))
