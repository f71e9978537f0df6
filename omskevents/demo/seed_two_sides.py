"""Seed the two sides: more agencies of both countries, the 27th session's draft protocol, paired tasks.

Found by natural keys like the rest of the demo: the protocol by its session, the pairs by the Forum and their
numbers. A second run adds nothing.
"""

import datetime as dt

from django.utils import timezone

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.calendars.services import calendar_country
from omskevents.events.models import Event
from omskevents.protocol import services as protocol_services
from omskevents.protocol.models import Protocol
from omskevents.workplan import services as workplan_services
from omskevents.workplan.models import ProgressReport, Task

from .blocks import SeedReport, fit_deadline
from .data_two_sides import (
    AGREED,
    ITEMS,
    KZ_CO_CHAIR,
    KZ_ONLY,
    MORE_AGENCIES,
    PAIRS,
    PROTOCOL_PLACE,
    RU_CO_CHAIR,
    RU_ONLY,
    SECTIONS,
    STRIKE_NOTE,
    STRUCK,
)


def seed_two_sides(
    *, forum: Event, session: Event, agencies: dict[str, Agency], users: dict[str, User], today: dt.date,
    report: SeedReport,
) -> None:  # fmt: skip
    all_agencies = {**agencies, **_seed_more_agencies(report)}
    _seed_protocol(session, all_agencies, users, today, report)
    _seed_pairs(forum, all_agencies, users, today, report)


def _seed_more_agencies(report: SeedReport) -> dict[str, Agency]:
    found: dict[str, Agency] = {}
    for short, name, name_en, country, level, email in MORE_AGENCIES:
        agency = Agency.objects.filter(short_name=short).first()
        if agency is None:
            agency = Agency(short_name=short, name=name, name_en=name_en, country=country, level=level, email=email)
            agency.full_clean()
            agency.save()
            report.add("agencies")
        found[short] = agency
    return found


def _seed_protocol(
    session: Event, agencies: dict[str, Agency], users: dict[str, User], today: dt.date, report: SeedReport
) -> None:
    if Protocol.objects.filter(event=session).exists():
        return
    omsk, kazakh = users["secretariat"], users["kz-secretariat"]
    protocol = protocol_services.protocol_create(
        actor=omsk, event=session, place=PROTOCOL_PLACE, date=session.start_date,
        ru_co_chair=RU_CO_CHAIR, kz_co_chair=KZ_CO_CHAIR,
    )  # fmt: skip
    report.add("protocols")
    sections = [
        protocol_services.section_add(actor=omsk, protocol=protocol, title=title, area=area) for title, area in SECTIONS
    ]
    for number, text, proposer, counterpart, state, asks_action, days in ITEMS:
        item = protocol_services.item_propose(
            actor=omsk,
            section=sections[number - 1],
            text_ru=text,
            proposer=agencies[proposer],
            counterpart=agencies[counterpart] if counterpart else None,
            asks_action=asks_action,
            deadline=session.end_date + dt.timedelta(days=days) if days is not None else None,
        )
        report.add("protocol items")
        if state in (AGREED, RU_ONLY):
            item = protocol_services.item_agree(actor=omsk, item=item, side="RU")
        if state in (AGREED, KZ_ONLY):
            item = protocol_services.item_agree(actor=kazakh, item=item, side="KZ")
        if state == STRUCK:
            protocol_services.item_strike(actor=omsk, item=item, note=STRIKE_NOTE)


def _seed_pairs(
    forum: Event, agencies: dict[str, Agency], users: dict[str, User], today: dt.date, report: SeedReport
) -> None:
    omsk = users["secretariat"]
    for number, area, title, ru_lead, kz_lead, (ru_days, kz_days), (ru_status, kz_status) in PAIRS:
        if Task.objects.filter(event=forum, number=number).exists():
            continue
        made = []
        for suffix, lead, days, status in (("", ru_lead, ru_days, ru_status), ("К", kz_lead, kz_days, kz_status)):
            agency = agencies[lead]
            deadline = fit_deadline(calendar_country(agency), today + dt.timedelta(days=days), forum.end_date)
            task = workplan_services.task_create(
                actor=omsk, event=forum, number=f"{number}{suffix}", title=title, area=area, lead_agency=agency,
                deadline=deadline,
            )  # fmt: skip
            if status in ("reported", "accepted", "returned"):
                author = agency.head or omsk
                ProgressReport.objects.create(task=task, author=author, text="Работа выполнена.", is_final=True)
            Task.objects.filter(pk=task.pk).update(status=status, status_changed_at=timezone.now())
            made.append(task)
            report.add("tasks")
        workplan_services.task_pair(actor=omsk, task=made[0], counterpart=made[1])
        report.add("pairs")
