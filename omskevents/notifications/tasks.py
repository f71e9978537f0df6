"""Celery tasks of the outbox: thin wrappers that carry row ids and call the services."""

import logging

from celery import shared_task

from .delivery import outbox_deliver_batch
from .dispatch import SEND_BATCH, outbox_dispatch, outbox_scan
from .recovery import outbox_sweep

logger = logging.getLogger(__name__)


@shared_task(name="notifications.scan", ignore_result=True)
def scan() -> None:
    """Beat runs this every minute: create the rows due now and hand due rows to the worker."""
    result = outbox_scan()
    if result.created or result.dispatched or result.returned:
        logger.info(
            "outbox scan: %s created, %s dispatched, %s returned (%s tasks planned, %s)",
            result.created,
            result.dispatched,
            result.returned,
            result.tasks_planned,
            "every candidate" if result.full else "written since the last scan",
        )


@shared_task(name="notifications.sweep", ignore_result=True)
def sweep() -> None:
    """Every ten seconds: reconcile the journal, take back rows whose worker died (lease lapsed), and hand over
    whatever is due, so a fault costs less than a minute, not a scan's wait."""
    returned = outbox_sweep()
    dispatched = outbox_dispatch()
    if returned:
        logger.warning("outbox sweep: %s rows taken back, %s handed over", returned, dispatched)


# Published by name from dispatch.py (SEND_BATCH), which cannot import this module: it imports dispatch.
@shared_task(name=SEND_BATCH, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def send_batch(notification_ids: list[int]) -> dict[int, str]:
    """Deliver a batch of rows over one SMTP connection. Idempotent: the claim inside lets each row through
    once per attempt; a redelivered batch finds its rows sent or leased and skips them."""
    return outbox_deliver_batch(notification_ids=notification_ids)
