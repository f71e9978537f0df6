"""Storing planned outbox rows: one read for the keys that exist, then INSERT by values or, on PostgreSQL, COPY."""

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from omskevents.committee.models import Meeting
from omskevents.workplan.models import Task

from .enums import CANCELLED_BY_HAND, REASON_GONE_PREFIX, State
from .models import InboxItem, Notification
from .selectors import Recipient, ScanTask
from .stored import StoredRow, stored_notifications


@dataclass
class Planned:
    """A row to store: its kind, item, recipient and occasion (the unique key), and when it is due."""

    kind: str
    item_key: str
    recipient: Recipient
    occasion: str
    scheduled_for: dt.datetime
    next_attempt_at: dt.datetime
    task: Task | ScanTask | None = None
    meeting: Meeting | None = None
    deadline: dt.date | None = None
    context: dict[str, Any] = field(default_factory=dict)
    # A notice that would be mailed at once: it waits for its recipient's gathering window (notices.py). Not stored.
    at_once: bool = False

    @functools.cached_property
    def key(self) -> tuple[str, str, str, str]:
        # Asked several times per row by the scan (deputies, the stored keys, the fresh ones); the fields are
        # never reassigned (dataclasses.replace makes a new row).
        return (self.kind, self.item_key, self.recipient.key, self.occasion)


@dataclass
class HandOver:
    """The scan's rows due by `due_by` are stored as handed to the worker at `at` (the stamp `outbox_dispatch`
    would give them a moment later, in a second pass over the same rows); `rows` collects their (id, recipient)
    for the broker, which the caller publishes once the rows are committed. A hand-over that never reaches the
    broker is the same as one of `outbox_dispatch` that does not: the rows are handed over again by the scan
    after NOTIFY_REDISPATCH_SECONDS."""

    due_by: dt.datetime
    at: dt.datetime
    rows: list[tuple[int, str]] = field(default_factory=list)

    def stamp(self, p: Planned) -> dt.datetime | None:
        return self.at if p.next_attempt_at <= self.due_by else None


INSERT_COLUMNS = (
    "created",
    "updated",
    "kind",
    "item_key",
    "recipient_key",
    "occasion",
    "recipient_id",
    "agency_id",
    "task_id",
    "meeting_id",
    "deadline",
    "context",
    "to_email",
    "subject",
    "state",
    "scheduled_for",
    "next_attempt_at",
    "attempts",
    "last_error",
    "message_id",
    "dispatched_at",
)
RELATED_FIELDS = ["recipient", "agency", "task", "meeting"]
INSERT_CHUNK = 1000  # rows per INSERT statement where the backend takes 20,000 parameters (SQLite: fewer)
COPY_FROM = 200  # rows from which PostgreSQL gets them by COPY instead


def outbox_store(planned: Sequence[Planned], *, validate: bool = True, hand_over: HandOver | None = None) -> int:
    """Insert the rows not stored before; the unique key turns a concurrent duplicate into a no-op.

    One read finds the keys that exist; INSERT … ON CONFLICT DO NOTHING adds the rest (on PostgreSQL, many
    rows come by COPY through a temporary table, and their inbox items in the same statement). Returns how
    many rows this call inserted; with `hand_over`, the inserted rows already due are stored as handed to the
    worker and listed in it (revived rows are left to `outbox_dispatch`). The scan's
    thousands of rows are built from stored tasks, people and code constants and are written as plain
    values: a model instance per row (and bulk_create's per-field preparation) cost more than the
    database's work. Event-driven notices (validate=True) are few and checked with full_clean first.
    """
    wanted = {p.key: p for p in planned}
    if not wanted:
        return 0
    existing = stored_notifications(wanted.keys())
    fresh = [p for key, p in wanted.items() if key not in existing]
    if validate:
        for p in fresh:
            # The people, agency, task and meeting are the instances the notice was planned from, read in the
            # caller's transaction; the database's foreign keys check them again at commit. Asking the database
            # for each of them here cost a query apiece on every comment, report and status change.
            _row(p).full_clean(exclude=RELATED_FIELDS, validate_unique=False, validate_constraints=False)
    revived = _revive(
        [(existing[key].pk, p) for key, p in wanted.items() if key in existing and _revivable(existing[key])]
    )
    if not fresh:
        return revived
    now = timezone.now()
    if connection.vendor == "postgresql" and len(fresh) >= COPY_FROM:
        return revived + _insert_by_copy(fresh, now=now, hand_over=hand_over)
    return revived + _insert_by_values(fresh, now=now, hand_over=hand_over)


