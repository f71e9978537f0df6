"""Delivering rows: the mail itself, the claim, retries and failures, notices on what people do, meetings."""

import datetime as dt
import email
import email.policy
import smtplib

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings

from omskevents.notifications import delivery, dispatch, emails, notices, recovery, selectors, services
from omskevents.notifications.enums import Kind, State
from omskevents.notifications.models import Notification, NotificationPreference
from omskevents.workplan import services as workplan
from tests.factories.accounts import UserFactory
from tests.factories.agencies import AgencyFactory
from tests.factories.committee import AttendanceFactory, MeetingFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db
UTC = dt.UTC
MOMENT = dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)  # Friday, 09:00 in Omsk


def due_row(executor, **task_fields) -> Notification:
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12), **task_fields)
    dispatch.outbox_scan(now=MOMENT)
    return Notification.objects.get()


@pytest.fixture
def frozen():
    with time_machine.travel(MOMENT, tick=False) as traveller:
        yield traveller


def test_reminder_mail_has_text_html_links_and_message_id(calendars, executor, frozen, mailoutbox):
    row = due_row(executor, title="Подготовить причал на Иртыше")
    assert delivery.outbox_deliver(notification_id=row.pk) == "sent"
    row.refresh_from_db()
    [mail] = mailoutbox
    assert mail.subject.endswith("Подготовить причал на Иртыше")
    assert mail.to == ["exec@example.org"]
    assert mail.extra_headers["Message-ID"] == row.message_id
    assert row.message_id.startswith(f"<outbox-{row.pk}-")
    assert row.message_id.endswith("@omskevents.local>")
    assert "http://127.0.0.1:8000/notifications/act/" in mail.body
    assert "/notifications/preferences/" in mail.body
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert "Подготовить причал на Иртыше" in html
    assert (row.state, row.attempts, row.last_smtp_code, row.to_email) == (State.SENT, 1, 250, "exec@example.org")
    assert row.sent_at == MOMENT


def test_reminder_mail_is_in_russian_by_default(calendars, executor, event, frozen, mailoutbox):
    row = due_row(executor, event=event, title="Причал")
    delivery.outbox_deliver(notification_id=row.pk)
    assert mailoutbox[0].subject == "[Форум XXII] Остался 1 рабочий день: Причал"


def test_subject_is_prefixed_with_the_event(calendars, executor, event, frozen, mailoutbox):
    row = due_row(executor, event=event, title="Встреча делегаций")
    delivery.outbox_deliver(notification_id=row.pk)
    assert mailoutbox[0].subject.startswith("[Форум XXII] ")
    assert mailoutbox[0].subject.endswith("Встреча делегаций")


def test_mail_is_in_the_recipients_language(calendars, executor, event, frozen, mailoutbox):
    NotificationPreference.objects.create(user=executor, language="en")
    row = due_row(executor, event=event, title="Pier")
    delivery.outbox_deliver(notification_id=row.pk)
    assert mailoutbox[0].subject == "[Форум XXII] 1 working day left: Pier"
    assert "The deadline of this task is in 1 working day." in mailoutbox[0].body


def test_header_injection_through_a_task_title_is_impossible(calendars, executor, frozen, mailoutbox):
    row = due_row(executor, title="Причал\r\nBcc: attacker@evil.example\r\nX-Injected: yes")
    assert delivery.outbox_deliver(notification_id=row.pk) == "sent"
    [mail] = mailoutbox
    parsed = email.message_from_bytes(mail.message().as_bytes())
    assert parsed["Bcc"] is None
    assert parsed["X-Injected"] is None
    assert mail.recipients() == ["exec@example.org"]
    assert "\n" not in mail.subject
    assert "\r" not in mail.subject
    assert mail.subject.endswith("Причал Bcc: attacker@evil.example X-Injected: yes")


def test_script_in_a_title_is_escaped_in_the_html_part(calendars, executor, frozen, mailoutbox):
    row = due_row(executor, title='<script>alert("x")</script>')
    delivery.outbox_deliver(notification_id=row.pk)
    html = mailoutbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<script>alert("x")</script>' in mailoutbox[0].body  # the text part is plain text


def test_a_row_is_delivered_once_however_often_it_is_handed_over(calendars, executor, frozen, mailoutbox):
    row = due_row(executor)
    outcomes = [delivery.outbox_deliver(notification_id=row.pk) for _ in range(3)]
    assert outcomes == ["sent", "skipped", "skipped"]
    assert len(mailoutbox) == 1


