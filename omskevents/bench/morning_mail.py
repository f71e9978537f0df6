"""How many mails each role receives on the next working morning, as the code of this checkout sends them.

    python manage.py seed_demo            # a fresh database
    python -m omskevents.bench.morning_mail

The scan of that morning is run in a transaction that is rolled back (nothing is stored or sent); the rows
due by then are passed through the delivery's checks. Where the code gathers one person's notices into one
mail (notifications.preview), the mails are counted after gathering; in older code every row is one mail.
The same file runs against an older checkout to measure "before"."""

import datetime as dt
import os
import sys
from collections import Counter, defaultdict


class _Rollback(Exception):
    pass


def _role(user: object | None) -> str:
    if user is None:
        return "agency addresses"
    return {
        "secretariat": "secretariat",
        "kz_secretariat": "kz-secretariat",
        "agency_head": "agency heads",
        "agency_staff": "staff",
    }.get(getattr(user, "role", ""), "other")


def _morning() -> tuple[dt.date, dt.datetime]:
    from django.conf import settings
    from django.utils import timezone

    from omskevents.calendars.services import next_working_day

    today = timezone.localdate(timezone.now(), __import__("zoneinfo").ZoneInfo(settings.TIME_ZONE))
    day = next_working_day("RU", today + dt.timedelta(days=1))
    return day, dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


def _before(moment: dt.datetime) -> dict[str, Counter[str]]:
    """Older code: store the morning's rows in a rolled-back transaction; each row that passes the delivery's
    check is one mail."""
    from django.db import transaction

    from omskevents.notifications import delivery, dispatch, selectors
    from omskevents.notifications.models import Notification

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    try:
        with transaction.atomic():
            dispatch.outbox_scan(now=moment)
            ids = list(
                Notification.objects.filter(state="queued", next_attempt_at__lte=moment).values_list("pk", flat=True)
            )
            for row in selectors.rows_for_delivery(ids):
                if delivery._stale_reason(row, None):  # type: ignore[attr-defined]  # the older code's name
                    continue
                counts[_role(row.recipient)]["mails"] += 1
                counts[_role(row.recipient)][f"person:{row.recipient_key}"] = 1
            raise _Rollback
    except _Rollback:
        pass
    return counts


def _after(moment: dt.datetime) -> dict[str, Counter[str]]:
    from omskevents.notifications import preview

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in preview.morning_preview(moment=moment).lines:
        role = _role(line.user)
        counts[role]["mails"] += line.mails
        counts[role]["notices"] += sum(line.kinds.values()) + line.app_only
        if line.mails:
            counts[role][f"person:{line.key}"] = 1
    return counts


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omskevents.settings.local")
    import django

    django.setup()
    day, moment = _morning()
    try:
        import omskevents.notifications.preview  # noqa: F401

        counts, code = _after(moment), "gathered (this checkout)"
    except ImportError:
        counts, code = _before(moment), "one mail per row (older checkout)"
    print(f"morning of {day} ({moment:%Y-%m-%d %H:%M} UTC), {code}")
    print(f"{'role':<18}{'recipients':>12}{'mails':>8}")
    for role in ("secretariat", "agency heads", "staff", "kz-secretariat", "agency addresses", "other"):
        c = counts.get(role, Counter())
        people = sum(1 for key in c if key.startswith("person:"))
        print(f"{role:<18}{people:>12}{c['mails']:>8}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
