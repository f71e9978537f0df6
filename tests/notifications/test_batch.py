"""Delivering rows in batches: one claim, set-based loading, one SMTP session, an outcome per row."""

import datetime as dt
import smtplib

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings

from omskevents.notifications import delivery, dispatch, emails, recovery, selectors, store
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification
from tests.factories.accounts import UserFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db
UTC = dt.UTC
MOMENT = dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)  # Friday, 09:00 in Omsk


class PerAddressBackend(EmailBackend):
    """The SMTP server's answer at the boundary, per recipient: 550, 451, unreachable, or accepted."""

    answers = {
        "refused@example.org": smtplib.SMTPRecipientsRefused({"refused@example.org": (550, b"no such user")}),
        "later@example.org": smtplib.SMTPRecipientsRefused({"later@example.org": (451, b"try later")}),
        "down@example.org": ConnectionRefusedError(111, "Connection refused"),
    }

    def send_messages(self, messages):
        for message in messages:
            error = self.answers.get(message.to[0])
            if error is not None:
                raise error
        return super().send_messages(messages)


@pytest.fixture
def frozen():
    with time_machine.travel(MOMENT, tick=False) as traveller:
        yield traveller


def due_rows(omsk_agency, *names: str) -> dict[str, int]:
    """One deadline reminder per person, due at MOMENT; returns address -> row id."""
    for name in names:
        person = UserFactory(username=name, agency=omsk_agency, time_zone="Asia/Omsk", email=f"{name}@example.org")
        make_task(responsible=person, lead_agency=omsk_agency, deadline=dt.date(2026, 5, 12), title=f"Задача {name}")
    dispatch.outbox_scan(now=MOMENT)
    return dict(Notification.objects.values_list("to_email", "pk"))


def states(ids: dict[str, int]) -> dict[str, tuple[str, int, int | None]]:
    rows = Notification.objects.filter(pk__in=ids.values())
    return {r.to_email: (r.state, r.attempts, r.last_smtp_code) for r in rows}


@override_settings(EMAIL_BACKEND="tests.notifications.test_batch.PerAddressBackend")
def test_batch_records_550_and_451_on_their_own_rows_and_sends_the_rest(omsk_agency, calendars, frozen, mailoutbox):
    ids = due_rows(omsk_agency, "first", "refused", "middle", "later", "last")
    outcomes = delivery.outbox_deliver_batch(notification_ids=list(ids.values()))
    assert {address: outcomes[pk] for address, pk in ids.items()} == {
        "first@example.org": "sent",
        "refused@example.org": "failed",
        "middle@example.org": "sent",
        "later@example.org": "retry",
        "last@example.org": "sent",
    }
    assert states(ids) == {
        "first@example.org": (State.SENT, 1, 250),
        "refused@example.org": (State.FAILED, 1, 550),
        "middle@example.org": (State.SENT, 1, 250),
        "later@example.org": (State.QUEUED, 1, 451),
        "last@example.org": (State.SENT, 1, 250),
    }
    assert [m.to for m in mailoutbox] == [["first@example.org"], ["middle@example.org"], ["last@example.org"]]
    later = Notification.objects.get(pk=ids["later@example.org"])
    assert later.next_attempt_at > MOMENT
    assert later.dispatched_at is None


def test_sent_rows_carry_their_message_id_and_time(omsk_agency, calendars, frozen, mailoutbox):
    ids = due_rows(omsk_agency, "first", "second")
    delivery.outbox_deliver_batch(notification_ids=list(ids.values()))
    rows = list(Notification.objects.filter(pk__in=ids.values()).order_by("pk"))
    assert [(r.state, r.sent_at, r.message_id) for r in rows] == [
        (State.SENT, MOMENT, emails.message_id_for(r)) for r in rows
    ]
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [r.message_id for r in rows]


