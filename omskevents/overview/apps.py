from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """Read-only pages that combine several apps; the highest app, so it may read every other one."""

    name = "omskevents.overview"
    verbose_name = _("Overview")
