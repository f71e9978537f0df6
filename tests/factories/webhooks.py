"""Webhook endpoints and deliveries as rows, for worlds where no one may register them (an agency without a head)."""

import datetime as dt
import uuid

from django.utils import timezone

from omskevents.agencies.models import Agency
from omskevents.webhooks.enums import EventKind, Owner
from omskevents.webhooks.models import Delivery, Endpoint
from omskevents.webhooks.signing import secret_new


def make_endpoint(*, owner: str = Owner.AGENCY, agency: Agency | None = None, url: str = "") -> Endpoint:
    return Endpoint.objects.create(
        owner=owner,
        agency=agency,
        url=url or f"https://hooks.example.org/{owner}/{agency.pk if agency else 0}",
        kinds=list(EventKind.values),
        secret=secret_new(),
    )


def make_delivery(endpoint: Endpoint, *, state: str = "failed", object_key: str = "task:1") -> Delivery:
    now = timezone.now() - dt.timedelta(hours=1)
    return Delivery.objects.create(
        endpoint=endpoint,
        event_id=uuid.uuid4(),
        kind=EventKind.TASK_ASSIGNED,
        object_key=object_key,
        occurred_at=now,
        body="{}",
        state=state,
        attempts=3,
        next_attempt_at=now,
        retry_since=now,
        response_code=500,
        last_error="HTTP 500",
    )
