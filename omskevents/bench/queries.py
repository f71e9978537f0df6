"""Queries per page, counted in a process of the benchmark's own (production settings, the bench's database).

    python -m omskevents.bench.queries        # prints one JSON line: {page: queries}

`make bench` counts them at the demo's size and again at 10,000 tasks; the issue's target is "equal, at most
10". Each page is asked once to warm what a running server keeps (content types, the names version, rows
rendered before), then counted as a request no cached page answers: the plan and the admin list with another
filter or sort, the dashboard right after a write (which retires every cached page).
"""

import json
import os

# label: (user, warm-up URL, counted URL, a write before the count)
PAGES = {
    "plan": ("secretariat", "/tasks/?due_to=2100-01-01", "/tasks/?due_to=2100-01-02", False),
    "dashboard": ("secretariat", "/", "/", True),
    "admin, secretariat": ("secretariat", "/admin/workplan/task/?o=4", "/admin/workplan/task/?o=-4", False),
    "admin, ministry": ("mfa", "/admin/workplan/task/?o=4", "/admin/workplan/task/?o=-4", False),
}


def _check(response: object, url: str) -> None:
    status = getattr(response, "status_code", None)
    if status != 200:
        raise SystemExit(f"{url} answered {status}")


def count() -> dict[str, int]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omskevents.settings.production")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from omskevents.accounts.models import User
    from omskevents.core.cache import data_changed

    counts: dict[str, int] = {}
    for label, (username, warm, counted, write_first) in PAGES.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        _check(client.get(warm, secure=True), warm)
        if write_first:
            data_changed()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(counted, secure=True)
        _check(response, counted)
        counts[label] = len(queries)
    return counts


if __name__ == "__main__":
    print(json.dumps(count()))
