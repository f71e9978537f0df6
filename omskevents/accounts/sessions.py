"""A person's signed-in sessions: recorded at login, touched once a minute, listed, and ended one by one or all.

Ending a session deletes its row in Django's session table (SESSION_ENGINE is the database), so the cookie
that carried it opens nothing any more; the UserSession row beside it is only what the page shows.
"""

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from omskevents.core.client_ip import client_ip

from .audit import log_event
from .models import User, UserSession
from .services import user_links_revoke

_BROWSERS = (("Edg/", "Edge"), ("YaBrowser/", "Yandex Browser"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))  # fmt: skip
_SYSTEMS = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))  # fmt: skip


# When the session's record was last touched (a timestamp in the session itself, so a page view reads no row).
SEEN_KEY = "_omskevents_session_recorded_at"


def device_of(user_agent: str) -> str:
    """A short, readable name of the browser and system ("Firefox, Windows"), from the User-Agent header."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    text = ", ".join(part for part in (browser, system) if part)
    return text or (re.sub(r"\s+", " ", user_agent)[:60] if user_agent else _("unknown device"))


def _agency(user: User) -> str:
    return user.agency.short_name if user.agency is not None else "-"


def sessions_of(user: User) -> QuerySet[UserSession]:
    """The person's sessions that are still alive, the latest first."""
    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=alive).order_by("-last_seen")


@transaction.atomic
def user_session_record(*, request: HttpRequest, user: User) -> UserSession | None:
    """Record the session just signed in, then end the oldest ones past MAX_SESSIONS_PER_USER."""
    key = request.session.session_key
    if key is None:
        request.session.save()
        key = request.session.session_key
    if key is None:
        return None
    now = timezone.now()
    record, _created = UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "last_seen": now,
            "ip": client_ip(request) or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    limit = settings.MAX_SESSIONS_PER_USER
    if limit > 0:
        extra = list(
            sessions_of(user)
            .exclude(pk=record.pk)
            .order_by("-created")
            .values_list("session_key", flat=True)[limit - 1 :]
        )
        if extra:
            _end_keys(extra)
            log_event(
                "sessions_limit_ended",
                username=user.get_username(),
                agency=_agency(user),
                request=request,
                count=len(extra),
            )
    return record


def user_session_touch(*, session_key: str, request: HttpRequest) -> None:
    UserSession.objects.filter(session_key=session_key).update(last_seen=timezone.now(), ip=client_ip(request) or None)


def _end_keys(keys: list[str]) -> int:
    Session.objects.filter(session_key__in=keys).delete()
    deleted, _ = UserSession.objects.filter(session_key__in=keys).delete()
    return deleted


@transaction.atomic
def user_session_end(*, request: HttpRequest, user: User, session_id: int) -> bool:
    """End one of the person's own sessions (not the current one). False if there is no such session."""
    keys = list(
        UserSession.objects.filter(user=user, pk=session_id)
        .exclude(session_key=request.session.session_key)
        .values_list("session_key", flat=True)
    )
    if not keys:
        return False
    _end_keys(keys)
    log_event("session_ended", username=user.get_username(), agency=_agency(user), request=request)
    return True


@transaction.atomic
def user_sessions_end_others(*, request: HttpRequest, user: User) -> int:
    """Sign out everywhere else: every other session of the person, and every one-click link mailed to them."""
    keys = list(
        UserSession.objects.filter(user=user)
        .exclude(session_key=request.session.session_key)
        .values_list("session_key", flat=True)
    )
    ended = _end_keys(keys)
    user_links_revoke(user=user)
    log_event(
        "sessions_ended_elsewhere", username=user.get_username(), agency=_agency(user), request=request, count=ended
    )
    return ended


@transaction.atomic
def user_sessions_end_all(*, request: HttpRequest | None, user: User, by: User) -> int:
    """An administrator ends every session of a person (every other session kept by Django too)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    ended = _end_keys(keys)
    # Sessions opened before the records existed: the session table names its user only inside the data.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    user_links_revoke(user=user)
    log_event(
        "sessions_ended_by_admin",
        username=user.get_username(),
        agency=_agency(user),
        request=request,
        by=by.get_username(),
        count=ended,
    )
    return ended


def user_session_forget(*, session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None = None, user: User | None = None, **kwargs: Any) -> None:
    if request is None or user is None or not hasattr(request, "session"):
        return
    if user_session_record(request=request, user=user) is not None:
        request.session[SEEN_KEY] = int(timezone.now().timestamp())


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        user_session_forget(session_key=request.session.session_key)
