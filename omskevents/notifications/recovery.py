"""After a fault: record an outcome on a fresh connection, reconcile the journal, take back lapsed leases.

What is guaranteed (docs/reliability.md):
- a mail the SMTP server accepted is never sent again because the database failed afterwards: the worker
  notes the 250 in its host's journal first, then retries the "sent" mark on fresh connections for
  NOTIFY_MARK_RETRY_SECONDS; whatever is still unmarked is reconciled from the journal before its
  process, any sibling on the host or the sweeper claims or takes back a row;
- a row whose worker vanished is taken back when its lease lapses (the lease is short and renewed while
  the batch runs): queued again when its mail never reached the SMTP server, else flagged "possibly sent"
  (the process died between the 250 and the journal, or the SMTP dialogue was cut). Possibly-sent rows
  of RESEND_WHEN_UNCERTAIN kinds go again after NOTIFY_UNCERTAIN_GRACE_SECONDS with the same Message-ID;
  the others wait for a person in the outbox admin.
"""

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import timezone

from . import journal
from .enums import RESEND_WHEN_UNCERTAIN, State
from .models import Notification

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A sent mark may land on a row the sweeper has meanwhile flagged: the journal or the worker knows better.
MARKABLE = (State.SENDING, State.UNCERTAIN)

UNCERTAIN_NOTE = (
    "The sender stopped after handing the mail to the SMTP server and before recording its answer: "
    "it may have been delivered."
)


