"""/readyz: whether this node can serve — its database, Redis (when configured) and file storage answer.

The liveness probe, /healthz (omskevents.core.health), asks nothing of anyone: a node whose database is down
is alive and must not be restarted for it, only taken out of the load balancer until /readyz answers 200
again. The answer names each check and its outcome, never an address, a password or an error's text.
"""

import os
import time
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from omskevents.calendars.selectors import calendar_missing_years

PROBE_TIMEOUT_SECONDS = 2.0


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _redis_urls() -> list[str]:
    urls = [settings.REDIS_URL] if settings.REDIS_URL else []
    location = settings.CACHES["default"].get("LOCATION", "")
    if isinstance(location, str) and location.startswith(("redis://", "rediss://")) and location not in urls:
        urls.append(location)
    return urls


def check_redis() -> None:
    # Straight to Redis: the cache backend itself degrades to misses when Redis is away and would hide it.
    for url in _redis_urls():
        client = redis.Redis.from_url(
            url, socket_timeout=PROBE_TIMEOUT_SECONDS, socket_connect_timeout=PROBE_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()


def check_storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        # A missing or read-only media folder fails an upload only when someone uploads: find it now.
        location = default_storage.location
        if not (os.path.isdir(location) and os.access(location, os.W_OK)):
            raise OSError("the media folder is missing or not writable")
        return
    bucket = getattr(default_storage, "bucket_name", None)
    if bucket:
        # An S3-compatible store: one HEAD request on the bucket proves the endpoint, the bucket and the keys.
        default_storage.connection.meta.client.head_bucket(Bucket=bucket)  # type: ignore[attr-defined]
        return
    default_storage.exists("readyz-probe")


CHECKS: dict[str, Callable[[], None]] = {"database": check_database, "storage": check_storage}


def readiness() -> tuple[bool, dict[str, Any]]:
    checks: dict[str, dict[str, Any]] = {}
    ready = True
    probes = dict(CHECKS)
    if _redis_urls():
        probes["redis"] = check_redis
    for name, probe in probes.items():
        started = time.monotonic()
        try:
            probe()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready"; the kind is reported
            ready = False
            checks[name] = {"ok": False, "error": type(error).__name__}
        else:
            checks[name] = {"ok": True}
        checks[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    if not _redis_urls():
        checks["redis"] = {"ok": True, "configured": False}
    warnings = []
    if checks["database"]["ok"]:
        # Not a reason to stop serving, but something an operator must do: seed the missing calendar year.
        warnings = [f"working calendar missing: {year} {country}" for year, country in calendar_missing_years()]
    return ready, {"ready": ready, "checks": checks, "warnings": warnings}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ready, body = readiness()
    return JsonResponse(body, status=200 if ready else 503)
