"""Personal API tokens: made, named, scoped, given an expiry and revoked by their owner on the token page; shown
once; stored as a digest; every use recorded with the real client address; refused (401) when expired, revoked
or their owner is deactivated; read-only tokens refused (403) on writes; throttled per token."""

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from omskevents.accounts.models import SecurityEvent
from omskevents.api.models import ApiToken
from tests.api.conftest import make_token
from tests.security.conftest import changed_tables, db_state

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r"oe_[a-z0-9]{10}_[A-Za-z0-9_-]{43}")


def _in(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_the_page_creates_a_token_shows_it_once_and_stores_only_its_digest(client, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("api_tokens:list"), {"name": "Документооборот", "scope": "read_write", "expires_on": _in(90)}
    )
    assert response.status_code == 200
    body = response.content.decode()
    secrets = TOKEN_RE.findall(body)
    assert len(secrets) == 1
    secret = secrets[0]
    assert "Скопируйте его сейчас" in body
    token = ApiToken.objects.get(user=staff_a)
    assert (token.name, token.scope) == ("Документооборот", "read_write")
    assert token.prefix == secret[3:13]
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))  # never stored as such
    # The token's end: the end of the chosen day in the person's zone.
    assert timezone.localtime(token.expires_at, dt.timezone(dt.timedelta(hours=6))).date().isoformat() > _in(89)
    again = client.get(reverse("api_tokens:list")).content.decode()
    assert secret not in again  # shown once
    assert f"oe_{token.prefix}_…" in again
    assert SecurityEvent.objects.filter(event="api_token_created", username="staff_a").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "scope": "read", "expires_on": _in(30)}, "name", "Обязательное поле."),
        ({"name": "   ", "scope": "read", "expires_on": _in(30)}, "name", "Обязательное поле."),
        ({"name": "x" * 101, "scope": "read", "expires_on": _in(30)}, "name", "не более 100"),
        ({"name": "Система", "scope": "admin", "expires_on": _in(30)}, "scope", "Выберите корректный вариант"),
        ({"name": "Система", "scope": "read", "expires_on": ""}, "expires_on", "Обязательное поле."),
        ({"name": "Система", "scope": "read", "expires_on": "31.02.2027"}, "expires_on", "Введите правильную дату"),
        ({"name": "Система", "scope": "read", "expires_on": _in(0)}, "expires_on", "должен быть в будущем"),
        ({"name": "Система", "scope": "read", "expires_on": _in(366)}, "expires_on", "не дольше 365 дней"),
        ({"name": "<script>alert(1)</script>", "scope": "read", "expires_on": "9999-12-31"}, "expires_on", "365"),
    ],
)
def test_the_page_refuses_bad_input_with_a_message_in_russian_and_writes_nothing(client, staff_a, data, field, message):
    client.force_login(staff_a)
    before = db_state()
    response = client.post(reverse("api_tokens:list"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in text for text in errors[field]), errors
    assert changed_tables(before, db_state()) == []
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_second_live_token_of_the_same_name_is_refused(client, staff_a):
    make_token(staff_a, name="Система")
    client.force_login(staff_a)
    response = client.post(reverse("api_tokens:list"), {"name": "Система", "scope": "read", "expires_on": _in(30)})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["У вас уже есть токен с таким названием."]


def test_a_person_holds_at_most_the_limit_of_live_tokens(client, staff_a, settings):
    settings.API_TOKENS_PER_USER = 2
    make_token(staff_a, name="1")
    make_token(staff_a, name="2")
    client.force_login(staff_a)
    response = client.post(reverse("api_tokens:list"), {"name": "3", "scope": "read", "expires_on": _in(30)})
    assert response.status_code == 400
    assert ApiToken.objects.filter(user=staff_a).count() == 2


def test_bearer_token_authenticates_and_records_the_use_with_the_real_client_address(api, staff_a, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    secret = make_token(staff_a)
    response = api.use(secret).get(
        "/api/v1/me/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7"
    )
    assert response.status_code == 200
    assert response.json()["username"] == "staff_a"
    assert response.json()["token_scope"] == "read_write"
    token = ApiToken.objects.get(user=staff_a)
    assert token.last_used_ip == "198.51.100.7"  # the proxy's neighbour, not the client's own claim
    assert timezone.now() - token.last_used_at < dt.timedelta(seconds=10)


def test_an_untrusted_forwarded_header_is_not_believed(api, staff_a, settings):
    settings.TRUSTED_PROXIES = []
    api.use(make_token(staff_a)).get("/api/v1/me/", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert ApiToken.objects.get(user=staff_a).last_used_ip == "192.0.2.5"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer oe_aaaaaaaaaa_" + "A" * 43,  # well-formed, unknown
        "Bearer oe_short_x",
        "Bearer one two",
        "Bearer t\xf6ken",  # what a server hands on of non-ASCII bytes
        "Token oe_aaaaaaaaaa_" + "A" * 43,  # another scheme: no credentials at all
    ],
)
def test_a_malformed_or_unknown_token_is_401(api, world, header):
    response = api.get("/api/v1/tasks/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_wrong_secret_with_a_real_prefix_is_401(api, staff_a):
    secret = make_token(staff_a)
    forged = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert api.use(forged).get("/api/v1/me/").status_code == 401
    assert ApiToken.objects.get(user=staff_a).last_used_at is None


def test_an_expired_token_is_401(api, staff_a):
    secret = make_token(staff_a, days=3)
    assert api.use(secret).get("/api/v1/me/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=5)):
        assert api.use(secret).get("/api/v1/me/").status_code == 401
    assert SecurityEvent.objects.filter(event="api_token_refused", username="staff_a").count() == 1


def test_a_revoked_token_is_401_at_once(api, client, staff_a):
    secret = make_token(staff_a)
    token = ApiToken.objects.get(user=staff_a)
    assert api.use(secret).get("/api/v1/me/").status_code == 200
    client.force_login(staff_a)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api.use(secret).get("/api/v1/me/").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert SecurityEvent.objects.filter(event="api_token_revoked", username="staff_a").count() == 1
    assert "Отозван" in client.get(reverse("api_tokens:list")).content.decode()


def test_someone_elses_token_cannot_be_revoked(client, staff_a, staff_b):
    make_token(staff_b)
    token = ApiToken.objects.get(user=staff_b)
    client.force_login(staff_a)
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_of_a_deactivated_person_is_401(api, staff_a):
    secret = make_token(staff_a)
    staff_a.is_active = False
    staff_a.save()
    assert api.use(secret).get("/api/v1/me/").status_code == 401


def test_a_read_token_reads_and_is_refused_on_every_write(api, world):
    secret = make_token(world.staff_a, scope="read")
    api.use(secret)
    assert api.get(f"/api/v1/tasks/{world.task_a.pk}/").status_code == 200
    before = db_state()
    before.pop("api.ApiToken")
    answers = [
        api.post(f"/api/v1/tasks/{world.task_a.pk}/status/", {"status": "in_progress"}).status_code,
        api.post(f"/api/v1/tasks/{world.task_a.pk}/reports/", {"text": "Сделано"}, format="multipart").status_code,
        api.post(
            f"/api/v1/tasks/{world.task_a.pk}/extension-requests/", {"new_deadline": "2026-12-20", "reason": "Да"}
        ).status_code,
    ]
    after = db_state()
    after.pop("api.ApiToken")
    assert answers == [403, 403, 403]
    assert changed_tables(before, after) == []


def test_no_credentials_is_401_with_the_bearer_challenge(api):
    response = api.get("/api/v1/tasks/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_requests_past_the_budget_of_a_token_are_429_and_another_token_is_unaffected(api, staff_a, staff_b, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "3/min"}}
    from rest_framework.settings import api_settings

    api_settings.reload()
    from omskevents.api.access import TokenRateThrottle

    TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        cache.clear()
        first, second = make_token(staff_a, name="1"), make_token(staff_b, name="2")
        codes = [api.use(first).get("/api/v1/me/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert int(api.use(first).get("/api/v1/me/")["Retry-After"]) > 0
        assert api.use(second).get("/api/v1/me/").status_code == 200
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "600/min"}}
        api_settings.reload()
        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


@pytest.mark.redis
def test_the_budget_is_counted_in_redis_shared_by_every_process(api, staff_a, settings):
    """With REDIS_URL the throttle's counters are in the shared Redis cache (what several web nodes see)."""
    from django.core.cache import caches
    from django.test import override_settings

    from omskevents.core.cache_backends import ResilientRedisCache

    redis = {"BACKEND": "omskevents.core.cache_backends.ResilientRedisCache", "LOCATION": settings.REDIS_URL}
    with override_settings(CACHES={"default": redis, "rows": settings.CACHES["rows"]}):
        from omskevents.api.access import TokenRateThrottle

        TokenRateThrottle.cache = caches["default"]
        try:
            assert isinstance(caches["default"], ResilientRedisCache)
            caches["default"].clear()
            secret = make_token(staff_a)
            token = ApiToken.objects.get(user=staff_a)
            assert api.use(secret).get("/api/v1/me/").status_code == 200
            history = caches["default"].get(f"throttle_api_token-{token.pk}")
            assert history is not None
            assert len(history) == 1
        finally:
            from django.core.cache import cache as default_cache

            TokenRateThrottle.cache = default_cache


def test_a_token_cannot_live_longer_than_the_limit(staff_a):
    from django.core.exceptions import ValidationError

    from omskevents.api.services import token_create

    with pytest.raises(ValidationError) as error:
        token_create(actor=staff_a, name="x", scope="read", expires_on=timezone.localdate() + dt.timedelta(days=366))
    assert "expires_on" in error.value.message_dict
    assert not ApiToken.objects.exists()


def test_session_writes_need_the_csrf_token(world):
    """The browser (Swagger UI) uses the session: a write without the CSRF token is refused."""
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(world.staff_a)
    assert browser.get(f"/api/v1/tasks/{world.task_a.pk}/").status_code == 200
    response = browser.post(f"/api/v1/tasks/{world.task_a.pk}/status/", {"status": "in_progress"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
