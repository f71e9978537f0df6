"""Destructive and mass-mailing actions ask first and can be undone for a few minutes: the cancellation mail of a
meeting waits for the undo window, a restore withdraws it unsent (tests the committee's pages with the outbox)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from omskevents.committee import services as committee_services
from omskevents.committee.models import AgendaItem, Decision, Meeting
from omskevents.notifications import dispatch
from omskevents.notifications.models import Notification, NotificationPreference
from omskevents.workplan.models import Task
from tests.factories.accounts import UserFactory
from tests.factories.committee import AttendanceFactory, DecisionFactory, MeetingFactory
from tests.factories.workplan import TaskFactory
from tests.support.web import login_in_english

pytestmark = pytest.mark.django_db

UTC = dt.UTC
MOMENT = dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)  # Friday, 09:00 in Omsk


@pytest.fixture
def clock():
    with time_machine.travel(MOMENT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def meeting(calendars, executor):
    meeting = MeetingFactory(starts_at=dt.datetime(2026, 5, 20, 5, 0, tzinfo=UTC))
    AttendanceFactory(meeting=meeting, user=executor)
    AttendanceFactory(
        meeting=meeting, user=UserFactory(last_name="Ахметова", first_name="Айгуль", email="a@example.kz")
    )
    return meeting


def _cancel_url(meeting):
    return reverse("committee:meeting_cancel", args=[meeting.pk])


def test_meeting_cancel_page_says_what_happens_and_who_is_mailed(client, secretariat, meeting, executor, clock):
    response = login_in_english(client, secretariat).get(_cancel_url(meeting))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Cancel {meeting}?" in html
    assert "2 people will get mail:" in html
    assert f"{executor} &lt;exec@example.org&gt;" in html
    assert "Ахметова Айгуль &lt;a@example.kz&gt;" in html
    assert "For 10 minutes after this you can undo the cancellation" in html
    assert 'name="confirm" value="yes"' in html
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_meeting_cancel_page_leaves_out_who_turned_meeting_mail_off(client, secretariat, meeting, executor, clock):
    NotificationPreference.objects.update_or_create(user=executor, defaults={"meetings_mode": "app"})

    html = login_in_english(client, secretariat).get(_cancel_url(meeting)).content.decode()

    assert "1 person will get mail:" in html
    assert "exec@example.org" not in html


def test_meeting_cancel_without_the_confirmation_changes_nothing(client, secretariat, meeting, clock):
    response = login_in_english(client, secretariat).post(_cancel_url(meeting))

    assert response.status_code == 200
    assert response.templates[0].name == "core/confirm.html"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancelled_at) == ("planned", None)
    assert Notification.objects.count() == 0


def test_meeting_cancel_with_confirmation_holds_the_mail_for_the_undo_window(
    client, secretariat, meeting, clock, mailoutbox
):
    response = login_in_english(client, secretariat).post(_cancel_url(meeting), {"confirm": "yes"})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancelled_at) == ("cancelled", MOMENT)
    rows = Notification.objects.filter(kind="meeting_cancelled")
    assert sorted(rows.values_list("state", "scheduled_for")) == [("queued", MOMENT + dt.timedelta(minutes=10))] * 2
    assert dispatch.outbox_dispatch(now=MOMENT + dt.timedelta(minutes=9), sync=True) == 0
    assert mailoutbox == []
    assert dispatch.outbox_dispatch(now=MOMENT + dt.timedelta(minutes=10), sync=True) == 2
    assert len(mailoutbox) == 2


def test_meeting_restore_within_the_window_withdraws_the_cancellation_unsent(
    client, secretariat, meeting, clock, mailoutbox
):
    login_in_english(client, secretariat).post(_cancel_url(meeting), {"confirm": "yes"})
    clock.shift(dt.timedelta(minutes=5))
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Undo the cancellation" in page

    response = client.post(reverse("committee:meeting_restore", args=[meeting.pk]))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancelled_at) == ("planned", None)
    assert set(Notification.objects.filter(kind="meeting_cancelled").values_list("state", flat=True)) == {"cancelled"}
    dispatch.outbox_dispatch(now=MOMENT + dt.timedelta(hours=1), sync=True)
    assert mailoutbox == []


def test_meeting_restore_after_the_window_is_refused(client, secretariat, meeting, clock):
    login_in_english(client, secretariat).post(_cancel_url(meeting), {"confirm": "yes"})
    clock.shift(dt.timedelta(minutes=10, seconds=1))
    assert "Undo the cancellation" not in client.get(meeting.get_absolute_url()).content.decode()

    client.post(reverse("committee:meeting_restore", args=[meeting.pk]))

    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert set(Notification.objects.filter(kind="meeting_cancelled").values_list("state", flat=True)) == {"queued"}


def test_meeting_restore_puts_back_the_reminders_the_cancellation_withdrew(secretariat, meeting, clock):
    clock.move_to(dt.datetime(2026, 5, 19, 3, 0, tzinfo=UTC))  # the working day before the meeting
    dispatch.outbox_scan(now=dt.datetime(2026, 5, 19, 3, 0, tzinfo=UTC))
    Notification.objects.filter(kind="meeting_reminder").update(state="queued", next_attempt_at=MOMENT.replace(day=30))
    reminders = Notification.objects.filter(kind="meeting_reminder")
    assert reminders.count() == 2

    committee_services.meeting_cancel(actor=secretariat, meeting=meeting)
    assert set(reminders.values_list("state", flat=True)) == {"cancelled"}
    committee_services.meeting_restore(actor=secretariat, meeting=meeting)

    assert set(reminders.values_list("state", flat=True)) == {"queued"}


def test_meeting_cancel_and_restore_are_the_secretariats(client, staff_a, meeting, clock):
    login_in_english(client, staff_a)

    assert client.get(_cancel_url(meeting)).status_code == 403
    assert client.post(_cancel_url(meeting), {"confirm": "yes"}).status_code == 403
    assert client.post(reverse("committee:meeting_restore", args=[meeting.pk])).status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"


def test_decision_delete_asks_first(client, secretariat, meeting, clock):
    decision = DecisionFactory(meeting=meeting, number="3", text="Утвердить смету форума")
    url = reverse("committee:decision_delete", args=[meeting.pk, decision.pk])
    login_in_english(client, secretariat)

    page = client.post(url)
    assert page.status_code == 200
    assert "Decision 3 of" in page.content.decode()
    assert "Nobody will get mail about this." in page.content.decode()
    assert Decision.objects.filter(pk=decision.pk).exists()

    client.post(url, {"confirm": "yes"})
    assert not Decision.objects.filter(pk=decision.pk).exists()


def test_decision_delete_confirmation_with_a_forged_value_deletes_nothing(client, secretariat, meeting, clock):
    decision = DecisionFactory(meeting=meeting)
    url = reverse("committee:decision_delete", args=[meeting.pk, decision.pk])

    for forged in ("1", "true", "YES", "yes ", ""):
        assert login_in_english(client, secretariat).post(url, {"confirm": forged}).status_code == 200
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_agenda_item_delete_asks_first_and_names_the_item(client, secretariat, meeting, clock):
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="О логистике делегаций")
    url = reverse("committee:agenda_delete", args=[meeting.pk, item.pk])
    login_in_english(client, secretariat)

    page = client.get(url)
    assert "Item 1 «О логистике делегаций» is removed" in page.content.decode()
    assert AgendaItem.objects.filter(pk=item.pk).exists()

    client.post(url, {"confirm": "yes"})
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_task_cancel_asks_first_then_can_be_undone(client, secretariat, agency_a, clock):
    task = TaskFactory(lead_agency=agency_a, status="in_progress")
    url = reverse("workplan:task_status", args=[task.pk])
    login_in_english(client, secretariat)

    page = client.post(url, {"status": "cancelled", "note": "Дублирует 2.3"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Cancel task {task}?" in html
    assert 'name="note" value="Дублирует 2.3"' in html
    assert Task.objects.get(pk=task.pk).status == "in_progress"

    client.post(url, {"status": "cancelled", "note": "Дублирует 2.3", "confirm": "yes"})
    assert Task.objects.get(pk=task.pk).status == "cancelled"
    assert "Undo the cancellation" in client.get(task.get_absolute_url()).content.decode()

    clock.shift(dt.timedelta(minutes=3))
    client.post(reverse("workplan:task_restore", args=[task.pk]))
    assert Task.objects.get(pk=task.pk).status == "in_progress"
    assert Notification.objects.filter(task=task).exclude(state="cancelled").count() == 0


def test_task_restore_after_the_window_or_by_an_executor_is_refused(client, secretariat, staff_a, agency_a, clock):
    task = TaskFactory(lead_agency=agency_a, status="assigned")
    login_in_english(client, secretariat).post(
        reverse("workplan:task_status", args=[task.pk]), {"status": "cancelled", "confirm": "yes"}
    )

    login_in_english(client, staff_a).post(reverse("workplan:task_restore", args=[task.pk]))
    assert Task.objects.get(pk=task.pk).status == "cancelled"

    clock.shift(dt.timedelta(minutes=11))
    login_in_english(client, secretariat).post(reverse("workplan:task_restore", args=[task.pk]))
    assert Task.objects.get(pk=task.pk).status == "cancelled"


def test_task_restore_of_a_task_out_of_sight_is_404(client, staff_b, agency_a, clock):
    task = TaskFactory(lead_agency=agency_a, status="cancelled", status_changed_at=MOMENT)

    response = login_in_english(client, staff_b).post(reverse("workplan:task_restore", args=[task.pk]))

    assert response.status_code == 404


def test_bulk_change_asks_first_and_names_the_tasks_and_the_mail(
    client, secretariat, agency_a, agency_b, staff_b, clock
):
    one, two = TaskFactory(lead_agency=agency_a, title="Первая"), TaskFactory(lead_agency=agency_a, title="Вторая")
    data = {"action": "reassign", "id": [one.pk, two.pk], "new_lead_agency": agency_b.pk, "new_responsible": staff_b.pk}
    login_in_english(client, secretariat)

    page = client.post(reverse("workplan:task_bulk"), data)

    assert page.status_code == 200
    html = page.content.decode()
    assert "2 tasks get a new executor:" in html
    assert "Первая" in html
    assert "Вторая" in html
    assert "1 person will get mail:" in html
    assert staff_b.email in html
    assert list(Task.objects.filter(pk__in=[one.pk, two.pk]).values_list("lead_agency", flat=True)) == [agency_a.pk] * 2

    client.post(reverse("workplan:task_bulk"), {**data, "confirm": "yes"})
    assert list(Task.objects.filter(pk__in=[one.pk, two.pk]).values_list("lead_agency", flat=True)) == [agency_b.pk] * 2


def test_bulk_shift_confirmation_counts_days_in_russian(client, secretariat, settings, clock):
    tasks = TaskFactory.create_batch(5)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    client.force_login(secretariat)

    html = client.post(
        reverse("workplan:task_bulk"),
        {"action": "shift", "id": [t.pk for t in tasks], "days": "3", "reason": "Перенос"},
    ).content.decode()

    assert "Сроки 5 поручений переносятся на 3 дня." in html
