"""Security keys (WebAuthn) as a second factor, checked with a software key that makes real answers: adding a
key, using it after the password, hostile and replayed answers, throttling and the session lockout, removal with
a code, the security log, and the relying party taken from SITE_URL.

The real browser (Chromium's virtual authenticator): tests/e2e/test_security_key.py."""

import binascii
import json

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from omskevents.accounts.models import SecurityEvent, SecurityKey
from omskevents.accounts.security_keys import expected_origin, rp_id
from tests.factories.accounts import UserFactory
from tests.support.soft_key import SoftKey

pytestmark = pytest.mark.django_db

SITE = "https://orgcom.example.ru"
VERIFY = "/accounts/two-factor/verify/"
MANAGE = "/accounts/two-factor/"
ADD_OPTIONS = "/accounts/two-factor/keys/add/options/"
ADD = "/accounts/two-factor/keys/add/"
LOGIN_OPTIONS = "/accounts/two-factor/keys/login/options/"
LOGIN = "/accounts/two-factor/keys/login/"


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.SECOND_FACTOR_ENFORCED = True
    settings.SITE_URL = SITE


@pytest.fixture
def secretariat(db):
    return UserFactory(username="sec", role="secretariat", agency=None, is_staff=True)


@pytest.fixture
def soft_key():
    return SoftKey(rp_id="orgcom.example.ru", origin=SITE)


def _app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(binascii.unhexlify(device.key)):06d}"


def _post(client, url: str, body: object):
    return client.post(url, json.dumps(body), content_type="application/json")


def _verified(client, user) -> TOTPDevice:
    device = _app(user)
    client.force_login(user)
    assert client.post(VERIFY, {"token": _code(device)}).status_code == 302
    return device


def _add(client, key: SoftKey, name: str = "Синий ключ") -> SecurityKey:
    options = _post(client, ADD_OPTIONS, {"name": name}).json()["publicKey"]
    response = _post(client, ADD, {"credential": key.register(options)})
    assert response.status_code == 200, response.content
    return SecurityKey.objects.get(credential_id=key.id)


def _events(name: str) -> int:
    return SecurityEvent.objects.filter(event=name).count()


def test_the_relying_party_is_the_site_of_site_url(settings):
    settings.SITE_URL = "https://orgcom.example.ru:8443"
    assert (rp_id(), expected_origin()) == ("orgcom.example.ru", "https://orgcom.example.ru:8443")
    settings.WEBAUTHN_RP_ID = "example.ru"
    settings.WEBAUTHN_ORIGIN = "https://keys.example.ru/"
    assert (rp_id(), expected_origin()) == ("example.ru", "https://keys.example.ru")


def test_a_key_is_added_under_its_name_listed_and_logged(client, secretariat, soft_key):
    _verified(client, secretariat)
    options = _post(client, ADD_OPTIONS, {"name": "  Синий   ключ "}).json()["publicKey"]
    assert options["rp"] == {"id": "orgcom.example.ru", "name": "omskevents"}
    response = _post(client, ADD, {"credential": soft_key.register(options)})
    assert response.json() == {"redirect": MANAGE}
    key = SecurityKey.objects.get(user=secretariat)
    assert (key.name, key.confirmed, key.sign_count, key.transports) == ("Синий ключ", True, 1, ["usb"])
    page = client.get(MANAGE).content.decode()
    assert "Ключ безопасности «Синий ключ» добавлен." in page
    assert "Синий ключ" in page
    assert f"/accounts/two-factor/keys/{key.pk}/remove/" in page
    assert 'src="/static/js/security-keys.js"' in page
    assert "<script>" not in page
    assert _events("security_key_added") == 1
    # The same key again: the browser is told to exclude it; if it answers anyway, nothing is added.
    options = _post(client, ADD_OPTIONS, {"name": "Ещё раз"}).json()["publicKey"]
    assert options["excludeCredentials"][0]["id"] == soft_key.id
    response = _post(client, ADD, {"credential": soft_key.register(options)})
    assert (response.status_code, response.json()["error"]) == (400, "Этот ключ уже зарегистрирован.")
    assert SecurityKey.objects.count() == 1


