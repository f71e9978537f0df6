"""Admin: the endpoints and the delivery log, each person seeing only the endpoints they manage (permissions.py).

Endpoints are registered and edited in the workspace (where the secret is shown once and the address checked);
the admin lists, deactivates and deletes them, and sends deliveries again. The secret is never shown here.
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from omskevents.core.admin import PredicateAdminMixin

from . import permissions, selectors, services
from .models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(PredicateAdminMixin, admin.ModelAdmin):
    list_display = ("url", "owner", "agency", "is_active", "created")
    list_filter = ("is_active", "owner")
    search_fields = ("url", "description")
    list_select_related = ("agency",)
    fields = ("url", "owner", "agency", "kinds", "description", "is_active", "created_by", "created")
    readonly_fields = fields
    actions = ("deactivate",)

    def scope(self, request: HttpRequest) -> QuerySet[Endpoint]:
        return selectors.endpoints_visible_to(request.user)

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return permissions.can_manage_webhooks(request.user)
        return permissions.can_manage_endpoint(request.user, obj)

    def may_delete(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.may_view(request, obj)

    def delete_model(self, request: HttpRequest, obj: Endpoint) -> None:
        services.endpoint_delete(actor=request.user, endpoint=obj)  # type: ignore[arg-type]  # the admin's user is a User

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        for endpoint in queryset:
            services.endpoint_delete(actor=request.user, endpoint=endpoint)  # type: ignore[arg-type]  # as above

    @admin.action(description=_("Deactivate"), permissions=["view"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        for endpoint in queryset:
            services.endpoint_deactivate(actor=request.user, endpoint=endpoint)  # type: ignore[arg-type]  # as above
        count = queryset.count()
        messages.success(
            request, ngettext("%(n)d webhook deactivated.", "%(n)d webhooks deactivated.", count) % {"n": count}
        )


@admin.register(Delivery)
class DeliveryAdmin(PredicateAdminMixin, admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "kind",
        "object_key",
        "endpoint",
        "state",
        "attempts",
        "response_code",
        "delivered_at",
    )
    list_filter = ("state", "kind")
    search_fields = ("event_id", "object_key", "endpoint__url")
    list_select_related = ("endpoint",)
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ("retry",)

    def scope(self, request: HttpRequest) -> QuerySet[Delivery]:
        return selectors.deliveries_visible_to(request.user)

    def may_view(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return permissions.can_manage_webhooks(request.user)
        return permissions.can_retry_delivery(request.user, obj)

    @admin.action(description=_("Send again now"), permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        queued = 0
        for delivery in queryset.select_related("endpoint"):
            try:
                services.delivery_retry(actor=request.user, delivery=delivery)  # type: ignore[arg-type]  # as above
            except ValidationError as error:
                messages.warning(request, f"{delivery}: {' '.join(error.messages)}")
            else:
                queued += 1
        messages.success(
            request, ngettext("%(n)d delivery queued again.", "%(n)d deliveries queued again.", queued) % {"n": queued}
        )
