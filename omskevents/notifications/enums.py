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
    PAIR_MISMATCH = "pair_mismatch", _("Paired tasks out of step")
    AGREEMENT_DEADLINE = "agreement_deadline", _("Agreement stage reminder")
    DISCIPLINE_REPORT = "discipline_report", _("Weekly discipline report")


REMINDER_KINDS = (Kind.DEADLINE, Kind.OVERDUE, Kind.AGREEMENT_DEADLINE)
STATUS_KINDS = (
    Kind.REPORT_SUBMITTED,
    Kind.REPORT_ACCEPTED,
    Kind.REPORT_RETURNED,
    Kind.EXTENSION_REQUESTED,
    Kind.EXTENSION_DECIDED,
    Kind.PAIR_MISMATCH,
)
DIGEST_KINDS = (Kind.DIGEST, Kind.AGENCY_DIGEST, Kind.READINESS, Kind.DISCIPLINE_REPORT)
# Mails sent in bulk by the scan (digests, summaries, the discipline report, reminders): each carries a one-click
# unsubscribe (RFC 8058) that switches off its own kind for its recipient (links.unsubscribe_url).
BULK_KINDS = (*DIGEST_KINDS, *REMINDER_KINDS, Kind.MEETING_REMINDER)
# Notices that ask the reader to act: while they are away these go to their deputy (audience.route_to_deputies).
DEPUTY_KINDS = (*REMINDER_KINDS, Kind.REPORT_SUBMITTED, Kind.EXTENSION_REQUESTED)
MEETING_KINDS = (Kind.MEETING_INVITATION, Kind.MEETING_REMINDER, Kind.MEETING_UPDATE, Kind.MEETING_CANCELLED)

# A "possibly sent" row of these kinds is sent again (same Message-ID: mail clients show one message) once
# the grace period has passed: a missing assignment or meeting notice costs more than a repeated one.
# Reminders and digests are not: a new one comes with the next occasion anyway. They wait for a person.
RESEND_WHEN_UNCERTAIN = (
    Kind.ASSIGNMENT,
    *STATUS_KINDS,
    Kind.MEETING_INVITATION,
    Kind.MEETING_UPDATE,
    Kind.MEETING_CANCELLED,
)

# last_error of a row cancelled by hand: such a row is never revived by the scan.
CANCELLED_BY_HAND = "Cancelled by hand."


class State(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    # The sender stopped after handing the mail to the SMTP server and before recording the answer.
    UNCERTAIN = "uncertain", _("Possibly sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Each reminder as it comes")
    DAILY = "daily", _("One digest per working day")
    WEEKLY = "weekly", _("One digest per week")


class Weekday(models.IntegerChoices):
    """ISO day numbers of the working week (the discipline report goes on one of them)."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
