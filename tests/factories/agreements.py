"""Agreements made through the real service, as the secretariat registers them."""

from typing import Any

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.agreements import services
from omskevents.agreements.models import Agreement
from omskevents.events.models import Event


def make_agreement(
    *,
    actor: User,
    event: Event,
    ru: Agency,
    kz: Agency | None,
    title: str = "Соглашение о сотрудничестве в сфере транспорта",
    kind: str = "interregional",
    **fields: Any,
) -> Agreement:
    return services.agreement_create(
        actor=actor,
        event=event,
        title=title,
        kind=kind,
        ru_responsible=ru,
        kz_responsible=kz,
        ru_parties=fields.pop("ru_parties", [ru]),
        kz_parties=fields.pop("kz_parties", [kz] if kz is not None else []),
        **fields,
    )
