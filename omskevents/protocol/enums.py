"""Choices for the commission session's protocol."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed by both sides")
    STRUCK = "struck", _("Struck")
