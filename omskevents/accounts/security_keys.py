"""WebAuthn security keys as a second factor, beside the authenticator app (py_webauthn checks the ceremonies).

Both ceremonies keep their challenge in the session and take it out on first use: an answer that comes twice
(a replayed assertion) or to another challenge is refused. The relying party is the site of SITE_URL (its host
name is the RP ID, ``scheme://host:port`` the only accepted origin) unless WEBAUTHN_RP_ID / WEBAUTHN_ORIGIN say
otherwise. Keys are added only by a person who already has the authenticator app (and so the recovery codes):
a lost key never locks anyone out. Every failure counts on the keys' throttle (django-otp's ThrottlingMixin).
"""

import json
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from .audit import log_event
from .models import SecurityKey, User

REGISTER_KEY = "_omskevents_webauthn_register"
AUTHENTICATE_KEY = "_omskevents_webauthn_authenticate"
# A key answers within a minute (the browser's timeout); the challenge is refused after two.
CHALLENGE_SECONDS = 120
NAME_MAX_LENGTH = SecurityKey._meta.get_field("name").max_length or 64


class SecurityKeyError(Exception):
    """A ceremony refused: the message (translated) is shown to the person as it is."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def rp_id() -> str:
    return settings.WEBAUTHN_RP_ID or (urlsplit(settings.SITE_URL).hostname or "localhost")


def expected_origin() -> str:
    if settings.WEBAUTHN_ORIGIN:
        return str(settings.WEBAUTHN_ORIGIN).rstrip("/")
    site = urlsplit(settings.SITE_URL)
    return f"{site.scheme}://{site.netloc}"


def _agency(user: User) -> str:
    return user.agency.short_name if user.agency is not None else "-"


def keys_of(user: User) -> list[SecurityKey]:
    return list(SecurityKey.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def has_security_key(user: User) -> bool:
    return SecurityKey.objects.filter(user=user, confirmed=True).exists()


def may_add_security_key(user: User) -> bool:
    """Keys come on top of the authenticator app, whose recovery codes are the way back if a key is lost."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def clean_key_name(value: object) -> str:
    if not isinstance(value, str):
        raise SecurityKeyError(_("Give the key a name, e.g. “Blue USB key”."))
    name = " ".join(value.split())
    if not name:
        raise SecurityKeyError(_("Give the key a name, e.g. “Blue USB key”."))
    if len(name) > NAME_MAX_LENGTH:
        raise SecurityKeyError(_("The name is too long: at most %(limit)d characters.") % {"limit": NAME_MAX_LENGTH})
    if any(not ch.isprintable() for ch in name):
        raise SecurityKeyError(_("The name contains characters that cannot be shown."))
    return name


def _store_challenge(request: HttpRequest, slot: str, challenge: bytes, **extra: Any) -> None:
    request.session[slot] = {
        "challenge": bytes_to_base64url(challenge),
        "at": int(timezone.now().timestamp()),
        **extra,
    }


def _take_challenge(request: HttpRequest, slot: str) -> dict[str, Any]:
    """The pending ceremony's challenge, removed from the session: it answers once."""
    stored = request.session.pop(slot, None)
    if not isinstance(stored, dict) or not isinstance(stored.get("challenge"), str):
        raise SecurityKeyError(_("The request has expired or was already used: try again."))
    if int(timezone.now().timestamp()) - int(stored.get("at", 0)) > CHALLENGE_SECONDS:
        raise SecurityKeyError(_("The request has expired or was already used: try again."))
    return stored


def _credential(payload: Any) -> dict[str, Any]:
    credential = payload.get("credential") if isinstance(payload, dict) else None
    if not isinstance(credential, dict) or not isinstance(credential.get("id"), str):
        raise SecurityKeyError(_("The browser sent no answer from the key: try again."))
    return credential


def _descriptor(key: SecurityKey) -> PublicKeyCredentialDescriptor:
    transports = []
    for name in key.transports or []:
        try:
            transports.append(AuthenticatorTransport(name))
        except ValueError:
            continue
    return PublicKeyCredentialDescriptor(id=base64url_to_bytes(key.credential_id), transports=transports or None)


