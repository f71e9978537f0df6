"""The organising committee: members, working groups, meetings, agenda, attendance and decisions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from omskevents.core.models import TimeStampedModel
from omskevents.core.names import NamesInThreeLanguages
from omskevents.core.validators import validate_plausible_date

from .enums import Attendance, MeetingStatus, MemberRole, WorkingGroupKind


class Committee(TimeStampedModel):
    name = models.CharField(_("name"), max_length=500)
    events = models.ManyToManyField("events.Event", verbose_name=_("events"), related_name="committees")

    class Meta:
        verbose_name = _("organising committee")
        verbose_name_plural = _("organising committees")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(TimeStampedModel):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="committee_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="committeemember_unique_user"),
            models.UniqueConstraint(
                fields=["committee"],
                condition=models.Q(role="chair"),
                name="committeemember_one_chair",
                violation_error_message=_("The committee already has a chair."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class WorkingGroup(NamesInThreeLanguages, TimeStampedModel):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="working_groups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=WorkingGroupKind.choices)
    name = models.CharField(_("name"), max_length=255)
    name_kk = models.CharField(_("name in Kazakh"), max_length=255, blank=True)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_working_groups",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="working_groups"
    )

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["committee", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "kind"], name="workinggroup_unique_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(TimeStampedModel):
    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveIntegerField(_("number"))
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text=_("The event the meeting prepares."),
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_plausible_date])
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True, validators=[validate_plausible_date])
    place = models.CharField(_("place"), max_length=500, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chaired by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_meetings",
    )
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Raised on every change sent to invitees.")
    )
    cancelled_at = models.DateTimeField(
        _("cancelled at"), null=True, blank=True, help_text=_("A cancellation can be undone for a few minutes.")
    )

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="meeting_unique_number"),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("starts_at")),
                name="meeting_end_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=~models.Q(place="", video_link=""),
                name="meeting_place_or_link",
                violation_error_message=_("Give a place or a video link."),
            ),
        ]

    def __str__(self) -> str:
        return _("Meeting No. %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("committee:meeting_detail", args=[self.pk])


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("item"), max_length=1000)
    speaker = models.CharField(_("speaker"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="agendaitem_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class MeetingAttendance(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="meeting_attendance"
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.INVITED)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique_person")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"


class Decision(TimeStampedModel):
    """A numbered decision of a meeting; with a lead agency and a deadline it becomes a task."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions")
    number = models.CharField(_("number"), max_length=20)
    text = models.TextField(_("text"))
    lead_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("lead executor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    co_executors = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("co-executors"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True, validators=[validate_plausible_date])

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_unique_number")]

    def __str__(self) -> str:
        return _("Decision %(number)s") % {"number": self.number}
