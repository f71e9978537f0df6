import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from omskevents.committee import services
from omskevents.committee.models import AgendaItem, Decision, Meeting, MeetingAttendance
from omskevents.notifications.models import Notification
from tests.factories.committee import CommitteeFactory, MeetingFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)


def test_meeting_create_numbers_meetings_of_a_committee_in_sequence(secretariat, staff_a):
    committee = CommitteeFactory()
    first = services.meeting_create(actor=secretariat, committee=committee, starts_at=START, place="Зал 1")
    second = services.meeting_create(
        actor=secretariat,
        committee=committee,
        starts_at=START + dt.timedelta(days=7),
        place="Зал 1",
        invitees=[staff_a],
    )
    assert (first.number, second.number) == (1, 2)
    assert list(second.attendance.values_list("user__username", "status")) == [("staff_a", "invited")]


def test_meeting_create_without_place_or_link_is_refused(secretariat):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(actor=secretariat, committee=CommitteeFactory(), starts_at=START)
    assert "Give a place or a video link." in exc.value.messages
    assert Meeting.objects.count() == 0


def test_meeting_create_by_agency_staff_is_refused(staff_a):
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=staff_a, committee=CommitteeFactory(), starts_at=START, place="Зал")
    assert Meeting.objects.count() == 0


def test_meeting_update_of_time_raises_the_revision(secretariat):
    meeting = MeetingFactory()
    updated = services.meeting_update(actor=secretariat, meeting=meeting, starts_at=START + dt.timedelta(hours=2))
    assert (updated.starts_at, updated.sequence) == (START + dt.timedelta(hours=2), 1)


def test_meeting_update_of_title_keeps_the_revision(secretariat):
    meeting = MeetingFactory()
    updated = services.meeting_update(actor=secretariat, meeting=meeting, title="Итоговое заседание")
    assert (updated.title, updated.sequence) == ("Итоговое заседание", 0)


def test_meeting_update_with_end_before_start_changes_nothing(secretariat):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError):
        services.meeting_update(actor=secretariat, meeting=meeting, ends_at=START - dt.timedelta(hours=1))
    meeting.refresh_from_db()
    assert meeting.ends_at is None


def test_meeting_cancel_marks_it_and_forbids_further_changes(secretariat):
    meeting = services.meeting_cancel(actor=secretariat, meeting=MeetingFactory())
    assert (meeting.status, meeting.sequence) == ("cancelled", 1)
    with pytest.raises(ValidationError):
        services.meeting_update(actor=secretariat, meeting=meeting, title="x")
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=secretariat, meeting=meeting)


def test_meeting_close_stores_minutes_and_marks_held(secretariat):
    meeting = services.meeting_close(actor=secretariat, meeting=MeetingFactory(), minutes="  Заслушали доклад.  ")
    assert (meeting.status, meeting.minutes) == ("held", "Заслушали доклад.")


def test_meeting_close_with_empty_minutes_is_refused(secretariat):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as exc:
        services.meeting_close(actor=secretariat, meeting=meeting, minutes="   ")
    assert exc.value.message_dict == {"minutes": ["Write the minutes of the meeting."]}
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_agenda_item_delete_renumbers_the_rest(secretariat):
    meeting = MeetingFactory()
    first = services.agenda_item_add(actor=secretariat, meeting=meeting, title="Открытие")
    services.agenda_item_add(actor=secretariat, meeting=meeting, title="Логистика")
    services.agenda_item_add(actor=secretariat, meeting=meeting, title="Разное")
    services.agenda_item_delete(actor=secretariat, item=first)
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("order", "title")) == [
        (1, "Логистика"),
        (2, "Разное"),
    ]


def test_attendance_set_updates_an_existing_row(secretariat, staff_a):
    meeting = MeetingFactory()
    services.attendance_set(actor=secretariat, meeting=meeting, user=staff_a, status="invited")
    services.attendance_set(actor=secretariat, meeting=meeting, user=staff_a, status="remote")
    assert list(MeetingAttendance.objects.values_list("user__username", "status")) == [("staff_a", "remote")]


def test_decision_add_numbers_decisions_and_refuses_lead_as_co_executor(secretariat, agency_a, agency_b):
    meeting = MeetingFactory()
    one = services.decision_add(actor=secretariat, meeting=meeting, text="Подготовить площадку", lead_agency=agency_a)
    two = services.decision_add(
        actor=secretariat, meeting=meeting, text="Согласовать программу", co_executors=[agency_b]
    )
    assert (one.number, two.number) == ("1", "2")
    with pytest.raises(ValidationError) as exc:
        services.decision_add(
            actor=secretariat, meeting=meeting, text="x", lead_agency=agency_a, co_executors=[agency_a]
        )
    assert exc.value.message_dict == {"co_executors": ["The lead executor cannot also be a co-executor."]}
    assert Decision.objects.count() == 2


def test_meeting_create_writes_the_invitations_with_the_meeting(
    secretariat, staff_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting = services.meeting_create(
            actor=secretariat, committee=CommitteeFactory(), starts_at=START, place="Зал", invitees=[staff_a]
        )
    # Before anything runs after the commit, the invitation is stored with the meeting, not yet handed over.
    assert list(Notification.objects.values_list("meeting", "kind", "state", "dispatched_at")) == [
        (meeting.pk, "meeting_invitation", "queued", None)
    ]
    for callback in callbacks:  # the hand-off to the worker (and the cache's data version)
        callback()
    assert Notification.objects.get().dispatched_at is not None


def test_meeting_create_rolled_back_announces_nothing(secretariat, staff_a):
    def create_then_fail() -> None:
        with transaction.atomic():
            services.meeting_create(
                actor=secretariat, committee=CommitteeFactory(), starts_at=START, place="Зал", invitees=[staff_a]
            )
            raise RuntimeError("the caller fails after the meeting is saved")

    with pytest.raises(RuntimeError, match="after the meeting is saved"):
        create_then_fail()
    assert (Meeting.objects.count(), Notification.objects.count()) == (0, 0)


def test_meeting_cancel_queues_a_cancellation(secretariat, staff_a, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    MeetingAttendance.objects.create(meeting=meeting, user=staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=secretariat, meeting=meeting)
    assert list(Notification.objects.filter(meeting=meeting).values_list("kind", flat=True)) == ["meeting_cancelled"]
