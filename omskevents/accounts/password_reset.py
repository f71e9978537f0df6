"""The password reset's budget: a few requests per address and per client address in a window (in the cache).

Past the budget the answer is the same as always ("if the address is known, a letter is on its way"), only no
letter is sent: the form tells nobody whether an address exists, nor whether a budget is spent.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"password-reset:{kind}:{digest}"


def _spend(key: str, limit: int) -> bool:
    window = settings.PASSWORD_RESET_THROTTLE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def password_reset_allowed(*, email: str, ip: str) -> bool:
    """Count this request against the address's and the client's budgets; True if both still allow it."""
    by_address = _spend(_key("email", email), settings.PASSWORD_RESET_PER_EMAIL)
    by_ip = _spend(_key("ip", ip or "-"), settings.PASSWORD_RESET_PER_IP)
    return by_address and by_ip
