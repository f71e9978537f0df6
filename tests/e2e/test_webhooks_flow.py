"""Webhooks in the browser: an agency head registers an endpoint, copies the secret, reads the delivery log, retries."""

import datetime as dt
import os
from pathlib import Path

import pytest

from omskevents.webhooks import outbox
from omskevents.webhooks.models import Delivery, Endpoint
from omskevents.workplan import services as workplan
from tests.e2e.conftest import SCREENSHOTS, login
from tests.factories.events import EventFactory
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Extra copies for a person reviewing the pages (the suite keeps its own under var/screenshots/).
SHOTS = Path(os.environ.get("WEBHOOK_SHOTS", SCREENSHOTS))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"webhooks-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_head_registers_a_webhook_and_retries_a_failed_delivery(page, head_a, secretariat, agency_a, settings):
    settings.WEBHOOKS_REDISPATCH_SECONDS = 0
    settings.WEBHOOKS_RETRY_FOR_SECONDS = 0  # the first failure is final: the log shows "failed" at once
    receiver = Receiver().start()
    try:
        event = EventFactory(short_title="XXII Форум", start_date=dt.date(2026, 12, 10), end_date=dt.date(2026, 12, 11))
        page.set_viewport_size({"width": 1440, "height": 900})
        login(page, "head_a", "correct horse battery staple")

        page.click("#nav-more")  # under "More"
        page.click("nav a[href='/webhooks/']")
        page.wait_for_load_state("networkidle")
        _shot(page, "list-empty")
        page.click("a[href='/webhooks/new/']")
        page.wait_for_load_state("networkidle")
        page.fill("input[name=url]", "ftp://dms.example.org/hooks")
        page.check("input[name=kinds][value='task.assigned']")
        page.click("form.webhook-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "Введите правильный адрес" in page.inner_text("form.webhook-form")
        _shot(page, "form-error")

        page.fill("input[name=url]", receiver.url())
        page.check("input[name=kinds][value='task.status_changed']")
        page.fill("input[name=description]", "1С:Документооборот министерства")
        page.click("form.webhook-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        endpoint = Endpoint.objects.get()
        assert page.inner_text(".webhook-secret") == endpoint.secret
        _shot(page, "secret")

        receiver.script.append("error")
        for title in ("Подготовить причал на Иртыше", "Согласовать программу делового форума"):
            workplan.task_create(
                actor=secretariat,
                event=event,
                title=title,
                area="irtysh_logistics",
                lead_agency=agency_a,
                deadline=dt.date(2026, 11, 20),
            )
        outbox.webhooks_dispatch(sync=True)
        assert sorted(Delivery.objects.values_list("state", flat=True)) == ["delivered", "failed"]

        page.goto(endpoint.get_absolute_url())
        assert endpoint.secret not in page.content()
        assert page.locator(".webhook-log tbody tr").count() == 2
        _shot(page, "log")
        settings.WEBHOOKS_RETRY_FOR_SECONDS = 3600
        page.click(".webhook-log tr:has-text('Ошибка отправки') form button")
        page.wait_for_load_state("networkidle")
        assert "Доставка снова поставлена в очередь." in page.content()
        outbox.webhooks_dispatch(sync=True)
        assert list(Delivery.objects.values_list("state", flat=True)) == ["delivered", "delivered"]

        page.goto("/webhooks/")
        assert page.locator(".webhook-list tbody tr").count() == 1
        _shot(page, "list")
        assert len(receiver.received) == 3
    finally:
        receiver.stop()
