"""Writes of the protocol: start it, add sections and items, agree or strike items, turn items into tasks."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from omskevents.accounts.models import User
from omskevents.agencies.enums import Country
from omskevents.agencies.models import Agency
from omskevents.events.enums import EventKind
from omskevents.events.models import Event
from omskevents.workplan import services as workplan_services
from omskevents.workplan.enums import TaskSource
from omskevents.workplan.models import Task

from . import permissions
from .enums import ItemState
from .models import Protocol, ProtocolItem, ProtocolSection

ITEM_FIELDS = ("text_ru", "text_kk", "proposer", "counterpart", "asks_action", "deadline")


@transaction.atomic
def protocol_create(
    *, actor: User, event: Event, place: str, date: dt.date, ru_co_chair: str, kz_co_chair: str
) -> Protocol:
    if not permissions.can_manage_protocol(actor):
        raise PermissionDenied(_("Only a secretariat can start a protocol."))
    if event.kind != EventKind.COMMISSION:
        raise ValidationError({"event": _("A protocol belongs to a commission session.")})
    if Protocol.objects.filter(event=event).exists():
        raise ValidationError({"event": _("This session already has a protocol.")})
    protocol = Protocol(event=event, place=place, date=date, ru_co_chair=ru_co_chair, kz_co_chair=kz_co_chair)
    protocol.full_clean()
    protocol.save()
    return protocol


@transaction.atomic
def section_add(*, actor: User, protocol: Protocol, title: str, area: str) -> ProtocolSection:
    if not permissions.can_manage_protocol(actor):
        raise PermissionDenied(_("Only a secretariat can add sections."))
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    last = protocol.sections.aggregate(last=Max("number"))["last"] or 0
    section = ProtocolSection(protocol=protocol, number=last + 1, title=title, area=area)
    section.full_clean()
    section.save()
    return section


def _check_item(actor: User, item: ProtocolItem) -> None:
    if not permissions.can_propose_for(actor, item.proposer):
        raise ValidationError({"proposer": _("You cannot propose items in the name of this agency.")})
    item.full_clean()


@transaction.atomic
def item_propose(
    *,
    actor: User,
    section: ProtocolSection,
    text_ru: str,
    proposer: Agency,
    text_kk: str = "",
    counterpart: Agency | None = None,
    asks_action: bool = False,
    deadline: dt.date | None = None,
) -> ProtocolItem:
    if not permissions.can_propose(actor):
        raise PermissionDenied(_("You cannot propose protocol items."))
    section = ProtocolSection.objects.select_for_update().get(pk=section.pk)
    last = section.items.aggregate(last=Max("number"))["last"] or 0
    item = ProtocolItem(
        section=section,
        number=last + 1,
        text_ru=text_ru,
        text_kk=text_kk,
        proposer=proposer,
        counterpart=counterpart,
        asks_action=asks_action,
        deadline=deadline,
    )
    _check_item(actor, item)
    item.save()
    return item


@transaction.atomic
def item_update(*, actor: User, item: ProtocolItem, **fields: Any) -> ProtocolItem:
    """Change an item's text, agencies or deadline; a changed item must be agreed again by both sides."""
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    item = ProtocolItem.objects.select_for_update(of=("self",)).select_related("proposer").get(pk=item.pk)
    if not permissions.can_edit_item(actor, item):
        raise PermissionDenied(_("You cannot edit this item."))
    changed = {name: value for name, value in fields.items() if getattr(item, name) != value}
    if not changed:
        return item
    for name, value in changed.items():
        setattr(item, name, value)
    item.agreed_ru_by = item.agreed_kz_by = None
    item.state = ItemState.PROPOSED
    _check_item(actor, item)
    item.save()
    return item


@transaction.atomic
def item_agree(*, actor: User, item: ProtocolItem, side: str) -> ProtocolItem:
    """Record one side's agreement; with both sides' the item is agreed."""
    item = ProtocolItem.objects.select_for_update().get(pk=item.pk)
    if side not in (Country.RU, Country.KZ):
        raise ValidationError(_("Choose the side that agrees."))
    if not permissions.can_agree_item(actor, item, side):
        raise PermissionDenied(_("You cannot record this side's agreement on this item."))
    if side == Country.RU:
        item.agreed_ru_by = actor
    else:
        item.agreed_kz_by = actor
    if item.agreed_ru_by_id and item.agreed_kz_by_id:
        item.state = ItemState.AGREED
    item.save(update_fields=["agreed_ru_by", "agreed_kz_by", "state", "updated"])
    return item


@transaction.atomic
def item_strike(*, actor: User, item: ProtocolItem, note: str) -> ProtocolItem:
    item = ProtocolItem.objects.select_for_update().get(pk=item.pk)
    if not permissions.can_strike_item(actor, item):
        raise PermissionDenied(_("You cannot strike this item."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the item is struck.")})
    item.state = ItemState.STRUCK
    item.struck_note = note.strip()[:500]
    item.save(update_fields=["state", "struck_note", "updated"])
    return item


def _item_task(
    actor: User, item: ProtocolItem, event: Event, *, number: str, lead: Agency, deadline: dt.date, source: str
) -> Task:
    return workplan_services.task_create(
        actor=actor,
        event=event,
        number=number,
        title=item.text_ru[:1000],
        description=f"{item.text_ru}\n\n{source}",
        area=item.section.area,
        lead_agency=lead,
        deadline=deadline,
        is_follow_up=deadline > event.end_date,
        source=TaskSource.ADHOC,
    )


@transaction.atomic
def protocol_items_to_tasks(*, actor: User, protocol: Protocol) -> tuple[list[Task], int]:
    """Every agreed item that asks for action and has no task yet becomes a task of its proposing agency and,
    when it names a counterpart, a task of the counterpart paired with it (workplan's paired tasks).

    In one step and idempotent: a second call makes nothing new. Returns the new tasks and how many agreed
    action items were left without them because they have no deadline.
    """
    if not permissions.can_make_tasks(actor):
        raise PermissionDenied(_("Only the committee secretariat turns protocol items into tasks."))
    protocol = Protocol.objects.select_for_update(of=("self",)).select_related("event").get(pk=protocol.pk)
    event = protocol.event
    items = (
        ProtocolItem.objects.select_for_update(of=("self",))
        .filter(section__protocol=protocol, state=ItemState.AGREED, asks_action=True, task__isnull=True)
        .select_related("section", "proposer", "counterpart")
        .order_by("section__number", "number")
    )
    created: list[Task] = []
    skipped = 0
    for item in items:
        deadline = item.deadline
        if deadline is None:
            skipped += 1
            continue
        source = _("Item %(number)s of the protocol of the %(event)s of %(date)s.") % {
            "number": str(item),
            "event": event,
            "date": protocol.date.strftime("%d.%m.%Y"),
        }
        item.task = _item_task(
            actor, item, event, number=f"П-{item}", lead=item.proposer, deadline=deadline, source=source
        )
        created.append(item.task)
        if item.counterpart is not None:
            number = f"П-{item}-{item.counterpart.country}"
            item.counterpart_task = _item_task(
                actor, item, event, number=number, lead=item.counterpart, deadline=deadline, source=source
            )
            workplan_services.task_pair(actor=actor, task=item.task, counterpart=item.counterpart_task)
            created.append(item.counterpart_task)
        item.save(update_fields=["task", "counterpart_task", "updated"])
    return created, skipped
