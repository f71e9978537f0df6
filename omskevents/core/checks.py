"""System checks of settings this package reads (run by `manage.py check`, and with --deploy in CI)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from .client_ip import trusted_networks


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
