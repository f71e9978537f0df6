"""Tasks made from committee decisions: the service, the meeting page's section and its form."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omskevents.committee import services as committee_services
from omskevents.committee.models import Decision
from omskevents.workplan import services
from omskevents.workplan.models import Task
from omskevents.workplan.services import task_create_from_decision
from tests.factories.committee import CommitteeFactory, DecisionFactory, MeetingFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory
from tests.support.web import login_in_english as _login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_task_create_from_decision_links_the_source(secretariat, agency_a, agency_b):
    event = EventFactory()
    decision = DecisionFactory(lead_agency=agency_a, co_executors=[agency_b], deadline=dt.date(2026, 12, 3))
    task = task_create_from_decision(actor=secretariat, decision=decision, event=event, area="organisation")
    assert (task.source, task.source_decision, task.lead_agency, task.deadline, task.event) == (
        "decision",
        decision,
        agency_a,
        dt.date(2026, 12, 3),
        event,
    )
    assert task.title == decision.text
    assert list(task.co_executors.all()) == [agency_b]
    assert task.description.endswith(
        f"Decision {decision.number} of the committee meeting No. {decision.meeting.number} of 01.12.2026."
    )


def test_task_create_from_decision_twice_gives_one_task(secretariat):
    event = EventFactory()
    decision = DecisionFactory()
    first = task_create_from_decision(actor=secretariat, decision=decision, event=event, area="organisation")
    second = task_create_from_decision(actor=secretariat, decision=decision, event=event, area="education")
    assert first.pk == second.pk
    assert Task.objects.count() == 1


def test_task_create_from_decision_after_the_event_is_a_follow_up(secretariat):
    event = EventFactory(start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    decision = DecisionFactory(deadline=dt.date(2026, 12, 22))
    task = task_create_from_decision(actor=secretariat, decision=decision, event=event, area="organisation")
    assert (task.is_follow_up, task.deadline) == (True, dt.date(2026, 12, 22))


def test_task_create_from_incomplete_decision_is_refused(secretariat):
    decision = DecisionFactory(lead_agency=None)
    with pytest.raises(ValidationError) as exc:
        task_create_from_decision(actor=secretariat, decision=decision, event=EventFactory(), area="organisation")
    assert exc.value.messages == ["A decision needs a lead executor and a deadline to become a task."]
    assert Task.objects.count() == 0


def test_task_create_from_decision_by_agency_staff_is_refused(staff_a):
    with pytest.raises(PermissionDenied):
        task_create_from_decision(actor=staff_a, decision=DecisionFactory(), event=EventFactory(), area="organisation")
    assert Task.objects.count() == 0


def test_meeting_decisions_to_tasks_skips_incomplete_and_existing(secretariat):
    event = EventFactory()
    meeting = MeetingFactory()
    done = DecisionFactory(meeting=meeting)
    task_create_from_decision(actor=secretariat, decision=done, event=event, area="organisation")
    DecisionFactory(meeting=meeting)
    DecisionFactory(meeting=meeting, deadline=None)
    created, skipped = services.meeting_decisions_to_tasks(
        actor=secretariat, meeting=meeting, event=event, area="organisation"
    )
    assert (len(created), skipped) == (1, 1)
    assert Task.objects.filter(source_decision__meeting=meeting).count() == 2
    again, _ = services.meeting_decisions_to_tasks(actor=secretariat, meeting=meeting, event=event, area="organisation")
    assert again == []


def test_decision_delete_of_a_decision_with_a_task_is_refused(secretariat):
    decision = DecisionFactory()
    task_create_from_decision(actor=secretariat, decision=decision, event=EventFactory(), area="organisation")
    with pytest.raises(ValidationError):
        committee_services.decision_delete(actor=secretariat, decision=decision)
    assert Decision.objects.filter(pk=decision.pk).exists()


@time_machine.travel(dt.datetime(2026, 11, 25, 6, 0, tzinfo=dt.UTC))
def test_meeting_detail_opens_with_the_previous_meetings_instructions(client, secretariat, agency_a):
    committee = CommitteeFactory()
    previous = MeetingFactory(committee=committee, number=1, starts_at=dt.datetime(2026, 11, 1, 5, tzinfo=dt.UTC))
    overdue = DecisionFactory(meeting=previous, number="1", text="Согласовать схему парковки", lead_agency=agency_a)
    TaskFactory(
        title="Согласовать схему парковки",
        source="decision",
        source_decision=overdue,
        lead_agency=agency_a,
        deadline=dt.date(2026, 11, 20),
    )
    accepted = DecisionFactory(meeting=previous, number="2", lead_agency=agency_a)
    TaskFactory(
        title="Издать распоряжение",
        source="decision",
        source_decision=accepted,
        lead_agency=agency_a,
        deadline=dt.date(2026, 11, 10),
        status="accepted",
    )
    current = MeetingFactory(committee=committee, number=2, starts_at=dt.datetime(2026, 12, 1, 5, tzinfo=dt.UTC))
    content = _login(client, secretariat).get(current.get_absolute_url()).content.decode()
    assert "Instructions of the previous meeting (Meeting No. 1 of 01.11.2026)" in content
    assert content.count('class="previous-instruction status-overdue"') == 1
    assert content.count('class="previous-instruction"') == 1
    assert "Согласовать схему парковки" in content
    assert "Accepted (removed from control)" in content


def test_previous_instructions_are_scoped_to_the_agency(client, staff_a, agency_a, agency_b):
    committee = CommitteeFactory()
    previous = MeetingFactory(committee=committee, number=1, starts_at=dt.datetime(2026, 11, 1, 5, tzinfo=dt.UTC))
    theirs = DecisionFactory(meeting=previous, lead_agency=agency_b)
    TaskFactory(title="Чужое поручение", source="decision", source_decision=theirs, lead_agency=agency_b)
    ours = DecisionFactory(meeting=previous, lead_agency=agency_a)
    TaskFactory(title="Наше поручение", source="decision", source_decision=ours, lead_agency=agency_a)
    current = MeetingFactory(committee=committee, number=2, starts_at=dt.datetime(2026, 12, 1, 5, tzinfo=dt.UTC))
    content = _login(client, staff_a).get(current.get_absolute_url()).content.decode()
    assert "Наше поручение" in content
    assert "Чужое поручение" not in content


def test_decision_to_task_one_row_makes_one_linked_task(client, secretariat, agency_a):
    event = EventFactory()
    meeting = MeetingFactory()
    meeting.committee.events.add(event)
    decision = DecisionFactory(meeting=meeting, text="Организовать трансфер делегаций", lead_agency=agency_a)
    other = DecisionFactory(meeting=meeting)
    _login(client, secretariat)
    url = reverse("workplan:decisions_to_tasks", args=[meeting.pk])
    data = {"task-event": event.pk, "task-area": "organisation", "decision": decision.pk}
    response = client.post(url, data)
    assert response.status_code == 302
    client.post(url, data)
    task = Task.objects.get()
    assert (task.source_decision_id, task.title, task.source) == (
        decision.pk,
        "Организовать трансфер делегаций",
        "decision",
    )
    assert not Task.objects.filter(source_decision=other).exists()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert task.get_absolute_url() in page
    assert page.count("Make a task") == 1
    assert "Make tasks from all decisions" in page


def test_decisions_to_tasks_all_reports_skipped(client, secretariat):
    event = EventFactory()
    meeting = MeetingFactory()
    DecisionFactory(meeting=meeting)
    DecisionFactory(meeting=meeting)
    DecisionFactory(meeting=meeting, lead_agency=None)
    response = _login(client, secretariat).post(
        reverse("workplan:decisions_to_tasks", args=[meeting.pk]),
        {"task-event": event.pk, "task-area": "organisation"},
        follow=True,
    )
    assert Task.objects.filter(source_decision__meeting=meeting).count() == 2
    assert [str(m) for m in response.context["messages"]] == [
        "2 tasks were created. 1 decision has no lead executor or deadline and was skipped."
    ]
    assert "Make tasks from all decisions" not in response.content.decode()


def test_decisions_to_tasks_with_a_decision_of_another_meeting_is_404(client, secretariat):
    event = EventFactory()
    meeting = MeetingFactory()
    foreign = DecisionFactory()
    response = _login(client, secretariat).post(
        reverse("workplan:decisions_to_tasks", args=[meeting.pk]),
        {"task-event": event.pk, "task-area": "organisation", "decision": foreign.pk},
    )
    assert response.status_code == 404
    assert Task.objects.count() == 0


def test_decisions_to_tasks_by_agency_staff_is_forbidden(client, staff_a):
    event = EventFactory()
    meeting = MeetingFactory()
    DecisionFactory(meeting=meeting)
    response = _login(client, staff_a).post(
        reverse("workplan:decisions_to_tasks", args=[meeting.pk]),
        {"task-event": event.pk, "task-area": "organisation"},
    )
    assert response.status_code == 403
    assert Task.objects.count() == 0


def test_meeting_page_offers_no_delete_for_a_decision_that_became_a_task(client, secretariat):
    meeting = MeetingFactory()
    kept = DecisionFactory(meeting=meeting, number="1")
    free = DecisionFactory(meeting=meeting, number="2")
    task_create_from_decision(actor=secretariat, decision=kept, event=EventFactory(), area="organisation")

    page = _login(client, secretariat).get(meeting.get_absolute_url()).content.decode()

    assert reverse("committee:decision_delete", args=[meeting.pk, free.pk]) in page
    assert reverse("committee:decision_delete", args=[meeting.pk, kept.pk]) not in page
