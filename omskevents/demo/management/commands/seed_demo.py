"""Load the demo data (idempotent) and print the demo accounts; --tasks N adds N generated tasks for benchmarks."""

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from omskevents.demo.data_agencies import DEMO_PASSWORD
from omskevents.demo.second_factor import demo_totp_secret
from omskevents.demo.seed import demo_accounts, demo_overview, demo_seed
from omskevents.demo.volumes import demo_tasks_generate


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value}) from error


class Command(BaseCommand):
    help = "Load the demo events, agencies, people, committee and action plan; print the demo accounts."
    # The system checks would warn of the empty working calendar that this very command is about to seed: a
    # newcomer's first `make run` must not show a warning that is already being taken care of.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--forum-date",
            type=_date,
            default=None,
            help="First day of the Forum (YYYY-MM-DD); by default six weeks from today. Used when the Forum is "
            "created; an existing Forum keeps its dates.",
        )
        parser.add_argument(
            "--tasks",
            type=int,
            default=0,
            help="Also add this many generated tasks (numbered G-000001…) for benchmarks.",
        )

    def handle(self, *args: Any, forum_date: dt.date | None, tasks: int, **options: Any) -> None:
        if tasks < 0:
            raise CommandError(_("--tasks must be zero or a positive number."))
        report = demo_seed(forum_date=forum_date)
        created = ", ".join(f"{kind}: {count}" for kind, count in report.created.items() if count)
        self.stdout.write(
            _("Demo data: created %(what)s.") % {"what": created} if created else _("Demo data: up to date.")
        )
        for notice in report.notices:
            self.stdout.write(self.style.WARNING(notice))
        if tasks:
            started = time.perf_counter()
            demo_tasks_generate(count=tasks)
            elapsed = time.perf_counter() - started
            self.stdout.write(_("Generated %(count)d tasks in %(seconds).1f s.") % {"count": tasks, "seconds": elapsed})
        figures = ", ".join(f"{name}: {value}" for name, value in demo_overview().items())
        self.stdout.write(_("Tasks now: %(figures)s.") % {"figures": figures})
        self._print_accounts()

    def _print_accounts(self) -> None:
        rows = [(_("username"), _("role"), _("agency"), _("time zone"), _("password"))]
        rows += [(*row, DEMO_PASSWORD) for row in demo_accounts()]
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Demo accounts (log in at /accounts/login/ or /admin/):")))
        for index, row in enumerate(rows):
            line = "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(self.style.SUCCESS(line) if index == 0 else line)
        self.stdout.write("")
        self.stdout.write(
            _(
                "Second factor (demo only): add the secret %(secret)s to an authenticator app, or run "
                "`python manage.py demo_totp` for the current code."
            )
            % {"secret": demo_totp_secret()}
        )
