"""Choices for events and their programme."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    FORUM = "forum", _("Interregional Cooperation Forum")
    COMMISSION = "commission", _("Intergovernmental Commission session")
    OTHER = "other", _("Other event")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PREPARING = "preparing", _("In preparation")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ProgrammeKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary session")
    SECTION = "section", _("Thematic section")
    ROUND_TABLE = "round_table", _("Round table")
    EXHIBITION = "exhibition", _("Exhibition")
    SIGNING = "signing", _("Signing ceremony")
    BILATERAL = "bilateral", _("Bilateral meeting")
    CULTURAL = "cultural", _("Cultural programme")
    YOUTH = "youth", _("Youth programme")
    OTHER = "other", _("Other")


class Area(models.TextChoices):
    IRTYSH_LOGISTICS = "irtysh_logistics", _("Irtysh logistics")
    RIVER_TOURISM = "river_tourism", _("River tourism")
    BORDER_INFRASTRUCTURE = "border_infrastructure", _("Border infrastructure")
    AGRICULTURE = "agriculture", _("Agriculture and seed production")
    MACHINE_BUILDING = "machine_building", _("Machine building")
    PETROCHEMICALS = "petrochemicals", _("Petrochemicals")
    EDUCATION = "education", _("Education and student exchange")
    YOUTH_CULTURE = "youth_culture", _("Youth and culture")
    ORGANISATION = "organisation", _("Organisation and logistics of the event")


class Side(models.TextChoices):
    RU = "RU", _("Russia")
    KZ = "KZ", _("Kazakhstan")
    OTHER = "XX", _("Other")


class DelegateRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    DEPUTY = "deputy", _("Deputy head")
    MEMBER = "member", _("Member of the delegation")
    EXPERT = "expert", _("Expert")
    PRESS = "press", _("Press")
    STAFF = "staff", _("Accompanying staff")


class BadgeStatus(models.TextChoices):
    NONE = "none", _("Not requested")
    REQUESTED = "requested", _("Requested")
    PRINTED = "printed", _("Printed")
    ISSUED = "issued", _("Issued")


class Direction(models.TextChoices):
    ARRIVAL = "arrival", _("Arrival")
    DEPARTURE = "departure", _("Departure")


class Transport(models.TextChoices):
    PLANE = "plane", _("Plane")
    TRAIN = "train", _("Train")
    CAR = "car", _("Car")
    BUS = "bus", _("Bus")
    OTHER = "other", _("Other")


class DelegateLanguage(models.TextChoices):
    RU = "ru", _("Russian")
    KK = "kk", _("Kazakh")
    EN = "en", _("English")
    OTHER = "other", _("Other")
