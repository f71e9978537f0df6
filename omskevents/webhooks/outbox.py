"""The webhooks' outbox: rows written with the change they announce, handed to the worker after the commit.

The table is the source of truth; the broker only carries row ids. A lost broker message is handed over again by
the sweeper (WEBHOOKS_REDISPATCH_SECONDS), a repeated one finds its row claimed or done, a row whose worker died
is taken back when its lease lapses (docs/webhooks.md, "What is guaranteed").
"""

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.celery import app as celery_app

from . import selectors
from .delivery import delivery_attempt
from .enums import DeliveryState
from .models import Delivery
from .permissions import viewer_of

logger = logging.getLogger(__name__)

# The delivery task, addressed by the name tasks.py registers it under (tasks.py imports this module).
DELIVER = "webhooks.deliver"
# One quick reconnect (a restarted Redis), then give up: the rows wait for the sweeper.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
DISPATCH_CHUNK = 500


def utc_iso(moment: dt.datetime) -> str:
    """UTC, ISO 8601, with a Z: 2026-11-28T19:40:05.123456Z."""
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def encode(payload: dict[str, Any]) -> str:
    """The body as sent: compact JSON, keys sorted, non-ASCII as is (UTF-8 on the wire)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def announce(
    *,
    kind: str,
    object_key: str,
    visible: Callable[[User], bool],
    data: Callable[[User], dict[str, Any]],
) -> list[int]:
    """Write one delivery per active endpoint subscribed to `kind` whose owner may see the object; returns their ids.

    Runs inside the sender's transaction (a receiver of a lower app's signal): the rows commit or roll back with
    the change. `visible` and `data` get the owner's stand-in; both are asked once per owner, however many
    endpoints it has. The ids go to the broker after the commit.
    """
    endpoints = selectors.endpoints_subscribed(kind)
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    now = timezone.now()
    bodies: dict[tuple[str, int | None], str | None] = {}
    rows: list[Delivery] = []
    for endpoint in endpoints:
        owner = (endpoint.owner, endpoint.agency_id)
        if owner not in bodies:
            viewer = viewer_of(endpoint)
            bodies[owner] = (
                encode({"id": str(event_id), "kind": kind, "occurred_at": utc_iso(now), "data": data(viewer)})
                if visible(viewer)
                else None
            )
        body = bodies[owner]
        if body is None:
            continue
        rows.append(
            Delivery(
                endpoint=endpoint,
                event_id=event_id,
                kind=kind,
                object_key=object_key,
                occurred_at=now,
                body=body,
                state=DeliveryState.PENDING,
                next_attempt_at=now,
                retry_since=now,
                dispatched_at=now,
            )
        )
    if not rows:
        return []
    for row in rows:
        # The endpoint was just read: checking that it exists would cost a query per row.
        row.full_clean(exclude=["endpoint"], validate_unique=False, validate_constraints=False)
    created = Delivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: enqueue(ids))
    return ids


def enqueue(ids: Sequence[int]) -> None:
    """Publish row ids to the broker. A broker that is down is logged: the sweeper hands the rows over later."""
    for index, pk in enumerate(ids):
        try:
            celery_app.send_task(DELIVER, args=[pk], retry=True, retry_policy=PUBLISH_RETRY)
        except Exception:  # any broker failure must leave the web request running
            logger.warning("broker unavailable; webhook deliveries %s wait for the sweeper", ids[index:], exc_info=True)
            return


def webhooks_dispatch(*, now: dt.datetime | None = None, sync: bool = False) -> int:
    """Hand every due pending row to the worker (or deliver it here when `sync`); returns how many.

    A row handed over recently is not handed over again until WEBHOOKS_REDISPATCH_SECONDS pass, so a message the
    broker lost is re-sent by a later sweep; a row handed over twice is claimed once (delivery.py).
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.WEBHOOKS_REDISPATCH_SECONDS)
    total = 0
    while True:
        with transaction.atomic():
            due = (
                Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
                .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=cutoff))
                .order_by("next_attempt_at", "pk")
            )
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            ids = list(due.values_list("pk", flat=True)[:DISPATCH_CHUNK])
            if ids:
                Delivery.objects.filter(pk__in=ids).update(dispatched_at=now)
                if not sync:
                    transaction.on_commit(lambda ids=ids: enqueue(ids))  # type: ignore[misc]  # bound per chunk
        if sync:
            for pk in ids:
                delivery_attempt(delivery_id=pk)
        total += len(ids)
        if len(ids) < DISPATCH_CHUNK:
            return total


LAPSED_NOTE = "The worker stopped during the attempt (its lease lapsed); queued again."


def webhooks_sweep(*, now: dt.datetime | None = None) -> int:
    """Take back rows whose worker vanished (lease lapsed while sending): queued again at once. Returns how many.

    The vanished worker may have posted the body already: the next attempt posts it again with the same event id
    (at least once on the wire; the receiver drops the repeat by its id).
    """
    now = now or timezone.now()
    return Delivery.objects.filter(state=DeliveryState.SENDING, lease_until__lt=now).update(
        state=DeliveryState.PENDING,
        lease_until=None,
        dispatched_at=None,
        next_attempt_at=now,
        last_error=LAPSED_NOTE,
        updated=now,
    )


def requeue(delivery: Delivery) -> None:
    """Queue a row again now (a person's retry), with a fresh retry window; handed over after the commit."""
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).exclude(state=DeliveryState.SENDING).update(
        state=DeliveryState.PENDING,
        next_attempt_at=now,
        retry_since=now,
        dispatched_at=now,
        lease_until=None,
        updated=now,
    )
    transaction.on_commit(lambda: enqueue([delivery.pk]))
