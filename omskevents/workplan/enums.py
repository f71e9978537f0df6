"""Choices for tasks, reports and extension requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted (removed from control)")
    RETURNED = "returned", _("Returned for rework")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.REPORTED, TaskStatus.RETURNED)
CLOSED_STATUSES = (TaskStatus.ACCEPTED, TaskStatus.CANCELLED)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class TaskSource(models.TextChoices):
    DECISION = "decision", _("Committee meeting decision")
    ACTION_PLAN = "action_plan", _("Preparation action plan")
    ADHOC = "adhoc", _("Ad-hoc instruction")


class DeadlineAnchor(models.TextChoices):
    NONE = "", _("Fixed date")
    EVENT_START = "start", _("Relative to the event's start")
    EVENT_END = "end", _("Relative to the event's end")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
