"""Choices for webhooks: what an endpoint may subscribe to, who owns it, where a delivery is."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    TASK_ASSIGNED = "task.assigned", _("Task assigned")
    TASK_STATUS_CHANGED = "task.status_changed", _("Task status changed")
    TASK_DEADLINE_CHANGED = "task.deadline_changed", _("Task deadline changed")
    REPORT_SUBMITTED = "report.submitted", _("Progress report submitted")
    EXTENSION_DECIDED = "extension.decided", _("Extension request decided")
    MEETING_SCHEDULED = "meeting.scheduled", _("Meeting scheduled")
    AGREEMENT_STAGE_CHANGED = "agreement.stage_changed", _("Agreement stage changed")


class Owner(models.TextChoices):
    """Whose endpoint it is: what it receives is what that owner may see (permissions.viewer_of)."""

    AGENCY = "agency", _("Agency")
    SECRETARIAT = "secretariat", _("Committee secretariat")
    KZ_SECRETARIAT = "kz_secretariat", _("Kazakh secretariat")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = (DeliveryState.PENDING, DeliveryState.SENDING)
# A person may send these again from the delivery log (a delivered one too: the receiver de-duplicates by id).
RETRYABLE_STATES = (DeliveryState.FAILED, DeliveryState.CANCELLED, DeliveryState.DELIVERED)
