"""omskevents: the organising committee's workspace for the 2026 Russia–Kazakhstan events in Omsk."""

from omskevents.celery import app as celery_app

__all__ = ("celery_app",)
