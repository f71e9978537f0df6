"""core.protection: rows that another model holds by a PROTECT relation, found without naming that model."""

import pytest

from omskevents.committee.models import Decision
from omskevents.core.protection import protected_pks
from omskevents.workplan.services import task_create_from_decision
from tests.factories.committee import DecisionFactory, MeetingFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def test_protected_pks_names_the_decisions_a_task_holds(secretariat):
    meeting = MeetingFactory()
    kept, free = DecisionFactory(meeting=meeting), DecisionFactory(meeting=meeting)
    task_create_from_decision(actor=secretariat, decision=kept, event=EventFactory(), area="organisation")

    assert protected_pks(Decision.objects.filter(meeting=meeting)) == {kept.pk}
    assert protected_pks(Decision.objects.filter(pk=free.pk)) == set()
