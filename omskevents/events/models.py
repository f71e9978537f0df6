"""Events (Forum, commission session), their venues, programme and delegations."""

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from omskevents.core.models import TimeStampedModel
from omskevents.core.validators import validate_time_zone

from .enums import Area, EventKind, EventStatus, ProgrammeKind, Side


class Venue(TimeStampedModel):
    name = models.CharField(_("name"), max_length=255, unique=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    city = models.CharField(_("city"), max_length=100, default="Омск")
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    number = models.CharField(_("number"), max_length=20, help_text=_("XXII for the Forum, 27 for the session."))
    title_ru = models.CharField(_("title (Russian)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    short_title = models.CharField(_("short title"), max_length=100)
    city = models.CharField(_("city"), max_length=100, default="Омск")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Omsk", validators=[validate_time_zone])
    status = models.CharField(_("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PREPARING)
    description = models.TextField(_("description"), blank=True)
    venues = models.ManyToManyField(Venue, verbose_name=_("venues"), blank=True, related_name="events")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="event_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["kind", "number"],
                name="event_unique_kind_number",
                violation_error_message=_("An event of this kind with this number already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_title

    @property
    def title(self) -> str:
        # Only English readers get the English title: Russian is the working language of both sides,
        # so a Kazakh interface shows the Russian one.
        if (get_language() or "ru").startswith("en") and self.title_en:
            return self.title_en
        return self.title_ru

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.pk])


class ProgrammeItem(TimeStampedModel):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="programme")
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    area = models.CharField(_("area"), max_length=30, choices=Area.choices, blank=True)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, null=True, blank=True, related_name="programme_items"
    )
    moderator = models.CharField(_("moderator"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["starts_at", "venue__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="programmeitem_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Delegation(TimeStampedModel):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="delegations")
    side = models.CharField(_("side"), max_length=2, choices=Side.choices)
    name = models.CharField(_("name"), max_length=255)
    head = models.CharField(_("head of delegation"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("number of participants"), default=0)
    arrival = models.DateTimeField(_("arrival"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["event", "side", "name"]

    def __str__(self) -> str:
        return self.name