def test_sweep_returns_rows_whose_lease_expired_before_their_mail_was_tried(calendars, executor, frozen):
    row = due_row(executor)
    Notification.objects.filter(pk=row.pk).update(state=State.SENDING, lease_until=MOMENT - dt.timedelta(seconds=1))
    assert dispatch.outbox_sweep() == 1
    row.refresh_from_db()
    assert (row.state, row.dispatched_at, row.lease_until, row.possibly_sent_at) == (State.QUEUED, None, None, None)


def test_sweep_leaves_rows_within_their_lease(calendars, executor, frozen):
    row = due_row(executor)
    Notification.objects.filter(pk=row.pk).update(state=State.SENDING, lease_until=MOMENT + dt.timedelta(seconds=60))
    assert dispatch.outbox_sweep() == 0


class RefusingBackend(EmailBackend):
    """The SMTP server's answer at the boundary: refuse the recipient with the configured code."""

    code = 451

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"exec@example.org": (self.code, b"try later")})


class PermanentBackend(RefusingBackend):
    code = 550


@override_settings(EMAIL_BACKEND="tests.notifications.test_delivery.RefusingBackend", NOTIFY_RETRY_BASE_SECONDS=60)
def test_temporary_smtp_failure_is_retried_later_with_backoff(calendars, executor, frozen):
    row = due_row(executor)
    assert delivery.outbox_deliver(notification_id=row.pk) == "retry"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_smtp_code, row.dispatched_at) == (State.QUEUED, 1, 451, None)
    assert 45 <= (row.next_attempt_at - MOMENT).total_seconds() <= 75
    assert dispatch.outbox_dispatch(now=MOMENT) == 0  # not before its time


@override_settings(EMAIL_BACKEND="tests.notifications.test_delivery.PermanentBackend")
def test_permanent_smtp_failure_marks_the_row_failed_and_retry_queues_it(calendars, executor, frozen, mailoutbox):
    row = due_row(executor)
    assert delivery.outbox_deliver(notification_id=row.pk) == "failed"
    row.refresh_from_db()
    assert (row.state, row.last_smtp_code) == (State.FAILED, 550)
    assert services.outbox_retry(notifications=[row]) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.QUEUED, 0)


@override_settings(EMAIL_BACKEND="tests.notifications.test_delivery.RefusingBackend", NOTIFY_RETRY_FOR_SECONDS=86400)
def test_temporary_failures_keep_retrying_for_the_retry_period_then_fail(calendars, executor, frozen):
    row = due_row(executor)
    assert delivery.outbox_deliver(notification_id=row.pk) == "retry"
    for hours in (2, 8, 23):  # twenty attempts and more within the day: still retried
        frozen.move_to(MOMENT + dt.timedelta(hours=hours))
        Notification.objects.filter(pk=row.pk).update(attempts=20 + hours)
        assert delivery.outbox_deliver(notification_id=row.pk) == "retry"
    row.refresh_from_db()
    assert (row.state, row.first_failure_at) == (State.QUEUED, MOMENT)
    frozen.move_to(MOMENT + dt.timedelta(hours=24))
    assert delivery.outbox_deliver(notification_id=row.pk) == "failed"
    row.refresh_from_db()
    assert (row.state, row.last_smtp_code, row.first_failure_at) == (State.FAILED, 451, MOMENT)


def test_retry_delay_is_capped_at_an_hour(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    assert [delivery.retry_delay(n).total_seconds() <= 3600 * 1.25 for n in (10, 30, 200)] == [True] * 3
    assert delivery.retry_delay(30).total_seconds() >= 3600 * 0.75


def test_sweep_flags_a_row_whose_mail_had_gone_to_the_smtp_server(calendars, executor, frozen):
    row = due_row(executor)
    Notification.objects.filter(pk=row.pk).update(
        state=State.SENDING, attempts=1, send_started_at=MOMENT, lease_until=MOMENT - dt.timedelta(seconds=1)
    )
    assert dispatch.outbox_sweep() == 1
    row.refresh_from_db()
    assert (row.state, row.possibly_sent_at, row.lease_until, row.last_error) == (
        State.UNCERTAIN,
        MOMENT,
        None,
        recovery.UNCERTAIN_NOTE,
    )
    frozen.move_to(MOMENT + dt.timedelta(days=1))
    assert dispatch.outbox_sweep() == 0  # a reminder is not resent by itself
    assert Notification.objects.get(pk=row.pk).state == State.UNCERTAIN


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (smtplib.SMTPRecipientsRefused({"a@b.c": (451, b"later")}), (451, True)),
        (smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no such user")}), (550, False)),
        (smtplib.SMTPDataError(451, b"later"), (451, True)),
        (smtplib.SMTPDataError(554, b"rejected"), (554, False)),
        (ConnectionRefusedError(111, "refused"), (None, True)),
        (TimeoutError("timed out"), (None, True)),
        (smtplib.SMTPServerDisconnected("gone"), (None, True)),
        (ValueError("bad"), (None, False)),
    ],
)
def test_classify_failure_by_smtp_code(error, expected):
    assert delivery.classify_failure(error) == expected


