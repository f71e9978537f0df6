"""The committee in the workspace: its page, inviting it (or a working group) in one step, a new meeting's defaults."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omskevents.committee import services
from omskevents.committee.models import Committee, MeetingAttendance, WorkingGroup
from tests.factories.accounts import UserFactory
from tests.factories.committee import AttendanceFactory, CommitteeFactory, CommitteeMemberFactory, MeetingFactory
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory
from tests.support.web import login_in_english as _login

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee_with_people(agency_a, agency_b):
    committee = CommitteeFactory()
    chair = CommitteeMemberFactory(
        committee=committee, role="chair", user=UserFactory(last_name="Хоценко", agency=agency_a)
    ).user
    deputy = CommitteeMemberFactory(
        committee=committee, role="deputy_chair", user=UserFactory(last_name="Дорофеев", agency=agency_a)
    ).user
    secretary = CommitteeMemberFactory(
        committee=committee, role="secretary", user=UserFactory(last_name="Соколова", agency=agency_a)
    ).user
    member = CommitteeMemberFactory(
        committee=committee, role="member", user=UserFactory(last_name="Абаев", agency=agency_b)
    ).user
    retired = CommitteeMemberFactory(
        committee=committee, user=UserFactory(last_name="Бывший", agency=agency_b, is_active=False)
    ).user
    group = WorkingGroup.objects.create(committee=committee, kind="logistics", name="Логистика", lead=deputy)
    lone = UserFactory(last_name="Ясенев", agency=agency_b)
    group.members.set([member, lone])
    return (
        committee,
        {"chair": chair, "deputy": deputy, "secretary": secretary, "member": member, "retired": retired, "lone": lone},
        group,
    )


# --- Inviting in one step -------------------------------------------------------------------------


def test_inviting_the_whole_committee_adds_its_active_members_and_keeps_existing_rows(
    secretariat, committee_with_people
):
    committee, people, _group = committee_with_people
    meeting = MeetingFactory(committee=committee)
    AttendanceFactory(meeting=meeting, user=people["chair"], status="present")
    added = services.meeting_invite_group(actor=secretariat, meeting=meeting, group=committee)
    rows = dict(MeetingAttendance.objects.filter(meeting=meeting).values_list("user__last_name", "status"))
    assert added == 3
    assert rows == {"Хоценко": "present", "Дорофеев": "invited", "Соколова": "invited", "Абаев": "invited"}


def test_inviting_a_working_group_adds_its_lead_and_members(secretariat, committee_with_people):
    committee, _people, group = committee_with_people
    meeting = MeetingFactory(committee=committee)
    assert services.meeting_invite_group(actor=secretariat, meeting=meeting, group=group) == 3
    assert sorted(meeting.attendance.values_list("user__last_name", flat=True)) == ["Абаев", "Дорофеев", "Ясенев"]
    assert services.meeting_invite_group(actor=secretariat, meeting=meeting, group=group) == 0


def test_inviting_another_committees_group_is_refused(secretariat, committee_with_people):
    _committee, _people, group = committee_with_people
    meeting = MeetingFactory(committee=CommitteeFactory(name="Другой"))
    with pytest.raises(ValidationError) as exc:
        services.meeting_invite_group(actor=secretariat, meeting=meeting, group=group)
    assert exc.value.message_dict == {"group": ["Choose the meeting's committee or one of its working groups."]}
    assert meeting.attendance.count() == 0


def test_inviting_is_the_secretariats(staff_a, committee_with_people):
    committee, _people, _group = committee_with_people
    meeting = MeetingFactory(committee=committee)
    with pytest.raises(PermissionDenied):
        services.meeting_invite_group(actor=staff_a, meeting=meeting, group=committee)


def test_invite_form_on_the_meeting_page_invites_the_group_in_one_post(client, secretariat, committee_with_people):
    committee, _people, group = committee_with_people
    meeting = MeetingFactory(committee=committee)
    _login(client, secretariat)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'<option value="group-{group.pk}">Working group: Логистика</option>' in page
    response = client.post(
        reverse("committee:invite_group", args=[meeting.pk]), {"invite-group": "committee"}, follow=True
    )
    assert "4 people were added to the attendance list." in response.content.decode()
    assert meeting.attendance.count() == 4


def test_invite_form_with_a_foreign_group_shows_the_error_and_writes_nothing(
    client, secretariat, committee_with_people
):
    committee, _people, _group = committee_with_people
    other = WorkingGroup.objects.create(committee=CommitteeFactory(name="Другой"), kind="media", name="Пресса")
    meeting = MeetingFactory(committee=committee)
    response = _login(client, secretariat).post(
        reverse("committee:invite_group", args=[meeting.pk]), {"invite-group": f"group-{other.pk}"}
    )
    assert response.status_code == 200
    assert f"Select a valid choice. group-{other.pk} is not one of the available choices." in response.content.decode()
    assert meeting.attendance.count() == 0


# --- A new meeting's defaults ---------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 10, 1, 5, tzinfo=dt.UTC), tick=False)
def test_new_meeting_starts_with_the_committees_members_invited_and_its_next_event(
    client, secretariat, committee_with_people
):
    committee, _people, _group = committee_with_people
    past = EventFactory(number="XXI", start_date=dt.date(2025, 9, 1), end_date=dt.date(2025, 9, 2))
    forum = EventFactory(number="XXII", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
    later = EventFactory(number="XXIII", start_date=dt.date(2027, 9, 1), end_date=dt.date(2027, 9, 2))
    committee.events.set([past, forum, later])
    form = _login(client, secretariat).get(reverse("committee:meeting_create")).context["form"]
    assert form.initial["committee"] == committee
    assert form.initial["event"] == forum
    # The active members, the inactive one left out, in name order.
    assert [u.last_name for u in form.initial["invitees"]] == ["Абаев", "Дорофеев", "Соколова", "Хоценко"]
    chosen = client.get(reverse("committee:meeting_create"), {"event": later.pk}).context["form"]
    assert chosen.initial["event"] == later
    foreign = EventFactory(number="X")
    ignored = client.get(reverse("committee:meeting_create"), {"event": foreign.pk}).context["form"]
    assert ignored.initial["event"] == forum


def test_new_meeting_with_an_event_of_another_committee_is_refused(secretariat, committee_with_people):
    committee, _people, _group = committee_with_people
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=secretariat,
            committee=committee,
            starts_at=dt.datetime(2026, 11, 5, 4, tzinfo=dt.UTC),
            place="Омск",
            event=EventFactory(),
        )
    assert exc.value.message_dict == {"event": ["Choose one of the committee's events."]}
    assert committee.meetings.count() == 0


def test_new_meeting_saved_with_its_event_and_invitees(client, secretariat, committee_with_people):
    committee, people, _group = committee_with_people
    forum = EventFactory()
    committee.events.add(forum)
    response = _login(client, secretariat).post(
        reverse("committee:meeting_create"),
        {
            "committee": committee.pk,
            "event": forum.pk,
            "starts_at": "2026-11-05T10:00",
            "place": "Омск",
            "invitees": [people["chair"].pk, people["member"].pk],
        },
    )
    meeting = committee.meetings.get()
    assert response.status_code == 302
    assert meeting.event == forum
    assert sorted(meeting.attendance.values_list("user__last_name", flat=True)) == ["Абаев", "Хоценко"]


# --- The committee page ---------------------------------------------------------------------------


def test_committee_page_lists_people_in_protocol_order_and_group_readiness(
    client, staff_a, committee_with_people, agency_a
):
    committee, _people, group = committee_with_people
    TaskFactory(working_group=group, lead_agency=agency_a, status="accepted")
    TaskFactory(working_group=group, lead_agency=agency_a, status="assigned")
    content = _login(client, staff_a).get(reverse("committee_pages:detail", args=[committee.pk])).content.decode()
    order = [content.index(name) for name in ("Хоценко", "Дорофеев", "Соколова", "Абаев")]
    assert order == sorted(order)
    assert "Deputy chair" in content
    assert "50% (1 of 2)" in content
    assert "Ясенев" in content


@pytest.mark.parametrize("count", [1, 12])
def test_committee_page_query_count_does_not_grow(client, staff_a, agency_a, django_assert_num_queries, count):
    committee = CommitteeFactory()
    for n in range(count):
        CommitteeMemberFactory(committee=committee, user=UserFactory(agency=agency_a))
        group = WorkingGroup.objects.create(
            committee=committee, kind=f"k{n}", name=f"Группа {n}", lead=UserFactory(agency=agency_a)
        )
        group.members.set([UserFactory(agency=agency_a), UserFactory(agency=agency_a)])
        TaskFactory(working_group=group, lead_agency=agency_a)
        committee.events.add(EventFactory())
    _login(client, staff_a)
    with django_assert_num_queries(11 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("committee_pages:detail", args=[committee.pk]))
    content = response.content.decode()
    assert content.count('class="member-row') == count
    assert content.count('class="border rounded p-2 mb-2 working-group"') == count


@pytest.mark.parametrize("count", [1, 12])
def test_committee_list_query_count_does_not_grow(client, staff_a, django_assert_num_queries, count):
    for n in range(count):
        CommitteeMemberFactory(committee=Committee.objects.create(name=f"Комитет {n}"))
    _login(client, staff_a)
    with django_assert_num_queries(7 + 1):  # + 1: the menu's unread count
        response = client.get(reverse("committee_pages:list"))
    assert response.content.decode().count('class="list-group-item committee-row"') == count


def test_committee_page_of_an_unknown_committee_is_404(client, staff_a):
    assert _login(client, staff_a).get(reverse("committee_pages:detail", args=[9999])).status_code == 404
