"""Security headers and cookies as production sends them (HTTPS behind the proxy, secure cookies)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
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
