"""Webhook endpoints registered by agencies and secretariats, and the outbox of their deliveries."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from omskevents.core.models import TimeStampedModel

from .enums import DeliveryState, EventKind, Owner


class Endpoint(TimeStampedModel):
    """A URL of an agency's (or a secretariat's) own system that receives the events its owner may see.

    The secret signs every delivery (HMAC-SHA256); it is shown once, when the endpoint is registered or the
    secret replaced, and is kept in the clear because signing needs it (docs/webhooks.md, "The secret").
    """

    owner = models.CharField(_("owner"), max_length=20, choices=Owner.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=500)
    kinds = models.JSONField(_("kinds of event"), default=list, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("secret"), max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(owner="agency") & models.Q(agency__isnull=False))
                | (~models.Q(owner="agency") & models.Q(agency__isnull=True)),
                name="webhook_endpoint_agency_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:detail", kwargs={"pk": self.pk})

    def kind_labels(self) -> list[str]:
        return [str(EventKind(k).label) for k in self.kinds if k in EventKind.values]


class Delivery(TimeStampedModel):
    """One event for one endpoint: a row of the outbox, written in the transaction of the change it announces.

    The unique (endpoint, event id) makes a second row for the same event impossible; the event id travels in
    the X-Omskevents-Event-Id header and the body, so a receiver can drop a repeated POST (docs/webhooks.md).
    """

    endpoint = models.ForeignKey(
        Endpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(_("event id"))
    kind = models.CharField(_("kind of event"), max_length=40, choices=EventKind.choices)
    object_key = models.CharField(_("object"), max_length=50, help_text=_("task:12, meeting:3, agreement:5 …"))
    occurred_at = models.DateTimeField(_("occurred at"))
    body = models.TextField(_("body"))
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    retry_since = models.DateTimeField(
        _("retried since"), help_text=_("Failures are retried for WEBHOOKS_RETRY_FOR_SECONDS from this moment.")
    )
    dispatched_at = models.DateTimeField(_("handed to the worker"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_excerpt = models.TextField(_("response excerpt"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_unique_event"),
            models.CheckConstraint(
                condition=~models.Q(state="delivered") | models.Q(delivered_at__isnull=False),
                name="webhook_delivery_delivered_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["state", "lease_until"], name="webhook_delivery_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.endpoint_id}"