@override_settings(EMAIL_BACKEND="tests.notifications.test_batch.PerAddressBackend")
def test_unreachable_server_queues_the_untried_rest_without_counting_an_attempt(
    omsk_agency, calendars, frozen, mailoutbox
):
    ids = due_rows(omsk_agency, "first", "down", "third", "fourth")
    outcomes = delivery.outbox_deliver_batch(notification_ids=list(ids.values()))
    assert {address: outcomes[pk] for address, pk in ids.items()} == {
        "first@example.org": "sent",
        "down@example.org": "retry",
        "third@example.org": "requeued",
        "fourth@example.org": "requeued",
    }
    assert states(ids) == {
        "first@example.org": (State.SENT, 1, 250),
        "down@example.org": (State.QUEUED, 1, None),
        "third@example.org": (State.QUEUED, 0, None),
        "fourth@example.org": (State.QUEUED, 0, None),
    }
    assert Notification.objects.get(pk=ids["third@example.org"]).last_error == "Not tried: ConnectionRefusedError"
    assert [m.to for m in mailoutbox] == [["first@example.org"]]


def test_a_batch_handed_over_twice_sends_each_row_once(omsk_agency, calendars, frozen, mailoutbox):
    ids = list(due_rows(omsk_agency, "first", "second", "third").values())
    first = delivery.outbox_deliver_batch(notification_ids=ids)
    again = delivery.outbox_deliver_batch(notification_ids=ids)
    assert sorted(first.values()) == ["sent", "sent", "sent"]
    assert again == dict.fromkeys(ids, "skipped")
    assert len(mailoutbox) == 3


def test_a_row_leased_by_another_worker_is_skipped(omsk_agency, calendars, frozen, mailoutbox):
    ids = due_rows(omsk_agency, "first", "second")
    taken = ids["second@example.org"]
    Notification.objects.filter(pk=taken).update(state=State.SENDING, lease_until=MOMENT + dt.timedelta(minutes=5))
    outcomes = delivery.outbox_deliver_batch(notification_ids=list(ids.values()))
    assert outcomes == {ids["first@example.org"]: "sent", taken: "skipped"}
    assert [m.to for m in mailoutbox] == [["first@example.org"]]


def test_stale_rows_in_a_batch_are_cancelled_and_the_rest_sent(omsk_agency, calendars, frozen, mailoutbox):
    ids = due_rows(omsk_agency, "active", "gone")
    UserFactory._meta.model.objects.filter(username="gone").update(is_active=False)
    outcomes = delivery.outbox_deliver_batch(notification_ids=list(ids.values()))
    assert outcomes == {ids["active@example.org"]: "sent", ids["gone@example.org"]: "cancelled"}
    gone = Notification.objects.get(pk=ids["gone@example.org"])
    assert (gone.state, gone.last_error, gone.lease_until) == (State.CANCELLED, "The recipient is deactivated.", None)


def test_batch_queries_do_not_grow_with_the_rows_but_one_update_per_sent_mail(
    omsk_agency, calendars, frozen, mailoutbox, django_assert_num_queries
):
    ids = due_rows(omsk_agency, "solo", "a1", "a2", "a3", "a4", "a5")
    # the claiming transaction (2: savepoint and release here), the candidates and their people's gatherable
    # siblings (2), the lock of their tasks, claim, rows, tasks, their co-executors, people, agencies, events,
    # preferences, read in the app, holds; then the mail's hand-over stamp and its sent mark
    with django_assert_num_queries(2 + 2 + 9 + 2 + 2):
        delivery.outbox_deliver_batch(notification_ids=[ids.pop("solo@example.org")])
    # the journal holds the first mail: one read finds its row marked already; then per mail one statement
    # (its stamp, with the sent mark of the mail before), and the last mail's mark alone
    with django_assert_num_queries(1 + 2 + 2 + 9 + 2 + 5 + 1):
        delivery.outbox_deliver_batch(notification_ids=list(ids.values()))
    assert len(mailoutbox) == 6
    sent = Notification.objects.filter(pk__in=ids.values())
    assert sorted(sent.values_list("state", "last_smtp_code", "lease_until")) == [(State.SENT, 250, None)] * 5
    assert all(row.send_started_at and row.sent_at and row.message_id for row in sent)


