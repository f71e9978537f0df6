"""Writes to API tokens: create (the secret is returned once), revoke, record a use."""

import datetime as dt
import secrets
import string

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from omskevents.accounts.audit import log_event
from omskevents.accounts.models import User

from . import permissions
from .enums import TokenScope
from .models import ApiToken
from .selectors import token_digest

PREFIX_ALPHABET = string.ascii_lowercase + string.digits


def _new_secret() -> tuple[str, str]:
    prefix = "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(10))
    return prefix, f"oe_{prefix}_{secrets.token_urlsafe(32)}"


def _agency(user: User) -> str:
    return user.agency.short_name if user.agency is not None else "-"


@transaction.atomic
def token_create(
    *, actor: User, name: str, scope: str, expires_on: dt.date, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new token of `actor`'s, valid to the end of `expires_on` (in the person's time zone). Returns the token
    and its secret, which is never stored and so can be shown only now."""
    if not permissions.can_manage_tokens(actor):
        raise PermissionDenied(_("You cannot create API tokens."))
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Give the token a name.")]
    elif actor.api_tokens.filter(name=name, revoked_at__isnull=True).exists():
        errors["name"] = [_("You already have a token with this name.")]
    if scope not in TokenScope.values:
        errors["scope"] = [_("Choose the access.")]
    today = timezone.localdate()
    longest = settings.API_TOKEN_MAX_DAYS
    if expires_on <= today:
        errors["expires_on"] = [_("The expiry date must be in the future.")]
    elif expires_on > today + dt.timedelta(days=longest):
        errors["expires_on"] = [
            ngettext("A token lives at most %(days)d day.", "A token lives at most %(days)d days.", longest)
            % {"days": longest}
        ]
    live = actor.api_tokens.live().count()
    if live >= settings.API_TOKENS_PER_USER:
        errors.setdefault("__all__", []).append(
            _("You hold as many live tokens as one may (%(limit)s): revoke one first.")
            % {"limit": settings.API_TOKENS_PER_USER}
        )
    if errors:
        raise ValidationError(errors)
    end = dt.datetime.combine(expires_on, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    prefix, raw = _new_secret()
    token = ApiToken(user=actor, name=name, prefix=prefix, digest=token_digest(raw), scope=scope, expires_at=end)
    token.full_clean()
    token.save()
    log_event(
        "api_token_created",
        username=actor.get_username(),
        agency=_agency(actor),
        request=request,
        token=prefix,
        scope=scope,
        expires=end.isoformat(),
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    """Revoke one of one's own tokens at once; revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if not permissions.can_revoke_token(actor, token):
        raise PermissionDenied(_("This is not your token."))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log_event(
        "api_token_revoked", username=actor.get_username(), agency=_agency(actor), request=request, token=token.prefix
    )
    return token


def token_touch(*, token: ApiToken, address: str | None) -> None:
    """Record a use of the token: when and from where (one UPDATE, no read)."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=address or None)
    token.last_used_at, token.last_used_ip = now, address or None
