"""Remove delegates' personal data after their event (the scheduled job does the same daily); --dry-run counts."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from omskevents.events.services import delegates_purge


class Command(BaseCommand):
    help = "Remove the personal data of delegates of events that ended DELEGATE_DATA_RETENTION_DAYS days ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be removed.")
        parser.add_argument("--days", type=int, default=None, help="Days after the event's end (default: the setting).")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.DELEGATE_DATA_RETENTION_DAYS
        if days < 0:
            self.stderr.write("--days must not be negative.")
            raise SystemExit(2)
        result = delegates_purge(today=timezone.localdate(), retention_days=days, dry_run=options["dry_run"])
        verb = "would remove" if result.dry_run else "removed"
        for title, count in result.by_event.items():
            self.stdout.write(f"{title}: {verb} {count}")
        self.stdout.write(f"Total: {verb} {result.total} delegates (events ended more than {days} days ago).")
