"""Production: DEBUG off, a required secret key, HTTPS behind a reverse proxy."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# Persistent database connections: a worker keeps its connection for CONN_MAX_AGE seconds instead of opening
# one per request (which halves the throughput of cached pages), and checks it before reusing it after an
# idle spell, so a restarted PostgreSQL or a dropped connection costs one retry, never an error page.
# Each gunicorn worker (× threads) holds one connection: keep workers × threads × nodes under max_connections.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)

# Probes from an orchestrator or a load balancer speak plain HTTP to the node itself.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Webhooks go to public https addresses only, whatever the environment says (docs/webhooks.md, the SSRF guard).
WEBHOOKS_ALLOW_HTTP = False
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
