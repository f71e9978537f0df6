"""Two-factor login: who must enrol, the enrolment, the code after the password, recovery codes, throttling and
the session lockout, the admin behind the same check, and the demo accounts' known secret."""

import base64
import binascii
import datetime as dt
import logging
import re

import pytest
import time_machine
from django.core.checks import run_checks
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from omskevents.accounts.second_factor import recovery_codes_issue
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"
MANAGE = "/accounts/two-factor/"


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.SECOND_FACTOR_ENFORCED = True


@pytest.fixture
def secretariat(db):
    return UserFactory(username="sec", role="secretariat", agency=None, is_staff=True)


@pytest.fixture
def staff(db):
    """An agency employee without admin access: the second factor is optional for them."""
    return UserFactory(username="staff", role="agency_staff", is_staff=False)


def _code(device: TOTPDevice) -> str:
    return f"{totp(binascii.unhexlify(device.key)):06d}"


def _device(user, *, key: str | None = None) -> TOTPDevice:
    extra = {"key": key} if key else {}
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True, **extra)


@pytest.mark.parametrize(
    ("role", "is_staff", "is_superuser", "agency", "required"),
    [
        ("secretariat", False, False, False, True),
        ("agency_head", False, False, True, True),
        ("agency_staff", True, False, True, True),
        ("agency_staff", False, True, True, True),
        ("agency_staff", False, False, True, False),
    ],
)
def test_who_is_sent_to_enrolment_after_the_password(client, role, is_staff, is_superuser, agency, required):
    kwargs = {} if agency else {"agency": None}
    user = UserFactory(username="p", role=role, is_staff=is_staff, is_superuser=is_superuser, **kwargs)
    response = client.post("/accounts/login/", {"username": "p", "password": PASSWORD}, follow=True)
    if required:
        assert response.redirect_chain[-1] == (f"{SETUP}?next=%2F", 302)
        assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 1
    else:
        assert response.redirect_chain == [("/", 302)]
        assert response.status_code == 200


@pytest.mark.parametrize("path", ["/", "/tasks/", "/admin/", "/admin/accounts/user/", "/accounts/password/", MANAGE])
def test_an_unenrolled_required_person_reaches_nothing_but_enrolment(client, secretariat, path):
    client.force_login(secretariat)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={path.replace('/', '%2F')}"


def test_logout_stays_open_before_the_second_factor(client, secretariat):
    client.force_login(secretariat)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrolment_shows_an_inline_svg_qr_code_and_the_secret_without_script_or_style(client, secretariat):
    client.force_login(secretariat)
    response = client.get(SETUP)
    assert response.status_code == 200
    body = response.content.decode()
    device = TOTPDevice.objects.get(user=secretariat)
    assert device.confirmed is False
    svg = re.search(r"<svg.*?</svg>", body, re.S)
    assert svg is not None
    assert "style=" not in svg.group(0)
    assert re.search(r"<script(?![^>]*\bsrc=)", body) is None
    assert "style=" not in body
    secret = binascii.unhexlify(device.key)
    grouped = base64.b32encode(secret).decode().rstrip("=")
    assert " ".join(grouped[i : i + 4] for i in range(0, len(grouped), 4)) in body
    assert "Настройка второго фактора" in body
    # Reloading the page keeps the same secret (the person may be typing it in).
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=secretariat).count() == 1


def test_enrolment_with_the_right_code_confirms_shows_recovery_codes_once_and_verifies(client, secretariat, caplog):
    client.force_login(secretariat)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=secretariat)
    with caplog.at_level(logging.WARNING, logger="omskevents.security"):
        response = client.post(SETUP, {"token": _code(device), "next": "/tasks/"})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    codes = list(StaticToken.objects.filter(device__user=secretariat).values_list("token", flat=True))
    assert len(codes) == 10
    body = response.content.decode()
    assert all(code in body for code in codes)
    assert 'href="/tasks/"' in body
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 200
    assert "second_factor_enrolled user='sec'" in caplog.text


