"""What the API shows of webhook endpoints and their deliveries (never an endpoint's secret, save once)."""

from rest_framework import serializers

from omskevents.webhooks.enums import EventKind
from omskevents.webhooks.models import Delivery, Endpoint

from .serializers import AgencyRefSerializer


class EndpointSerializer(serializers.ModelSerializer):
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=EventKind.choices), read_only=True)

    class Meta:
        model = Endpoint
        fields: tuple[str, ...] = (
            "id",
            "owner",
            "agency",
            "url",
            "kinds",
            "description",
            "is_active",
            "created",
            "updated",
        )


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.SerializerMethodField(help_text="Signs every delivery. Shown in this answer only.")

    class Meta(EndpointSerializer.Meta):
        fields = (*EndpointSerializer.Meta.fields, "secret")

    def get_secret(self, endpoint: Endpoint) -> str:
        return str(self.context["secret"])


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(read_only=True, help_text="The new secret. Shown in this answer only.")


class DeliverySerializer(serializers.ModelSerializer):
    endpoint = serializers.PrimaryKeyRelatedField(read_only=True)
    response_code = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Delivery
        fields = (
            "id", "endpoint", "event_id", "kind", "object_key", "occurred_at", "state", "attempts",
            "next_attempt_at", "last_attempt_at", "response_code", "response_excerpt", "last_error", "delivered_at",
        )  # fmt: skip


class EndpointInput(serializers.Serializer):
    """The address and the kinds are checked by the webhooks service (https, the SSRF guard, known kinds)."""

    url = serializers.CharField(max_length=2000, trim_whitespace=False)
    kinds = serializers.ListField(child=serializers.CharField(max_length=100), max_length=50)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    is_active = serializers.BooleanField(required=False, default=True)


class EndpointChangeInput(serializers.Serializer):
    url = serializers.CharField(max_length=2000, required=False, trim_whitespace=False)
    kinds = serializers.ListField(child=serializers.CharField(max_length=100), max_length=50, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    is_active = serializers.BooleanField(required=False)
