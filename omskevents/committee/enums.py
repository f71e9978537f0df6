"""Choices for the organising committee."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class WorkingGroupKind(models.TextChoices):
    PROGRAMME = "programme", _("Programme")
    LOGISTICS = "logistics", _("Logistics and transport")
    PROTOCOL = "protocol", _("Protocol")
    SECURITY = "security", _("Security")
    MEDIA = "media", _("Media")
    ACCOMMODATION = "accommodation", _("Accommodation")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    REMOTE = "remote", _("Present by video")
    ABSENT = "absent", _("Absent")
