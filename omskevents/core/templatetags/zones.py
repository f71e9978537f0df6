"""Times shown with the zone's name ("09:00 (Омск)"), never an offset such as "(+06)"."""

import datetime as dt
import zoneinfo

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The zones the people of the two sides work in; any other zone shows its city as the IANA name spells it.
ZONE_NAMES = {
    "Asia/Omsk": _("Omsk"),
    "Europe/Moscow": _("Moscow"),
    "Asia/Almaty": _("Astana"),
    "Asia/Qostanay": _("Astana"),
    "Asia/Novosibirsk": _("Novosibirsk"),
    "Asia/Yekaterinburg": _("Yekaterinburg"),
    "UTC": _("UTC"),
}


def zone_label(zone: dt.tzinfo | str | None = None) -> str:
    """The zone's name for people: the current time zone's when none is given."""
    zone = zone or timezone.get_current_timezone()
    key = zone if isinstance(zone, str) else getattr(zone, "key", None) or str(zone)
    if key in ZONE_NAMES:
        return str(ZONE_NAMES[key])
    return key.rsplit("/", 1)[-1].replace("_", " ")


@register.simple_tag
def zone_name(zone: str = "") -> str:
    """{% zone_name %}: the name of the zone times on this page (or in this mail) are shown in."""
    if zone:
        try:
            return zone_label(zoneinfo.ZoneInfo(zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zone
    return zone_label()


@register.filter(expects_localtime=True)
def with_zone(value: dt.datetime | None, fmt: str = "d.m.Y H:i") -> str:
    """{{ moment|with_zone }} → "28.11.2026 09:00 (Омск)" in the current time zone."""
    if value is None:
        return ""
    return f"{date_filter(value, fmt)} ({zone_label()})"
