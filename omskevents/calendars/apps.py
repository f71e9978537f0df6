from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "omskevents.calendars"
    verbose_name = _("Working calendar")

    def ready(self) -> None:
        from .checks import check_calendar_years

        checks.register(check_calendar_years)