def test_retry_delay_grows_exponentially_with_jitter(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    delays = [delivery.retry_delay(n).total_seconds() for n in (1, 2, 3, 4)]
    for n, delay in enumerate(delays):
        assert 60 * 2**n * 0.75 <= delay <= 60 * 2**n * 1.25


def test_row_of_a_deactivated_recipient_is_cancelled_at_delivery(calendars, executor, frozen, mailoutbox):
    row = due_row(executor)
    executor.is_active = False
    executor.save()
    assert delivery.outbox_deliver(notification_id=row.pk) == "cancelled"
    assert mailoutbox == []


def test_unique_key_makes_a_duplicate_row_impossible(calendars, executor, frozen):
    from django.db import IntegrityError, transaction

    row = due_row(executor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            kind=row.kind,
            item_key=row.item_key,
            recipient_key=row.recipient_key,
            occasion=row.occasion,
            scheduled_for=MOMENT,
            next_attempt_at=MOMENT,
        )


# --- notices on what people do ------------------------------------------------------------------


def test_task_create_notifies_the_responsible_and_co_executors(calendars, executor, secretariat, event, frozen):
    partner = AgencyFactory(short_name="Акимат СКО", country="KZ", email="sko@example.kz")
    task = workplan.task_create(
        actor=secretariat,
        event=event,
        title="Согласовать программу",
        area="irtysh_logistics",
        lead_agency=executor.agency,
        responsible=executor,
        deadline=dt.date(2026, 11, 2),
        co_executors=[partner],
    )
    got = sorted(Notification.objects.filter(task=task).values_list("kind", "to_email"))
    assert got == [("assignment", "exec@example.org"), ("assignment", "sko@example.kz")]


def test_reassignment_notifies_the_new_responsible_person(calendars, executor, secretariat, event, frozen):
    from tests.factories.accounts import UserFactory

    task = make_task(responsible=executor, lead_agency=executor.agency, event=event)
    other = UserFactory(username="other", agency=executor.agency, email="other@example.org")
    workplan.task_update(actor=secretariat, task=task, responsible=other)
    assert list(Notification.objects.values_list("kind", "to_email")) == [("assignment", "other@example.org")]


def test_assignment_at_night_waits_for_the_morning(calendars, executor, secretariat, event):
    night = dt.datetime(2026, 5, 7, 18, 0, tzinfo=UTC)  # 00:00 in Omsk
    with time_machine.travel(night, tick=False):
        workplan.task_create(
            actor=secretariat,
            event=event,
            title="Т",
            area="irtysh_logistics",
            lead_agency=executor.agency,
            responsible=executor,
            deadline=dt.date(2026, 11, 2),
        )
    row = Notification.objects.get()
    assert row.scheduled_for == dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)
    assert dispatch.outbox_dispatch(now=night, sync=True) == 0


def test_final_report_notifies_the_controller_and_acceptance_the_executor(
    calendars, executor, controller, event, frozen
):
    task = make_task(responsible=executor, lead_agency=executor.agency, controller=controller, event=event)
    workplan.task_report_progress(actor=executor, task=task, text="Сделано", is_final=True)
    workplan.task_change_status(actor=controller, task=task, status="accepted")
    got = sorted(Notification.objects.values_list("kind", "recipient__username"))
    assert got == [("report_accepted", "exec"), ("report_submitted", "ctl")]


def test_extension_request_and_decision_are_notified(calendars, executor, controller, event, frozen):
    task = make_task(responsible=executor, lead_agency=executor.agency, controller=controller, event=event)
    request = workplan.task_request_extension(
        actor=executor, task=task, new_deadline=dt.date(2026, 12, 4), reason="Погода"
    )
    workplan.extension_decide(actor=controller, request=request, approve=True)
    got = sorted(Notification.objects.values_list("kind", "recipient__username"))
    assert got == [("extension_decided", "exec"), ("extension_requested", "ctl")]


def test_head_opted_in_gets_copies(calendars, executor, head, controller, event, frozen):
    services.preference_update(user=head, head_copies=True)
    task = make_task(responsible=executor, lead_agency=executor.agency, controller=controller, event=event)
    workplan.task_report_progress(actor=executor, task=task, text="Сделано", is_final=True)
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["ctl", "head"]