def test_adding_a_key_needs_the_app_and_a_verified_session(client):
    staff = UserFactory(username="staff", role="agency_staff", is_staff=False)
    client.force_login(staff)
    # No authenticator app: its recovery codes are the way back, so no key without it.
    response = _post(client, ADD_OPTIONS, {"name": "Ключ"})
    assert response.status_code == 400
    assert "Сначала подтвердите второй фактор" in response.json()["error"]
    device = _app(staff)
    # The app exists but this session has not given a code yet: the middleware sends it to the code.
    assert _post(client, ADD_OPTIONS, {"name": "Ключ"})["Location"].startswith(VERIFY)
    client.post(VERIFY, {"token": _code(device)})
    assert "publicKey" in _post(client, ADD_OPTIONS, {"name": "Ключ"}).json()
    assert SecurityKey.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Дайте ключу название"),
        ("   ", "Дайте ключу название"),
        (None, "Дайте ключу название"),
        (12, "Дайте ключу название"),
        ("ключ" * 20, "Название слишком длинное: не более 64 символов."),
        ("ключ\u0000", "В названии есть символы, которые нельзя показать."),
        ("ключ\u202e", "В названии есть символы, которые нельзя показать."),
    ],
)
def test_hostile_key_names_are_refused_and_nothing_changes(client, secretariat, name, message):
    _verified(client, secretariat)
    response = _post(client, ADD_OPTIONS, {"name": name})
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert SecurityKey.objects.count() == 0


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[1, 2]", b'{"credential": "x"}', b"{}"])
@pytest.mark.parametrize("url", [ADD, LOGIN])
def test_bad_json_is_refused_with_a_clear_message_and_changes_nothing(client, secretariat, soft_key, url, body):
    if url == ADD:
        _verified(client, secretariat)
        _post(client, ADD_OPTIONS, {"name": "Ключ"})
    else:
        _verified(client, secretariat)
        _add(client, soft_key)
        client.logout()
        client.force_login(secretariat)
        _post(client, LOGIN_OPTIONS, {})
    before = list(SecurityKey.objects.values_list("pk", "sign_count"))
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error in {
        "Запрос не удалось прочитать: обновите страницу и попробуйте снова.",
        "Браузер не передал ответ ключа: попробуйте снова.",
    }
    assert list(SecurityKey.objects.values_list("pk", "sign_count")) == before
    assert client.get("/").status_code == 302 if url == LOGIN else True


