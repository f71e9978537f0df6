"""The security log: failed logins, lockouts and refused requests, with user, agency and UTC time.

Passwords never reach this log: the credentials dict is reduced to the username before anything is written.
"""

import datetime as dt
import logging
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from omskevents.core.client_ip import client_ip

from .types import AnyUser

logger = logging.getLogger("omskevents.security")


def _agency_of(username: str) -> str:
    user = get_user_model().objects.filter(username=username).select_related("agency").first()
    return user.agency.short_name if user is not None and user.agency is not None else "-"


def _address(request: HttpRequest | None) -> str:
    return (client_ip(request) or "-") if request is not None else "-"


def log_event(event: str, *, username: str, agency: str, request: HttpRequest | None, **extra: Any) -> None:
    fields = " ".join(f"{key}={value!r}" for key, value in extra.items())
    logger.warning(
        "%s user=%r agency=%r ip=%s at=%s %s",
        event, username, agency, _address(request), timezone.now().astimezone(dt.UTC).isoformat(), fields,
    )  # fmt: skip


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    log_event("login_failed", username=username, agency=_agency_of(username), request=request)


@receiver(user_locked_out)
def _locked_out(sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any) -> None:
    name = (username or "")[:150]
    log_event("login_locked_out", username=name, agency=_agency_of(name), request=request)


def log_refused(request: HttpRequest, status: int) -> None:
    user: AnyUser | None = getattr(request, "user", None)
    signed_in = user if user is not None and user.is_authenticated else None
    log_event(
        "request_refused",
        username=signed_in.get_username() if signed_in is not None else "-",
        agency=signed_in.agency.short_name if signed_in is not None and signed_in.agency is not None else "-",
        request=request,
        status=status,
        path=request.path[:200],
        method=request.method,
    )
