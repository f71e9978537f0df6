"""Celery tasks of the outbox: thin wrappers that carry row ids and call the services."""

import logging

from celery import shared_task

from .delivery import outbox_deliver_batch
from .dispatch import SEND_BATCH, outbox_scan, outbox_sweep

logger = logging.getLogger(__name__)


@shared_task(name="notifications.scan", ignore_result=True)
def scan() -> None:
    """Beat runs this every minute: create the rows due now and hand due rows to the worker."""
    result = outbox_scan()
    if result.created or result.dispatched or result.returned:
        logger.info(
            "outbox scan: %s created, %s dispatched, %s returned", result.created, result.dispatched, result.returned
        )


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep() -> None:
    """Return rows whose worker died mid-delivery (lease expired) to the queue."""
    returned = outbox_sweep()
    if returned:
        logger.warning("outbox sweep: %s rows returned to the queue", returned)


# Published by name from dispatch.py (SEND_BATCH), which cannot import this module: it imports dispatch.
@shared_task(name=SEND_BATCH, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def send_batch(notification_ids: list[int]) -> dict[int, str]:
    """Deliver a batch of rows over one SMTP connection. Idempotent: the claim inside lets each row through
    once per attempt; a redelivered batch finds its rows sent or leased and skips them."""
    return outbox_deliver_batch(notification_ids=notification_ids)
