"""A person's sessions: recorded at login with device and real address, touched once a minute, ended one by one
or everywhere else (which also voids mailed links), ended all at once by an administrator, and a limit per person."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone, translation

from omskevents.accounts.models import UserSession
from omskevents.accounts.sessions import device_of
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"


@pytest.fixture
def person(db, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    return UserFactory(username="p", role="agency_staff", is_staff=False)


def _login(user_agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)
    response = client.post("/accounts/login/", {"username": "p", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_login_is_recorded_with_device_and_the_real_address(person):
    _login(FIREFOX, "198.51.100.7")
    record = UserSession.objects.get(user=person)
    assert (record.ip, record.user_agent) == ("198.51.100.7", FIREFOX)
    assert Session.objects.filter(session_key=record.session_key).exists()


@pytest.mark.parametrize(
    ("agent", "device"),
    [
        (FIREFOX, "Firefox, Windows"),
        (PHONE, "Chrome, Android"),
        ("", "неизвестное устройство"),
        ("curl/8.0", "curl/8.0"),
    ],
)
def test_device_names(agent, device):

    with translation.override("ru"):
        assert device_of(agent) == device


def test_the_sessions_page_lists_the_persons_live_sessions_only(person):
    other = _login(PHONE, "203.0.113.9")
    me = _login(FIREFOX, "198.51.100.7")
    stranger = UserFactory(username="s", is_staff=False)
    Client().force_login(stranger)
    body = me.get("/accounts/sessions/").content.decode()
    assert "Chrome, Android" in body
    assert "203.0.113.9" in body
    assert "Firefox, Windows" in body
    assert "Этот сеанс" in body
    assert body.count('name="session"') == 1
    assert other.get("/").status_code == 200


def test_last_seen_is_written_at_most_once_a_minute(person):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = _login(FIREFOX, "198.51.100.7")
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        client.get("/")
        assert UserSession.objects.get().last_seen == start
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        client.get("/")
        assert UserSession.objects.get().last_seen == start + dt.timedelta(seconds=90)


def test_ending_one_session_signs_that_browser_out(person):
    other = _login(PHONE, "203.0.113.9")
    me = _login(FIREFOX, "198.51.100.7")
    target = UserSession.objects.get(user_agent=PHONE)
    response = me.post("/accounts/sessions/", {"action": "end", "session": str(target.pk)}, follow=True)
    assert "Сеанс завершён" in response.content.decode()
    assert not Session.objects.filter(session_key=target.session_key).exists()
    assert other.get("/")["Location"].startswith("/accounts/login/")
    assert me.get("/").status_code == 200


@pytest.mark.parametrize("session", ["", "x", "-1", "١", "99999999999999999999999", "0"])
def test_ending_a_malformed_or_missing_session_changes_nothing(person, session):
    me = _login(FIREFOX, "198.51.100.7")
    response = me.post("/accounts/sessions/", {"action": "end", "session": session}, follow=True)
    assert response.status_code == 200
    assert UserSession.objects.count() == 1


def test_a_person_cannot_end_someone_elses_session(person):
    stranger = UserFactory(username="s", is_staff=False)
    theirs = Client()
    theirs.post("/accounts/login/", {"username": "s", "password": PASSWORD})
    target = UserSession.objects.get(user=stranger)
    me = _login(FIREFOX, "198.51.100.7")
    me.post("/accounts/sessions/", {"action": "end", "session": str(target.pk)})
    assert theirs.get("/").status_code == 200


def test_sign_out_everywhere_else_ends_other_sessions_and_voids_mailed_links(person):
    others = [_login(PHONE, "203.0.113.9"), _login(PHONE, "203.0.113.10")]
    me = _login(FIREFOX, "198.51.100.7")
    me.post("/accounts/sessions/", {"action": "end_others"})
    assert [c.get("/").status_code for c in others] == [302, 302]
    assert me.get("/").status_code == 200
    person.refresh_from_db()
    assert person.links_revoked_at is not None
    assert UserSession.objects.count() == 1


def test_the_oldest_sessions_end_past_the_limit(person, settings):
    settings.MAX_SESSIONS_PER_USER = 2
    start = timezone.now()
    clients = []
    for n in range(3):
        with time_machine.travel(start + dt.timedelta(minutes=n), tick=False):
            clients.append(_login(FIREFOX, f"198.51.100.{n + 1}"))
    assert sorted(UserSession.objects.values_list("ip", flat=True)) == ["198.51.100.2", "198.51.100.3"]
    assert [c.get("/").status_code for c in clients] == [302, 200, 200]


def test_logout_removes_the_record(person):
    me = _login(FIREFOX, "198.51.100.7")
    me.post("/accounts/logout/")
    assert UserSession.objects.count() == 0


def test_an_administrator_ends_all_sessions_of_a_person(client, person):
    others = [_login(PHONE, "203.0.113.9"), _login(FIREFOX, "198.51.100.7")]
    admin = UserFactory(username="sec", role="secretariat", agency=None)
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/", {"action": "end_all_sessions", "_selected_action": [str(person.pk)]}, follow=True
    )
    assert "Завершено сеансов: 2" in response.content.decode()
    assert [c.get("/").status_code for c in others] == [302, 302]
    person.refresh_from_db()
    assert person.links_revoked_at is not None
    assert client.get("/").status_code == 200


def test_a_head_cannot_end_the_sessions_of_another_agencys_person(client, person):
    theirs = _login(FIREFOX, "198.51.100.7")
    head = UserFactory(username="h", role="agency_head")
    client.force_login(head)
    client.post("/admin/accounts/user/", {"action": "end_all_sessions", "_selected_action": [str(person.pk)]})
    assert theirs.get("/").status_code == 200


@pytest.mark.parametrize("sessions", [1, 6])
def test_sessions_page_query_count_does_not_grow(person, sessions, django_assert_num_queries):
    for n in range(sessions - 1):
        _login(PHONE, f"203.0.113.{n + 1}")
    me = _login(FIREFOX, "198.51.100.7")
    me.get("/accounts/sessions/")
    # The session, the person, their live sessions.
    with django_assert_num_queries(3 + 1):  # + 1: the menu's unread count
        response = me.get("/accounts/sessions/")
    assert response.content.decode().count("<tr>") == sessions + 1
