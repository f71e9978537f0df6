"""Development defaults: DEBUG on, a throwaway secret key, mail written to var/mail."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-omskevents-2026")