def _connection_lost(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def on_fresh_connection(write: Callable[[], T], *, seconds: float | None = None) -> T:
    """Run a write; when the database connection is lost, reconnect and retry for up to `seconds`.

    Only for writes that are idempotent (conditional UPDATEs): a retry after a commit whose answer was lost
    finds nothing left to change, which is the same outcome.
    """
    deadline = time.monotonic() + (settings.NOTIFY_MARK_RETRY_SECONDS if seconds is None else seconds)
    pause = 0.1
    while True:
        try:
            return write()
        except DatabaseError as exc:
            if not _connection_lost(exc):
                raise
            connection.close()  # whoever uses the database next in this process starts on a fresh connection
            if time.monotonic() >= deadline:
                raise
            logger.warning("outbox: database connection lost (%s); retrying on a fresh one", exc)
        time.sleep(pause)
        pause = min(pause * 2, 2.0)


@functools.cache
def _row_update_sql(vendor: str, names: tuple[str, ...], states: int) -> str:
    quote = connection.ops.quote_name
    column = {field.name: field.column or field.name for field in Notification._meta.concrete_fields}
    columns = ", ".join(f"{quote(column[name])} = %s" for name in names)
    marks = ", ".join(["%s"] * states)
    return (
        f"UPDATE {quote(Notification._meta.db_table)} SET {columns} "  # noqa: S608 - names from the model only
        f"WHERE {quote('id')} = %s AND {quote('attempts')} = %s AND {quote('state')} IN ({marks})"
    )


def update_if_ours(pk: int, attempt: int, states: tuple[str, ...], **values: Any) -> bool:
    """Set one row's columns if that attempt is still the row's and its state one of `states`.

    The statement is written once per set of columns (vendor, names): the stamp before DATA and the mark after
    the 250 run twice per mail, and the ORM compiled the same UPDATE afresh each time.
    """
    adapt = connection.ops.adapt_datetimefield_value
    params = [adapt(value) if isinstance(value, dt.datetime) else value for value in values.values()]
    with connection.cursor() as cursor:
        cursor.execute(_row_update_sql(connection.vendor, tuple(values), len(states)), [*params, pk, attempt, *states])
        return cursor.rowcount == 1


def _sent(entry: journal.Accepted) -> dict[str, Any]:
    """What the sent mark sets besides the lease and `updated`."""
    return {
        "state": State.SENT,
        "sent_at": entry.sent_at,
        "last_smtp_code": 250,
        "last_error": "",
        "to_email": entry.to_email,
        "subject": entry.subject[:300],
        "message_id": entry.message_id,
    }


@functools.cache
def _mark_and_stamp_sql(vendor: str, sent_columns: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    pk, attempts, state = quote("id"), quote("attempts"), quote("state")
    sets = [f"{quote(name)} = CASE WHEN {pk} = %s THEN %s ELSE {quote(name)} END" for name in sent_columns]
    sets += [
        f"{quote('send_started_at')} = CASE WHEN {pk} = %s THEN %s ELSE {quote('send_started_at')} END",
        f"{quote('lease_until')} = CASE WHEN {pk} = %s THEN NULL ELSE %s END",
        f"{quote('updated')} = %s",
    ]
    return (
        f"UPDATE {quote(Notification._meta.db_table)} SET {', '.join(sets)} "  # noqa: S608 - names from the model only
        f"WHERE ({pk} = %s AND {attempts} = %s AND {state} IN ({', '.join(['%s'] * len(MARKABLE))})) "
        f"OR ({pk} = %s AND {attempts} = %s AND {state} = %s) RETURNING {pk}"
    )


def mark_and_stamp(
    entry: journal.Accepted, pk: int, attempt: int, *, now: dt.datetime, lease_until: dt.datetime
) -> bool:
    """The mail before marked sent and the next one stamped for DATA, in one statement: one commit per mail.

    Each part applies only if its row is still ours (the mark: that attempt, sending or flagged; the stamp: that
    attempt, sending). Returns whether the stamp applied. The mark's outcome is the journal's to settle if the
    statement never ran (as when `mark_sent` fails)."""
    adapt = connection.ops.adapt_datetimefield_value
    marked = entry.row_id
    sent = _sent(entry)
    params: list[Any] = []
    for value in sent.values():
        params += [marked, adapt(value) if isinstance(value, dt.datetime) else value]
    params += [pk, adapt(now), marked, adapt(lease_until), adapt(now)]
    params += [marked, entry.attempt, *MARKABLE, pk, attempt, State.SENDING]
    with connection.cursor() as cursor:
        cursor.execute(_mark_and_stamp_sql(connection.vendor, tuple(sent)), params)
        return pk in {row[0] for row in cursor.fetchall()}


def mark_sent(entry: journal.Accepted) -> bool:
    """The row of a journal entry is sent (only if that attempt is still the row's)."""
    return update_if_ours(
        entry.row_id, entry.attempt, MARKABLE, **_sent(entry), lease_until=None, updated=timezone.now()
    )


def was_handed_over(pk: int, attempt: int) -> bool:
    """Whether this attempt's mail had begun DATA (the stamp before it is set)."""
    return Notification.objects.filter(pk=pk, attempts=attempt, send_started_at__isnull=False).exists()


def flag_uncertain(pk: int, attempt: int, exc: Exception) -> bool:
    """The connection broke during DATA: the server may have accepted the mail. Flagged, never retried blindly."""
    now = timezone.now()
    return (
        Notification.objects.filter(pk=pk, attempts=attempt, state__in=MARKABLE).update(
            state=State.UNCERTAIN,
            possibly_sent_at=now,
            lease_until=None,
            last_error=f"{UNCERTAIN_NOTE} ({exc!r})"[:2000],
            updated=now,
        )
        == 1
    )


def journal_reconcile() -> int:
    """Apply this host's journal to the database; returns how many rows it marked sent."""
    entries = journal.pending()
    if not entries:
        return 0
    # Usually every row is marked already (the worker marks right after noting): one read, no writes.
    unmarked = set(
        Notification.objects.filter(pk__in=[e.row_id for e in entries], state__in=MARKABLE).values_list("pk", flat=True)
    )
    marked = sum(mark_sent(entry) for entry in entries if entry.row_id in unmarked)
    journal.forget(entries)
    if marked:
        logger.warning("outbox: %s rows marked sent from the journal", marked)
    return marked


def outbox_sweep() -> int:
    """Take back rows whose sender vanished (lease lapsed while 'sending'). Returns how many were taken back.

    Reconciles the journal first. A row whose mail had not gone to the SMTP server is queued again; one whose
    mail had is flagged 'possibly sent'. Then flagged rows of the kinds resent go again after the grace.
    """
    journal_reconcile()
    now = timezone.now()
    lapsed = Notification.objects.filter(state=State.SENDING, lease_until__lt=now)
    requeued = lapsed.filter(send_started_at__isnull=True).update(
        state=State.QUEUED,
        lease_until=None,
        dispatched_at=None,
        next_attempt_at=now,
        last_error="The sender stopped before trying; queued again.",
        updated=now,
    )
    flagged = lapsed.filter(send_started_at__isnull=False).update(
        state=State.UNCERTAIN, lease_until=None, possibly_sent_at=now, last_error=UNCERTAIN_NOTE, updated=now
    )
    if flagged:
        logger.warning("outbox: %s rows possibly sent (sender gone after handing them to the SMTP server)", flagged)
    grace = now - dt.timedelta(seconds=settings.NOTIFY_UNCERTAIN_GRACE_SECONDS)
    resent = Notification.objects.filter(
        state=State.UNCERTAIN, kind__in=RESEND_WHEN_UNCERTAIN, possibly_sent_at__lte=grace
    ).update(state=State.QUEUED, dispatched_at=None, next_attempt_at=now, updated=now)
    return requeued + flagged + resent
