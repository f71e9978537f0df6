from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "omskevents.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Receivers for Django's and django-axes' login signals (the security log).
        from . import audit, checks, sessions  # noqa: F401
