"""The security log: logins, failures, lockouts, refused requests and every other security event, with user,
agency, real client address and UTC time, to the `omskevents.security` logger and the append-only SecurityEvent table.

Passwords never reach this log: the credentials dict is reduced to the username before anything is written.
"""

import datetime as dt
import logging
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connection, transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from omskevents.core.client_ip import client_ip

from .models import SecurityEvent, User
from .types import AnyUser

logger = logging.getLogger("omskevents.security")


def _agency_of(username: str) -> str:
    user = get_user_model().objects.filter(username=username).select_related("agency").first()
    return user.agency.short_name if user is not None and user.agency is not None else "-"


def _address(request: HttpRequest | None) -> str:
    return (client_ip(request) or "-") if request is not None else "-"


def log_event(event: str, *, username: str, agency: str, request: HttpRequest | None, **extra: Any) -> None:
    """Write the event to the `omskevents.security` logger and as a row of the append-only SecurityEvent table."""
    fields = " ".join(f"{key}={value!r}" for key, value in extra.items())
    address = _address(request)
    now = timezone.now()
    logger.warning(
        "%s user=%r agency=%r ip=%s at=%s %s",
        event, username, agency, address, now.astimezone(dt.UTC).isoformat(), fields,
    )  # fmt: skip
    SecurityEvent.objects.create(
        at=now,
        event=event[:50],
        username=username[:150],
        agency=agency[:255],
        ip=address if address != "-" else None,
        details={key: str(value)[:500] for key, value in extra.items()},
    )


@transaction.atomic
def security_events_purge(*, before: dt.datetime) -> int:
    """The retention purge: the only delete of security events (the PostgreSQL trigger lets this one through)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL omskevents.audit_purge = 'on'")
    old = SecurityEvent.objects.filter(at__lt=before)
    return old._raw_delete(old.db)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None = None, user: User | None = None, **kwargs: Any) -> None:
    if user is not None:
        agency = user.agency.short_name if user.agency is not None else "-"
        log_event("login", username=user.get_username(), agency=agency, request=request)


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


def log_export(request: HttpRequest, *, kind: str, rows: int) -> None:
    """An export of personal data (a file naming people) by the signed-in person."""
    user: AnyUser | None = getattr(request, "user", None)
    signed_in = user if user is not None and user.is_authenticated else None
    log_event(
        "export",
        username=signed_in.get_username() if signed_in is not None else "-",
        agency=signed_in.agency.short_name if signed_in is not None and signed_in.agency is not None else "-",
        request=request,
        kind=kind,
        rows=rows,
    )
