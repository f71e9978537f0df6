"""The scan hands its new rows to the worker as it stores them: stamped in the INSERT, published after the commit.

Before, the scan stored the day's rows and then `outbox_dispatch` read them back and stamped each again (thousands
of rows updated a second time on a morning). The stamp now goes in with the row; the guarantees are those of the
dispatch: published only once committed, one person's rows in one message, and a hand-over that never reached the
broker is made again after NOTIFY_REDISPATCH_SECONDS.
"""

import datetime as dt

import pytest
import time_machine

from omskevents.bench.faultrun import broker, free_port
from omskevents.notifications import dispatch, selectors, store
from omskevents.notifications.enums import State
from omskevents.notifications.models import InboxItem, Notification
from tests.factories.accounts import UserFactory

from .conftest import make_task

pytestmark = pytest.mark.django_db
UTC = dt.UTC
MOMENT = dt.datetime(2026, 5, 8, 3, 0, tzinfo=UTC)  # Friday, 09:00 in Omsk: deadline reminders are due


def people_with_due_reminders(omsk_agency, *names: str) -> None:
    for name in names:
        person = UserFactory(username=name, agency=omsk_agency, time_zone="Asia/Omsk", email=f"{name}@example.org")
        make_task(responsible=person, lead_agency=omsk_agency, deadline=dt.date(2026, 5, 12), title=f"Задача {name}")


def test_the_scan_stores_its_due_rows_handed_over_and_delivers_each_once(calendars, omsk_agency, mailoutbox):
    people_with_due_reminders(omsk_agency, "a1", "a2", "a3")
    scanned_at = MOMENT + dt.timedelta(seconds=7)  # the real clock; the scan's moment is MOMENT
    with time_machine.travel(scanned_at, tick=False):
        result = dispatch.outbox_scan(now=MOMENT, sync=True)
    assert (result.created, result.dispatched) == (3, 3)
    rows = Notification.objects.all()
    assert sorted(rows.values_list("to_email", "state", "attempts", "dispatched_at")) == [
        (f"{name}@example.org", State.SENT, 1, scanned_at) for name in ("a1", "a2", "a3")
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["a1@example.org", "a2@example.org", "a3@example.org"]
    with time_machine.travel(scanned_at + dt.timedelta(minutes=5), tick=False):
        again = dispatch.outbox_scan(now=MOMENT + dt.timedelta(minutes=5), sync=True)
    assert (again.created, again.dispatched, len(mailoutbox)) == (0, 0, 3)


def test_rows_not_yet_due_are_stored_without_the_stamp(omsk_agency, executor):
    recipient = selectors.recipient_for_user(executor)
    task = make_task(responsible=executor, lead_agency=omsk_agency, deadline=dt.date(2026, 5, 12))
    planned = [
        store.Planned(
            kind="deadline",
            item_key=f"task:{task.pk}",
            recipient=recipient,
            occasion=f"2026-05-12:{offset}",
            scheduled_for=MOMENT,
            next_attempt_at=MOMENT + dt.timedelta(hours=offset),
            task=task,
        )
        for offset in (0, 1)
    ]
    hand_over = store.HandOver(due_by=MOMENT, at=MOMENT)
    assert store.outbox_store(planned, validate=False, hand_over=hand_over) == 2
    now, later = Notification.objects.order_by("next_attempt_at")
    assert (now.dispatched_at, later.dispatched_at) == (MOMENT, None)
    assert hand_over.rows == [(now.pk, recipient.key)]


def test_a_hand_over_the_broker_never_got_is_made_again_after_the_redispatch_delay(
    calendars, omsk_agency, mailoutbox, django_capture_on_commit_callbacks, caplog, settings
):
    people_with_due_reminders(omsk_agency, "b1", "b2")
    unreachable = broker(f"redis://127.0.0.1:{free_port()}/0")
    with time_machine.travel(MOMENT, tick=False), unreachable, django_capture_on_commit_callbacks(execute=True):
        assert dispatch.outbox_scan(now=MOMENT).dispatched == 2
    rows = Notification.objects.order_by("pk")
    ids = list(rows.values_list("pk", flat=True))
    assert f"broker unavailable; notifications {ids} wait for the next scan" in caplog.messages
    assert set(rows.values_list("state", "dispatched_at")) == {(State.QUEUED, MOMENT)}

    soon = MOMENT + dt.timedelta(seconds=settings.NOTIFY_REDISPATCH_SECONDS - 1)
    with time_machine.travel(soon, tick=False):
        assert dispatch.outbox_scan(now=soon, sync=True).dispatched == 0  # handed over a moment ago: not yet
    later = MOMENT + dt.timedelta(seconds=settings.NOTIFY_REDISPATCH_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert dispatch.outbox_scan(now=later, sync=True).dispatched == 2
    assert sorted(rows.values_list("state", "attempts")) == [(State.SENT, 1)] * 2
    assert sorted(m.to[0] for m in mailoutbox) == ["b1@example.org", "b2@example.org"]


def test_many_rows_stored_at_once_get_the_inbox_items_a_few_rows_get(omsk_agency, executor, event):
    """Above store.COPY_FROM rows PostgreSQL takes them by COPY and writes the inbox items in the same statement;
    below, by INSERT and a second statement. Both give the recipient an item, and the absent person of a row
    readdressed to a deputy one too, with the event of the row's task; an agency's address gets none."""
    absent = UserFactory(username="away", agency=omsk_agency, email="away@example.org")
    person = selectors.recipient_for_user(executor)
    agency = selectors.recipient_for_agency(omsk_agency)
    task = make_task(responsible=executor, lead_agency=omsk_agency, deadline=dt.date(2026, 5, 12), event=event)

    def planned(count: int, batch: str) -> list[store.Planned]:
        return [
            store.Planned(
                kind="deadline",
                item_key=f"task:{task.pk}" if n % 4 else "digest",  # a row of no task has no event
                recipient=agency if n % 5 == 0 else person,
                occasion=f"{batch}:{n}",
                scheduled_for=MOMENT,
                next_attempt_at=MOMENT,
                task=task if n % 4 else None,
                context={"deputy_for": absent.pk} if n % 3 == 0 else {},
            )
            for n in range(count)
        ]

    def items(rows: list[store.Planned]) -> list[tuple[int, int, int | None]]:
        stored = dict(
            Notification.objects.filter(occasion__in=[p.occasion for p in rows]).values_list("occasion", "pk")
        )
        found = InboxItem.objects.filter(notification__in=stored.values()).values_list("notification", "user", "event")
        number = {pk: int(occasion.split(":")[1]) for occasion, pk in stored.items()}
        return sorted((number[row], user, event_id) for row, user, event_id in found)

    def expected(rows: list[store.Planned]) -> list[tuple[int, int, int | None]]:
        out = []
        for n, p in enumerate(rows):
            people = ([] if n % 5 == 0 else [executor.pk]) + ([absent.pk] if n % 3 == 0 else [])
            out += [(n, user, event.pk if p.task is not None else None) for user in people]
        return sorted(out)

    many, few = planned(store.COPY_FROM + 20, "many"), planned(60, "few")
    assert store.outbox_store(many, validate=False) == len(many)
    assert store.outbox_store(few, validate=False) == len(few)
    assert items(many) == expected(many)
    assert items(few) == expected(few)
