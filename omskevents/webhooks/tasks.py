"""Celery tasks of the webhooks: thin wrappers that carry row ids and call the outbox."""

import logging

from celery import shared_task

from .delivery import delivery_attempt
from .outbox import DELIVER, webhooks_dispatch, webhooks_sweep

logger = logging.getLogger(__name__)


# Published by name from outbox.py (DELIVER), which cannot import this module: it imports outbox.
@shared_task(name=DELIVER, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def deliver(delivery_id: int) -> str:
    """One attempt of one delivery. Idempotent: the claim lets a row through once per attempt."""
    return delivery_attempt(delivery_id=delivery_id)


@shared_task(name="webhooks.sweep", ignore_result=True)
def sweep() -> None:
    """Beat runs this every ten seconds: take back rows whose worker died (lease lapsed), hand over what is due."""
    returned = webhooks_sweep()
    dispatched = webhooks_dispatch()
    if returned:
        logger.warning("webhooks sweep: %s rows taken back, %s handed over", returned, dispatched)
