"""Celery task of the working calendar: next year's days seeded in December, for the secretariat to review."""

import logging

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="calendars.seed_next_year", ignore_result=True)
def seed_next_year() -> None:
    """Beat runs this daily; the service decides whether it is December and next year is still missing."""
    today = timezone.localdate()
    year = today.year + 1
    for country, written in services.calendar_seed_next_year(today=today).items():
        review = reverse("admin:calendars_calendarday_changelist") + f"?country={country}&date__year={year}"
        if written:
            logger.warning(
                "working calendar: %s %d seeded from the holidays package (%d days); review them at %s",
                country,
                year,
                written,
                review,
            )
        else:
            logger.error(
                "working calendar: the holidays package has no days for %s in %d; enter them by hand at %s",
                country,
                year,
                review,
            )
