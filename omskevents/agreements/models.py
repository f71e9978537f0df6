"""Agreements to sign at an event: parties on both sides, language versions with their history, dated stages."""

import datetime as dt
import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from omskevents.core.models import TimeStampedModel
from omskevents.core.names import NamesInThreeLanguages
from omskevents.core.validators import validate_plausible_date

from .enums import CLOSED_STAGES, AgreementKind, Language, Side, Stage


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def open(self) -> "AgreementQuerySet":
        return self.exclude(stage__in=CLOSED_STAGES)

    def overdue(self, today: dt.date) -> "AgreementQuerySet":
        return self.open().filter(next_deadline__lt=today)


class Agreement(NamesInThreeLanguages, TimeStampedModel):
    NAME_FIELD = "title"

    event = models.ForeignKey(
        "events.Event", verbose_name=_("event"), on_delete=models.PROTECT, related_name="agreements"
    )
    number = models.CharField(_("No."), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=1000)
    title_kk = models.CharField(_("title in Kazakh"), max_length=1000, blank=True)
    title_en = models.CharField(_("title in English"), max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PROPOSED)
    ru_parties = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("Russian parties"), blank=True, related_name="agreements_as_ru_party"
    )
    kz_parties = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("Kazakh parties"), blank=True, related_name="agreements_as_kz_party"
    )
    ru_organisations = models.TextField(
        _("other Russian parties"), blank=True, help_text=_("Organisations not in the list of agencies, one a line.")
    )
    kz_organisations = models.TextField(
        _("other Kazakh parties"), blank=True, help_text=_("Organisations not in the list of agencies, one a line.")
    )
    ru_responsible = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("responsible agency, Russian side"),
        on_delete=models.PROTECT,
        related_name="agreements_responsible_ru",
    )
    kz_responsible = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("responsible agency, Kazakh side"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements_responsible_kz",
    )
    ru_signatory = models.CharField(_("signatory, Russian side"), max_length=255, blank=True)
    kz_signatory = models.CharField(_("signatory, Kazakh side"), max_length=255, blank=True)
    ceremony_day = models.PositiveSmallIntegerField(
        _("day of the signing ceremony"), default=1, help_text=_("Day of the event: 1 is its first day.")
    )
    signing_order = models.PositiveSmallIntegerField(_("place in the order of signing"), null=True, blank=True)
    ru_seat = models.CharField(_("seat, Russian side"), max_length=50, blank=True)
    kz_seat = models.CharField(_("seat, Kazakh side"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_stage = models.CharField(_("next stage"), max_length=20, choices=Stage.choices, blank=True)
    next_deadline = models.DateField(
        _("deadline of the next stage"), null=True, blank=True, db_index=True, validators=[validate_plausible_date]
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, validators=[validate_plausible_date])
    signed_place = models.CharField(_("place of signing"), max_length=255, blank=True)
    signed_by = models.TextField(_("signed by"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(verbose_name=_("historical agreement"), m2m_fields=[ru_parties, kz_parties])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["event", "signing_order", "pk"]
        indexes = [models.Index(fields=["event", "stage"], name="agreement_event_stage")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(stage="signed") | models.Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
                violation_error_message=_("A signed agreement needs the date of signing."),
            ),
            models.CheckConstraint(
                condition=models.Q(ceremony_day__gte=1),
                name="agreement_ceremony_day_positive",
                violation_error_message=_("The day of the ceremony is counted from 1."),
            ),
            models.UniqueConstraint(
                fields=["event", "signing_order"],
                condition=models.Q(signing_order__isnull=False),
                name="agreement_unique_signing_order",
                violation_error_message=_("Another agreement of this event has this place in the order of signing."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        if self.event_id and self.ceremony_day:
            length = (self.event.end_date - self.event.start_date).days + 1
            if self.ceremony_day > length:
                errors.setdefault("ceremony_day", []).append(
                    _("The event lasts %(days)d day(s): the ceremony must be on one of them.") % {"days": length}
                )
        if self.ru_responsible_id and self.ru_responsible is not None and self.ru_responsible.country == "KZ":
            errors.setdefault("ru_responsible", []).append(_("Choose an agency of the Russian side."))
        if self.kz_responsible is not None and self.kz_responsible.country != "KZ":
            errors.setdefault("kz_responsible", []).append(_("Choose an agency of the Kazakh side."))
        if errors:
            raise ValidationError(errors)

    @property
    def ceremony_date(self) -> dt.date:
        return self.event.start_date + dt.timedelta(days=self.ceremony_day - 1)

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES

    def organisations(self, side: str) -> list[str]:
        text = self.ru_organisations if side == Side.RU else self.kz_organisations
        return [line.strip() for line in text.splitlines() if line.strip()]


class AgreementStage(TimeStampedModel):
    """One stage of one agreement: its deadline (counted back from the ceremony) and when it was reached."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="stages"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    side = models.CharField(_("acting side"), max_length=2, choices=Side.choices)
    deadline = models.DateField(_("deadline"), validators=[validate_plausible_date])
    deadline_note = models.CharField(_("deadline note"), max_length=255, blank=True)
    reached_at = models.DateTimeField(_("reached"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement stage")
        verbose_name_plural = _("agreement stages")
        ordering = ["agreement", "deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "stage"],
                name="agreementstage_unique",
                violation_error_message=_("This stage is already planned for the agreement."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.deadline:%d.%m.%Y}"


class AgreementMove(TimeStampedModel):
    """A move of an agreement from one stage to another, by whom and why: the stage timeline."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="moves"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


def version_path(instance: "AgreementVersion", filename: str) -> str:
    """A random stored name: the user's file name is kept in `original_name`, never in the path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"agreements/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class AgreementVersion(TimeStampedModel):
    """One version of one language text; earlier versions are kept."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    comment = models.CharField(_("what changed"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["agreement", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "language", "version"],
                name="agreementversion_unique",
                violation_error_message=_("This version of the text already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} v{self.version}: {self.original_name}"
