"""Reads of webhooks, scoped by viewer: the endpoints a person manages and their deliveries."""

from django.db.models import Count, Max, Q, QuerySet

from omskevents.accounts.types import AnyUser

from . import permissions
from .enums import DeliveryState
from .models import Delivery, Endpoint

LOG_LENGTH = 100  # deliveries shown in an endpoint's log, newest first


def endpoints_visible_to(user: AnyUser) -> QuerySet[Endpoint]:
    """The endpoints the user manages: their agency's (an agency head) or their secretariat's; none for others."""
    owner = permissions.owner_of(user)
    if owner is None:
        return Endpoint.objects.none()
    kind, agency_id = owner
    if agency_id is None:
        return Endpoint.objects.filter(owner=kind, agency__isnull=True)
    return Endpoint.objects.filter(owner=kind, agency_id=agency_id)


def deliveries_visible_to(user: AnyUser) -> QuerySet[Delivery]:
    """The deliveries of the endpoints the user manages."""
    return Delivery.objects.filter(endpoint__in=endpoints_visible_to(user).values("pk"))


def endpoint_list(user: AnyUser) -> QuerySet[Endpoint]:
    """The workspace list: each endpoint with its waiting and failed deliveries and its last event, in one query."""
    return (
        endpoints_visible_to(user)
        .select_related("agency")
        .annotate(
            waiting=Count("deliveries", filter=Q(deliveries__state__in=[DeliveryState.PENDING, DeliveryState.SENDING])),
            failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
            last_event_at=Max("deliveries__occurred_at"),
        )
        .order_by("-created", "-pk")
    )


def endpoint_for_page(user: AnyUser, pk: int) -> Endpoint | None:
    return endpoints_visible_to(user).select_related("agency").filter(pk=pk).first()


def delivery_for_page(user: AnyUser, pk: int) -> Delivery | None:
    return deliveries_visible_to(user).select_related("endpoint").filter(pk=pk).first()


def endpoint_log(endpoint: Endpoint) -> QuerySet[Delivery]:
    """The endpoint's latest deliveries (the body is not shown in the log, so it is not read)."""
    return endpoint.deliveries.defer("body").order_by("-occurred_at", "-pk")[:LOG_LENGTH]


def endpoints_subscribed(kind: str) -> list[Endpoint]:
    """The active endpoints that want this kind of event (a few rows: the list of kinds is read here)."""
    return [e for e in Endpoint.objects.filter(is_active=True).order_by("pk") if kind in e.kinds]
