"""Deployment checks of the accounts: production never runs without the second factor."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_enforced(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SECOND_FACTOR_ENFORCED:
        return []
    return [
        Warning(
            "SECOND_FACTOR_ENFORCED is off: the secretariat, agency heads and admins sign in with a password alone.",
            hint="Remove SECOND_FACTOR_ENFORCED from the environment (it is on by default).",
            id="omskevents.W010",
        )
    ]
