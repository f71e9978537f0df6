"""Choices for agencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    RU = "RU", _("Russia")
    KZ = "KZ", _("Kazakhstan")
    OTHER = "XX", _("Other")


class Level(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    REGIONAL = "regional", _("Regional")
    MUNICIPAL = "municipal", _("Municipal")
    FOREIGN = "foreign", _("Foreign")
    BUSINESS = "business", _("Business")
