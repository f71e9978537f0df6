"""Demo-only second factor: every demo account that must use one gets an authenticator with one known secret.

The secret is printed by `seed_demo` and written in docs/security.md: add it once to an authenticator app (or run
`manage.py demo_totp` for the current code) and every demo account can be used. It is public, so it is demo data
like the shared demo password, and production never installs this package.
"""

import base64
import binascii

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from omskevents.accounts.models import User
from omskevents.accounts.permissions import must_use_second_factor
from omskevents.accounts.second_factor import TOTP_NAME

# 20 bytes, as django-otp makes them; base32 "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".
DEMO_TOTP_KEY = "48656c6c6f21deadbeef48656c6c6f21deadbeef"


def demo_totp_secret() -> str:
    return base64.b32encode(binascii.unhexlify(DEMO_TOTP_KEY)).decode("ascii")


@transaction.atomic
def seed_second_factor(users: list[User]) -> int:
    """A confirmed authenticator with the demo secret for each such account that has none. Returns how many."""
    made = 0
    for user in users:
        if must_use_second_factor(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=DEMO_TOTP_KEY, confirmed=True)
            made += 1
    return made


def demo_totp_code() -> str:
    """The code an authenticator with the demo secret shows now."""
    return f"{totp(binascii.unhexlify(DEMO_TOTP_KEY)):06d}"
