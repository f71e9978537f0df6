"""The security log as rows: every event written with UTC time and the real client address, append-only (ORM,
admin and, on PostgreSQL, the database), a retention purge as the only delete, and a CSV export for the
secretariat."""

import csv
import datetime as dt
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from omskevents.accounts.audit import security_events_purge
from omskevents.accounts.models import AppendOnlyError, SecurityEvent
from omskevents.accounts.tasks import purge_security_events
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.1"


@pytest.fixture
def proxied(settings):
    settings.TRUSTED_PROXIES = [PROXY]


def _events() -> list[tuple[str, str, str | None]]:
    return list(SecurityEvent.objects.order_by("pk").values_list("event", "username", "ip"))


def test_login_and_failures_are_rows_with_the_real_address(client, proxied):
    UserFactory(username="p", is_staff=False, role="agency_staff")
    client.post(
        "/accounts/login/",
        {"username": "p", "password": "wrong"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    client.post(
        "/accounts/login/",
        {"username": "p", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert _events() == [("login_failed", "p", "198.51.100.7"), ("login", "p", "198.51.100.7")]
    event = SecurityEvent.objects.get(event="login")
    assert event.at.utcoffset() == dt.timedelta(0)
    assert abs((timezone.now() - event.at).total_seconds()) < 60


def test_lockout_is_a_row(client, proxied, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="p", is_staff=False, role="agency_staff")
    for _ in range(2):
        client.post(
            "/accounts/login/",
            {"username": "p", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    assert ("login_locked_out", "p", "198.51.100.7") in _events()


def test_rows_cannot_be_changed_or_deleted_through_the_orm():
    SecurityEvent.objects.create(event="login", username="p")
    event = SecurityEvent.objects.get()
    event.username = "someone else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().delete()
    assert _events() == [("login", "p", None)]


@pytest.mark.postgres
def test_the_database_refuses_update_and_delete_outside_the_purge():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    event = SecurityEvent.objects.create(event="login", username="p")
    for sql in ("UPDATE accounts_securityevent SET username = 'x'", "DELETE FROM accounts_securityevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert SecurityEvent.objects.get().pk == event.pk
    assert security_events_purge(before=timezone.now() + dt.timedelta(days=1)) == 1


def test_the_retention_purge_deletes_only_older_rows(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    SecurityEvent.objects.create(event="login", username="old", at=now - dt.timedelta(days=31))
    SecurityEvent.objects.create(event="login", username="recent", at=now - dt.timedelta(days=29))
    purge_security_events()
    assert list(SecurityEvent.objects.values_list("username", flat=True)) == ["recent"]


def test_permission_changes_in_the_admin_are_rows(client):
    admin = UserFactory(username="sec", role="secretariat", agency=None, is_superuser=True)
    person = UserFactory(username="p", role="agency_staff", is_staff=False)
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    data = {
        k: v
        for k, v in page.context["adminform"].form.initial.items()
        if v is not None and k not in ("password", "groups", "user_permissions", "last_login", "date_joined")
    }
    data |= {"role": "agency_head", "is_staff": "on", "is_active": "on", "agency": person.agency_id}
    response = client.post(f"/admin/accounts/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = SecurityEvent.objects.get(event="permissions_changed")
    assert event.username == "p"
    assert event.details["by"] == "sec"
    assert event.details["role"] == "'agency_staff'->'agency_head'"
    assert event.details["is_staff"] == "False->True"


def test_the_secretariat_exports_the_log_as_csv_and_the_export_is_logged(client):
    admin = UserFactory(username="sec", role="secretariat", agency=None)
    SecurityEvent.objects.create(event="login_failed", username="=cmd|' /C calc'!A0", ip="198.51.100.7")
    client.force_login(admin)
    ids = [str(pk) for pk in SecurityEvent.objects.values_list("pk", flat=True)]
    response = client.post("/admin/accounts/securityevent/", {"action": "export_csv", "_selected_action": ids})
    assert response["Content-Disposition"] == 'attachment; filename="security-events.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["time_utc", "event", "user", "agency", "ip", "details"]
    assert [row[1] for row in rows[1:]] == ["login_failed", "login"]
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
    assert rows[1][0].endswith("+00:00")
    assert SecurityEvent.objects.filter(event="export", username="sec").count() == 1


def test_an_action_plan_export_is_logged(client):
    person = UserFactory(username="p", is_staff=False, role="agency_staff")
    client.force_login(person)
    assert client.get("/tasks/export.csv").status_code == 200
    event = SecurityEvent.objects.get(event="export")
    assert (event.username, event.details["kind"]) == ("p", "action_plan_csv")


def test_only_the_secretariat_reads_the_log_in_the_admin(client):
    head = UserFactory(username="h", role="agency_head")
    client.force_login(head)
    assert client.get("/admin/accounts/securityevent/").status_code == 403
