from django.apps import AppConfig
from django.core.checks import register
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "omskevents.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # The trusted-proxy checks register themselves when the module is imported; the time zone check is
        # registered here so that tests can call it with a zone loader of their own.
        from .cache import connect_watched_models
        from .checks import check_time_zone_database

        connect_watched_models()
        register(check_time_zone_database)
