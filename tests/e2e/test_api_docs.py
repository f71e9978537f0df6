"""The API's Swagger UI page runs under the site's strict CSP (no inline script or style, nothing from a CDN), and
a signed-in person tries a request with the session from it."""

import pytest

from tests.e2e.conftest import SCREENSHOTS, login
from tests.factories.workplan import TaskFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_swagger_ui_renders_every_operation_under_the_csp(page, live_server):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    response = page.goto("/api/v1/docs/")
    assert response.status == 200
    csp = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    page.wait_for_selector(".opblock", timeout=20000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/tasks/" in [p.replace("\u200b", "") for p in paths]
    assert "/api/v1/tasks/{id}/reports/" in [p.replace("\u200b", "") for p in paths]
    for url in page.evaluate("Array.from(document.scripts).map(s => s.src)"):
        assert url.startswith(live_server.url), url  # no CDN
    assert violations == []


def test_a_signed_in_person_tries_a_request_from_the_page(page, live_server, staff_a):
    from django.contrib.auth.hashers import make_password

    staff_a.password = make_password("correct horse battery staple")
    staff_a.save()
    TaskFactory(lead_agency=staff_a.agency, title="Подготовить причал на Иртыше")
    login(page, "staff_a", "correct horse battery staple")
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=20000)
    block = page.locator("#operations-tasks-tasks_list")
    block.locator(".opblock-summary").first.click()
    block.locator(".try-out__btn").click()
    block.locator(".execute").click()
    body = block.locator(".live-responses-table .response-col_description .microlight").first
    body.wait_for(timeout=20000)
    assert "Подготовить причал на Иртыше" in body.inner_text()
    assert block.locator(".live-responses-table tbody .response-col_status").first.inner_text().strip() == "200"


def test_the_token_page_creates_a_token_shows_it_once_and_revokes_it(page, live_server, staff_a):
    from django.contrib.auth.hashers import make_password

    from omskevents.api.models import ApiToken

    staff_a.password = make_password("correct horse battery staple")
    staff_a.save()
    login(page, "staff_a", "correct horse battery staple")
    for width, height in ((1440, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/accounts/api-tokens/")
        page.fill("input[name=name]", f"Документооборот {width}")
        page.select_option("select[name=scope]", "read_write")
        page.click("form[novalidate] button[type=submit]")
        page.wait_for_load_state("networkidle")
        secret = page.input_value("#new-token")
        assert secret.startswith("oe_")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"api-tokens-{width}.png"), full_page=True)
        page.goto("/accounts/api-tokens/")
        assert secret not in page.content()
    assert ApiToken.objects.filter(user=staff_a, revoked_at__isnull=True).count() == 2
    page.locator("form[action$='/revoke/'] button").first.click()
    page.wait_for_load_state("networkidle")
    assert "отозван" in page.content()
    assert ApiToken.objects.filter(user=staff_a, revoked_at__isnull=True).count() == 1
