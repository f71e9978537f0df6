"""Choices for user accounts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Committee secretariat")
    # The partner side's secretariat: steers the Kazakh agencies' part of the plan (workplan.permissions).
    KZ_SECRETARIAT = "kz_secretariat", _("Kazakh secretariat")
    AGENCY_HEAD = "agency_head", _("Agency head")
    AGENCY_STAFF = "agency_staff", _("Agency staff")


class Language(models.TextChoices):
    RU = "ru", _("Russian")
    EN = "en", _("English")
    KK = "kk", _("Kazakh")


COMMON_TIME_ZONES = [
    ("Asia/Omsk", _("Omsk (UTC+6)")),
    ("Europe/Moscow", _("Moscow (UTC+3)")),
    ("Asia/Almaty", _("Kazakhstan (UTC+5)")),
    ("Asia/Novosibirsk", _("Novosibirsk (UTC+7)")),
    ("Asia/Yekaterinburg", _("Yekaterinburg (UTC+5)")),
    ("UTC", _("UTC")),
]


class AbsenceReason(models.TextChoices):
    LEAVE = "leave", _("Leave")
    BUSINESS_TRIP = "business_trip", _("Business trip")
    SICK_LEAVE = "sick_leave", _("Sick leave")
    OTHER = "other", _("Other")
