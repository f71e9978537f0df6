"""The outgoing mail queue (outbox), reminder rules, preferences."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from omskevents.core.models import TimeStampedModel

from .enums import REASON_GONE_PREFIX, Channel, Delivery, Kind, State, Weekday


def parse_offsets(value: str) -> list[int]:
    """'7, 3, 1' -> [7, 3, 1]: distinct positive numbers of working days, largest first."""
    try:
        numbers = sorted({int(part) for part in value.replace(";", ",").split(",") if part.strip()}, reverse=True)
    except ValueError:
        raise ValidationError(_("Give whole numbers of working days separated by commas, e.g. 7, 3, 1.")) from None
    if any(n < 1 or n > 60 for n in numbers):
        raise ValidationError(_("Each offset must be between 1 and 60 working days."))
    return numbers


def validate_offsets(value: str) -> None:
    parse_offsets(value)


class ReminderSettings(TimeStampedModel):
    """The secretariat's reminder rules: one row, edited in the admin."""

    deadline_offsets = models.CharField(
        _("reminders before the deadline, working days"),
        max_length=100,
        default="7, 3, 1",
        validators=[validate_offsets],
        help_text=_("Comma-separated, e.g. 7, 3, 1."),
    )
    remind_on_due_day = models.BooleanField(_("remind on the due day"), default=True)
    overdue_head_from_day = models.PositiveSmallIntegerField(
        _("overdue: copy the lead agency's head from working day"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    overdue_committee_from_day = models.PositiveSmallIntegerField(
        _("overdue: copy the committee secretary and the controller from working day"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    send_hour = models.PositiveSmallIntegerField(
        _("sending hour, recipient's local time"), default=9, validators=[MaxValueValidator(23)]
    )
    link_max_age_days = models.PositiveSmallIntegerField(
        _("one-click links are valid for, days"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    discipline_weekday = models.PositiveSmallIntegerField(
        _("discipline report: day of the week"),
        choices=Weekday.choices,
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "The weekly discipline report (Excel) goes to the chair and the secretariats on this day, or on the "
            "next working day of the week when it is a holiday. Empty: not sent."
        ),
    )

    class Meta:
        verbose_name = _("reminder rules")
        verbose_name_plural = _("reminder rules")

    def __str__(self) -> str:
        return str(_("Reminder rules"))

    @property
    def offsets(self) -> list[int]:
        return parse_offsets(self.deadline_offsets)


class NotificationPreference(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    assignments_mode = models.CharField(
        _("assignment notices"), max_length=10, choices=Channel.choices, default=Channel.MAIL
    )
    reminders_mode = models.CharField(
        _("deadline and overdue reminders"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.MAIL,
        help_text=_("In the daily digest: one mail in the morning lists your open tasks instead of single reminders."),
    )
    status_mode = models.CharField(
        _("reports and extensions"), max_length=10, choices=Channel.choices, default=Channel.MAIL
    )
    meetings_mode = models.CharField(
        _("meeting invitations"), max_length=10, choices=Channel.choices, default=Channel.MAIL
    )
    digests = models.BooleanField(_("digests and summaries"), default=True)
    delivery = models.CharField(
        _("the digest comes"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATE,
        help_text=_("Weekly: the digest of open tasks comes once a week instead of every working day."),
    )
    language = models.CharField(
        _("language of the mail"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language of your profile."),
    )
    head_copies = models.BooleanField(
        _("copies of my agency's notices (agency heads)"),
        default=False,
        help_text=_("Agency heads receive a copy of assignment and status notices of their agency's tasks."),
    )
    muted_kinds = models.JSONField(
        _("mails switched off one by one"),
        default=list,
        blank=True,
        help_text=_("Kinds of mail switched off with the unsubscribe link of a mail."),
    )

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")
        ordering = ["user"]

    def __str__(self) -> str:
        return str(self.user)


class Notification(TimeStampedModel):
    """One message to one recipient on one occasion; the unique key makes a duplicate impossible."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    item_key = models.CharField(_("item"), max_length=50, help_text=_("task:12, meeting:3, user:5 …"))
    recipient_key = models.CharField(_("recipient key"), max_length=50)
    occasion = models.CharField(_("occasion"), max_length=100)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("The recipient's agency, or the agency whose contact address receives the mail."),
    )
    task = models.ForeignKey(
        "workplan.Task",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    meeting = models.ForeignKey(
        "committee.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        db_index=False,  # notification_meeting: most rows name no meeting
    )
    deadline = models.DateField(_("deadline version"), null=True, blank=True)
    context = models.JSONField(_("details"), default=dict, blank=True)
    to_email = models.EmailField(_("address"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    scheduled_for = models.DateTimeField(_("scheduled for"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    dispatched_at = models.DateTimeField(_("handed to the worker"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    send_started_at = models.DateTimeField(
        _("handed to the SMTP server"),
        null=True,
        blank=True,
        help_text=_("Set just before this attempt's mail goes to the SMTP server; cleared by each new claim."),
    )
    possibly_sent_at = models.DateTimeField(
        _("possibly sent"),
        null=True,
        blank=True,
        help_text=_("When the sender was found gone between handing the mail over and recording the answer."),
    )
    first_failure_at = models.DateTimeField(_("first temporary failure"), null=True, blank=True)
    last_smtp_code = models.PositiveSmallIntegerField(_("last SMTP code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    gathered_into = models.ForeignKey(
        "self",
        verbose_name=_("gathered into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gathered",
        help_text=_("The row whose mail lists this one."),
        db_index=False,  # notification_gathered_into: set on gathered rows only
    )

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["-scheduled_for", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "item_key", "recipient_key", "occasion"], name="notification_unique_occasion"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["state", "lease_until"], name="notification_lease"),
            # Partial: the scan inserts thousands of rows at once, and an index of NULLs costs each insert.
            models.Index(fields=["meeting"], condition=models.Q(meeting__isnull=False), name="notification_meeting"),
            models.Index(
                fields=["gathered_into"],
                condition=models.Q(gathered_into__isnull=False),
                name="notification_gathered_into",
            ),
            # A person's queued rows (the siblings a delivery claims with its batch, the open gathering window):
            # without it each delivery read the whole outbox, which only grows.
            models.Index(
                fields=["recipient_key", "next_attempt_at"],
                condition=models.Q(state="queued"),
                name="notification_queued_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_email or self.recipient_key}"

    @property
    def is_moot(self) -> bool:
        """Cancelled because what it asked for is done or moot (a report decided, a task reassigned or cancelled):
        it asks nothing of its reader any more."""
        return self.state == State.CANCELLED and self.last_error.startswith(REASON_GONE_PREFIX)


class UsedActionLink(models.Model):
    """A one-click link from a mail that has done its work: each link records one report or one request, once.

    The unique nonce makes a second use impossible, concurrent ones included (the second insert waits for the
    first transaction and then fails). Rows need not outlive the links' validity (ReminderSettings)."""

    nonce = models.CharField(_("link"), max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey("workplan.Task", verbose_name=_("task"), on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=10)
    used_at = models.DateTimeField(_("used"), auto_now_add=True)

    class Meta:
        verbose_name = _("used mail link")
        verbose_name_plural = _("used mail links")

    def __str__(self) -> str:
        return self.nonce


class InboxItem(models.Model):
    """One notice in a person's inbox in the app: written with its outbox row, in the same transaction.

    A row has the item of its recipient and, when a deputy acts for someone away, one of the absent person too
    (their inbox keeps filling while the mail goes to the deputy). One item per row and person."""

    # No index of their own: the unique (notification, user) and inbox_user_unread (user, read_at) lead with them.
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("outgoing message"),
        on_delete=models.CASCADE,
        related_name="inbox_items",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="inbox_items",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    event = models.ForeignKey(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_user_unread")]
        constraints = [models.UniqueConstraint(fields=["notification", "user"], name="inbox_item_once_per_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user_id}"


class MailHold(models.Model):
    """The secretariat holds one kind of mail, or one person's mail, for a day: the rows wait, kept, and are
    queued again the next day or when the hold is lifted."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("mail hold")
        verbose_name_plural = _("mail holds")
        ordering = ["-day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="") | models.Q(user__isnull=False),
                name="mailhold_kind_or_person",
                violation_error_message=_("Choose either a kind of mail or a person, not both."),
            ),
            # One hold of a kind, and one of a person's mail, per day (a kind hold names no person).
            models.UniqueConstraint(
                fields=["day", "kind"],
                condition=~models.Q(kind=""),
                name="mailhold_one_per_kind_and_day",
                violation_error_message=_("This mail is already held for that day."),
            ),
            models.UniqueConstraint(
                fields=["day", "user"],
                condition=models.Q(kind=""),
                name="mailhold_one_per_person_and_day",
                violation_error_message=_("This mail is already held for that day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {self.get_kind_display() if self.kind else self.user}"


class ScanState(models.Model):
    """What the last reminder scan planned from (one row): the fingerprint of everything the task rules read
    besides the tasks themselves, and when it read the tasks. A scan whose fingerprint is unchanged plans only the
    tasks written since (scan_state.py); any other scan plans every candidate."""

    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    tasks_read_at = models.DateTimeField(_("tasks read at"))
    full_at = models.DateTimeField(_("last scan of every candidate"))

    class Meta:
        verbose_name = _("scan state")
        verbose_name_plural = _("scan state")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} @ {self.tasks_read_at:%Y-%m-%d %H:%M:%S}"
