"""`reminders scan [--at ISO-8601] [--sync]`, `reminders status`."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from omskevents.notifications import dispatch, selectors
from omskevents.notifications.enums import State


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at: not an ISO-8601 date and time: {value!r}") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "The reminder outbox: create and dispatch what is due, or show counts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        scan = sub.add_parser("scan", help="Create the rows due at a moment and hand them to the worker.")
        scan.add_argument("--at", help="ISO-8601 moment (default: now); naive means the server's time zone.")
        scan.add_argument("--sync", action="store_true", help="Deliver in this process instead of via the worker.")
        sub.add_parser(
            "status",
            help="One line per state: `state: count`; then how many rows were ever flagged possibly sent.",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "scan":
            at = _moment(options["at"]) if options.get("at") else None
            result = dispatch.outbox_scan(now=at, sync=options["sync"])
            self.stdout.write(
                f"created: {result.created}\ndispatched: {result.dispatched}\nreturned: {result.returned}\n"
                f"tasks planned: {result.tasks_planned} ({'every candidate' if result.full else 'written since'})"
            )
        elif action == "status":
            counts = selectors.outbox_counts()
            for state in State.values:
                note = " (possibly sent: the sender stopped between the SMTP server's answer and its record)"
                self.stdout.write(f"{state}: {counts.get(state, 0)}" + (note if state == State.UNCERTAIN else ""))
            self.stdout.write(f"flagged possibly sent, ever: {selectors.outbox_flagged_count()}")
