"""Test overrides: fast hashing, in-memory mail, files (and a SQLite database) in a temporary folder."""

import os
import tempfile
from pathlib import Path

# Parallel runs (pytest-xdist): each worker process gets a Redis database of its own (the next numbers after the
# one given), so a test that empties its Redis database never empties another worker's. Set before the base
# settings read REDIS_URL; child processes a test starts (workers, web nodes) inherit it.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and os.environ.get("REDIS_URL"):
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(os.environ["REDIS_URL"])
    _base_db = int(_parts.path.strip("/") or 0)
    _db = (_base_db + int(_xdist_worker[2:])) % 16
    os.environ["REDIS_URL"] = urlunsplit(_parts._replace(path=f"/{_db}"))

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

DEBUG = False
# On SQLite the test database is a file, not memory: tests that start processes of their own (a Celery worker,
# a service that dies after its commit) share it with them. Django deletes the file when the run ends.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"omskevents-test-{os.getpid()}.sqlite3")}
SECRET_KEY = "test-only-key-omskevents"  # noqa: S105 - test only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="omskevents-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}  # tests/workplan/test_storage_s3.py runs the object-store path against an S3 server of its own
# Static files straight from the finders: tests need no collectstatic run.
STATIC_ROOT = tempfile.mkdtemp(prefix="omskevents-static-")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo data and its `seed_demo` command, as in development; production never installs them.
INSTALLED_APPS = [*INSTALLED_APPS, "omskevents.demo"]

# Without a Redis server the tests publish to an in-memory broker, never into var/broker of a dev setup.
if not REDIS_URL:
    CELERY_BROKER_URL = "memory://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {}

# One process: an in-memory cache, emptied before every test (tests/conftest.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "rows": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rows"},
}

# Two-factor login is off for the suite's force_login() accounts; the tests of the second factor turn it on.
SECOND_FACTOR_ENFORCED = False

# Webhooks may go to a receiver on this machine or the local network, over plain http (the guard's tests turn
# both off to act as production).
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=True)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=True)
