"""Signed one-click links, unsubscribing, preferences, the admin's outbox and the management command."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from omskevents.notifications import dispatch, links
from omskevents.notifications.enums import Delivery, State
from omskevents.notifications.models import Notification, NotificationPreference
from omskevents.workplan.models import ExtensionRequest, ProgressReport
from tests.factories.workplan import TaskFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """Pages in English, so the assertions read the English messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


UTC = dt.UTC
MOMENT = dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)


def _path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def test_signed_link_reports_progress_without_logging_in(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency)
    url = _path(links.task_action_url(user=executor, task_id=task.pk, action="report"))
    page = client.get(url)
    assert page.status_code == 200
    assert task.title in page.content.decode()
    response = client.post(url, {"text": "Причал готов на 80 %"})
    assert response.status_code == 200
    report = ProgressReport.objects.get()
    assert (report.task, report.author, report.text, report.is_final) == (task, executor, "Причал готов на 80 %", False)


def test_signed_link_requests_an_extension(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 11, 2))
    url = _path(links.task_action_url(user=executor, task_id=task.pk, action="extend"))
    response = client.post(url, {"new_deadline": "2026-11-20", "reason": "Ледоход"})
    assert response.status_code == 200
    request = ExtensionRequest.objects.get()
    assert (request.new_deadline, request.requested_by, request.reason) == (dt.date(2026, 11, 20), executor, "Ледоход")


def test_signed_link_with_an_earlier_deadline_shows_the_error_and_changes_nothing(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 11, 2))
    url = _path(links.task_action_url(user=executor, task_id=task.pk, action="extend"))
    response = client.post(url, {"new_deadline": "2026-10-01", "reason": "Ледоход"})
    assert response.status_code == 400
    assert "The requested deadline must be later than the current one." in response.content.decode()
    assert ExtensionRequest.objects.count() == 0


def test_expired_link_is_refused(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency)
    with time_machine.travel(dt.datetime(2026, 5, 1, tzinfo=UTC), tick=False):
        url = _path(links.task_action_url(user=executor, task_id=task.pk, action="report"))
    with time_machine.travel(dt.datetime(2026, 5, 16, tzinfo=UTC), tick=False):
        response = client.post(url, {"text": "Поздно"})
    assert response.status_code == 400
    assert "This link has expired." in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_tampered_link_is_refused(calendars, executor, client):
    task = make_task(responsible=executor, lead_agency=executor.agency)
    url = _path(links.task_action_url(user=executor, task_id=task.pk, action="report"))
    response = client.post(url[:-3] + "xx/", {"text": "Подделка"})
    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_link_of_a_person_outside_the_task_is_refused(calendars, executor, client):
    from tests.factories.accounts import UserFactory

    outsider = UserFactory(username="outsider")
    task = make_task(responsible=executor, lead_agency=executor.agency)
    url = _path(links.task_action_url(user=outsider, task_id=task.pk, action="report"))
    response = client.post(url, {"text": "Чужое"})
    assert response.status_code == 403
    assert ProgressReport.objects.count() == 0


def test_one_click_unsubscribe_from_the_digest_switches_back_to_single_reminders(executor, client):
    NotificationPreference.objects.create(user=executor, delivery=Delivery.DAILY, reminders_mode="digest")
    response = client.post(_path(links.unsubscribe_url(user=executor, kind="digest")))
    assert response.status_code == 200
    pref = NotificationPreference.objects.get(user=executor)
    assert (pref.digests, pref.delivery, pref.reminders_mode, pref.muted_kinds) == (
        True,
        Delivery.IMMEDIATE,
        "mail",
        [],
    )


def test_preferences_page_saves_the_choice(executor, client):
    client.force_login(executor)
    data = {
        "assignments_mode": "mail",
        "reminders_mode": "digest",
        "status_mode": "app",
        "meetings_mode": "mail",
        "delivery": "weekly",
        "language": "en",
    }
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=executor)
    assert (pref.delivery, pref.language, pref.status_mode, pref.reminders_mode, pref.digests) == (
        "weekly",
        "en",
        "app",
        "digest",
        False,
    )


def test_preferences_page_refuses_an_unknown_delivery(executor, client):
    client.force_login(executor)
    response = client.post(reverse("notifications:preferences"), {"delivery": "hourly"})
    assert response.status_code == 400
    assert NotificationPreference.objects.count() == 0


def test_preferences_page_needs_login(client):
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _queued_rows(executor):
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    dispatch.outbox_scan(now=MOMENT)
    return Notification.objects.get()


def test_admin_outbox_lists_and_filters(calendars, executor, client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x", role="secretariat")
    row = _queued_rows(executor)
    client.force_login(admin)
    response = client.get(reverse("admin:notifications_notification_changelist"), {"state": "queued"})
    assert response.status_code == 200
    assert "exec@example.org" in response.content.decode()
    response = client.get(reverse("admin:notifications_notification_changelist"), {"state": "sent"})
    assert "exec@example.org" not in response.content.decode()
    assert row.state == State.QUEUED


def test_admin_cancel_action(calendars, executor, client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x", role="secretariat")
    row = _queued_rows(executor)
    client.force_login(admin)
    client.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "cancel", "_selected_action": [row.pk]},
    )
    row.refresh_from_db()
    assert row.state == State.CANCELLED


def test_reminders_scan_and_status_commands(calendars, executor, mailoutbox):
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    out = io.StringIO()
    with time_machine.travel(MOMENT, tick=False):
        call_command("reminders", "scan", "--at", "2026-05-08T09:00:00+06:00", "--sync", stdout=out)
        call_command("reminders", "scan", "--at", "2026-05-08T09:05:00+06:00", "--sync", stdout=out)
    assert out.getvalue().split("\n")[:2] == ["created: 1", "dispatched: 1"]
    assert len(mailoutbox) == 1
    status = io.StringIO()
    call_command("reminders", "status", stdout=status)
    assert status.getvalue().splitlines() == [
        "queued: 0",
        "sending: 0",
        "uncertain: 0 (possibly sent: the sender stopped between the SMTP server's answer and its record)",
        "sent: 1",
        "failed: 0",
        "cancelled: 0",
        "gathered: 0",
        "held: 0",
        "flagged possibly sent, ever: 0",
    ]


def test_reminders_scan_refuses_a_bad_moment():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="not an ISO-8601"):
        call_command("reminders", "scan", "--at", "tomorrow")


def test_task_page_lists_notifications_for_the_secretariat_only(client, settings, secretariat, staff_a, agency_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    task = TaskFactory(lead_agency=agency_a)

    client.force_login(secretariat)
    as_secretariat = client.get(reverse("workplan:task_detail", args=[task.pk]))
    client.force_login(staff_a)
    as_staff = client.get(reverse("workplan:task_detail", args=[task.pk]))

    # The outbox's section of the task page (workplan.signals.task_page), for those who manage the task.
    assert as_secretariat.context["sections"]["side"][0].template == "notifications/task_outbox.html"
    assert list(as_secretariat.context["sections"]["side"][0].context["entries"]) == []
    assert 'id="sent-title"' in as_secretariat.content.decode()
    assert "Nothing has been sent about this task." in as_secretariat.content.decode()
    assert "side" not in as_staff.context["sections"]
    assert 'id="sent-title"' not in as_staff.content.decode()
