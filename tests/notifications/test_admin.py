"""The outbox admin: possibly-sent rows shown and filtered, failed and possibly-sent rows sent again in bulk after
a confirmation."""

import pytest
import time_machine
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification

from .test_delivery import MOMENT, due_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(calendars, executor):
    with time_machine.travel(MOMENT, tick=False):
        row = due_row(executor)
    failed = Notification.objects.create(
        kind="overdue", item_key=row.item_key, recipient_key=row.recipient_key, occasion="o2", recipient=executor,
        task=row.task, state=State.FAILED, scheduled_for=MOMENT, next_attempt_at=MOMENT, attempts=3,
    )  # fmt: skip
    Notification.objects.filter(pk=row.pk).update(state=State.UNCERTAIN, attempts=1, possibly_sent_at=MOMENT)
    sent = Notification.objects.create(
        kind="overdue", item_key=row.item_key, recipient_key=row.recipient_key, occasion="o3", recipient=executor,
        task=row.task, state=State.SENT, sent_at=MOMENT, scheduled_for=MOMENT, next_attempt_at=MOMENT, attempts=1,
    )  # fmt: skip
    return [row.pk, failed.pk, sent.pk]


def test_retry_asks_first_then_queues_failed_and_possibly_sent_rows(client, secretariat, rows):
    client.force_login(secretariat)
    url = reverse("admin:notifications_notification_changelist")
    asked = client.post(url, {"action": "retry", ACTION_CHECKBOX_NAME: rows})
    assert asked.status_code == 200
    assert [asked.context[k] for k in ("count", "possibly_sent", "skipped")] == [2, 1, 1]
    page = asked.content.decode()  # in the secretariat's Russian
    assert "2 письма будут поставлены в очередь и отправлены сразу." in page
    assert "1 из них, возможно, уже доставлено: получатель может получить его дважды" in page
    assert "1 выбранное письмо уже в очереди, отправляется или отправлено и остаётся как есть." in page
    states = dict(Notification.objects.values_list("pk", "state"))
    assert [states[pk] for pk in rows] == [State.UNCERTAIN, State.FAILED, State.SENT]  # nothing yet

    done = client.post(url, {"action": "retry", ACTION_CHECKBOX_NAME: rows, "confirmed": "yes"})
    assert done.status_code == 302
    after = {r.pk: (r.state, r.attempts, r.possibly_sent_at) for r in Notification.objects.all()}
    assert [after[pk] for pk in rows] == [(State.QUEUED, 0, MOMENT), (State.QUEUED, 0, None), (State.SENT, 1, None)]


def test_outbox_list_filters_possibly_sent_rows(client, secretariat, rows):
    client.force_login(secretariat)
    url = reverse("admin:notifications_notification_changelist")
    response = client.get(url, {"possibly_sent_at__isempty": "0"})
    assert [r.pk for r in response.context["cl"].result_list] == [rows[0]]
    assert response.context["cl"].result_list[0].possibly_sent_at == MOMENT
