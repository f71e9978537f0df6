"""`Authorization: Bearer <token>` for the API: a live token of an active person, its use recorded."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from omskevents.accounts.audit import log_event
from omskevents.core.client_ip import client_ip

from .models import ApiToken
from .selectors import token_for
from .services import token_touch


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A request with a Bearer token is that token's owner's, or is refused with 401: a malformed, unknown, revoked
    or expired token, or one whose owner was deactivated. Without the header the next method (the session) tries."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Bearer”, with one space between."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from error
        token = token_for(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        django_request: HttpRequest = request._request
        if token.is_revoked or token.is_expired or not token.user.is_active:
            log_event(
                "api_token_refused",
                username=token.user.get_username(),
                agency="-",
                request=django_request,
                token=token.prefix,
                reason="revoked" if token.is_revoked else "expired" if token.is_expired else "inactive",
            )
            raise exceptions.AuthenticationFailed(_("The token has expired or was revoked."))
        token_touch(token=token, address=client_ip(django_request))
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        # Makes an unauthenticated answer 401 (with this challenge), never 403.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token: an HTTP bearer scheme."""

    target_class = "omskevents.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token: Authorization: Bearer oe_…",
        }
