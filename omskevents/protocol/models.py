"""The protocol of a commission session: sections by area, items proposed by one side and agreed by both or struck.

The protocol app stands above workplan: an item that asks for action becomes a task, and the item holds the link.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from omskevents.agencies.models import Agency
from omskevents.core.models import TimeStampedModel
from omskevents.core.validators import validate_plausible_date
from omskevents.events.enums import Area

from .enums import ItemState


class Protocol(TimeStampedModel):
    event = models.OneToOneField(
        "events.Event", verbose_name=_("commission session"), on_delete=models.PROTECT, related_name="protocol"
    )
    place = models.CharField(_("place"), max_length=255)
    date = models.DateField(_("date of signing"), validators=[validate_plausible_date])
    ru_co_chair = models.CharField(
        _("co-chair of the Russian part"), max_length=500, help_text=_("Position and name, as signed.")
    )
    kz_co_chair = models.CharField(
        _("co-chair of the Kazakh part"), max_length=500, help_text=_("Position and name, as signed.")
    )

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["-date"]

    def __str__(self) -> str:
        return str(_("Protocol of %(event)s") % {"event": self.event})

    def get_absolute_url(self) -> str:
        return reverse("protocol:detail", args=[self.pk])


class ProtocolSection(TimeStampedModel):
    protocol = models.ForeignKey(
        Protocol, verbose_name=_("protocol"), on_delete=models.CASCADE, related_name="sections"
    )
    number = models.PositiveSmallIntegerField(_("section No."))
    title = models.CharField(_("title"), max_length=500)
    area = models.CharField(
        _("area"), max_length=30, choices=Area.choices, help_text=_("The area of the tasks made from its items.")
    )

    class Meta:
        verbose_name = _("protocol section")
        verbose_name_plural = _("protocol sections")
        ordering = ["protocol", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "number"],
                name="protocol_section_unique_number",
                violation_error_message=_("The protocol already has a section with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProtocolItem(TimeStampedModel):
    section = models.ForeignKey(
        ProtocolSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("item No."))
    text_ru = models.TextField(_("text (Russian)"))
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    proposer = models.ForeignKey(
        Agency, verbose_name=_("proposing agency"), on_delete=models.PROTECT, related_name="proposed_protocol_items"
    )
    counterpart = models.ForeignKey(
        Agency,
        verbose_name=_("counterpart agency"),
        on_delete=models.PROTECT,
        related_name="counterpart_protocol_items",
        null=True,
        blank=True,
        help_text=_("The agency of the other side that answers for the item with the proposer."),
    )
    asks_action = models.BooleanField(
        _("asks for action"),
        default=False,
        help_text=_("After the session it becomes a task of the proposer, paired with one of the counterpart."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True, validators=[validate_plausible_date])
    state = models.CharField(_("state"), max_length=20, choices=ItemState.choices, default=ItemState.PROPOSED)
    # Each side's agreement is recorded on its own; the item is agreed when both are.
    agreed_ru_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed for the Russian side by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agreed_kz_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agreed for the Kazakh side by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    struck_note = models.CharField(_("why struck"), max_length=500, blank=True)
    task = models.OneToOneField(
        "workplan.Task",
        verbose_name=_("task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="protocol_item",
    )
    # The counterpart agency's own task, paired with the proposer's (workplan's paired tasks).
    counterpart_task = models.OneToOneField(
        "workplan.Task",
        verbose_name=_("counterpart's task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="protocol_item_as_counterpart",
    )

    class Meta:
        verbose_name = _("protocol item")
        verbose_name_plural = _("protocol items")
        ordering = ["section__number", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "number"],
                name="protocol_item_unique_number",
                violation_error_message=_("The section already has an item with this number."),
            ),
            models.CheckConstraint(
                condition=~models.Q(proposer=models.F("counterpart")),
                name="protocol_item_counterpart_not_proposer",
                violation_error_message=_("The counterpart must be an agency of the other side."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section.number}.{self.number}"

    def clean(self) -> None:
        super().clean()
        counterpart = self.counterpart if self.counterpart_id else None
        if counterpart is not None and self.proposer_id and counterpart.country == self.proposer.country:
            raise ValidationError({"counterpart": _("The counterpart must be an agency of the other side.")})
        if self.asks_action and self.deadline is None:
            raise ValidationError({"deadline": _("An item that asks for action needs a deadline.")})
