"""The periodic scan and the hand-off: create the rows due, give due rows to the worker, requeue abandoned ones.

The outbox table is the source of truth. The broker only carries row ids; a lost or repeated broker
message costs nothing because every delivery first claims its row with a compare-and-set.
"""

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from omskevents.celery import app as celery_app

from . import selectors
from .audience import Audience, Deputies, route_to_deputies
from .delivery import outbox_deliver_batch
from .enums import State
from .holds import mail_holds_expire
from .models import Notification, ReminderSettings
from .pairs import plan_pair_mismatches
from .planning import (
    last_remindable_deadline,
    plan_digests,
    plan_discipline_reports,
    plan_meeting_reminders,
    plan_task_reminders,
)
from .planning_agreements import plan_agreement_reminders
from .recovery import outbox_sweep
from .scan_state import scan_state_save, task_scope
from .store import HandOver, Planned, outbox_store
from .timing import Calendars

logger = logging.getLogger(__name__)

BATCH_SIZE = 50  # rows per delivery task: one claim, a few loading queries and one SMTP session per batch

# The delivery task, addressed by the name tasks.py registers it under: the broker message carries only this
# name and the ids, so publishing needs no import of tasks.py (which imports this module for the scan).
SEND_BATCH = "notifications.send_batch"


def _redispatch_seconds() -> int:
    return settings.NOTIFY_REDISPATCH_SECONDS


@dataclass
class ScanResult:
    created: int
    dispatched: int
    returned: int
    # How it planned (not what it did, so not compared): open tasks planned, and whether every candidate was.
    tasks_planned: int = field(default=0, compare=False)
    full: bool = field(default=True, compare=False)


def outbox_scan(*, now: dt.datetime | None = None, sync: bool = False) -> ScanResult:
    """Create every row due at `now` and hand due rows to the worker. Safe to run concurrently."""
    now = now or timezone.now()
    returned = outbox_sweep()
    mail_holds_expire(now=now)
    rules = selectors.reminder_settings_get()
    calendars = Calendars(now.date())
    scope = task_scope(now=now, rules=rules, calendars=calendars)
    planned, tasks = _plan(now=now, rules=rules, calendars=calendars, changed_since=scope.changed_since)
    # The rows the scan creates due now are stored as handed over and published as soon as they are committed,
    # as outbox_dispatch would publish them a moment later after stamping them in a second pass.
    hand_over = HandOver(due_by=now, at=timezone.now())
    with transaction.atomic():
        created = outbox_store(planned, validate=False, hand_over=hand_over)
        scan_state_save(scope)
        messages = batches([pk for pk, _key in hand_over.rows], [key for _pk, key in hand_over.rows])
        if messages and not sync:
            transaction.on_commit(lambda: _enqueue(messages))
    if sync:
        for batch in messages:
            outbox_deliver_batch(notification_ids=batch)
    dispatched = len(hand_over.rows) + outbox_dispatch(now=now, sync=sync)
    return ScanResult(created=created, dispatched=dispatched, returned=returned, tasks_planned=tasks, full=scope.full)


def plan_all(*, now: dt.datetime) -> list[Planned]:
    """Every row the scan's rules make due at `now` (stored or not): the morning preview shows them."""
    rules = selectors.reminder_settings_get()
    return _plan(now=now, rules=rules, calendars=Calendars(now.date()), changed_since=None)[0]


def _plan(
    *, now: dt.datetime, rules: ReminderSettings, calendars: Calendars, changed_since: dt.datetime | None
) -> tuple[list[Planned], int]:
    """The rows due at `now`, of every candidate task or of those written since `changed_since`; and how many
    tasks were planned."""
    tasks = selectors.reminder_candidates(
        last_deadline=last_remindable_deadline(now=now, rules=rules, calendars=calendars), changed_since=changed_since
    )
    audience = Audience([p for t in tasks for p in (t.responsible, t.controller, t.lead_agency.head) if p is not None])
    planned: list[Planned] = []
    for task in tasks:
        planned.extend(plan_task_reminders(task, now=now, rules=rules, calendars=calendars, audience=audience))
    planned.extend(plan_digests(now=now, rules=rules, calendars=calendars))
    planned.extend(plan_meeting_reminders(now=now, rules=rules, calendars=calendars))
    planned.extend(plan_pair_mismatches(now=now, rules=rules, calendars=calendars))
    planned.extend(plan_agreement_reminders(now=now, rules=rules, calendars=calendars))
    planned.extend(plan_discipline_reports(now=now, rules=rules, calendars=calendars))
    return route_to_deputies(planned, Deputies(now.date())), len(tasks)


