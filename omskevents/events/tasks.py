"""Celery tasks of the events app: the scheduled removal of delegates' personal data."""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .services import delegates_purge

logger = logging.getLogger(__name__)


@shared_task(name="events.purge_delegates")
def purge_delegates() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remove what DELEGATE_DATA_RETENTION_DAYS says is no longer to be kept."""
    result = delegates_purge(today=timezone.localdate(), retention_days=settings.DELEGATE_DATA_RETENTION_DAYS)
    if result.total:
        logger.info("removed the personal data of %s delegates: %s", result.total, result.by_event)
    return result.total
