"""One attempt of one delivery: claim the row, check the address again, POST signed, record the answer or the retry."""

import datetime as dt
import http.client
import logging
import random
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from . import ssrf, transport
from .enums import DeliveryState
from .models import Delivery
from .signing import signature

logger = logging.getLogger(__name__)

INACTIVE_NOTE = "The endpoint is inactive."


def retry_delay(attempt: int) -> dt.timedelta:
    """Exponential backoff with jitter: base, 2×base, 4×base … capped at WEBHOOKS_RETRY_MAX_DELAY_SECONDS, ±20 %."""
    seconds = min(
        settings.WEBHOOKS_RETRY_BASE_SECONDS * 2 ** min(max(attempt - 1, 0), 20),
        settings.WEBHOOKS_RETRY_MAX_DELAY_SECONDS,
    )
    return dt.timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not security


def _claim(pk: int, now: dt.datetime) -> int | None:
    """Compare-and-set: of two workers handed the same id, one gets the row. Returns this attempt's number."""
    claimed = Delivery.objects.filter(pk=pk, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENDING,
        attempts=F("attempts") + 1,
        lease_until=now + dt.timedelta(seconds=settings.WEBHOOKS_LEASE_SECONDS),
        last_attempt_at=now,
        updated=now,
    )
    if not claimed:
        return None
    return Delivery.objects.values_list("attempts", flat=True).get(pk=pk)


def _finish(pk: int, attempt: int, **values: Any) -> bool:
    """Record the outcome only if the row is still this attempt's (the sweeper may have taken it back)."""
    return (
        Delivery.objects.filter(pk=pk, attempts=attempt, state=DeliveryState.SENDING).update(
            lease_until=None, updated=timezone.now(), **values
        )
        == 1
    )


def _failure(row: Delivery, attempt: int, *, code: int | None, excerpt: str, error: str) -> str:
    """Not delivered: queued again with backoff while within the retry window, else failed."""
    now = timezone.now()
    common = {"response_code": code, "response_excerpt": excerpt, "last_error": error[:2000]}
    if now - row.retry_since < dt.timedelta(seconds=settings.WEBHOOKS_RETRY_FOR_SECONDS):
        _finish(
            row.pk,
            attempt,
            state=DeliveryState.PENDING,
            dispatched_at=None,
            next_attempt_at=now + retry_delay(attempt),
            **common,
        )
        logger.info("webhook delivery %s: attempt %s failed (%s), retry later", row.pk, attempt, code or error)
        return "retry"
    _finish(row.pk, attempt, state=DeliveryState.FAILED, **common)
    logger.warning("webhook delivery %s failed for good after %s attempts: %s", row.pk, attempt, code or error)
    return "failed"


def headers_for(row: Delivery, *, secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "X-Omskevents-Event-Id": str(row.event_id),
        "X-Omskevents-Event": row.kind,
        "X-Omskevents-Timestamp": str(timestamp),
        "X-Omskevents-Signature": signature(secret, timestamp, body),
    }


def delivery_attempt(*, delivery_id: int) -> str:
    """Claim the row and POST it once. Returns 'delivered', 'retry', 'failed', 'cancelled' or 'skipped' (not
    pending: another worker has it, or it is done).

    The address is checked again (ssrf.check_url) and the connection made to the address checked. 2xx is
    delivered; any other answer, a timeout, a refused or broken connection, or an address the guard refuses now
    is retried with backoff for WEBHOOKS_RETRY_FOR_SECONDS, then failed.
    """
    attempt = _claim(delivery_id, timezone.now())
    if attempt is None:
        return "skipped"
    row = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = row.endpoint
    if not endpoint.is_active:
        _finish(row.pk, attempt, state=DeliveryState.CANCELLED, last_error=INACTIVE_NOTE)
        return "cancelled"
    try:
        target = ssrf.check_url(endpoint.url)
    except ValidationError as exc:
        return _failure(row, attempt, code=None, excerpt="", error=" ".join(exc.messages))
    body = row.body.encode()
    timestamp = int(time.time())
    try:
        answer = transport.post(
            target,
            body=body,
            headers=headers_for(row, secret=endpoint.secret, timestamp=timestamp, body=body),
            connect_timeout=settings.WEBHOOKS_CONNECT_TIMEOUT,
            read_timeout=settings.WEBHOOKS_READ_TIMEOUT,
        )
    except (OSError, http.client.HTTPException) as exc:
        return _failure(row, attempt, code=None, excerpt="", error=f"{type(exc).__name__}: {exc}")
    if 200 <= answer.status < 300:
        _finish(
            row.pk,
            attempt,
            state=DeliveryState.DELIVERED,
            delivered_at=timezone.now(),
            response_code=answer.status,
            response_excerpt=answer.excerpt,
            last_error="",
        )
        return "delivered"
    return _failure(row, attempt, code=answer.status, excerpt=answer.excerpt, error=f"HTTP {answer.status}")
