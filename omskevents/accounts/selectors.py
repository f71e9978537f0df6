"""Reads for a person's calendar feed: the token's owner, their deadlines and their meetings."""

from typing import Any

from django.db.models import Q, QuerySet

from omskevents.committee.models import Meeting
from omskevents.committee.selectors import meetings_for_feed
from omskevents.workplan.enums import CLOSED_STATUSES
from omskevents.workplan.models import Task
from omskevents.workplan.selectors import tasks_visible_to

from .models import CalendarFeedToken


def calendar_token_of(user: Any) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user).first()


def calendar_token_owner(key: str) -> Any:
    """The active person a feed key belongs to, with the token; None for an unknown or revoked key."""
    token = CalendarFeedToken.objects.select_related("user").filter(key=key, user__is_active=True).first()
    return token


def feed_tasks(user: Any) -> QuerySet[Task]:
    """Open tasks the person answers for: as the responsible person, the controller, or through their agency's lead."""
    mine = Q(responsible=user) | Q(controller=user)
    if user.agency_id:
        mine |= Q(lead_agency_id=user.agency_id)
    return (
        tasks_visible_to(user)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(mine)
        .select_related("lead_agency")
        .order_by("deadline", "pk")
    )


def feed_meetings(user: Any) -> QuerySet[Meeting]:
    return meetings_for_feed(user)
