"""Agencies: ministries, departments, akimats and companies that execute tasks."""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from omskevents.core.models import TimeStampedModel
from omskevents.core.names import NamesInThreeLanguages
from omskevents.core.validators import validate_time_zone

from .enums import Country, Level

MOSCOW = "Europe/Moscow"
OMSK = "Asia/Omsk"
ALMATY = "Asia/Almaty"


def default_time_zone(country: str, level: str) -> str:
    """Where an agency of this country and level usually sits: Kazakh ones in Almaty's zone (all of
    Kazakhstan since March 2024), federal ministries in Moscow, the rest — Omsk oblast's — in Omsk."""
    if country == Country.KZ:
        return ALMATY
    if country == Country.RU and level == Level.FEDERAL:
        return MOSCOW
    return OMSK


class Agency(NamesInThreeLanguages, TimeStampedModel):
    SHORT_NAME_FIELD = "short_name"

    name = models.CharField(_("name"), max_length=500)
    name_kk = models.CharField(_("name in Kazakh"), max_length=500, blank=True)
    name_en = models.CharField(_("name in English"), max_length=500, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, unique=True)
    short_name_kk = models.CharField(_("short name in Kazakh"), max_length=100, blank=True)
    short_name_en = models.CharField(_("short name in English"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default=Country.RU)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_agencies",
    )
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_(
            "IANA name: mail to the contact address goes out at the sending hour of this zone. "
            "Left empty, it is Europe/Moscow for federal agencies, Asia/Almaty for Kazakh ones, Asia/Omsk otherwise."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(verbose_name=_("historical agency"))

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="agency_not_own_parent",
                violation_error_message=_("An agency cannot be its own parent."),
            ),
            models.CheckConstraint(condition=~models.Q(time_zone=""), name="agency_time_zone_set"),
        ]

    def __str__(self) -> str:
        return self.short_name

    # The zone left empty takes a default that depends on the row's own country and level: in clean(), so
    # that a form sees the value its constraint checks, and in save(), so that every way an agency comes
    # into being (the admin, seed_demo, the fault run, factories) stores a zone, never an empty one.
    def clean(self) -> None:
        super().clean()
        if not self.time_zone:
            self.time_zone = default_time_zone(self.country, self.level)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.time_zone:
            self.time_zone = default_time_zone(self.country, self.level)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "time_zone"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("agencies:detail", args=[self.pk])
