from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "omskevents.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .cache import connect_watched_models
        from .checks import check_time_zone_database

        connect_watched_models()
        checks.register(check_time_zone_database)