def registration_options(*, request: HttpRequest, user: User, name: object) -> dict[str, Any]:
    """Options for navigator.credentials.create(); the name is checked now so the key is not touched in vain."""
    if not may_add_security_key(user):
        raise SecurityKeyError(_("Set up the authenticator app first: its recovery codes are the way back."))
    key_name = clean_key_name(name)
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=settings.WEBAUTHN_RP_NAME,
        user_id=f"omskevents-user-{user.pk}".encode(),
        user_name=user.get_username(),
        user_display_name=user.get_full_name() or user.get_username(),
        challenge=secrets.token_bytes(32),
        exclude_credentials=[_descriptor(key) for key in keys_of(user)],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    _store_challenge(request, REGISTER_KEY, options.challenge, name=key_name)
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def security_key_register(*, request: HttpRequest, user: User, payload: Any) -> SecurityKey:
    """Check the key's answer to the pending registration and keep the key under the name given then."""
    if not may_add_security_key(user):
        raise SecurityKeyError(_("Set up the authenticator app first: its recovery codes are the way back."))
    stored = _take_challenge(request, REGISTER_KEY)
    credential = _credential(payload)
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(stored["challenge"]),
            expected_rp_id=rp_id(),
            expected_origin=expected_origin(),
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as error:
        log_event(
            "security_key_failed", username=user.get_username(), agency=_agency(user), request=request,
            step="register", reason=str(error)[:200],
        )  # fmt: skip
        raise SecurityKeyError(_("The key's answer could not be checked: nothing was added. Try again.")) from error
    response = credential.get("response")
    transports = response.get("transports") if isinstance(response, dict) else None
    known = {t.value for t in AuthenticatorTransport}
    try:
        with transaction.atomic():
            key = SecurityKey.objects.create(
                user=user,
                name=str(stored.get("name") or "")[:NAME_MAX_LENGTH],
                confirmed=True,
                credential_id=bytes_to_base64url(verified.credential_id),
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                transports=[t for t in transports if t in known] if isinstance(transports, list) else [],
            )
    except IntegrityError as error:
        raise SecurityKeyError(_("This key is already registered.")) from error
    log_event("security_key_added", username=user.get_username(), agency=_agency(user), request=request, key=key.name)
    return key


def authentication_options(*, request: HttpRequest, user: User) -> dict[str, Any]:
    """Options for navigator.credentials.get(): the person's own keys only."""
    keys = keys_of(user)
    if not keys:
        raise SecurityKeyError(_("You have no security key: enter a code instead."))
    options = generate_authentication_options(
        rp_id=rp_id(),
        challenge=secrets.token_bytes(32),
        allow_credentials=[_descriptor(key) for key in keys],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _store_challenge(request, AUTHENTICATE_KEY, options.challenge)
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def security_keys_throttled(*, user: User) -> bool:
    keys = keys_of(user)
    return bool(keys) and all(not key.verify_is_allowed()[0] for key in keys)


def _failed(request: HttpRequest, user: User, keys: list[SecurityKey], reason: str) -> None:
    for key in keys:
        key.throttle_increment()
    log_event(
        "security_key_failed", username=user.get_username(), agency=_agency(user), request=request,
        step="login", reason=reason[:200],
    )  # fmt: skip


def security_key_authenticate(*, request: HttpRequest, user: User, payload: Any) -> SecurityKey:
    """Check a key's answer to the pending challenge; on success the session counts as verified.

    A failure (a wrong or replayed answer, a foreign key) raises SecurityKeyError after counting on the throttle
    of the key named (or of all the person's keys when it names none of them) and writing `security_key_failed`.
    """
    keys = keys_of(user)
    if not keys:
        raise SecurityKeyError(_("You have no security key: enter a code instead."))
    try:
        stored = _take_challenge(request, AUTHENTICATE_KEY)
        credential = _credential(payload)
    except SecurityKeyError as error:
        _failed(request, user, keys, "no pending challenge or no answer")
        raise error
    key = next((k for k in keys if secrets.compare_digest(k.credential_id, str(credential["id"]))), None)
    if key is None:
        _failed(request, user, keys, "unknown key")
        raise SecurityKeyError(_("This key is not registered for your account."))
    if not key.verify_is_allowed()[0]:
        raise SecurityKeyError(_("Too many failed attempts: wait a little and try again."), status=429)
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(stored["challenge"]),
            expected_rp_id=rp_id(),
            expected_origin=expected_origin(),
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=key.sign_count,
        )
    except (WebAuthnException, ValueError, TypeError, KeyError) as error:
        _failed(request, user, [key], str(error))
        raise SecurityKeyError(_("The key's answer could not be checked: try again or enter a code.")) from error
    key.sign_count = verified.new_sign_count
    key.last_used_at = timezone.now()
    key.throttle_reset(commit=False)
    key.save(update_fields=["sign_count", "last_used_at", "throttling_failure_timestamp", "throttling_failure_count"])
    otp_login(request, key)
    log_event("security_key_used", username=user.get_username(), agency=_agency(user), request=request, key=key.name)
    return key


@transaction.atomic
def security_key_remove(*, request: HttpRequest | None, user: User, key: SecurityKey) -> None:
    """Remove one of the person's keys (the caller has checked a current code first)."""
    name = key.name
    SecurityKey.objects.filter(pk=key.pk, user=user).delete()
    log_event("security_key_removed", username=user.get_username(), agency=_agency(user), request=request, key=name)
