"""Development defaults: DEBUG on, a throwaway secret key, mail written to var/mail, the demo data tools."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-omskevents-2026")

# The demo data and its `seed_demo` command (also used by the benchmarks); production never installs them.
INSTALLED_APPS = [*INSTALLED_APPS, "omskevents.demo"]

# Webhooks may go to a receiver on this machine or the local network, over plain http (the guard's tests turn
# both off to act as production).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=True)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=True)
