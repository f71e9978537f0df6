from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API for the agencies' own systems and the personal tokens it is used with; the highest app."""

    name = "omskevents.api"
    label = "api"
    verbose_name = _("API")