def test_rows_are_handed_over_in_batches_of_fifty():
    assert [len(batch) for batch in dispatch.batches(list(range(1, 121)))] == [50, 50, 20]


def test_dispatch_delivers_every_due_row_in_batches(omsk_agency, calendars, frozen, mailoutbox):
    ids = due_rows(omsk_agency, "b1", "b2", "b3")
    Notification.objects.update(dispatched_at=None)
    assert dispatch.outbox_dispatch(now=MOMENT, sync=True) == 3
    assert sorted(Notification.objects.filter(pk__in=ids.values()).values_list("state", flat=True)) == [State.SENT] * 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(ids)


def test_storing_many_rows_inserts_each_once_with_its_values(executor, frozen):
    recipient = selectors.recipient_for_user(executor)
    planned = [
        store.Planned(
            kind="deadline",
            item_key=f"task:{n}",
            recipient=recipient,
            occasion="2026-05-12:1",
            scheduled_for=MOMENT,
            next_attempt_at=MOMENT,
            deadline=dt.date(2026, 5, 12),
            context={"offset": 1},
        )
        for n in range(1, store.COPY_FROM + 51)
    ]
    assert store.outbox_store(planned[:50], validate=False) == 50
    assert store.outbox_store(planned, validate=False) == store.COPY_FROM  # the first 50 are stored already
    assert store.outbox_store(planned, validate=False) == 0
    rows = Notification.objects.filter(kind="deadline")
    assert rows.count() == store.COPY_FROM + 50
    row = rows.get(item_key="task:7")
    assert (row.recipient_id, row.agency_id, row.to_email, row.state, row.attempts) == (
        executor.pk,
        executor.agency_id,
        "exec@example.org",
        State.QUEUED,
        0,
    )
    assert (row.scheduled_for, row.deadline, row.context, row.created) == (
        MOMENT,
        dt.date(2026, 5, 12),
        {"offset": 1},
        MOMENT,
    )


class SlowServerBackend(EmailBackend):
    """An SMTP server that takes two seconds per mail (the clock moves on); meanwhile the sweeper runs."""

    traveller = None
    swept: list[int] = []

    def send_messages(self, messages):
        type(self).traveller.shift(2)
        type(self).swept.append(recovery.outbox_sweep())
        return super().send_messages(messages)


@override_settings(EMAIL_BACKEND="tests.notifications.test_batch.SlowServerBackend", NOTIFY_LEASE_SECONDS=3)
def test_a_batch_longer_than_its_lease_keeps_its_rows_by_renewing(omsk_agency, calendars, frozen, mailoutbox):
    ids = due_rows(omsk_agency, "s1", "s2", "s3", "s4", "s5")
    SlowServerBackend.traveller, SlowServerBackend.swept = frozen, []
    outcomes = delivery.outbox_deliver_batch(notification_ids=list(ids.values()))
    assert sorted(outcomes.values()) == ["sent"] * 5
    assert SlowServerBackend.swept == [0] * 5  # ten seconds of sending, a three-second lease: never taken back
    assert len(mailoutbox) == 5


def test_dispatch_hands_over_every_due_row_in_chunks(omsk_agency, calendars, frozen, monkeypatch):
    ids = due_rows(omsk_agency, "c1", "c2", "c3", "c4", "c5")
    Notification.objects.update(dispatched_at=None)
    monkeypatch.setattr(dispatch, "DISPATCH_CHUNK", 2)
    assert dispatch.outbox_dispatch(now=MOMENT) == 5  # no cap: three chunks in one call
    assert Notification.objects.filter(pk__in=ids.values(), dispatched_at__isnull=False).count() == 5
