"""Reads of API tokens: a person's own tokens, and the token a request presents."""

import hashlib
import hmac
import re

from django.db.models import QuerySet

from omskevents.accounts.types import AnyUser

from .models import ApiToken

# "oe_" + the public prefix (10 letters or digits) + "_" + the secret (43 URL-safe characters: 32 random bytes).
TOKEN_RE = re.compile(r"^oe_(?P<prefix>[a-z0-9]{10})_(?P<secret>[A-Za-z0-9_-]{43})$")


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def tokens_of(user: AnyUser) -> QuerySet[ApiToken]:
    """A person's tokens, newest first (revoked and expired ones too, to see what was there)."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created", "-pk")


def token_for(raw: str) -> ApiToken | None:
    """The token `raw` is, with its owner; None for a malformed or unknown one or a wrong secret. Whether it is
    still live (not revoked, not expired, its owner active) is for the caller to check."""
    match = TOKEN_RE.match(raw)
    if match is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=match["prefix"]).first()
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    return token
