"""Choices for the outbox: what a message is about and where it is in its delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ASSIGNMENT = "assignment", _("Assignment notice")
    DEADLINE = "deadline", _("Deadline reminder")
    OVERDUE = "overdue", _("Overdue reminder")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    REPORT_ACCEPTED = "report_accepted", _("Report accepted")
    REPORT_RETURNED = "report_returned", _("Report returned")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_DECIDED = "extension_decided", _("Extension decided")
    DIGEST = "digest", _("Personal digest")
    AGENCY_DIGEST = "agency_digest", _("Agency digest")
    READINESS = "readiness", _("Weekly readiness summary")
    MEETING_INVITATION = "meeting_invitation", _("Meeting invitation")
    MEETING_REMINDER = "meeting_reminder", _("Meeting reminder")
    MEETING_UPDATE = "meeting_update", _("Meeting update")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    AGREEMENT_DEADLINE = "agreement_deadline", _("Agreement stage reminder")


REMINDER_KINDS = (Kind.DEADLINE, Kind.OVERDUE, Kind.AGREEMENT_DEADLINE)
STATUS_KINDS = (
    Kind.REPORT_SUBMITTED,
    Kind.REPORT_ACCEPTED,
    Kind.REPORT_RETURNED,
    Kind.EXTENSION_REQUESTED,
    Kind.EXTENSION_DECIDED,
)
DIGEST_KINDS = (Kind.DIGEST, Kind.AGENCY_DIGEST, Kind.READINESS)
MEETING_KINDS = (Kind.MEETING_INVITATION, Kind.MEETING_REMINDER, Kind.MEETING_UPDATE, Kind.MEETING_CANCELLED)


class State(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Each reminder as it comes")
    DAILY = "daily", _("One digest per working day")
    WEEKLY = "weekly", _("One digest per week")
