"""A security key in a real Chromium: the DevTools protocol's virtual authenticator (a CTAP2 USB key) is added,
then enrolled on the second-factor page and used after the password, with the second factor enforced."""

import binascii

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from omskevents.accounts.models import SecurityEvent, SecurityKey
from tests.e2e.conftest import login
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def enforced(settings, live_server):
    settings.SECOND_FACTOR_ENFORCED = True
    # The relying party is the site of SITE_URL: the live server at http://localhost:<port>.
    settings.SITE_URL = live_server.url
    assert live_server.url.startswith("http://localhost:")


def _virtual_key(page) -> str:
    client = page.context.new_cdp_session(page)
    client.send("WebAuthn.enable")
    answer = client.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": False,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.virtual_key = (client, answer["authenticatorId"])
    return answer["authenticatorId"]


def _code(device: TOTPDevice) -> str:
    return f"{totp(binascii.unhexlify(device.key)):06d}"


def test_a_security_key_is_enrolled_and_then_opens_the_account_after_the_password(page, enforced):
    user = UserFactory(username="sec", role="secretariat", agency=None, is_staff=True)
    app = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    _virtual_key(page)

    # Password, then a code from the app (the key does not exist yet), then the second-factor page.
    login(page, "sec", PASSWORD)
    assert "/accounts/two-factor/verify/" in page.url
    assert page.locator("#security-key-login").count() == 0
    page.fill("input[name=token]", _code(app))
    page.click("form:has(input[name=token]) button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto("/accounts/two-factor/")
    page.fill("#id_key_name", "Синий USB-ключ")
    page.click("#security-key-add button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#security-keys").get_by_text("Синий USB-ключ").count() == 1
    key = SecurityKey.objects.get(user=user)
    assert (key.name, key.confirmed, key.sign_count) == ("Синий USB-ключ", True, key.sign_count)
    assert SecurityEvent.objects.filter(event="security_key_added", username="sec").count() == 1

    # A new login: the password, then the key instead of a code; the admin opens.
    page.click("form[action='/accounts/logout/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto("/accounts/login/?next=/admin/")
    page.fill("input[name=username]", "sec")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/two-factor/verify/" in page.url
    page.click("#security-key-login button")
    page.wait_for_url("**/admin/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#site-name").count() == 1
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert SecurityEvent.objects.filter(event="security_key_used", username="sec").count() == 1
    assert SecurityEvent.objects.filter(event="security_key_failed").count() == 0