def test_an_answer_to_another_challenge_or_origin_adds_nothing(client, secretariat, soft_key):
    _verified(client, secretariat)
    options = _post(client, ADD_OPTIONS, {"name": "Ключ"}).json()["publicKey"]
    forged = soft_key.register({**options, "challenge": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    response = _post(client, ADD, {"credential": forged})
    assert response.status_code == 400
    assert response.json()["error"] == "Ответ ключа не удалось проверить: ничего не добавлено. Попробуйте снова."
    # The challenge is spent: even the right answer to it is refused now.
    response = _post(client, ADD, {"credential": soft_key.register(options)})
    assert response.json()["error"] == "Запрос устарел или уже использован: попробуйте снова."
    options = _post(client, ADD_OPTIONS, {"name": "Ключ"}).json()["publicKey"]
    response = _post(client, ADD, {"credential": soft_key.register(options, origin="https://evil.example")})
    assert response.status_code == 400
    assert SecurityKey.objects.count() == 0
    assert _events("security_key_failed") == 2


def _key_holder(client, secretariat, soft_key) -> SecurityKey:
    _verified(client, secretariat)
    key = _add(client, soft_key)
    client.logout()
    client.force_login(secretariat)  # the password step: not verified yet
    return key


def test_the_key_opens_the_account_after_the_password(client, secretariat, soft_key):
    key = _key_holder(client, secretariat, soft_key)
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    page = client.get(f"{VERIFY}?next=/admin/").content.decode()
    assert "Использовать ключ безопасности" in page
    assert f"{LOGIN}?next=/admin/" in page
    options = _post(client, f"{LOGIN_OPTIONS}?next=/admin/", {}).json()["publicKey"]
    assert [c["id"] for c in options["allowCredentials"]] == [soft_key.id]
    response = _post(client, f"{LOGIN}?next=/admin/", {"credential": soft_key.sign_in(options)})
    assert response.json() == {"redirect": "/admin/"}
    assert client.get("/admin/").status_code == 200
    key.refresh_from_db()
    assert key.sign_count == 2
    assert key.last_used_at is not None
    assert _events("security_key_used") == 1


def test_the_next_address_never_leads_to_another_site(client, secretariat, soft_key):
    _key_holder(client, secretariat, soft_key)
    options = _post(client, LOGIN_OPTIONS, {}).json()["publicKey"]
    response = _post(client, f"{LOGIN}?next=https://evil.example/", {"credential": soft_key.sign_in(options)})
    assert response.json() == {"redirect": "/"}


def test_a_replayed_assertion_is_refused_and_changes_nothing(client, secretariat, soft_key):
    key = _key_holder(client, secretariat, soft_key)
    options = _post(client, LOGIN_OPTIONS, {}).json()["publicKey"]
    captured = soft_key.sign_in(options)
    assert _post(client, LOGIN, {"credential": captured}).status_code == 200
    key.refresh_from_db()
    counter = key.sign_count
    # Someone replays the captured answer in a new session, once without and once with a fresh challenge.
    client.logout()
    client.force_login(secretariat)
    response = _post(client, LOGIN, {"credential": captured})
    assert (response.status_code, response.json()["error"]) == (
        400,
        "Запрос устарел или уже использован: попробуйте снова.",
    )
    start = SecurityKey.objects.get(pk=key.pk).throttling_failure_timestamp
    SecurityKey.objects.filter(pk=key.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    _post(client, LOGIN_OPTIONS, {})
    response = _post(client, LOGIN, {"credential": captured})
    assert response.status_code == 400
    assert response.json()["error"] == "Ответ ключа не удалось проверить: попробуйте снова или введите код."
    assert start is not None
    key.refresh_from_db()
    assert key.sign_count == counter
    assert client.get("/").status_code == 302
    assert _events("security_key_failed") == 2


def test_a_key_of_another_account_is_refused(client, secretariat, soft_key):
    _key_holder(client, secretariat, soft_key)
    other_key = SoftKey(rp_id="orgcom.example.ru", origin=SITE)
    options = _post(client, LOGIN_OPTIONS, {}).json()["publicKey"]
    response = _post(client, LOGIN, {"credential": other_key.sign_in(options)})
    assert response.json()["error"] == "Этот ключ не зарегистрирован для вашей учётной записи."
    assert client.get("/").status_code == 302


def test_a_failed_key_is_throttled_even_for_the_right_answer(client, secretariat, soft_key):
    assert SecurityKey(user=secretariat).get_throttle_factor() == 1
    key = _key_holder(client, secretariat, soft_key)
    options = _post(client, LOGIN_OPTIONS, {}).json()["publicKey"]
    _post(client, LOGIN, {"credential": soft_key.sign_in(options, origin="https://evil.example")})
    key.refresh_from_db()
    assert key.throttling_failure_count == 1
    options = _post(client, LOGIN_OPTIONS, {}).json()["publicKey"]
    response = _post(client, LOGIN, {"credential": soft_key.sign_in(options)})
    assert response.status_code == 429
    assert response.json()["error"] == "Слишком много неудачных попыток: подождите немного и попробуйте снова."
    assert client.get("/").status_code == 302


def test_five_key_failures_end_the_session(client, secretariat, soft_key, settings):
    settings.OTP_SECURITY_KEY_THROTTLE_FACTOR = 0  # the session's count alone, without the key's waits
    _key_holder(client, secretariat, soft_key)
    for _attempt in range(5):
        options = _post(client, LOGIN_OPTIONS, {}).json()["publicKey"]
        response = _post(client, LOGIN, {"credential": soft_key.sign_in(options, origin="https://evil.example")})
    assert response.status_code == 400
    assert response.json()["redirect"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert _events("second_factor_locked_out") == 1
    assert _events("security_key_failed") == 5


def test_removing_a_key_needs_a_current_code(client, secretariat, soft_key):
    device = _verified(client, secretariat)
    key = _add(client, soft_key)
    url = f"/accounts/two-factor/keys/{key.pk}/remove/"
    assert "Удалить ключ безопасности" in client.get(url).content.decode()
    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post(url, {"token": wrong})
    assert "Код неверен или устарел." in response.content.decode()
    for hostile in ["", "١٢٣٤٥٦", "<script>", "x" * 40]:
        assert client.post(url, {"token": hostile}).status_code == 200
    assert SecurityKey.objects.filter(pk=key.pk).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None, last_t=-1
    )
    response = client.post(url, {"token": _code(device)})
    assert response["Location"] == MANAGE
    assert not SecurityKey.objects.filter(pk=key.pk).exists()
    assert _events("security_key_removed") == 1


def test_another_persons_key_is_404(client, secretariat, soft_key):
    _verified(client, secretariat)
    key = _add(client, soft_key)
    other = UserFactory(username="other", role="agency_staff", is_staff=False)
    client.logout()
    client.force_login(other)
    for path in [
        f"/accounts/two-factor/keys/{key.pk}/remove/",
        "/accounts/two-factor/keys/99999999999999999999/remove/",
    ]:
        assert client.get(path).status_code == 404
        assert client.post(path, {"token": "000000"}).status_code == 404
    assert SecurityKey.objects.filter(pk=key.pk).exists()


def test_switching_the_second_factor_off_removes_the_keys_too(client, soft_key):
    staff = UserFactory(username="staff", role="agency_staff", is_staff=False)
    device = _verified(client, staff)
    _add(client, soft_key)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None, last_t=-1
    )
    response = client.post(MANAGE, {"token": _code(device)})
    assert response.status_code == 302
    assert SecurityKey.objects.count() == 0
    assert TOTPDevice.objects.count() == 0


def test_a_person_with_only_a_key_is_still_asked_for_it(client, secretariat, soft_key):
    """The secretariat removed the lost phone in the admin: the key still guards the account."""
    _key_holder(client, secretariat, soft_key)
    TOTPDevice.objects.all().delete()
    assert client.get("/")["Location"] == f"{VERIFY}?next=%2F"
    options = _post(client, LOGIN_OPTIONS, {}).json()["publicKey"]
    assert _post(client, LOGIN, {"credential": soft_key.sign_in(options)}).status_code == 200
    assert client.get("/").status_code == 200
