"""Security headers and cookies as production sends them (HTTPS behind the proxy, secure cookies)."""

import importlib

import pytest
from django.urls import reverse

from omskevents.notifications import links
from tests.security.conftest import close_response

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "LANGUAGE_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_HTTPONLY": True,
    "LANGUAGE_COOKIE_SAMESITE": "Lax",
}
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


@pytest.fixture
def production(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)


def _directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/accounts/login/", "/healthz", "/admin/login/", "/tasks/", "/"])
def test_every_response_carries_the_security_headers(client, secretariat, production, path):
    client.force_login(secretariat)
    response = client.get(path, **HTTPS)

    policy = _directives(response["Content-Security-Policy"])
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(client, production):
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_session_and_csrf_cookies_are_secure_httponly_and_lax(client, staff_a, production):
    page = client.get(reverse("accounts:login"), **HTTPS)
    csrf = page.cookies["csrftoken"]
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")

    response = client.post(
        reverse("accounts:login"),
        {"username": "staff_a", "password": "correct horse battery staple"},
        **HTTPS,
    )

    session = response.cookies["sessionid"]
    assert response.status_code == 302
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")


# --- Private responses are never stored by a browser or a proxy --------------------------------------


def _directives_of(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    "path",
    ["/", "/tasks/", "/meetings/", "/agencies/", "/notifications/preferences/", "/admin/", "/no-such-page/"],
)
def test_every_page_for_a_signed_in_person_is_private_and_never_stored(client, secretariat, path):
    client.force_login(secretariat)
    response = client.get(path)
    assert {"private", "no-store"} <= _directives_of(response), (path, response.status_code)


def test_task_page_file_and_exports_are_never_stored(client, world):
    client.force_login(world.staff_a)
    for url in (
        reverse("workplan:task_detail", args=[world.task_a.pk]),
        reverse("workplan:attachment_download", args=[world.attachment_a.pk]),
        reverse("workplan:task_export_xlsx"),
        reverse("workplan:task_export_csv"),
        reverse("committee:minutes_docx", args=[world.meeting.pk]),
        reverse("committee:meeting_ics", args=[world.meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= _directives_of(response), url
        close_response(response)


def test_one_click_link_page_is_never_stored(client, world):
    token = links.task_action_token(user=world.staff_a, task_id=world.task_a.pk, action="report")
    response = client.get(reverse("notifications:task_action", args=[token]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives_of(response)


def test_language_cookie_is_secure_httponly_and_lax_in_production(client, production):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"}, **HTTPS)
    cookie = response.cookies["django_language"]
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_production_settings_set_the_language_cookie_flags(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-throwaway-key-for-this-test")
    production = importlib.import_module("omskevents.settings.production")
    production = importlib.reload(production)

    assert (
        production.LANGUAGE_COOKIE_SECURE,
        production.LANGUAGE_COOKIE_HTTPONLY,
        production.LANGUAGE_COOKIE_SAMESITE,
    ) == (True, True, "Lax")
