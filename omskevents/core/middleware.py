"""Per-request settings: the signed-in user's time zone and language, session limits, private caching."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone, translation
from django.utils.cache import add_never_cache_headers

from .cache import versions_read_once


class CacheVersionsMiddleware:
    """Each cache version (core.cache) is read once per request, however many fragments and rows ask it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with versions_read_once():
            return self.get_response(request)


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


class PrivateResponseMiddleware:
    """Nothing that belongs to someone is kept by a browser's or a proxy's cache.

    Every answer to a signed-in person, and every download (a file, an export, minutes, an .ics), gets
    `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`: a shared computer's back button or
    disk cache, or a caching proxy, must not hand a ministry's tasks to the next person. Pages reached with a
    secret in the address mark themselves (`never_cache`); static files never reach this middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)
        return response


class UploadSizeMiddleware:
    """Refuses (413) a multipart request whose declared length exceeds what one request may carry: the files
    (UPLOAD_MAX_REQUEST_BYTES) and the form's other fields (DATA_UPLOAD_MAX_MEMORY_SIZE). It runs before anything
    reads the body, so gigabytes sent to a report form are never parsed nor written to disk. The forms check
    the files themselves, with their own messages; the reverse proxy's client_max_body_size is the outer bound.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.UPLOAD_MAX_REQUEST_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                limit = formats.number_format(round(settings.UPLOAD_MAX_REQUEST_BYTES / (1024 * 1024), 1), 1)
                return render(request, "core/upload_too_large.html", {"limit": limit}, status=413)
        return self.get_response(request)
