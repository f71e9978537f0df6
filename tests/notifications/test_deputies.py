"""Deputies: while a person is away, the notices that ask them to act go to their deputy, marked as such.

The mails travel to an SMTP server on loopback (faultrun.SmtpSink) and are read back from what it received."""

import datetime as dt
import email
from email.message import Message

import pytest
import time_machine

from omskevents.accounts.services import absence_record
from omskevents.bench import faultrun
from omskevents.notifications import delivery, dispatch, notices, services
from omskevents.notifications.audience import Deputies
from omskevents.notifications.enums import Kind
from omskevents.notifications.models import InboxItem, Notification
from omskevents.workplan import services as workplan_services
from tests.factories.accounts import UserFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db
UTC = dt.UTC


@pytest.fixture
def sink(settings):
    server = faultrun.SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield server
    delivery._kept_connections.clear()
    server.stop()


@pytest.fixture
def deputy(omsk_agency):
    return UserFactory(
        username="deputy",
        first_name="Пётр",
        last_name="Петров",
        patronymic="Ильич",
        agency=omsk_agency,
        email="deputy@example.org",
    )


def away(person, deputy, start, end, reason="leave"):
    with time_machine.travel(dt.datetime.combine(start, dt.time(1, 0), tzinfo=UTC) - dt.timedelta(days=3)):
        return absence_record(actor=person, person=person, start=start, end=end, reason=reason, deputy=deputy)


def scan_and_send(moment):
    with time_machine.travel(moment, tick=False):
        dispatch.outbox_scan(now=moment, sync=True)


def text_part(raw: bytes) -> str:
    message = email.message_from_bytes(raw)
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part")


def received_by(sink, address: str) -> list[Message]:
    return [email.message_from_bytes(raw) for rcpt, _mid, raw in sink.received if rcpt == address]


def test_absent_heads_escalation_reaches_the_deputy_marked_then_the_head_again(calendars, sink, executor, deputy):
    head = UserFactory(
        username="head", first_name="Иван", last_name="Иванов", patronymic="Сергеевич", role="agency_head",
        agency=executor.agency, email="head@example.org",
    )  # fmt: skip
    executor.agency.head = head
    executor.agency.save()
    services.reminder_settings_save(overdue_head_from_day=1)
    services.preference_update(user=head, digests=False)  # the agency's digest is the head's own: never handed over
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    away(head, deputy, dt.date(2026, 5, 13), dt.date(2026, 5, 14))

    scan_and_send(dt.datetime(2026, 5, 13, 4, 0, tzinfo=UTC))  # 10:00 in Omsk, overdue day 1, head away

    assert received_by(sink, "head@example.org") == []
    [mail] = [raw for rcpt, _mid, raw in sink.received if rcpt == "deputy@example.org"]
    body = text_part(mail)
    assert "Вы получаете это письмо как заместитель: Иванов И.С. в отпуске до 14.05.2026." in body
    assert "просрочен на 1 рабочий день" in body
    row = Notification.objects.get(kind=Kind.OVERDUE, recipient=deputy)
    assert (row.task_id, row.recipient_key, row.context["deputy_for"]) == (task.pk, f"user:{deputy.pk}", head.pk)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["deputy", "exec"]

    scan_and_send(dt.datetime(2026, 5, 15, 4, 0, tzinfo=UTC))  # the absence is over: the head again, unmarked

    [back] = [raw for rcpt, _mid, raw in sink.received if rcpt == "head@example.org"]
    assert "заместитель" not in text_part(back)
    assert len(received_by(sink, "deputy@example.org")) == 1
    assert Notification.objects.filter(kind=Kind.OVERDUE, recipient=head).count() == 1


