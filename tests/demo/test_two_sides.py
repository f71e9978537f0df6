"""The demo's two sides: the Kazakh secretariat, the 27th session's draft protocol, paired tasks in every state."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from omskevents.protocol.models import Protocol, ProtocolItem
from omskevents.workplan import pairs
from omskevents.workplan.models import Task

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_protocol_and_the_pairs():
    call_command("seed_demo", stdout=io.StringIO())

    protocol = Protocol.objects.get()
    assert (protocol.event.kind, protocol.event.number) == ("commission", "27")
    assert protocol.sections.count() >= 6
    items = ProtocolItem.objects.filter(section__protocol=protocol)
    assert items.count() >= 25
    states = {state: items.filter(state=state).count() for state in ("agreed", "struck", "proposed")}
    assert states["agreed"] >= 10
    assert states["struck"] >= 3
    assert states["proposed"] >= 3
    # Half-agreed items wait for the other side.
    assert items.filter(state="proposed", agreed_ru_by__isnull=False).exists()
    assert items.filter(state="proposed", agreed_kz_by__isnull=False).exists()
    assert set(items.values_list("proposer__country", flat=True)) == {"RU", "KZ"}
    assert items.filter(asks_action=True, state="agreed").count() >= 8

    paired = Task.objects.filter(counterpart__isnull=False).select_related("lead_agency", "counterpart__lead_agency")
    found = pairs.pairs_of(paired, today=timezone.localdate())
    assert len(found) >= 10
    assert {p.state for p in found} == {"ready", "out_of_step", "in_work"}
    for pair in found:
        assert (pair.russian.lead_agency.country, pair.kazakh.lead_agency.country) == ("RU", "KZ")
        assert pair.russian.event_id == pair.kazakh.event_id

    before = (Protocol.objects.count(), ProtocolItem.objects.count(), Task.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Protocol.objects.count(), ProtocolItem.objects.count(), Task.objects.count()) == before
