"""Print the current second-factor code of the demo accounts (their shared, public, demo-only secret)."""

from typing import Any

from django.core.management.base import BaseCommand

from omskevents.demo.second_factor import demo_totp_code


class Command(BaseCommand):
    help = "Print the code that the demo accounts' authenticator shows now (valid about 30 seconds)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_totp_code())
