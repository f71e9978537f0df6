"""Reminders of agreements' stage deadlines: the acting side's agency, 09:00 of its own zone, working days, once."""

import datetime as dt

import pytest
import time_machine

from omskevents.agreements import services
from omskevents.notifications import dispatch, emails
from omskevents.notifications.enums import Kind
from omskevents.notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.agreements import make_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
UTC = dt.UTC


@pytest.fixture
def agreement(calendars, event):
    ru = AgencyFactory(short_name="Минтранс Омской обл.", country="RU", level="regional", email="mt@example.org")
    kz = AgencyFactory(
        short_name="Акимат Павлодарской обл.", country="KZ", level="foreign", email="akimat@example.org",
        time_zone="Asia/Almaty",
    )  # fmt: skip
    sec = UserFactory(username="sec-agr", role="secretariat", agency=None)
    # Registered on 1 September: the draft is due 16 September (60 working days before the ceremony).
    with time_machine.travel(dt.datetime(2026, 9, 1, 3, 0, tzinfo=UTC), tick=False):
        return make_agreement(actor=sec, event=event, ru=ru, kz=kz)


def scan_at(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        dispatch.outbox_scan(now=moment)


def rows() -> list[tuple[str, str, str, dt.datetime]]:
    return list(
        Notification.objects.filter(kind=Kind.AGREEMENT_DEADLINE)
        .order_by("pk")
        .values_list("item_key", "recipient_key", "occasion", "scheduled_for")
    )


def test_reminder_comes_once_at_nine_in_omsk_on_a_working_day(agreement):
    key = (f"agreement:{agreement.pk}", f"agency:{agreement.ru_responsible_id}")
    scan_at(dt.datetime(2026, 9, 15, 2, 59, tzinfo=UTC))  # Tuesday 15 September, 08:59 in Omsk
    assert rows() == []
    scan_at(dt.datetime(2026, 9, 15, 3, 0, tzinfo=UTC))  # 09:00 in Omsk: one working day before the deadline
    scan_at(dt.datetime(2026, 9, 15, 9, 30, tzinfo=UTC))  # a later scan the same day adds nothing
    assert rows() == [(*key, "draft_ready:2026-09-16:1", dt.datetime(2026, 9, 15, 3, 0, tzinfo=UTC))]


def test_no_reminder_on_a_day_off(agreement):
    scan_at(dt.datetime(2026, 9, 13, 3, 0, tzinfo=UTC))  # Sunday
    assert rows() == []


def test_the_partners_stage_reminds_the_kazakh_agency_at_nine_in_almaty(agreement):
    sec = agreement.created_by
    with time_machine.travel(dt.datetime(2026, 10, 1, 3, 0, tzinfo=UTC), tick=False):
        for stage in ("draft_ready", "ru_agreed", "sent"):
            agreement = services.agreement_move(actor=sec, agreement=agreement, stage=stage)
    assert (agreement.next_stage, agreement.next_deadline) == ("partner_comments", dt.date(2026, 10, 29))
    scan_at(dt.datetime(2026, 10, 28, 3, 30, tzinfo=UTC))  # 08:30 in Almaty
    assert rows() == []
    scan_at(dt.datetime(2026, 10, 28, 4, 0, tzinfo=UTC))  # 09:00 in Almaty (UTC+5)
    assert rows() == [
        (
            f"agreement:{agreement.pk}",
            f"agency:{agreement.kz_responsible_id}",
            "partner_comments:2026-10-29:1",
            dt.datetime(2026, 10, 28, 4, 0, tzinfo=UTC),
        )
    ]


def test_the_reminder_mail_names_the_agreement_and_the_stage_in_russian(agreement):
    """An agency's contact address is written to in the working language, Russian."""
    scan_at(dt.datetime(2026, 9, 15, 3, 0, tzinfo=UTC))
    row = Notification.objects.get(kind=Kind.AGREEMENT_DEADLINE)
    message = emails.build_message(row, message_id="<x@example.org>")
    assert message.to == ["mt@example.org"]
    assert message.subject == (
        "[Форум XXII] 1 рабочий день до этапа «Проект готов»: Соглашение о сотрудничестве в сфере транспорта"
    )
    assert "Соглашение должно пройти этап «Проект готов» до 16.09.2026." in message.body
    assert f"/agreements/{agreement.pk}/" in message.body


def test_no_reminder_for_a_withdrawn_agreement(agreement):
    with time_machine.travel(dt.datetime(2026, 9, 2, 3, 0, tzinfo=UTC), tick=False):
        services.agreement_move(actor=agreement.created_by, agreement=agreement, stage="withdrawn", comment="Снято")
    scan_at(dt.datetime(2026, 9, 15, 3, 0, tzinfo=UTC))
    assert rows() == []


def test_the_due_day_brings_its_own_reminder_once(agreement):
    for moment in (
        dt.datetime(2026, 9, 15, 3, 0, tzinfo=UTC),
        dt.datetime(2026, 9, 16, 3, 0, tzinfo=UTC),
        dt.datetime(2026, 9, 16, 8, 0, tzinfo=UTC),
    ):
        scan_at(moment)
    assert [occasion for _item, _who, occasion, _at in rows()] == [
        "draft_ready:2026-09-16:1",
        "draft_ready:2026-09-16:0",
    ]
