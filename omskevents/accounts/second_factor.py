"""The second factor: authenticator apps (django-otp's TOTP devices) and one-use recovery codes (static devices);
security keys (WebAuthn, `security_keys.py`) come on top of the app.

Enrolment makes an unconfirmed TOTP device, shows its secret, and confirms it with a first code; only then are
the recovery codes made (shown once) and the session marked as verified. Every check of a code goes through
django-otp's `verify_token`, which throttles each device (a wrong code doubles the wait before the next check).
"""

import base64
import secrets

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import log_event
from .models import SecurityKey, User

TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def _agency(user: User) -> str:
    return user.agency.short_name if user.agency is not None else "-"


def session_verified(user: User) -> bool:
    """Whether this request's session has passed the second factor (django-otp's OTPMiddleware sets otp_device)."""
    return getattr(user, "otp_device", None) is not None


def has_second_factor(user: User) -> bool:
    """An authenticator app or a security key: either makes the login ask for the second factor."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or SecurityKey.objects.filter(user=user, confirmed=True).exists()
    )


def totp_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device of an enrolment in progress (made on first call, kept after)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret as the authenticator apps take it by hand (base32, in groups of four)."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address as an inline SVG (no script, no style attribute: the CSP allows it)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return format_html("{}", SafeString(svg))


@transaction.atomic
def second_factor_enrol(*, request: HttpRequest, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending device with a code from the app. Returns the new recovery codes, or None if wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token):
        log_event("second_factor_failed", username=user.get_username(), agency=_agency(user), request=request)
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=user)
    otp_login(request, device)
    log_event("second_factor_enrolled", username=user.get_username(), agency=_agency(user), request=request)
    return codes


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace the person's recovery codes with a fresh set; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(settings.SECOND_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_verify(*, request: HttpRequest, user: User, token: str) -> bool:
    """Check a code from the app or a recovery code; on success the session counts as verified.

    Each device refuses to check while its throttle runs (django-otp), so guessing is slowed on every device.
    """
    token = "".join(token.split()).lower()
    devices: list[TOTPDevice | StaticDevice] = []
    if len(token) == TOTPDevice._meta.get_field("digits").default and token.isdigit():
        devices.extend(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices.extend(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        if device.verify_token(token):
            otp_login(request, device)
            event = "second_factor_recovery_used" if isinstance(device, StaticDevice) else "second_factor_passed"
            log_event(event, username=user.get_username(), agency=_agency(user), request=request)
            return True
    log_event("second_factor_failed", username=user.get_username(), agency=_agency(user), request=request)
    return False


def second_factor_throttled(*, user: User) -> bool:
    """Whether every device of the person is waiting out its throttle (the form then says so)."""
    devices = [*TOTPDevice.objects.filter(user=user, confirmed=True)]
    return bool(devices) and all(not device.verify_is_allowed()[0] for device in devices)


@transaction.atomic
def second_factor_remove(*, request: HttpRequest | None, user: User) -> None:
    """Remove the authenticator, the recovery codes and the security keys (by the person if optional for them,
    or by an admin)."""
    TOTPDevice.objects.filter(user=user).delete()
    SecurityKey.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    log_event("second_factor_removed", username=user.get_username(), agency=_agency(user), request=request)
