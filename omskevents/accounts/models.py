"""The custom user: an agency, a position, a time zone and a language for every person; their absences."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.models import Device, ThrottlingMixin

from omskevents.core.models import TimeStampedModel
from omskevents.core.validators import validate_plausible_date, validate_time_zone

from .enums import AbsenceReason, Language, Role


class User(AbstractUser):  # type: ignore[django-manager-missing]  # SecurityKey.user comes from django-otp's Device
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENCY_STAFF)
    position = models.CharField(_("position"), max_length=255, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Omsk",
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Moscow, Asia/Omsk, Asia/Almaty."),
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.RU)
    # Set when the person signs out everywhere or is deactivated: every one-click mail link sent before stops
    # working (the links carry a keyed digest of this stamp and of the password hash).
    links_revoked_at = models.DateTimeField(_("mail links revoked"), null=True, blank=True, editable=False)
    # What the interface remembers for this person across sessions and devices (the action plan's filters and
    # whether the filter panel is open): small keys named by the app that writes them, never shown in forms.
    ui_state = models.JSONField(_("remembered views"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["secretariat", "kz_secretariat"]) | models.Q(agency__isnull=False),
                name="user_agency_role_needs_agency",
                violation_error_message=_("Agency staff and heads must belong to an agency."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p).strip()

    @property
    def short_name(self) -> str:
        """ "Иванов И.И.": the surname and initials, as official letters name people (the username if no surname)."""
        if not self.last_name:
            return str(self)
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}".strip()

    @property
    def is_secretariat(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.SECRETARIAT)

    @property
    def is_kz_secretariat(self) -> bool:
        """The Kazakh side's secretariat: a side of the plan, never the whole (a superuser is the Omsk one)."""
        return self.is_active and not self.is_superuser and self.role == Role.KZ_SECRETARIAT

    @property
    def is_agency_head(self) -> bool:
        return self.is_active and self.role == Role.AGENCY_HEAD


class CalendarFeedToken(models.Model):
    """The secret in a person's calendar feed address; regenerating it replaces the key, revoking deletes it."""

    user = models.OneToOneField(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    key = models.CharField(_("key"), max_length=64, unique=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return str(self.user)


class UserSession(models.Model):
    """A signed-in session of a person, shown on their sessions page: where, on what, and when last seen.

    Written at login (a receiver of user_logged_in), touched at most once a minute by SessionActivityMiddleware,
    removed at logout and when the session is ended from the page or the admin.
    """

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"))
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["user", "created"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.ip or '-'}"


class AppendOnlyError(Exception):
    """The security log is never changed nor deleted through the ORM (only the retention purge removes rows)."""


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("security events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("security events are append-only")


class SecurityEvent(models.Model):
    """One security event (a login, a failure, a lockout, a second-factor change, a reset, a permission change,
    an export of personal data), in UTC, with the client's real address. Append-only: the ORM refuses updates
    and deletes, and on PostgreSQL a trigger refuses them too, save for the retention purge."""

    at = models.DateTimeField(_("time (UTC)"), default=timezone.now, db_index=True, editable=False)
    event = models.CharField(_("event"), max_length=50, db_index=True, editable=False)
    username = models.CharField(_("user"), max_length=150, blank=True, editable=False)
    agency = models.CharField(_("agency"), max_length=255, blank=True, editable=False)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True, editable=False)
    details = models.JSONField(_("details"), default=dict, blank=True, editable=False)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.event} {self.username}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("security events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("security events are append-only")


class SecurityKey(ThrottlingMixin, Device):
    """A WebAuthn security key (FIDO2, e.g. a USB key): a second factor beside the authenticator app.

    A django-otp device, so a session verified with it counts as verified everywhere (OTPMiddleware, the
    admin). It has no token: `omskevents.accounts.security_keys` checks the signed assertion; the throttle
    (ThrottlingMixin) slows repeated failures as it does for codes.
    """

    credential_id = models.CharField(_("credential"), max_length=1400, unique=True, editable=False)  # base64url
    public_key = models.BinaryField(_("public key"), editable=False)
    sign_count = models.PositiveBigIntegerField(_("signature counter"), default=0, editable=False)
    transports = models.JSONField(_("transports"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")
        ordering = ["created_at", "pk"]

    def get_throttle_factor(self) -> int:
        return int(settings.OTP_SECURITY_KEY_THROTTLE_FACTOR)


class Absence(TimeStampedModel):
    """A person away (leave, a business trip, sick leave) from `start` to `end`, both days included, and the
    deputy who acts for them meanwhile: their reminders and escalations go to the deputy (notifications.audience).

    A person's absences never overlap and the deputy is never the person (accounts.services.absence_record)."""

    person = models.ForeignKey(
        User, verbose_name=pgettext_lazy("absence", "person"), on_delete=models.CASCADE, related_name="absences"
    )
    start = models.DateField(pgettext_lazy("absence", "from"), validators=[validate_plausible_date])
    end = models.DateField(
        _("until"), help_text=_("The last day of the absence, included."), validators=[validate_plausible_date]
    )
    reason = models.CharField(
        pgettext_lazy("absence", "reason"), max_length=20, choices=AbsenceReason.choices, default=AbsenceReason.LEAVE
    )
    deputy = models.ForeignKey(User, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="deputising_for")
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["end", "start"], name="absence_period")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="absence_end_not_before_start",
                violation_error_message=_("The absence cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(deputy=models.F("person")),
                name="absence_deputy_not_self",
                violation_error_message=_("A person cannot be their own deputy."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end
