from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDevicesConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpDevicesConfig


class AccountsConfig(AppConfig):
    name = "omskevents.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Receivers for Django's and django-axes' login signals (the security log).
        from . import audit, checks, sessions  # noqa: F401


# The sign-in apps of other projects under names in the reader's language: the admin's index listed them as
# "AXES", "OTP_STATIC" and "OTP_TOTP" (their labels). Only the name differs; settings.INSTALLED_APPS names these.
class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class StaticDevicesAppConfig(StaticDevicesConfig):
    verbose_name = _("Second factor: backup codes")


class TotpDevicesAppConfig(TotpDevicesConfig):
    verbose_name = _("Second factor: authenticator apps")