REVIVED_NOTE = "Queued again: its occasion became valid again (a deadline or a meeting came back)."


def _revivable(row: StoredRow) -> bool:
    """A row cancelled because its occasion lapsed (a deadline moved, a meeting moved), never sent and not
    cancelled by a person: the occasion is planned again, so the row goes out after all."""
    return row.state == State.CANCELLED and not row.sent and row.last_error != CANCELLED_BY_HAND


def _revive(rows: Sequence[tuple[int, Planned]]) -> int:
    """Queue the cancelled rows again with the planned moment, deadline and details. Returns how many."""
    now = timezone.now()
    revived = 0
    for pk, p in rows:
        revived += Notification.objects.filter(pk=pk, state=State.CANCELLED).update(
            state=State.QUEUED,
            attempts=0,
            scheduled_for=p.scheduled_for,
            next_attempt_at=p.next_attempt_at,
            deadline=p.deadline,
            context=p.context,
            dispatched_at=None,
            lease_until=None,
            send_started_at=None,
            first_failure_at=None,
            last_error=REVIVED_NOTE,
            updated=now,
        )
    return revived


def _values(p: Planned, stamp: Any, ops: Any, hand_over: HandOver | None) -> tuple[Any, ...]:
    """One row's INSERT_COLUMNS, adapted for the backend by `ops`."""
    return (
        stamp,
        stamp,
        p.kind,
        p.item_key,
        p.recipient.key,
        p.occasion,
        p.recipient.user.pk if p.recipient.user is not None else None,
        p.recipient.agency.pk if p.recipient.agency is not None else None,
        p.task.pk if p.task is not None else None,
        p.meeting.pk if p.meeting is not None else None,
        ops.adapt_datefield_value(p.deadline),
        json.dumps(p.context),
        p.recipient.email,
        "",
        State.QUEUED,
        ops.adapt_datetimefield_value(p.scheduled_for),
        ops.adapt_datetimefield_value(p.next_attempt_at),
        0,
        "",
        "",
        ops.adapt_datetimefield_value(hand_over.stamp(p)) if hand_over is not None else None,
    )


def _returned(cursor: Any, hand_over: HandOver | None) -> list[int]:
    """The ids an INSERT … RETURNING id, recipient_key and dispatched_at (or whether it is set) gave back; the
    handed rows go to `hand_over`."""
    rows = cursor.fetchall()
    if hand_over is not None:
        hand_over.rows.extend((pk, key) for pk, key, handed in rows if handed)  # its time (None) or a flag
    return [pk for pk, _key, _handed in rows]


RETURNING = (
    "RETURNING id, recipient_key, dispatched_at"  # (SQLite 3.40 answers `dispatched_at IS NOT NULL` wrongly here)
)


def _insert_by_values(fresh: Sequence[Planned], *, now: dt.datetime, hand_over: HandOver | None) -> int:
    """INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING, as many rows per statement as the backend takes."""
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    table = ops.quote_name(Notification._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in INSERT_COLUMNS)
    one_row = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
    per_statement = min(INSERT_CHUNK, (connection.features.max_query_params or 10**9) // len(INSERT_COLUMNS))
    created = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(fresh), per_statement):
            chunk = fresh[start : start + per_statement]
            params = [value for p in chunk for value in _values(p, stamp, ops, hand_over)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one_row] * len(chunk))} "  # noqa: S608 - only placeholders are interpolated
                f"ON CONFLICT DO NOTHING {RETURNING}",
                params,
            )
            ids = _returned(cursor, hand_over)
            created += len(ids)
            _inbox_add(cursor, ids)
    return created


