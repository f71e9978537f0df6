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
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Report awaiting acceptance")


REMINDER_KINDS = (Kind.DEADLINE, Kind.OVERDUE, Kind.AGREEMENT_DEADLINE, Kind.AWAITING_ACCEPTANCE)
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
    # Listed in another row's mail (gathered_into): that row's fate is this one's.
    GATHERED = "gathered", _("Gathered into one mail")
    # Held by the secretariat for a day (MailHold): kept, and queued again when the hold ends.
    HELD = "held", _("On hold")


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


class Channel(models.TextChoices):
    """How a person takes one group of notices: each is an item of their inbox in the app in any case."""

    MAIL = "mail", _("Mail at once")
    DIGEST = "digest", _("In the daily digest")
    APP = "app", _("In the app only")


# The groups a person chooses a channel for, with the preference field that keeps the choice.
CHANNEL_GROUPS: dict[str, tuple[str, ...]] = {
    "assignments_mode": (Kind.ASSIGNMENT,),
    "reminders_mode": REMINDER_KINDS,
    "status_mode": STATUS_KINDS,
    "meetings_mode": MEETING_KINDS,
}

# Kinds whose mails may be gathered into one mail per recipient (meetings carry an iCalendar part each,
# digests are one mail already).
GATHERABLE_KINDS = (Kind.ASSIGNMENT, *REMINDER_KINDS, *STATUS_KINDS)

# What a cancelled task makes moot, besides its reminders.
CANCEL_MAKES_MOOT = (
    Kind.ASSIGNMENT,
    Kind.REPORT_SUBMITTED,
    Kind.AWAITING_ACCEPTANCE,
    Kind.EXTENSION_REQUESTED,
    Kind.EXTENSION_DECIDED,
    Kind.PAIR_MISMATCH,
)

# last_error of rows cancelled because the reason for the notice had gone by the sending moment.
REASON_GONE_PREFIX = "Reason gone: "
