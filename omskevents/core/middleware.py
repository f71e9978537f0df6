"""Activates the signed-in user's time zone (and language, unless the visitor chose one)."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if not chosen and user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        else:
            timezone.deactivate()
        return self.get_response(request)


class SessionLimitMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without a request, and SESSION_ABSOLUTE_SECONDS after login.

    Activity is written to the session at most once a minute (SESSION_ACTIVITY_GRANULARITY): saving the
    session on every request would turn every page view into a write. Each save also renews the cookie and
    the stored expiry, so the idle limit holds to within that minute even without this check.
    """

    LOGIN_AT = "_omskevents_login_at"
    SEEN_AT = "_omskevents_seen_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(timezone.now().timestamp())
            started = int(session.setdefault(self.LOGIN_AT, now))
            seen = int(session.get(self.SEEN_AT, now))
            if now - started > settings.SESSION_ABSOLUTE_SECONDS or now - seen > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif self.SEEN_AT not in session or now - seen >= settings.SESSION_ACTIVITY_GRANULARITY:
                session[self.SEEN_AT] = now
        return self.get_response(request)
