"""The protocol's services: proposing, agreeing by both sides, striking, and items made into tasks once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from omskevents.protocol import permissions, services
from omskevents.protocol.models import Protocol, ProtocolItem
from omskevents.workplan.models import Task
from tests.factories.events import EventFactory
from tests.factories.protocol import ProtocolItemFactory

pytestmark = pytest.mark.django_db


def _propose(actor, section, proposer, **extra):
    return services.item_propose(
        actor=actor, section=section, text_ru="Комиссия поручает проработать вопрос.", proposer=proposer, **extra
    )


def test_protocol_create_for_a_session(secretariat):
    event = EventFactory(kind="commission", number="27")
    protocol = services.protocol_create(
        actor=secretariat, event=event, place="г. Омск", date=dt.date(2026, 12, 11),
        ru_co_chair="А. Л. Оверчук", kz_co_chair="С. М. Жумангарин",
    )  # fmt: skip
    assert Protocol.objects.get() == protocol


def test_protocol_create_for_a_forum_is_refused(english, secretariat):
    event = EventFactory(kind="forum")
    with pytest.raises(ValidationError) as error:
        services.protocol_create(
            actor=secretariat, event=event, place="г. Омск", date=dt.date(2026, 12, 11),
            ru_co_chair="А", kz_co_chair="Б",
        )  # fmt: skip
    assert error.value.message_dict == {"event": ["A protocol belongs to a commission session."]}
    assert Protocol.objects.count() == 0


def test_protocol_create_by_agency_staff_is_refused(staff_a):
    with pytest.raises(PermissionDenied):
        services.protocol_create(
            actor=staff_a, event=EventFactory(kind="commission"), place="Омск", date=dt.date(2026, 12, 11),
            ru_co_chair="А", kz_co_chair="Б",
        )  # fmt: skip


def test_section_add_numbers_sections_in_order(secretariat, protocol):
    first = services.section_add(actor=secretariat, protocol=protocol, title="Торговля", area="machine_building")
    second = services.section_add(actor=secretariat, protocol=protocol, title="Иртыш", area="irtysh_logistics")
    assert (first.number, second.number) == (1, 2)


def test_items_are_numbered_inside_their_section(secretariat, section, agency_a, agency_b):
    first = _propose(secretariat, section, agency_a, counterpart=agency_b)
    second = _propose(secretariat, section, agency_b)
    assert (str(first), str(second)) == ("1.1", "1.2")
    assert (first.state, first.counterpart) == ("proposed", agency_b)


def test_agency_staff_proposes_for_their_own_agency(staff_b, section, agency_b):
    assert _propose(staff_b, section, agency_b).proposer == agency_b


def test_agency_staff_cannot_propose_for_another_agency(english, staff_b, section, agency_a):
    with pytest.raises(ValidationError) as error:
        _propose(staff_b, section, agency_a)
    assert error.value.message_dict == {"proposer": ["You cannot propose items in the name of this agency."]}
    assert ProtocolItem.objects.count() == 0


def test_kz_secretariat_proposes_for_kazakh_agencies_only(kz_secretariat, section, agency_a, agency_b):
    assert _propose(kz_secretariat, section, agency_b).proposer == agency_b
    with pytest.raises(ValidationError):
        _propose(kz_secretariat, section, agency_a)
    assert ProtocolItem.objects.count() == 1


def test_counterpart_on_the_same_side_is_refused(english, secretariat, section, agency_a):
    other_russian = type(agency_a).objects.create(name="Минтранс России", short_name="Минтранс РФ", level="federal")
    with pytest.raises(ValidationError) as error:
        _propose(secretariat, section, agency_a, counterpart=other_russian)
    assert error.value.message_dict == {"counterpart": ["The counterpart must be an agency of the other side."]}


def test_action_item_needs_a_deadline(english, secretariat, section, agency_a):
    with pytest.raises(ValidationError) as error:
        _propose(secretariat, section, agency_a, asks_action=True)
    assert error.value.message_dict == {"deadline": ["An item that asks for action needs a deadline."]}


def test_item_is_agreed_when_both_sides_agree(secretariat, kz_secretariat, section, agency_a):
    item = _propose(secretariat, section, agency_a)
    item = services.item_agree(actor=kz_secretariat, item=item, side="KZ")
    assert (item.state, item.agreed_kz_by) == ("proposed", kz_secretariat)
    item = services.item_agree(actor=secretariat, item=item, side="RU")
    assert (item.state, item.agreed_ru_by) == ("agreed", secretariat)


def test_kz_secretariat_cannot_agree_for_the_russian_side(kz_secretariat, section, agency_a):
    item = ProtocolItemFactory(section=section, proposer=agency_a)
    with pytest.raises(PermissionDenied):
        services.item_agree(actor=kz_secretariat, item=item, side="RU")
    item.refresh_from_db()
    assert item.agreed_ru_by is None


def test_agency_staff_cannot_agree(staff_a, section, agency_a):
    item = ProtocolItemFactory(section=section, proposer=agency_a)
    assert permissions.sides_to_agree(staff_a, item) == []
    with pytest.raises(PermissionDenied):
        services.item_agree(actor=staff_a, item=item, side="RU")


def test_item_agree_with_an_unknown_side_is_refused(secretariat, section, agency_a):
    item = ProtocolItemFactory(section=section, proposer=agency_a)
    with pytest.raises(ValidationError):
        services.item_agree(actor=secretariat, item=item, side="XX")


def test_editing_an_item_takes_back_both_agreements(secretariat, section, agency_a):
    item = _propose(secretariat, section, agency_a)
    services.item_agree(actor=secretariat, item=item, side="RU")
    item = services.item_update(actor=secretariat, item=item, text_ru="Новая редакция пункта.")
    assert (item.text_ru, item.agreed_ru_by, item.state) == ("Новая редакция пункта.", None, "proposed")


def test_item_strike_needs_a_reason_and_ends_the_item(secretariat, section, agency_a):
    item = _propose(secretariat, section, agency_a)
    with pytest.raises(ValidationError):
        services.item_strike(actor=secretariat, item=item, note="  ")
    item = services.item_strike(actor=secretariat, item=item, note="Вопрос решён на уровне регионов")
    assert (item.state, item.struck_note) == ("struck", "Вопрос решён на уровне регионов")
    assert permissions.sides_to_agree(secretariat, item) == []
    assert permissions.can_edit_item(secretariat, item) is False


def _agreed_action(section, proposer, counterpart=None, deadline=dt.date(2027, 3, 1), **extra):
    return ProtocolItemFactory(
        section=section, proposer=proposer, counterpart=counterpart, state="agreed", asks_action=True,
        deadline=deadline, **extra,
    )  # fmt: skip


def test_agreed_action_items_become_tasks_once(secretariat, section, agency_a, agency_b):
    action = _agreed_action(section, agency_a, agency_b, text_ru="Комиссия поручает открыть рейс Омск — Павлодар.")
    _agreed_action(section, agency_b, deadline=None)  # no deadline: skipped
    ProtocolItemFactory(section=section, proposer=agency_a, state="agreed", asks_action=False)
    ProtocolItemFactory(section=section, proposer=agency_a, state="proposed", asks_action=True)
    ProtocolItemFactory(section=section, proposer=agency_a, state="struck", asks_action=True)

    created, skipped = services.protocol_items_to_tasks(actor=secretariat, protocol=section.protocol)

    action.refresh_from_db()
    assert (len(created), skipped) == (2, 1)
    task, counterpart_task = created
    task.refresh_from_db()
    counterpart_task.refresh_from_db()
    assert (action.task, action.counterpart_task) == (task, counterpart_task)
    assert (task.lead_agency, task.area, task.event, task.number) == (
        agency_a, "irtysh_logistics", section.protocol.event, f"П-{action}",
    )  # fmt: skip
    assert (counterpart_task.lead_agency, counterpart_task.number) == (agency_b, f"П-{action}-KZ")
    # The two sides' tasks are a pair: each side sees the other's progress on the same item.
    assert (task.counterpart, counterpart_task.counterpart) == (counterpart_task, task)
    assert task.is_follow_up is True
    assert services.protocol_items_to_tasks(actor=secretariat, protocol=section.protocol) == ([], 1)
    assert Task.objects.count() == 2


def test_an_action_item_without_a_counterpart_makes_one_task(secretariat, section, agency_b):
    item = _agreed_action(section, agency_b)
    created, skipped = services.protocol_items_to_tasks(actor=secretariat, protocol=section.protocol)
    item.refresh_from_db()
    assert ([t.lead_agency for t in created], skipped, item.counterpart_task) == ([agency_b], 0, None)


def test_items_to_tasks_by_the_kz_secretariat_is_refused(kz_secretariat, section, agency_b):
    _agreed_action(section, agency_b)
    with pytest.raises(PermissionDenied):
        services.protocol_items_to_tasks(actor=kz_secretariat, protocol=section.protocol)
    assert Task.objects.count() == 0


def test_an_item_with_a_task_can_no_longer_be_edited_or_struck(secretariat, section, agency_a):
    item = _agreed_action(section, agency_a)
    services.protocol_items_to_tasks(actor=secretariat, protocol=section.protocol)
    item.refresh_from_db()
    assert (permissions.can_edit_item(secretariat, item), permissions.can_strike_item(secretariat, item)) == (
        False,
        False,
    )