def test_the_absent_persons_inbox_keeps_filling_while_the_deputy_gets_the_mail(calendars, sink, executor, deputy):
    away(executor, deputy, dt.date(2026, 5, 13), dt.date(2026, 5, 20))
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    moment = dt.datetime(2026, 5, 13, 4, 0, tzinfo=UTC)
    scan_and_send(moment)
    scan_and_send(moment + dt.timedelta(minutes=5))  # the same occasion again: no second item, no second mail

    row = Notification.objects.get(kind=Kind.OVERDUE)
    assert (row.recipient, row.context["deputy_for"]) == (deputy, executor.pk)
    assert sorted(InboxItem.objects.filter(notification=row).values_list("user__username", flat=True)) == [
        "deputy",
        "exec",
    ]
    assert [rcpt for rcpt, _mid, _raw in sink.received] == ["deputy@example.org"]
    # What the absent person reads in their inbox does not keep the deputy's mail back.
    InboxItem.objects.filter(notification=row, user=executor).update(read_at=moment)
    assert delivery_facts_read(row) == set()


def delivery_facts_read(row):
    from omskevents.notifications.selectors import delivery_facts

    return delivery_facts([row]).read


def test_the_same_scan_twice_sends_the_deputy_one_mail(calendars, sink, executor, deputy):
    away(executor, deputy, dt.date(2026, 5, 13), dt.date(2026, 5, 20))
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
    moment = dt.datetime(2026, 5, 13, 4, 0, tzinfo=UTC)
    scan_and_send(moment)
    scan_and_send(moment + dt.timedelta(minutes=5))
    assert [rcpt for rcpt, _mid, _raw in sink.received] == ["deputy@example.org"]


def test_a_report_awaiting_an_absent_controller_goes_to_the_controllers_deputy(calendars, executor):
    controller = UserFactory(username="ctl", role="secretariat", agency=None, last_name="Смирнова", first_name="Анна")
    stand_in = UserFactory(username="ctl2", role="secretariat", agency=None)
    task = make_task(
        responsible=executor, lead_agency=executor.agency, controller=controller, deadline=dt.date(2026, 6, 1)
    )
    away(controller, stand_in, dt.date(2026, 5, 13), dt.date(2026, 5, 29), reason="business_trip")
    with time_machine.travel(dt.datetime(2026, 5, 13, 5, 0, tzinfo=UTC), tick=False):
        workplan_services.task_report_progress(actor=executor, task=task, text="Готово", is_final=True)
    row = Notification.objects.get(kind=Kind.REPORT_SUBMITTED)
    assert (row.recipient, row.context["deputy_for_name"], row.context["absence_reason"]) == (
        stand_in,
        "Смирнова А.",
        "business_trip",
    )


def test_a_chain_of_absent_deputies_is_followed_and_a_loop_leaves_the_notice_with_the_person(
    executor, deputy, omsk_agency
):
    third = UserFactory(username="third", agency=omsk_agency)
    day = dt.date(2026, 5, 13)
    away(executor, deputy, day, day)
    away(deputy, third, day, day)
    acting = Deputies(day).acting_for(executor, day)
    assert (acting.person, acting.away, list(acting.via)) == (third, executor, [deputy])

    away(third, executor, day, day)  # executor → deputy → third → executor: nobody present
    acting = Deputies(day).acting_for(executor, day)
    assert (acting.person, acting.away) == (executor, None)


def test_a_deputy_without_an_address_leaves_the_notice_with_the_person(executor, omsk_agency):
    silent = UserFactory(username="silent", agency=omsk_agency, email="")
    day = dt.date(2026, 5, 13)
    away(executor, silent, day, day)
    assert Deputies(day).acting_for(executor, day).person == executor


def test_digests_and_assignments_are_not_handed_over(calendars, executor, deputy, head):
    away(executor, deputy, dt.date(2026, 5, 13), dt.date(2026, 5, 20))
    away(head, deputy, dt.date(2026, 5, 13), dt.date(2026, 5, 20))
    services.preference_update(user=executor, delivery="daily", reminders_mode="digest")
    with time_machine.travel(dt.datetime(2026, 5, 13, 5, 0, tzinfo=UTC), tick=False):
        task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12))
        notices.task_assignment_notify(task=task)
    scan_and_send(dt.datetime(2026, 5, 13, 5, 0, tzinfo=UTC))
    assert sorted(Notification.objects.values_list("kind", "recipient__username")) == [
        ("agency_digest", "head"),
        ("assignment", "exec"),
        ("digest", "exec"),
    ]