def test_enrolment_with_a_wrong_code_confirms_nothing(client, secretariat, caplog):
    client.force_login(secretariat)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=secretariat)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    with caplog.at_level(logging.WARNING, logger="omskevents.security"):
        response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert "Код неверен или устарел" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert StaticDevice.objects.filter(user=secretariat).count() == 0
    assert client.get("/").status_code == 302
    assert "second_factor_failed user='sec'" in caplog.text


@pytest.mark.parametrize("token", ["12345", "1234567", "abcdef", "١٢٣٤٥٦", "<script>", ""])
def test_enrolment_refuses_a_malformed_code_and_changes_nothing(client, secretariat, token):
    client.force_login(secretariat)
    client.get(SETUP)
    response = client.post(SETUP, {"token": token})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=secretariat).confirmed is False
    assert TOTPDevice.objects.get(user=secretariat).throttling_failure_count == 0


def test_password_then_code_is_the_whole_login(client, secretariat):
    device = _device(secretariat)
    response = client.post("/accounts/login/", {"username": "sec", "password": PASSWORD, "next": "/tasks/"})
    assert response["Location"] == "/tasks/"
    response = client.get("/tasks/")
    assert response["Location"] == f"{VERIFY}?next=%2Ftasks%2F"
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert "Второй фактор" in client.get(VERIFY).content.decode()
    response = client.post(VERIFY, {"token": _code(device), "next": "/tasks/"})
    assert response.status_code == 302
    assert response["Location"] == "/tasks/"
    assert client.get("/tasks/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_before_the_code_the_page_shows_no_menu_only_logging_out(client, secretariat):
    device = _device(secretariat)
    client.post("/accounts/login/", {"username": "sec", "password": PASSWORD})

    before = client.get(VERIFY).content.decode()
    client.post(VERIFY, {"token": _code(device)})
    after = client.get("/tasks/").content.decode()

    for menu in ('id="nav-user"', 'href="/tasks/"', "data-inbox-count"):
        assert menu not in before
        assert menu in after
    assert 'action="/accounts/logout/"' in before


def test_verify_never_redirects_to_another_site(client, secretariat):
    device = _device(secretariat)
    client.force_login(secretariat)
    response = client.post(VERIFY, {"token": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_optional_person_with_an_authenticator_is_asked_for_the_code_too(client, staff):
    device = _device(staff)
    client.force_login(staff)
    assert client.get("/")["Location"] == f"{VERIFY}?next=%2F"
    client.post(VERIFY, {"token": _code(device)})
    assert client.get("/").status_code == 200


def test_a_recovery_code_lets_in_once(client, secretariat, caplog):
    _device(secretariat)
    code = recovery_codes_issue(user=secretariat)[0]
    client.force_login(secretariat)
    with caplog.at_level(logging.WARNING, logger="omskevents.security"):
        response = client.post(VERIFY, {"token": code.upper()})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert "second_factor_recovery_used user='sec'" in caplog.text
    client.logout()
    client.force_login(secretariat)
    response = client.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_wrong_codes_are_throttled_per_device_even_for_the_right_code(client, secretariat):
    assert TOTPDevice(user=secretariat).get_throttle_factor() == 1
    assert StaticDevice(user=secretariat).get_throttle_factor() == 1
    device = _device(secretariat)
    client.force_login(secretariat)
    start = timezone.now()

    def post_at(seconds: float, right: bool):
        with time_machine.travel(start + dt.timedelta(seconds=seconds), tick=False):
            code = _code(device)
            token = code if right else f"{(int(code) + 1) % 1_000_000:06d}"
            return client.post(VERIFY, {"token": token})

    assert post_at(0, right=False).status_code == 200
    # The right code within the wait after a failure (1 s, then 2 s, 4 s, ...) is not even checked.
    response = post_at(0.5, right=True)
    assert response.status_code == 429
    assert "Слишком много неверных кодов" in response.content.decode()
    assert post_at(1.5, right=False).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 2
    assert post_at(3.0, right=True).status_code == 429
    assert client.get("/").status_code == 302
    response = post_at(4.0, right=True)
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert client.get("/").status_code == 200


def test_five_wrong_codes_end_the_session(client, secretariat, caplog):
    device = _device(secretariat)
    client.force_login(secretariat)
    start = timezone.now()
    wrong = "000000" if _code(device) != "000000" else "111111"
    with caplog.at_level(logging.WARNING, logger="omskevents.security"):
        for attempt in range(5):
            # Each try after the previous wait, so the device's throttle lets it be checked.
            with time_machine.travel(start + dt.timedelta(seconds=60 * attempt), tick=False):
                response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert "second_factor_locked_out user='sec'" in caplog.text


def test_an_optional_person_may_switch_the_second_factor_off_with_a_code(client, staff, caplog):
    device = _device(staff)
    recovery_codes_issue(user=staff)
    client.force_login(staff)
    client.post(VERIFY, {"token": _code(device)})
    with (
        time_machine.travel(timezone.now() + dt.timedelta(seconds=31), tick=False),
        caplog.at_level(logging.WARNING, logger="omskevents.security"),
    ):
        response = client.post(MANAGE, {"token": _code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=staff).count() == 0
    assert StaticDevice.objects.filter(user=staff).count() == 0
    assert "second_factor_removed user='staff'" in caplog.text


def test_a_required_person_cannot_switch_the_second_factor_off(client, secretariat):
    device = _device(secretariat)
    client.force_login(secretariat)
    client.post(VERIFY, {"token": _code(device)})
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31), tick=False):
        response = client.post(MANAGE, {"token": _code(device)}, follow=True)
    assert "нельзя пользоваться без второго фактора" in response.content.decode()
    assert TOTPDevice.objects.filter(user=secretariat, confirmed=True).count() == 1


def test_an_optional_person_may_enrol_from_the_settings_page(client, staff):
    client.force_login(staff)
    assert client.get(MANAGE).status_code == 200
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=staff)
    response = client.post(SETUP, {"token": _code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True


def test_re_enrolment_needs_the_code_first(client, secretariat):
    _device(secretariat)
    client.force_login(secretariat)
    response = client.post(SETUP, {"token": "123456"})
    assert response["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=secretariat).count() == 1


def test_production_refuses_to_run_without_the_second_factor(settings):
    settings.SECOND_FACTOR_ENFORCED = False
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "omskevents.W010" in ids
    settings.SECOND_FACTOR_ENFORCED = True
    ids = [message.id for message in run_checks(include_deployment_checks=True)]
    assert "omskevents.W010" not in ids


def test_demo_accounts_get_the_known_demo_secret(client, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in out
    secretariat = TOTPDevice.objects.get(user__username="secretariat")
    assert secretariat.key == "48656c6c6f21deadbeef48656c6c6f21deadbeef"
    call_command("demo_totp")
    code = capsys.readouterr().out.strip()
    client.post("/accounts/login/", {"username": "secretariat", "password": "omsk2026"})
    assert client.post(VERIFY, {"token": code})["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_secretariat_removes_a_lost_phone_in_the_admin_and_it_is_logged(client, secretariat, staff, caplog):
    own = _device(secretariat)
    lost = _device(staff)
    client.force_login(secretariat)
    client.post(VERIFY, {"token": _code(own)})
    with caplog.at_level(logging.WARNING, logger="omskevents.security"):
        response = client.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=staff).count() == 0
    assert "second_factor_removed user='staff'" in caplog.text
    assert "by='sec'" in caplog.text
    # The secret is never shown in the admin.
    body = client.get(f"/admin/otp_totp/totpdevice/{own.pk}/change/").content.decode()
    assert own.key not in body
    assert client.get(f"/admin/otp_totp/totpdevice/{own.pk}/qrcode/").status_code == 403
