"""The inbox in the browser: the menu's count moves when a report comes in; an item read in the app stays
out of the morning digest."""

import datetime as dt

import pytest
import time_machine

from omskevents.calendars.services import calendar_seed
from omskevents.notifications import delivery, services
from omskevents.notifications.models import Notification
from tests.e2e.conftest import login
from tests.factories.events import EventFactory
from tests.factories.workplan import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def _menu_count(page) -> int:
    return int(page.locator("nav a[data-inbox-count]").get_attribute("data-inbox-count"))


def _report(page, task) -> None:
    page.goto(f"/tasks/{task.pk}/")
    form = f"form[action='/tasks/{task.pk}/report/']"
    page.fill(f"{form} textarea[name=text]", "Причал отремонтирован.")
    page.click(f"{form} button[name=is_final][value=on]")  # "Send the report of completion"
    page.wait_for_load_state("networkidle")


def _log_out(page) -> None:
    page.click("nav form[action='/accounts/logout/'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_count_moves_and_an_item_read_in_the_app_stays_out_of_the_digest(page, staff_a, secretariat, agency_a):
    today = dt.date.today()  # the live server runs on the real clock
    calendar_seed(countries=["RU", "KZ"], years=[today.year, today.year + 1])
    services.preference_update(user=secretariat, status_mode="digest")
    event = EventFactory(
        short_title="XXII Форум", start_date=today + dt.timedelta(days=40), end_date=today + dt.timedelta(days=41)
    )
    tasks = [
        TaskFactory(
            event=event,
            title=title,
            lead_agency=agency_a,
            controller=secretariat,
            deadline=today + dt.timedelta(days=20),
        )
        for title in ("Подготовить речной причал", "Аккредитация прессы")
    ]

    login(page, "sec", PASSWORD)
    assert _menu_count(page) == 0
    _log_out(page)

    login(page, "staff_a", PASSWORD)
    for task in tasks:
        _report(page, task)
    _log_out(page)

    login(page, "sec", PASSWORD)
    assert _menu_count(page) == 2
    page.click("nav a[data-inbox-count]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-inbox-item][data-read=no]").count() == 2
    first = Notification.objects.get(task=tasks[0])
    page.click(f"a[href='/notifications/inbox/{first.inbox_items.get().pk}/']")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/tasks/{tasks[0].pk}/")
    assert _menu_count(page) == 1
    # The task page says when the other notices go: at 09:00 in the secretariat's zone, named.
    assert "(Омск)" in page.locator("#sent-title").locator("..").inner_text()

    # The digest's moment: the notice read in the app is left out; the other one goes.
    rows = list(Notification.objects.filter(task__in=tasks).order_by("task_id"))
    moment = rows[0].next_attempt_at + dt.timedelta(minutes=1)
    assert moment.astimezone(dt.UTC).hour == 3  # 09:00 in Omsk
    with time_machine.travel(moment, tick=False):
        outcomes = delivery.outbox_deliver_batch(notification_ids=[r.pk for r in rows])
    assert outcomes == {rows[0].pk: "cancelled", rows[1].pk: "sent"}