def test_task_notifications_selector_lists_what_was_sent(calendars, executor, frozen, django_assert_num_queries):
    row = due_row(executor)
    delivery.outbox_deliver(notification_id=row.pk)
    task = row.task
    with django_assert_num_queries(1):
        listed = [(n.kind, n.recipient.username, n.state) for n in selectors.task_notifications(task)]
    assert listed == [("deadline", "exec", "sent")]


# --- meetings -----------------------------------------------------------------------------------


def test_meeting_invitation_carries_an_icalendar_request(calendars, executor, frozen, mailoutbox):
    meeting = MeetingFactory(starts_at=dt.datetime(2026, 5, 14, 5, 0, tzinfo=UTC), title="Подготовка Форума")
    AttendanceFactory(meeting=meeting, user=executor)
    assert notices.meeting_notify(meeting=meeting, change="created") == 1
    row = Notification.objects.get()
    assert delivery.outbox_deliver(notification_id=row.pk) == "sent"
    [mail] = mailoutbox
    parsed = email.message_from_bytes(mail.message().as_bytes())
    [part] = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    ics = part.get_payload(decode=True).decode()
    for line in (
        "METHOD:REQUEST",
        "BEGIN:VALARM",
        "SEQUENCE:0",
        "UID:meeting-",
        "mailto:exec@example.org",
        "ORGANIZER",
    ):
        assert line in ics
    assert "ATTENDEE" in ics


def test_meeting_cancellation_supersedes_the_waiting_invitation(calendars, executor, frozen, mailoutbox):
    meeting = MeetingFactory(starts_at=dt.datetime(2026, 5, 14, 5, 0, tzinfo=UTC))
    AttendanceFactory(meeting=meeting, user=executor)
    notices.meeting_notify(meeting=meeting, change="created")
    meeting.status, meeting.sequence = "cancelled", 1
    meeting.save()
    notices.meeting_notify(meeting=meeting, change="cancelled")
    assert sorted(Notification.objects.values_list("kind", "state")) == [
        ("meeting_cancelled", "queued"),
        ("meeting_invitation", "cancelled"),
    ]
    dispatch.outbox_dispatch(now=MOMENT, sync=True)
    ics = next(
        p
        for p in email.message_from_bytes(mailoutbox[0].message().as_bytes()).walk()
        if p.get_content_type() == "text/calendar"
    )
    assert "METHOD:CANCEL" in ics.get_payload(decode=True).decode()


def test_meeting_reminder_the_working_day_before(calendars, executor, frozen):
    meeting = MeetingFactory(starts_at=dt.datetime(2026, 5, 12, 5, 0, tzinfo=UTC))  # Tuesday; Monday 11 May is off
    AttendanceFactory(meeting=meeting, user=executor)
    dispatch.outbox_scan(now=MOMENT)  # Friday 8 May, 09:00 Omsk
    dispatch.outbox_scan(now=MOMENT + dt.timedelta(days=3))  # Monday, a day off
    assert list(Notification.objects.values_list("kind", "occasion")) == [
        ("meeting_reminder", f"start:{meeting.starts_at.isoformat()}")
    ]


def test_meeting_notify_refuses_an_unknown_change(calendars, frozen):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        notices.meeting_notify(meeting=MeetingFactory(), change="moved")
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("kind", Kind.values)
def test_every_kind_has_its_three_templates(kind):
    from django.template.loader import get_template

    names = [f"emails/{kind}{suffix}" for suffix in (".txt", ".html", "_subject.txt")]
    assert [get_template(name).template.name for name in names] == names


def test_broker_down_leaves_the_web_working_and_the_row_waiting(
    calendars, executor, secretariat, event, django_capture_on_commit_callbacks, caplog, settings
):
    from omskevents.bench.faultrun import broker, free_port

    settings.NOTIFY_GATHER_WINDOW_SECONDS = 0  # no gathering window: the notice is handed over on commit
    moment = dt.datetime(2026, 5, 8, 4, 0, tzinfo=UTC)  # working hours in Omsk: the notice goes at once
    unreachable = broker(f"redis://127.0.0.1:{free_port()}/0")
    with time_machine.travel(moment, tick=False), unreachable, django_capture_on_commit_callbacks(execute=True):
        task = workplan.task_create(
            actor=secretariat,
            event=event,
            title="Т",
            area="irtysh_logistics",
            lead_agency=executor.agency,
            responsible=executor,
            deadline=dt.date(2026, 11, 2),
        )
    row = Notification.objects.get(task=task)
    assert (row.state, row.dispatched_at) == (State.QUEUED, moment)  # a later scan hands it over again
    assert f"broker unavailable; notifications [{row.pk}] wait for the next scan" in caplog.messages


