"""Rendered page fragments cached under a data version that every write to a watched model changes.

A heavy fragment (the action plan's table, the dashboard) is rendered once per data version and per
key (the viewer's scope, language, the day, the filter) and served from the cache until something it
shows may have changed. The version is bumped by every save, delete and many-to-many change of the
models named in settings.CACHE_WATCHED_MODELS — at once (the writer sees its own change) and again
when the transaction commits (so a fragment rendered from data read just before the commit is never
kept). Bulk writes that bypass model signals call `data_changed()` themselves.

Rows of a table (the action plan's) are cached one by one instead (`cached_rows`): each under a key that
holds what the row shows — the task's own `updated` stamp and the *names version*, which only changes when
a model named in settings.CACHE_NAMES_MODELS (the agencies, people and events a row names) is saved or
deleted. A write to one task so re-renders that one row, not every page.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache_backends import outage_seen

VERSION_KEY = "omskevents:data-version"
NAMES_VERSION_KEY = "omskevents:names-version"
FRAGMENT_TIMEOUT = 3600


# Set when this process could not store a new version (the cache was unreachable): the next read retries
# the bump, so that fragments stored before the outage are not served after it.
_bump_pending = False

# The versions one request has read (`versions_read_once`): a page asks them for each of its fragments, rows
# and lists, one cache round trip each. Reading each once is safe: a request's first read comes before it reads
# the data it renders, so what it stores under that version is never newer than the version says (a write
# committed meanwhile has made that version old already). A write within the request forgets what was read.
_request_versions: ContextVar[dict[str, str] | None] = ContextVar("omskevents_cache_versions", default=None)


@contextmanager
def versions_read_once() -> Iterator[None]:
    token = _request_versions.set({})
    try:
        yield
    finally:
        _request_versions.reset(token)


def _read_version(key: str) -> str:
    read = _request_versions.get()
    if read is not None and key in read:
        return read[key]
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(key, version, None)
        version = cache.get(key, version)
    if read is not None:
        read[key] = str(version)
    return str(version)


def _forget_version(key: str) -> None:
    read = _request_versions.get()
    if read is not None:
        read.pop(key, None)


def data_version() -> str:
    # A process that met the cache unreachable may have missed another process's bump as well: every
    # process that saw an outage bumps once when the cache answers again.
    if _bump_pending or outage_seen():
        _bump()
    return _read_version(VERSION_KEY)


def _bump() -> None:
    global _bump_pending
    _forget_version(VERSION_KEY)
    new = uuid.uuid4().hex
    cache.set(VERSION_KEY, new, None)
    _bump_pending = cache.get(VERSION_KEY) != new


def names_version() -> str:
    """The version of what table rows name (agencies, people, events); see CACHE_NAMES_MODELS."""
    if _names_bump_pending:
        _names_bump()
    return _read_version(NAMES_VERSION_KEY)


_names_bump_pending = False


def _names_bump() -> None:
    global _names_bump_pending
    _forget_version(NAMES_VERSION_KEY)
    new = uuid.uuid4().hex
    cache.set(NAMES_VERSION_KEY, new, None)
    _names_bump_pending = cache.get(NAMES_VERSION_KEY) != new


def names_changed() -> None:
    """Invalidate every cached row now and once more when the current transaction commits."""
    _names_bump()
    transaction.on_commit(_names_bump)


def data_changed() -> None:
    """Invalidate every cached fragment now and once more when the current transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def fragment_key(name: str, parts: Iterable[Any], version: str | None = None) -> str:
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    return f"omskevents:fragment:{name}:{version or data_version()}:{digest}"


def cached_fragment(name: str, parts: Iterable[Any], render: Callable[[], str], *, names_only: bool = False) -> str:
    """The cached HTML for `parts`, rendering (and storing) it on a miss.

    With `names_only` the fragment shows only what the names version covers (agencies, people, events: a
    form's choices) and outlives every other write. A fragment must not carry anything per-request secret:
    one with a CSRF token is served but never stored.
    """
    key = fragment_key(name, parts, names_version() if names_only else None)
    html = None if _bump_pending else cache.get(key)
    if html is None:
        html = render()
        if "csrfmiddlewaretoken" not in html:
            cache.set(key, html, FRAGMENT_TIMEOUT)
    return html


def cached_value(parts: Iterable[Any], read: Callable[[], Any]) -> Any:
    """A value (choice lists) that shows only what the names version covers, read once per names version."""
    key = f"omskevents:value:{names_version()}:{hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]}"
    value = None if _names_bump_pending else cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, FRAGMENT_TIMEOUT)
    return value


def cached_rows(
    name: str, keys: dict[int, tuple[Any, ...]], render: Callable[[list[int]], dict[int, str]]
) -> dict[int, str]:
    """HTML per item (a table row), read in one round trip; `render` is called once with the ids missing.

    `keys[id]` must hold everything the row shows that can change (a version stamp of the row, the names
    version, the language...): a row is never invalidated, a change makes a new key.
    """
    names = names_version()
    cache_keys = {
        item: f"omskevents:row:{name}:{hashlib.sha256(repr((names, parts)).encode()).hexdigest()[:32]}"
        for item, parts in keys.items()
    }
    # The "rows" cache when configured (settings/base.py), else the default one.
    store = caches["rows"] if "rows" in settings.CACHES else cache
    found = {} if _names_bump_pending else store.get_many(list(cache_keys.values()))
    html = {item: found[key] for item, key in cache_keys.items() if key in found}
    missing = [item for item in keys if item not in html]
    if missing:
        fresh = render(missing)
        store.set_many({cache_keys[item]: fresh[item] for item in missing}, FRAGMENT_TIMEOUT)
        html.update(fresh)
    return html


def cached_html(name: str, parts: Iterable[Any], render: Callable[[], str]) -> str:
    """HTML that is a pure function of `parts` (a digest of everything it shows): stored under that digest in
    the row cache, never invalidated — different contents make a different key."""
    key = f"omskevents:html:{name}:{hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]}"
    store = caches["rows"] if "rows" in settings.CACHES else cache
    html = store.get(key)
    if html is None:
        html = render()
        store.set(key, html, FRAGMENT_TIMEOUT)
    return str(html)


def _on_names_change(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return
    names_changed()


def _on_change(sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
    # A login saves last_login only, which no cached page shows: it must not empty everyone's cache.
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return
    data_changed()


def connect_watched_models() -> None:
    for label in getattr(settings, "CACHE_WATCHED_MODELS", ()):
        model = apps.get_model(label)
        uid = f"omskevents-cache-{label}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(_on_change, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")
    for label in getattr(settings, "CACHE_NAMES_MODELS", ()):
        model = apps.get_model(label)
        uid = f"omskevents-names-{label}"
        post_save.connect(_on_names_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_names_change, sender=model, dispatch_uid=f"{uid}-delete")
