import logging

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_failed_login_is_logged_with_agency_and_utc_time_but_no_password(client, staff_a, caplog):
    with caplog.at_level(logging.WARNING, logger="omskevents.security"):
        response = client.post("/accounts/login/", {"username": "staff_a", "password": "wrong-secret-passphrase"})
    assert response.status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "omskevents.security"]
    assert len(lines) == 1
    assert lines[0].startswith("login_failed user='staff_a' agency='МИД России ДСФ' ip=127.0.0.1 at=")
    assert "+00:00" in lines[0]
    assert "wrong-secret-passphrase" not in caplog.text


@override_settings(AXES_FAILURE_LIMIT=5)
def test_five_failures_lock_username_and_ip_but_not_the_username_elsewhere(client, staff_a, caplog):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "staff_a", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(
        "/accounts/login/", {"username": "staff_a", "password": "correct horse battery staple"}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    elsewhere = client.post(
        "/accounts/login/", {"username": "staff_a", "password": "correct horse battery staple"}, REMOTE_ADDR="10.0.0.2"
    )
    assert elsewhere.status_code == 302
    assert "login_locked_out user='staff_a'" in caplog.text


def test_logout_requires_post(client, staff_a):
    client.force_login(staff_a)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_deactivated_users_session_stops_working(client, staff_a):
    client.force_login(staff_a)
    staff_a.is_active = False
    staff_a.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_ends_after_absolute_limit(client, staff_a, settings):
    import time_machine

    settings.SESSION_ABSOLUTE_SECONDS = 3600
    with time_machine.travel("2026-11-25 09:00 +06:00", tick=False) as traveller:
        client.force_login(staff_a)
        assert client.get("/").status_code == 200
        traveller.shift(3000)
        assert client.get("/").status_code == 200
        traveller.shift(1000)
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_ends_after_two_idle_hours_but_not_while_in_use(client, staff_a, settings):
    import time_machine

    settings.SESSION_COOKIE_AGE = 7200
    with time_machine.travel("2026-11-25 09:00 +06:00", tick=False) as traveller:
        client.force_login(staff_a)
        for _ in range(4):  # five hours of steady use, a request every 75 minutes
            traveller.shift(75 * 60)
            assert client.get("/").status_code == 200
        traveller.shift(7201)
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_copied_session_cookie_is_dead_after_logout(client, staff_a):
    from django.test import Client

    client.force_login(staff_a)
    stolen = Client()
    stolen.cookies["sessionid"] = client.cookies["sessionid"].value
    assert stolen.get("/").status_code == 200

    client.post("/accounts/logout/")

    response = stolen.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
