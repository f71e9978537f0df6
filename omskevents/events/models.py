"""Events (Forum, commission session), their venues, programme and delegations."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from omskevents.core.models import TimeStampedModel
from omskevents.core.names import NamesInThreeLanguages, localized
from omskevents.core.validators import validate_plausible_date, validate_time_zone

from .enums import (
    Area,
    BadgeStatus,
    DelegateLanguage,
    DelegateRole,
    Direction,
    EventKind,
    EventStatus,
    ProgrammeKind,
    Side,
    Transport,
)


class Venue(NamesInThreeLanguages, TimeStampedModel):
    name = models.CharField(_("name"), max_length=255, unique=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=255, blank=True)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    city = models.CharField(_("city"), max_length=100, default="Омск")
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(NamesInThreeLanguages, TimeStampedModel):
    NAME_FIELD = "title_ru"
    SHORT_NAME_FIELD = "short_title"

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    number = models.CharField(_("number"), max_length=20, help_text=_("XXII for the Forum, 27 for the session."))
    title_ru = models.CharField(_("title (Russian)"), max_length=500)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    short_title = models.CharField(_("short title"), max_length=100)
    short_title_kk = models.CharField(_("short title (Kazakh)"), max_length=100, blank=True)
    short_title_en = models.CharField(_("short title (English)"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, default="Омск")
    host_country = models.CharField(_("host country"), max_length=2, choices=Side.choices, default=Side.RU)
    start_date = models.DateField(_("start date"), validators=[validate_plausible_date])
    end_date = models.DateField(_("end date"), validators=[validate_plausible_date])
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
        """The title in the viewer's language, the Russian one where the translation is missing."""
        return localized(self, "title_ru")

    def get_absolute_url(self) -> str:
        # The event page combines apps, so the overview app serves it (docs/architecture.md).
        return reverse("event_pages:detail", args=[self.pk])


class ProgrammeItem(NamesInThreeLanguages, TimeStampedModel):
    NAME_FIELD = "title"

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="programme")
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    area = models.CharField(_("area"), max_length=30, choices=Area.choices, blank=True)
    title = models.CharField(_("title"), max_length=500)
    title_kk = models.CharField(_("title in Kazakh"), max_length=500, blank=True)
    title_en = models.CharField(_("title in English"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_plausible_date])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_plausible_date])
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
    arrival = models.DateTimeField(_("arrival"), null=True, blank=True, validators=[validate_plausible_date])
    notes = models.TextField(_("notes"), blank=True)
    responsible_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        help_text=_("The agency that receives the delegation; its staff see the delegates' personal data."),
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["event", "side", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:delegation", args=[self.event_id, self.pk])


class Delegate(TimeStampedModel):
    """A member of a delegation: personal data (152-FZ), kept only with consent and removed after the event."""

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="delegates"
    )
    last_name = models.CharField(_("last name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    name_alt = models.CharField(
        _("name in Kazakh or Latin letters"),
        max_length=255,
        blank=True,
        help_text=_("As in the passport: printed on the badge under the Russian name."),
    )
    role = models.CharField(_("role"), max_length=20, choices=DelegateRole.choices, default=DelegateRole.MEMBER)
    precedence = models.PositiveIntegerField(
        _("precedence"), default=100, help_text=_("Protocol order within the delegation: 1 comes first.")
    )
    position = models.CharField(_("position"), max_length=500, blank=True)
    organisation = models.CharField(_("organisation"), max_length=500, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Side.choices)
    language = models.CharField(
        _("language"), max_length=10, choices=DelegateLanguage.choices, default=DelegateLanguage.RU
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    needs_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    accessibility = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    diet = models.CharField(_("diet"), max_length=255, blank=True)
    hotel = models.CharField(_("hotel"), max_length=255, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    local_transport = models.CharField(_("local transport"), max_length=255, blank=True)
    badge_status = models.CharField(_("badge"), max_length=20, choices=BadgeStatus.choices, default=BadgeStatus.NONE)
    consent_at = models.DateTimeField(
        _("consent to personal data processing"),
        null=True,
        blank=True,
        help_text=_("When the person gave written consent (Federal Law No. 152-FZ)."),
    )

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["delegation", "precedence", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"],
                condition=models.Q(role="head"),
                name="delegate_one_head",
                violation_error_message=_("The delegation already has a head."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class Journey(TimeStampedModel):
    """An arrival or a departure: the time is stored in UTC and shown in the zone of the city where it happens."""

    delegate = models.ForeignKey(
        Delegate, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="journeys"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    transport = models.CharField(_("transport"), max_length=10, choices=Transport.choices)
    number = models.CharField(_("flight or train No."), max_length=20, blank=True)
    at = models.DateTimeField(_("date and time"), validators=[validate_plausible_date])
    city = models.CharField(_("city"), max_length=100, default="Омск")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Omsk", validators=[validate_time_zone])
    place = models.CharField(_("station or airport"), max_length=255, blank=True)
    met_by = models.CharField(_("met or seen off by"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("arrival or departure")
        verbose_name_plural = _("arrivals and departures")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["delegate", "direction"], name="journey_one_per_direction"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.delegate}"
