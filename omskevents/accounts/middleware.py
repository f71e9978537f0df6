"""Writes refused requests (HTTP 403) to the security log; keeps sessions without their second factor out."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .audit import log_refused
from .permissions import must_use_second_factor
from .second_factor import has_second_factor, session_verified
from .sessions import SEEN_KEY, user_session_touch


class RefusedRequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            log_refused(request, response.status_code)
        return response


class SecondFactorMiddleware:
    """A session past the password step but not the second factor reaches only the second-factor pages.

    A person with an authenticator is sent to give a code; one who must have it (permissions.
    must_use_second_factor) and has none is sent to enrol. The admin is behind the same check, as is every
    other page; logging out, switching language, static files and the health check stay open.
    """

    OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/favicon.ico")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.SECOND_FACTOR_ENFORCED
            and user is not None
            and user.is_authenticated
            and not session_verified(user)
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            if has_second_factor(user):
                target = "accounts:second_factor_verify"
            elif must_use_second_factor(user):
                target = "accounts:second_factor_setup"
            else:
                return self.get_response(request)
            allowed = {reverse(target), reverse("accounts:logout")}
            if target == "accounts:second_factor_verify":
                # A security key answers through these two (the verify page's script calls them).
                allowed |= {reverse("accounts:security_key_login_options"), reverse("accounts:security_key_login")}
            if request.path not in allowed:
                url = reverse(target)
                if request.method == "GET" and url_has_allowed_host_and_scheme(
                    request.get_full_path(), allowed_hosts=None
                ):
                    url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
                return HttpResponseRedirect(url)
            # The page shows no menu (base.html): every link of it would lead back here, and the unread count
            # is not shown before the second factor.
            request.second_factor_pending = True  # type: ignore[attr-defined]
        return self.get_response(request)


class SessionActivityMiddleware:
    """Keeps the "last seen" time and address of the person's session record, at most once a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        key = request.session.session_key if hasattr(request, "session") else None
        if user is not None and user.is_authenticated and key:
            now = int(timezone.now().timestamp())
            seen = int(request.session.get(SEEN_KEY, 0))
            if now - seen >= settings.SESSION_ACTIVITY_GRANULARITY:
                user_session_touch(session_key=key, request=request)
                request.session[SEEN_KEY] = now
        return self.get_response(request)
