"""The API of webhooks: register, list, change and delete one's endpoints, read their delivery log, send a delivery
again — all through omskevents.webhooks' services, permissions and selectors (the same as its workspace pages)."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework import status as http_status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from omskevents.webhooks import permissions as webhook_permissions
from omskevents.webhooks import selectors as webhook_selectors
from omskevents.webhooks import services as webhook_services
from omskevents.webhooks.models import Delivery, Endpoint

from . import serializers_webhooks as s
from .views import ScopedViewSet, _validated


@extend_schema_view(
    create=extend_schema(request=s.EndpointInput, responses={201: s.EndpointWithSecretSerializer}),
    partial_update=extend_schema(request=s.EndpointChangeInput, responses=s.EndpointSerializer),
)
class WebhookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """The caller's webhook endpoints: an agency head's agency's, a secretariat member's secretariat's. Anyone
    else has none (403 on the list); another owner's endpoint is not found (404)."""

    serializer_class = s.EndpointSerializer

    def get_queryset(self) -> QuerySet[Endpoint]:
        return webhook_selectors.endpoints_visible_to(self.request.user).select_related("agency")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not webhook_permissions.can_manage_webhooks(request.user):
            raise PermissionDenied
        return super().list(request, *args, **kwargs)

    def create(self, request: Request) -> Response:
        data = _validated(s.EndpointInput(data=request.data))
        with transaction.atomic():
            endpoint, secret = webhook_services.endpoint_register(actor=request.user, **data)
        body = s.EndpointWithSecretSerializer(self.get_queryset().get(pk=endpoint.pk), context={"secret": secret})
        response = Response(body.data, status=http_status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    def partial_update(self, request: Request, pk: str) -> Response:
        endpoint = self.get_object()
        data = _validated(s.EndpointChangeInput(data=request.data))
        with transaction.atomic():
            webhook_services.endpoint_update(actor=request.user, endpoint=endpoint, **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=endpoint.pk)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        endpoint = self.get_object()
        with transaction.atomic():
            webhook_services.endpoint_delete(actor=request.user, endpoint=endpoint)
        return Response(status=http_status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.SecretSerializer)
    @action(detail=True, methods=["post"])
    def secret(self, request: Request, pk: str) -> Response:
        """Replace the signing secret; the new one is in this answer only."""
        endpoint = self.get_object()
        with transaction.atomic():
            secret = webhook_services.endpoint_secret_rotate(actor=request.user, endpoint=endpoint)
        response = Response({"secret": secret})
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(responses=s.DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        """The endpoint's delivery log, newest first: state, attempts, the last response code and error."""
        endpoint = self.get_object()
        page = self.paginate_queryset(_deliveries(request).filter(endpoint=endpoint))
        return self.get_paginated_response(s.DeliverySerializer(page, many=True).data)


def _deliveries(request: Request) -> QuerySet[Delivery]:
    return webhook_selectors.deliveries_visible_to(request.user).defer("body")


class WebhookDeliveryViewSet(mixins.RetrieveModelMixin, ScopedViewSet):
    """One delivery of the caller's endpoints, and sending it again."""

    serializer_class = s.DeliverySerializer

    def get_queryset(self) -> QuerySet[Delivery]:
        return _deliveries(self.request)

    @extend_schema(request=None, responses=s.DeliverySerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        delivery = webhook_selectors.delivery_for_page(request.user, int(pk))
        if delivery is None:
            raise Http404
        with transaction.atomic():
            webhook_services.delivery_retry(actor=request.user, delivery=delivery)
        return Response(self.get_serializer(self.get_queryset().get(pk=delivery.pk)).data)
