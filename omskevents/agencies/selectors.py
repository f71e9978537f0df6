"""Reads of agencies on their own: their people."""

from django.db.models import QuerySet

from omskevents.accounts.models import User

from .models import Agency


def agency_people(agency: Agency) -> QuerySet[User]:
    return User.objects.filter(agency=agency, is_active=True).order_by("last_name", "first_name")
