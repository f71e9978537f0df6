"""Choices for agreements to sign: their kind, the stages of their preparation, the language versions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AgreementKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental")
    INTERREGIONAL = "interregional", _("Interregional")
    MINISTRY = "ministry", _("Between ministries")
    BUSINESS = "business", _("Business")


class Stage(models.TextChoices):
    # "Proposed" and "Agreed by both sides" name a protocol item too: in Russian an agreement (соглашение) is
    # neuter, an item (пункт) masculine.
    PROPOSED = "proposed", pgettext_lazy("agreement", "Proposed")
    DRAFT_READY = "draft_ready", _("Draft ready")
    RU_AGREED = "ru_agreed", _("Agreed inside the Russian side")
    SENT = "sent", _("Sent to the partner")
    PARTNER_COMMENTS = "partner_comments", _("Partner's comments received")
    BOTH_AGREED = "both_agreed", pgettext_lazy("agreement", "Agreed by both sides")
    TEXTS_CHECKED = "texts_checked", _("Texts checked (legal, translation)")
    READY = "ready", _("Ready for signing")
    SIGNED = "signed", _("Signed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The usual path, in order; withdrawn stands outside it.
PIPELINE: tuple[str, ...] = (
    Stage.PROPOSED,
    Stage.DRAFT_READY,
    Stage.RU_AGREED,
    Stage.SENT,
    Stage.PARTNER_COMMENTS,
    Stage.BOTH_AGREED,
    Stage.TEXTS_CHECKED,
    Stage.READY,
    Stage.SIGNED,
)
CLOSED_STAGES = (Stage.SIGNED, Stage.WITHDRAWN)


class Side(models.TextChoices):
    RU = "RU", _("Russian side")
    KZ = "KZ", _("Kazakh side")


class Language(models.TextChoices):
    RU = "ru", _("Russian")
    KK = "kk", _("Kazakh")
