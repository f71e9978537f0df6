"""Pair mismatch notices: a pair out of step is told once to each member of both secretariats."""

import datetime as dt

import pytest
import time_machine

from omskevents.notifications import delivery, dispatch
from omskevents.notifications.enums import Kind
from omskevents.notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db
MOMENT = dt.datetime(2026, 5, 8, 5, 0, tzinfo=dt.UTC)  # Friday: 11:00 in Omsk, 10:00 in Almaty


@pytest.fixture
def secretariats(db):
    omsk = UserFactory(username="omsk-sec", role="secretariat", agency=None, email="sec@omsk.example")
    kz = UserFactory(
        username="kz-sec", role="kz_secretariat", agency=None, email="sec@kz.example", time_zone="Asia/Almaty"
    )
    return omsk, kz


def _pair(event, *, ru_status: str, kz_status: str, deadline: dt.date):
    russian = TaskFactory(
        event=event, lead_agency=AgencyFactory(short_name="Минтранс Омской обл."), status=ru_status,
        deadline=deadline, title="Причал в Омске",
    )  # fmt: skip
    kazakh = TaskFactory(
        event=event, lead_agency=AgencyFactory(short_name="Акимат Павлодарской обл.", country="KZ"),
        status=kz_status, deadline=deadline, title="Причал в Павлодаре", counterpart=russian,
    )  # fmt: skip
    russian.counterpart = kazakh
    russian.save()
    return russian, kazakh


def test_pair_out_of_step_is_told_once_to_both_secretariats(calendars, event, secretariats, mailoutbox):
    russian, kazakh = _pair(event, ru_status="accepted", kz_status="in_progress", deadline=dt.date(2026, 5, 4))
    with time_machine.travel(MOMENT, tick=False):
        dispatch.outbox_scan(now=MOMENT)
        dispatch.outbox_scan(now=MOMENT + dt.timedelta(hours=1))
        rows = list(Notification.objects.filter(kind=Kind.PAIR_MISMATCH).order_by("to_email"))
        assert [(r.to_email, r.task_id, r.occasion) for r in rows] == [
            ("sec@kz.example", russian.pk, f"pair:{russian.pk}:{kazakh.pk}"),
            ("sec@omsk.example", russian.pk, f"pair:{russian.pk}:{kazakh.pk}"),
        ]
        assert delivery.outbox_deliver(notification_id=rows[0].pk) == "sent"
    [mail] = mailoutbox
    assert "Причал в Омске" in mail.subject
    assert "Причал в Павлодаре" in mail.body
    assert "Акимат Павлодарской обл." in mail.alternatives[0][0]


def test_pairs_in_step_are_not_told(calendars, event, secretariats):
    _pair(event, ru_status="in_progress", kz_status="in_progress", deadline=dt.date(2026, 5, 4))  # both late
    _pair(event, ru_status="accepted", kz_status="accepted", deadline=dt.date(2026, 5, 4))  # ready
    _pair(event, ru_status="accepted", kz_status="in_progress", deadline=dt.date(2026, 6, 4))  # on time
    with time_machine.travel(MOMENT, tick=False):
        dispatch.outbox_scan(now=MOMENT)
    assert Notification.objects.filter(kind=Kind.PAIR_MISMATCH).count() == 0


def test_agency_people_are_not_told_of_pairs(calendars, event, secretariats, executor):
    _pair(event, ru_status="accepted", kz_status="in_progress", deadline=dt.date(2026, 5, 4))
    with time_machine.travel(MOMENT, tick=False):
        dispatch.outbox_scan(now=MOMENT)
    recipients = set(Notification.objects.filter(kind=Kind.PAIR_MISMATCH).values_list("to_email", flat=True))
    assert recipients == {"sec@omsk.example", "sec@kz.example"}