def _insert_by_copy(fresh: Sequence[Planned], *, now: dt.datetime, hand_over: HandOver | None) -> int:
    """PostgreSQL: COPY the rows into a temporary table, then one statement inserts them (ON CONFLICT DO
    NOTHING) and, from the rows it inserted, their inbox items.

    COPY takes the values in binary-safe rows without building a statement: for the scan's thousands of
    rows it is several times cheaper than quoting 20 parameters per row into INSERT statements. The inbox
    items come from the INSERT's own RETURNING rows (a data-modifying WITH), not from reading the rows
    back by id.
    """
    ops = connection.ops
    table = ops.quote_name(Notification._meta.db_table)
    inbox = ops.quote_name(InboxItem._meta.db_table)
    tasks = ops.quote_name(Task._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in INSERT_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE notify_incoming AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608 - names from the model
        )
        with cursor.copy(f"COPY notify_incoming ({columns}) FROM STDIN") as copy:
            for p in fresh:
                copy.write_row(_values(p, now, ops, hand_over))
        # Each inserted row's inbox items: its recipient's and, for a row readdressed to a deputy, the absent
        # person's (context "deputy_for"), with the event of the row's task.
        cursor.execute(
            f"WITH ins AS (INSERT INTO {table} ({columns}) SELECT {columns} FROM notify_incoming "  # noqa: S608 - names from the models
            "ON CONFLICT DO NOTHING RETURNING id, recipient_key, dispatched_at, recipient_id, kind, task_id, created, "
            "CAST(context ->> 'deputy_for' AS bigint) AS deputy_for), "
            f"items AS (INSERT INTO {inbox} (notification_id, user_id, kind, event_id, created, read_at) "
            "SELECT ins.id, person.id, ins.kind, t.event_id, ins.created, NULL "
            "FROM ins CROSS JOIN LATERAL (VALUES (ins.recipient_id), (ins.deputy_for)) AS person(id) "
            f"LEFT JOIN {tasks} t ON t.id = ins.task_id WHERE person.id IS NOT NULL ON CONFLICT DO NOTHING) "
            "SELECT id, recipient_key, dispatched_at IS NOT NULL FROM ins"  # a flag: a timestamp costs to parse
        )
        ids = _returned(cursor, hand_over)
        cursor.execute("DROP TABLE notify_incoming")
    return len(ids)


INBOX_CHUNK = 1000


def _inbox_add(cursor: Any, ids: Sequence[int]) -> None:
    """The inbox items of freshly inserted rows, by one INSERT … SELECT per chunk, in the rows' transaction.

    Every row addressed to a person becomes an item of their inbox (agency contacts have none); a row readdressed
    to a deputy (context "deputy_for") becomes an item of the absent person's inbox as well; the event comes from
    the row's task, for the inbox's filter."""
    ops = connection.ops
    inbox = ops.quote_name(InboxItem._meta.db_table)
    table = ops.quote_name(Notification._meta.db_table)
    tasks = ops.quote_name(Task._meta.db_table)
    for start in range(0, len(ids), INBOX_CHUNK):
        chunk = ids[start : start + INBOX_CHUNK]
        cursor.execute(
            f"INSERT INTO {inbox} (notification_id, user_id, kind, event_id, created, read_at) "  # noqa: S608 - names from the models
            f"SELECT n.id, n.recipient_id, n.kind, t.event_id, n.created, NULL FROM {table} n "
            f"LEFT JOIN {tasks} t ON t.id = n.task_id "
            f"WHERE n.recipient_id IS NOT NULL AND n.id IN ({', '.join(['%s'] * len(chunk))}) "
            "ON CONFLICT DO NOTHING",
            list(chunk),
        )
        absent = (
            "CAST(n.context ->> 'deputy_for' AS bigint)"
            if connection.vendor == "postgresql"
            else "CAST(json_extract(n.context, '$.deputy_for') AS integer)"
        )
        cursor.execute(
            f"INSERT INTO {inbox} (notification_id, user_id, kind, event_id, created, read_at) "  # noqa: S608 - names from the models
            f"SELECT n.id, {absent}, n.kind, t.event_id, n.created, NULL FROM {table} n "
            f"LEFT JOIN {tasks} t ON t.id = n.task_id "
            f"WHERE {absent} IS NOT NULL AND n.id IN ({', '.join(['%s'] * len(chunk))}) "
            "ON CONFLICT DO NOTHING",
            list(chunk),
        )


def inbox_items_settle(rows: QuerySet[Notification], *, now: dt.datetime) -> int:
    """The unread inbox items of these rows, those cancelled because what they asked for is done or moot (a report
    decided, a task reassigned or cancelled), no longer wait for their readers: marked read, they leave the unread
    count and the page says the notice was cancelled, not what it asked for."""
    return InboxItem.objects.filter(
        notification__in=rows,
        notification__state=State.CANCELLED,
        notification__last_error__startswith=REASON_GONE_PREFIX,
        read_at__isnull=True,
    ).update(read_at=now)


def _row(p: Planned) -> Notification:
    return Notification(
        kind=p.kind,
        item_key=p.item_key,
        recipient_key=p.recipient.key,
        occasion=p.occasion,
        recipient=p.recipient.user,
        agency=p.recipient.agency,
        task_id=p.task.pk if p.task is not None else None,
        meeting=p.meeting,
        deadline=p.deadline,
        context=p.context,
        to_email=p.recipient.email,
        scheduled_for=p.scheduled_for,
        next_attempt_at=p.next_attempt_at,
    )
