import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from omskevents.accounts.models import CalendarFeedToken
from omskevents.accounts.services import calendar_token_issue
from tests.factories.committee import AttendanceFactory, MeetingFactory
from tests.factories.workplan import TaskFactory
from tests.support.web import login_in_english as _login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _components(body: bytes, name: str):
    return [c for c in Calendar.from_ical(body).walk() if c.name == name]


def test_calendar_page_creates_regenerates_and_revokes_the_address(client, staff_a):
    _login(client, staff_a)
    url = reverse("calendar:settings")
    assert "You have no calendar feed." in client.get(url).content.decode()
    client.post(url, {"action": "issue"})
    first = CalendarFeedToken.objects.get(user=staff_a).key
    page = client.get(url).content.decode()
    assert reverse("calendar:feed", args=[first]) in page
    client.post(url, {"action": "issue"})
    second = CalendarFeedToken.objects.get(user=staff_a).key
    assert second != first
    assert client.get(reverse("calendar:feed", args=[first])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[second])).status_code == 200
    client.post(url, {"action": "revoke"})
    assert not CalendarFeedToken.objects.filter(user=staff_a).exists()
    assert client.get(reverse("calendar:feed", args=[second])).status_code == 404


def test_calendar_page_requires_login(client):
    response = client.get(reverse("calendar:settings"))
    assert response.status_code == 302


def test_calendar_feed_with_an_unknown_key_is_404(client):
    assert client.get(reverse("calendar:feed", args=["not-a-real-key"])).status_code == 404


def test_calendar_feed_of_a_deactivated_person_is_404(client, staff_a):
    token = calendar_token_issue(user=staff_a)
    staff_a.is_active = False
    staff_a.save()
    assert client.get(reverse("calendar:feed", args=[token.key])).status_code == 404


def test_calendar_feed_holds_only_the_owners_deadlines_and_meetings(client, staff_a, agency_a, agency_b):
    ours = TaskFactory(title="Подготовить причал", lead_agency=agency_a, deadline=dt.date(2026, 12, 3))
    TaskFactory(title="Чужое поручение", lead_agency=agency_b)
    TaskFactory(title="Снятое с контроля", lead_agency=agency_a, status="accepted")
    invited = MeetingFactory(number=8, starts_at=dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC))
    AttendanceFactory(meeting=invited, user=staff_a)
    MeetingFactory(number=9)
    staff_a.language = "en"
    staff_a.save()
    token = calendar_token_issue(user=staff_a)

    response = client.get(reverse("calendar:feed", args=[token.key]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    todos = _components(response.content, "VEVENT")
    summaries = sorted(str(c["SUMMARY"]) for c in todos)
    assert len(summaries) == 2
    assert any("Meeting No. 8" in s for s in summaries)
    assert not any("Meeting No. 9" in s for s in summaries)
    deadline = next(c for c in todos if c["UID"] == f"task-{ours.pk}-deadline@omskevents")
    assert deadline.decoded("DTSTART") == dt.date(2026, 12, 3)
    assert deadline.decoded("DTEND") == dt.date(2026, 12, 4)
    meeting = next(c for c in todos if c["UID"] == f"meeting-{invited.pk}@omskevents")
    assert meeting.decoded("DTSTART") == dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
    assert "DTSTART:20261201T050000Z" in response.content.decode()
    alarms = [c for c in meeting.walk() if c.name == "VALARM"]
    assert [(str(a["ACTION"]), a.decoded("TRIGGER")) for a in alarms] == [("DISPLAY", -dt.timedelta(hours=1))]


def test_calendar_feed_speaks_the_owners_language(client, staff_a):
    AttendanceFactory(meeting=MeetingFactory(number=4), user=staff_a)
    staff_a.language = "en"
    staff_a.save()
    token = calendar_token_issue(user=staff_a)
    body = client.get(reverse("calendar:feed", args=[token.key]), HTTP_ACCEPT_LANGUAGE="ru").content
    assert str(Calendar.from_ical(body)["X-WR-CALNAME"]) == f"Forum organising committee: {staff_a}"


def test_calendar_feed_of_the_secretariat_carries_every_meeting(client, secretariat):
    MeetingFactory(number=1)
    MeetingFactory(number=2, status="cancelled")
    token = calendar_token_issue(user=secretariat)
    body = client.get(reverse("calendar:feed", args=[token.key])).content
    statuses = sorted(str(c["STATUS"]) for c in _components(body, "VEVENT"))
    assert statuses == ["CANCELLED", "CONFIRMED"]


def test_meeting_ics_has_one_event_with_an_alarm(client, staff_a):
    meeting = MeetingFactory(
        number=3,
        title="Логистика",
        place="Речной вокзал",
        ends_at=dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC),
        sequence=2,
    )
    response = _login(client, staff_a).get(reverse("committee:meeting_ics", args=[meeting.pk]))
    events = _components(response.content, "VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == f"{meeting.committee}: Meeting No. 3 — Логистика"
    assert (str(event["LOCATION"]), event["SEQUENCE"]) == ("Речной вокзал", 2)
    assert event.decoded("DTEND") == dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)
    assert str(event["URL"]).endswith(meeting.get_absolute_url())
    assert len([c for c in event.walk() if c.name == "VALARM"]) == 1


def test_meeting_ics_requires_login(client):
    meeting = MeetingFactory()
    assert client.get(reverse("committee:meeting_ics", args=[meeting.pk])).status_code == 302


@pytest.mark.parametrize("count", [1, 20])
def test_calendar_feed_query_count_does_not_grow(client, staff_a, agency_a, django_assert_num_queries, count):
    for n in range(count):
        TaskFactory(lead_agency=agency_a)
        AttendanceFactory(
            meeting=MeetingFactory(starts_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC) + dt.timedelta(days=n)),
            user=staff_a,
        )
    token = calendar_token_issue(user=staff_a)
    with django_assert_num_queries(5):
        response = client.get(reverse("calendar:feed", args=[token.key]))
    assert len(_components(response.content, "VEVENT")) == 2 * count
