"""Reads of protocols: each page's rows with what it shows loaded in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from omskevents.accounts.permissions import is_agency_member, is_kz_secretariat, is_secretariat
from omskevents.accounts.types import AnyUser
from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency

from .enums import ItemState
from .models import Protocol, ProtocolItem, ProtocolSection
from .permissions import can_view_protocol


def protocols_visible_to(user: AnyUser) -> QuerySet[Protocol]:
    return Protocol.objects.all() if can_view_protocol(user) else Protocol.objects.none()


def protocol_list(user: AnyUser) -> QuerySet[Protocol]:
    return (
        protocols_visible_to(user)
        .select_related("event")
        .annotate(
            item_count=Count("sections__items", distinct=True),
            agreed_count=Count("sections__items", filter=Q(sections__items__state=ItemState.AGREED), distinct=True),
            struck_count=Count("sections__items", filter=Q(sections__items__state=ItemState.STRUCK), distinct=True),
        )
        .order_by("-date")
    )


def _items() -> QuerySet[ProtocolItem]:
    return ProtocolItem.objects.select_related(
        "proposer", "counterpart", "agreed_ru_by", "agreed_kz_by", "task", "counterpart_task"
    ).order_by("number")


def protocol_detail(user: AnyUser, pk: int) -> Protocol | None:
    """The protocol with its sections and their items (agencies, who agreed, tasks): four queries."""
    return (
        protocols_visible_to(user)
        .select_related("event")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=ProtocolSection.objects.order_by("number").prefetch_related(
                    Prefetch("items", queryset=_items())
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )


def item_for_page(user: AnyUser, pk: int) -> ProtocolItem | None:
    if not can_view_protocol(user):
        return None
    return (
        ProtocolItem.objects.select_related("section__protocol__event", "proposer", "counterpart").filter(pk=pk).first()
    )


def proposer_choices(user: AnyUser) -> QuerySet[Agency]:
    """The agencies the user may put an item in the name of (permissions.can_propose_for, as a queryset)."""
    agencies = Agency.objects.filter(is_active=True, country__in=[Country.RU, Country.KZ]).order_by("country", "name")
    if is_secretariat(user):
        return agencies
    if is_kz_secretariat(user):
        return agencies.filter(country=Country.KZ)
    if is_agency_member(user) and user.agency_id is not None:
        return agencies.filter(pk=user.agency_id)
    return agencies.none()


def counterpart_choices() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True, country__in=[Country.RU, Country.KZ]).order_by("country", "name")
