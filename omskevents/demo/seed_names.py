"""Kazakh and English names for the demo rows (data_names.py): only blank fields are filled, so a name the
secretariat has edited stays as it is."""

from typing import Any

from django.db import models

from omskevents.agencies.models import Agency
from omskevents.agreements.models import Agreement
from omskevents.committee.models import WorkingGroup
from omskevents.events.models import Event, ProgrammeItem, Venue

from .blocks import SeedReport
from .data_names import (
    AGENCY_NAMES,
    AGREEMENT_TITLES,
    EVENT_NAMES,
    PROGRAMME_TITLES,
    VENUE_NAMES,
    WORKING_GROUP_NAMES,
)


def _fill(model: type[models.Model], key: str, names: dict[str, dict[str, str]]) -> int:
    filled = 0
    for value, fields in names.items():
        for field, text in fields.items():
            if text:
                filled += model._default_manager.filter(**{key: value, field: ""}).update(**{field: text})
    return filled


def seed_names(report: SeedReport) -> None:
    plans: list[tuple[type[models.Model], str, dict[str, dict[str, Any]]]] = [
        (Agency, "short_name", {k: {"name_kk": v[0], "short_name_kk": v[1], "short_name_en": v[2]}
                                for k, v in AGENCY_NAMES.items()}),
        (Event, "number", {k: {"title_kk": v[0], "short_title_kk": v[1], "short_title_en": v[2]}
                           for k, v in EVENT_NAMES.items()}),
        (Venue, "name", {k: {"name_kk": v[0], "name_en": v[1]} for k, v in VENUE_NAMES.items()}),
        (WorkingGroup, "name", {k: {"name_kk": v[0], "name_en": v[1]} for k, v in WORKING_GROUP_NAMES.items()}),
        (ProgrammeItem, "title", {k: {"title_kk": v[0], "title_en": v[1]} for k, v in PROGRAMME_TITLES.items()}),
        (Agreement, "title", {k: {"title_kk": v[0], "title_en": v[1]} for k, v in AGREEMENT_TITLES.items()}),
    ]  # fmt: skip
    filled = sum(_fill(model, key, names) for model, key, names in plans)
    if filled:
        report.add("names in Kazakh and English", filled)
