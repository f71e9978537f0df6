"""The signature of a delivery: HMAC-SHA256 over "<timestamp>.<body>" with the endpoint's secret (docs/webhooks.md)."""

import hashlib
import hmac
import secrets

SIGNATURE_PREFIX = "sha256="


def secret_new() -> str:
    """A fresh endpoint secret: 32 random bytes, hex (what the owner pastes into their receiver)."""
    return "whsec_" + secrets.token_hex(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Omskevents-Signature header's value."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return SIGNATURE_PREFIX + mac.hexdigest()
