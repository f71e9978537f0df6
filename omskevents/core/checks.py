"""System checks with no domain knowledge: the time zone database the processes read, the trusted proxies."""

import datetime as dt
import zoneinfo
from collections.abc import Callable
from importlib import metadata
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .client_ip import trusted_networks

# Kazakhstan moved to a single zone, UTC+5, on 1 March 2024 (tzdata 2024a). A database older than that
# still puts Almaty at UTC+6, and every Kazakh recipient would get their mail an hour early.
ALMATY = "Asia/Almaty"
ALMATY_OFFSET = dt.timedelta(hours=5)


def _tzdata_version() -> str:
    try:
        return metadata.version("tzdata")
    except metadata.PackageNotFoundError:
        return "not installed"


def check_time_zone_database(
    app_configs: Any = None,
    *,
    load_zone: Callable[[str], dt.tzinfo] = zoneinfo.ZoneInfo,
    now: dt.datetime | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """An error when the zone database in use puts Asia/Almaty anywhere but UTC+5 today."""
    moment = now or timezone.now()
    hint = (
        "Install tzdata 2024.1 (2024a) or later: pip install --upgrade tzdata "
        f"(installed: {_tzdata_version()}; zone search path: {list(zoneinfo.TZPATH) or 'the tzdata package only'})."
    )
    try:
        offset = moment.astimezone(load_zone(ALMATY)).utcoffset()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return [Error(f"The time zone database has no {ALMATY}.", hint=hint, id="core.E001")]
    if offset != ALMATY_OFFSET:
        return [
            Error(
                f"The time zone database puts {ALMATY} at UTC{_format(offset)} on {moment:%Y-%m-%d}; "
                "it has been UTC+05:00 since 1 March 2024, so the database is older than tzdata 2024a.",
                hint=hint,
                id="core.E001",
            )
        ]
    return []


def _format(offset: dt.timedelta | None) -> str:
    if offset is None:
        return " (no offset)"
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@register(Tags.security)
def check_trusted_proxies(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        trusted_networks(tuple(settings.TRUSTED_PROXIES))
    except ImproperlyConfigured as error:
        return [Error(str(error), hint="Addresses or networks, e.g. 127.0.0.1,10.0.0.0/24.", id="omskevents.E001")]
    return []


@register(Tags.security, deploy=True)
def check_trusted_proxies_in_production(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.TRUSTED_PROXIES:
        return []
    return [
        Warning(
            "TRUSTED_PROXIES is empty: behind the reverse proxy every client has the proxy's address, so the login "
            "throttle and the security log cannot tell people apart.",
            hint="Set TRUSTED_PROXIES to the proxy's address, e.g. 127.0.0.1 for nginx on the same host.",
            id="omskevents.W001",
        )
    ]