# One quick reconnect (a restarted Redis), then give up: the rows wait for the next scan.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def batches(ids: Sequence[int], recipients: Sequence[str] | None = None) -> list[list[int]]:
    """The ids in broker messages of BATCH_SIZE. Given each row's recipient, one person's rows stay in one
    message (a person with more than BATCH_SIZE rows due gets a message of their own): the rows a mail
    gathers are claimed by one delivery, never raced for by two workers."""
    if recipients is None:
        return [list(ids[start : start + BATCH_SIZE]) for start in range(0, len(ids), BATCH_SIZE)]
    people: dict[str, list[int]] = {}
    for pk, key in zip(ids, recipients, strict=True):
        people.setdefault(key, []).append(pk)
    messages: list[list[int]] = []
    current: list[int] = []
    for rows in people.values():
        if current and len(current) + len(rows) > BATCH_SIZE:
            messages.append(current)
            current = []
        current.extend(rows)
    if current:
        messages.append(current)
    return messages


def _enqueue(messages: Sequence[Sequence[int]]) -> None:
    """Publish row ids to the broker, a message per batch. A broker that is down is logged: the rows wait for
    the next scan."""
    for index, batch in enumerate(messages):
        try:
            celery_app.send_task(SEND_BATCH, args=[list(batch)], retry=True, retry_policy=PUBLISH_RETRY)
        except Exception:  # any broker failure must leave the web request and the scan running
            waiting = [pk for later in messages[index:] for pk in later]
            logger.warning("broker unavailable; notifications %s wait for the next scan", waiting, exc_info=True)
            return


DISPATCH_CHUNK = 2000  # rows per hand-over transaction; a hand-over takes every due row, chunk by chunk


def outbox_dispatch(*, now: dt.datetime | None = None, sync: bool = False) -> int:
    """Hand every queued row whose time has come to the worker (or deliver them here when `sync`).

    No cap per scan: a morning of twelve thousand reminders is published at once, in chunks of
    DISPATCH_CHUNK rows (one short transaction each) and broker messages of about BATCH_SIZE ids, one
    person's rows in one message (rows a chunk boundary cut off are claimed with them by the delivery,
    as gatherable siblings: selectors.delivery_candidates), and the workers take them as fast as the SMTP
    server allows. A row handed over recently is not handed over again until NOTIFY_REDISPATCH_SECONDS
    pass, so a message the broker lost is re-sent by a later tick, and two scans rarely publish the same
    row (if they do, the claim in `outbox_deliver_batch` lets one of them through).
    """
    now = now or timezone.now()
    real_now = timezone.now()
    cutoff = real_now - dt.timedelta(seconds=_redispatch_seconds())
    total = 0
    while True:
        with transaction.atomic():
            due = (
                Notification.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
                .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=cutoff))
                .order_by("next_attempt_at", "pk")
            )
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            rows = list(due.values_list("pk", "recipient_key")[:DISPATCH_CHUNK])
            ids = [pk for pk, _key in rows]
            messages = batches(ids, [key for _pk, key in rows])
            if ids:
                Notification.objects.filter(pk__in=ids).update(dispatched_at=real_now)
                if not sync:
                    transaction.on_commit(lambda messages=messages: _enqueue(messages))  # type: ignore[misc]  # bound per chunk
        if sync:
            for batch in messages:
                outbox_deliver_batch(notification_ids=batch)
        total += len(ids)
        if len(ids) < DISPATCH_CHUNK:
            return total
