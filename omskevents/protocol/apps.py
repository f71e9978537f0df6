from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolConfig(AppConfig):
    name = "omskevents.protocol"
    verbose_name = _("Commission protocol")
