"""The API's request-level rules: a signed-in caller, a token's scope, a budget per token or person."""

from typing import Any

from rest_framework import permissions as drf_permissions
from rest_framework.throttling import SimpleRateThrottle

from omskevents.core.client_ip import client_ip

from .models import ApiToken
from .permissions import token_allows


class ScopedAccess(drf_permissions.BasePermission):
    """The caller is signed in (a token or a session); a read-only token reads and nothing else (403).

    What the caller may see and do with each object is then each app's own permissions and selectors."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        token = request.auth
        if isinstance(token, ApiToken):
            return token_allows(token, write=request.method not in drf_permissions.SAFE_METHODS)
        return True


class TokenRateThrottle(SimpleRateThrottle):
    """A budget of requests per token (per person for the session), counted in the shared cache (Redis)."""

    scope = "api"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        token = request.auth
        if isinstance(token, ApiToken):
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def get_ident(self, request: Any) -> str:
        # The client's real address behind the trusted proxy, as the login throttle sees it.
        return client_ip(request._request)
