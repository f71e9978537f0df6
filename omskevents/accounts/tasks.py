"""Celery tasks of the accounts: the retention purge of the security log."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .audit import security_events_purge

logger = logging.getLogger(__name__)


@shared_task(name="accounts.purge_security_events", ignore_result=True)
def purge_security_events() -> None:
    """Beat runs this daily: security events older than AUDIT_RETENTION_DAYS are deleted (the only delete)."""
    deleted = security_events_purge(before=timezone.now() - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS))
    if deleted:
        logger.info("security log: %s events past retention deleted", deleted)
