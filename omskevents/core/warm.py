"""What a long-lived process loads once at its start instead of on its first request or task.

Django loads lazily: the URLconf (and with it every app's views, the API and its libraries) on the first
`reverse()`, a language's catalogues on its first activation, a template on its first render. A Celery worker's
pool children are forked from its main process: loaded there, before the fork, it is loaded once for all of
them (the pages shared until written) instead of once in each child, by the child's first mail — a second
of processor time in the middle of the first batch it sends. Nothing here opens a database connection: a
connection made before the fork would be shared by every child.
"""

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def process_warm(*, template_folders: Iterable[str] = ()) -> int:
    """Load the URLconf, every language's catalogues and the templates in `template_folders` (names relative to
    the project's templates folder, e.g. "emails"). Returns how many templates were compiled."""
    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf and every module it names
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("")  # the language's catalogues, merged once per process
    compiled = 0
    for folder in template_folders:
        for directory in map(Path, engines["django"].engine.dirs):  # type: ignore[attr-defined]  # the Django backend's
            base = directory / folder
            if not base.is_dir():
                continue
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    get_template(str(path.relative_to(directory)))
                    compiled += 1
    return compiled
