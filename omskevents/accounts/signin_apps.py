"""The sign-in apps of other projects (django-axes, django-otp's devices) under names in the reader's language:
the admin's index listed them as "AXES", "OTP_STATIC" and "OTP_TOTP", their labels. Only the name differs from
their own configurations; settings.INSTALLED_APPS names these classes. A module of their own: Django picks an
app's configuration automatically only from an `apps` module holding a single one (accounts.apps)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDevicesConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TotpDevicesConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class StaticDevicesAppConfig(StaticDevicesConfig):
    verbose_name = _("Second factor: backup codes")


class TotpDevicesAppConfig(TotpDevicesConfig):
    verbose_name = _("Second factor: authenticator apps")