def test_possibly_sent_assignment_goes_again_after_the_grace_with_the_same_message_id(
    calendars, executor, secretariat, event, frozen, mailoutbox, settings
):
    settings.NOTIFY_UNCERTAIN_GRACE_SECONDS = 300
    task = make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 6, 1), event=event)
    notices.task_assignment_notify(task=task)
    row = Notification.objects.get(task=task, kind="assignment")
    Notification.objects.filter(pk=row.pk).update(
        state=State.SENDING, attempts=1, send_started_at=MOMENT, lease_until=MOMENT - dt.timedelta(seconds=1)
    )
    assert dispatch.outbox_sweep() == 1
    assert Notification.objects.get(pk=row.pk).state == State.UNCERTAIN
    frozen.move_to(MOMENT + dt.timedelta(seconds=299))
    assert dispatch.outbox_sweep() == 0  # within the grace: a journal may still say "sent"
    frozen.move_to(MOMENT + dt.timedelta(seconds=300))
    assert dispatch.outbox_sweep() == 1
    assert dispatch.outbox_dispatch(sync=True) == 1
    row.refresh_from_db()
    assert (row.state, row.possibly_sent_at) == (State.SENT, MOMENT)
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [emails.message_id_for(row)]


def test_admin_retry_queues_possibly_sent_and_failed_rows(calendars, executor, frozen):
    row = due_row(executor)
    Notification.objects.filter(pk=row.pk).update(state=State.UNCERTAIN, attempts=1, possibly_sent_at=MOMENT)
    assert services.outbox_retry(notifications=[row]) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.possibly_sent_at) == (State.QUEUED, 0, MOMENT)


class CutDuringDataBackend(EmailBackend):
    """The connection breaks while the message data is on its way: the server may or may not have it."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@override_settings(EMAIL_BACKEND="tests.notifications.test_delivery.CutDuringDataBackend")
def test_connection_cut_during_data_flags_the_row_instead_of_retrying(calendars, executor, frozen):
    row = due_row(executor)
    assert delivery.outbox_deliver(notification_id=row.pk) == "uncertain"
    row.refresh_from_db()
    assert (row.state, row.possibly_sent_at, row.send_started_at, row.lease_until) == (
        State.UNCERTAIN,
        MOMENT,
        MOMENT,
        None,
    )
    assert row.last_error.startswith(recovery.UNCERTAIN_NOTE)
    frozen.move_to(MOMENT + dt.timedelta(hours=1))
    assert (dispatch.outbox_sweep(), dispatch.outbox_dispatch()) == (0, 0)  # a reminder is not resent by itself


@pytest.fixture
def smtp_sink(settings):
    from omskevents.bench import faultrun

    server = faultrun.SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    delivery._kept_connections.clear()
    server.stop()


def test_the_sender_is_the_configured_one_in_the_header_and_the_envelope(calendars, executor, frozen, smtp_sink):
    """The From header's name and the envelope's addresses are encoded once per process and address
    (emails.encoded_address): a changed sender is still the one each mail carries."""
    colleague = UserFactory(username="colleague", agency=executor.agency, email="colleague@example.org")
    make_task(responsible=executor, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12), title="Причал")
    make_task(responsible=colleague, lead_agency=executor.agency, deadline=dt.date(2026, 5, 12), title="Сцена")
    dispatch.outbox_scan(now=MOMENT)
    first, second = Notification.objects.order_by("recipient__username")
    assert delivery.outbox_deliver(notification_id=first.pk) == "sent"
    with override_settings(DEFAULT_FROM_EMAIL="Секретариат Комиссии <commission@omskevents.local>"):
        assert delivery.outbox_deliver(notification_id=second.pk) == "sent"

    parsed = [email.message_from_bytes(raw, policy=email.policy.default) for _rcpt, _mid, raw in smtp_sink.received]
    assert [(m["From"].addresses[0].display_name, m["From"].addresses[0].addr_spec) for m in parsed] == [
        ("Оргкомитет Форума", "orgcom@omskevents.local"),
        ("Секретариат Комиссии", "commission@omskevents.local"),
    ]
    assert smtp_sink.senders == ["orgcom@omskevents.local", "commission@omskevents.local"]
    assert [m["To"] for m in parsed] == ["colleague@example.org", "exec@example.org"]
