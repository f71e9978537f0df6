"""Validators with no domain knowledge."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    """Accept only IANA zone names (Europe/Moscow), never offsets."""
    if not value or value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known IANA time zone."), params={"value": value})
