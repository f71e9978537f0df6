"""Password reset by mail: the same answer for known and unknown addresses, links from SITE_URL (never the Host
header), single-use and short-lived tokens, budgets per address and per client address, and no way around the
second factor."""

import binascii
import logging
import re
import time

import pytest
import time_machine
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
SENT = "/accounts/password/reset/sent/"
NEW = "a-new and long passphrase 2026"


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://orgcom.example.ru"
    settings.ALLOWED_HOSTS = ["orgcom.example.ru", "evil.example", "testserver"]
    settings.PASSWORD_RESET_PER_EMAIL = 3
    settings.PASSWORD_RESET_PER_IP = 10


@pytest.fixture
def person(db):
    return UserFactory(username="head", role="agency_head", email="head@example.org")


def _link(message) -> str:
    match = re.search(r"https://orgcom\.example\.ru(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match is not None, message.body
    return match.group(1)


def _set_password(client, link: str):
    form = client.get(link, follow=True)
    return client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})


def test_known_and_unknown_addresses_get_the_same_answer(client, site, person):
    known = client.post(RESET, {"email": "head@example.org"})
    unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (302, SENT)
    assert (unknown.status_code, unknown["Location"]) == (302, SENT)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["head@example.org"]
    page = client.get(SENT).content.decode()
    assert "Если учётная запись с этим адресом существует" in page


def test_the_link_is_built_from_site_url_never_the_host_header(client, site, person):
    client.post(RESET, {"email": "head@example.org"}, HTTP_HOST="evil.example")
    message = mail.outbox[0]
    assert "evil.example" not in message.body
    assert _link(message).startswith("/accounts/password/reset/")
    html = message.alternatives[0][0]
    assert "https://orgcom.example.ru/accounts/password/reset/" in html
    assert "evil.example" not in html
    assert message.subject == "Сброс пароля в рабочем пространстве оргкомитета"


def test_a_link_works_once(client, site, person, caplog):
    client.post(RESET, {"email": "head@example.org"})
    link = _link(mail.outbox[0])
    with caplog.at_level(logging.WARNING, logger="omskevents.security"):
        response = _set_password(client, link)
    assert response["Location"] == "/accounts/password/reset/complete/"
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert "password_reset_done user='head'" in caplog.text
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "Ссылка уже использована или устарела" in again.content.decode()


def test_a_link_expires_after_an_hour(client, site, person, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    client.post(RESET, {"email": "head@example.org"})
    link = _link(mail.outbox[0])
    # A timestamp, not an aware datetime: Django's token clock is the naive local time.
    with time_machine.travel(time.time() + 3601, tick=False):
        response = client.get(link, follow=True)
    assert response.context["validlink"] is False
    person.refresh_from_db()
    assert not person.check_password(NEW)


def test_requests_past_the_budget_of_an_address_send_nothing_and_look_the_same(client, site, person, caplog):
    with caplog.at_level(logging.WARNING, logger="omskevents.security"):
        answers = [client.post(RESET, {"email": "HEAD@example.org "}, REMOTE_ADDR=f"10.1.0.{n}") for n in range(5)]
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, SENT)] * 5
    assert len(mail.outbox) == 3
    assert caplog.text.count("password_reset_requested") == 5
    assert caplog.text.count("throttled=True") == 2


def test_one_client_address_has_a_budget_across_addresses(client, site, person, settings):
    settings.PASSWORD_RESET_PER_IP = 2
    for n in range(3):
        UserFactory(username=f"p{n}", email=f"p{n}@example.org")
    for n in range(3):
        assert client.post(RESET, {"email": f"p{n}@example.org"}, REMOTE_ADDR="198.51.100.9")["Location"] == SENT
    assert len(mail.outbox) == 2
    client.post(RESET, {"email": "head@example.org"}, REMOTE_ADDR="198.51.100.10")
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("email", ["", "not an address", "x" * 300 + "@example.org", "a@b\x00.ru"])
def test_a_malformed_address_is_refused_with_a_message(client, site, person, email):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert mail.outbox == []


def test_a_reset_does_not_bypass_the_second_factor(client, site, person, settings):
    settings.SECOND_FACTOR_ENFORCED = True
    device = TOTPDevice.objects.create(user=person, name="authenticator", confirmed=True)
    client.post(RESET, {"email": "head@example.org"})
    _set_password(client, _link(mail.outbox[0]))
    assert "_auth_user_id" not in client.session
    client.post("/accounts/login/", {"username": "head", "password": NEW})
    assert client.get("/")["Location"] == "/accounts/two-factor/verify/?next=%2F"
    client.post("/accounts/two-factor/verify/", {"token": f"{totp(binascii.unhexlify(device.key)):06d}"})
    assert client.get("/").status_code == 200


def test_a_malformed_link_is_refused_without_an_error(client, site, person):
    for link in (
        "/accounts/password/reset/%FF/x-y/",
        "/accounts/password/reset/MQ/set-password/",
        "/accounts/password/reset/١/٢/",
    ):
        response = client.get(link, follow=True)
        assert response.status_code == 200
        assert response.context["validlink"] is False
