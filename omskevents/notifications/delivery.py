"""Delivering rows: claim them, send over the kept SMTP connection, record each outcome or the retry."""

import datetime as dt
import logging
import random
import smtplib
import socket
from collections.abc import Callable, Collection, Sequence
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from omskevents.committee.enums import MeetingStatus
from omskevents.workplan.enums import CLOSED_STATUSES, ExtensionStatus, TaskStatus
from omskevents.workplan.models import Task

from . import emails, journal, selectors
from .audience import channel, wants
from .enums import CANCEL_MAKES_MOOT, GATHERABLE_KINDS, REASON_GONE_PREFIX, REMINDER_KINDS, Channel, Kind, State
from .models import Notification, NotificationPreference
from .recovery import (
    MARKABLE,
    flag_uncertain,
    journal_reconcile,
    mark_and_stamp,
    mark_sent,
    on_fresh_connection,
    update_if_ours,
    was_handed_over,
)
from .store import inbox_items_settle

logger = logging.getLogger(__name__)


def _lease_seconds() -> int:
    return settings.NOTIFY_LEASE_SECONDS


def _retry_for() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFY_RETRY_FOR_SECONDS)


def _retry_base_seconds() -> float:
    return settings.NOTIFY_RETRY_BASE_SECONDS


def classify_failure(exc: BaseException) -> tuple[int | None, bool]:
    """(SMTP code or None, temporary?): 4xx, timeouts and refused connections are worth retrying; 5xx is not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        code = max(codes) if codes else None
        return code, code is None or 400 <= code < 500
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        return code, not 500 <= code < 600
    if isinstance(
        exc, smtplib.SMTPServerDisconnected | socket.timeout | TimeoutError | OSError | SoftTimeLimitExceeded
    ):
        return None, True
    return None, False


def retry_delay(attempt: int) -> dt.timedelta:
    """Exponential backoff with jitter: base, 2×base, 4×base … capped at an hour, ±25 %.

    The cap keeps a day-long outage retried about hourly, so the mail goes soon after the server is back."""
    seconds = min(_retry_base_seconds() * 2 ** min(max(attempt - 1, 0), 20), 3600)
    return dt.timedelta(seconds=seconds * random.uniform(0.75, 1.25))  # noqa: S311 - jitter, not security


def stale_reason(
    row: Notification, pref: NotificationPreference | None, facts: "selectors.DeliveryFacts | None" = None
) -> str:
    """Why a queued row must not go out any more, or '' when it still should (`pref`: the recipient's).

    Read in the transaction that claims the row, after its task is locked: a change that makes the notice
    moot either committed before (and is seen here) or waits until the claim is committed (and then finds
    the row no longer queued, the mail going as the reason stood when it was claimed)."""
    user = row.recipient
    if row.recipient_id is not None:
        if user is None or not user.is_active:
            return "The recipient is deactivated."
        pref = pref or selectors.preference_for(user)
        if not wants(pref, row.kind):
            return "Turned off in the recipient's preferences."
        if channel(pref, row.kind) == Channel.APP:
            return "In the app only (the recipient's preferences)."
        if facts is not None and row.pk in facts.read:
            return "Read in the app before its sending moment."
    gone = _reason_gone(row, facts)
    if gone:
        return REASON_GONE_PREFIX + gone
    task = row.task
    if (
        row.kind in REMINDER_KINDS
        and task is not None
        and (task.status in CLOSED_STATUSES or task.deadline != row.deadline)
    ):
        return "The task is closed or its deadline changed."
    meeting = row.meeting
    if (
        row.kind == Kind.MEETING_REMINDER
        and meeting is not None
        and (meeting.status != MeetingStatus.PLANNED or meeting.starts_at.isoformat() != row.context.get("starts_at"))
    ):
        return "The meeting was cancelled or moved."
    if (
        row.kind in (Kind.MEETING_INVITATION, Kind.MEETING_UPDATE)
        and meeting is not None
        and (meeting.sequence != row.context.get("sequence"))
    ):
        return "A newer version of the meeting was sent."
    return ""


def _reason_gone(row: Notification, facts: "selectors.DeliveryFacts | None") -> str:
    """What made a task's notice moot by its sending moment: the report decided, the extension decided,
    the task cancelled or given to someone else, the report waiting for the controller."""
    task = row.task
    if task is None:
        return ""
    if task.status == TaskStatus.CANCELLED and row.kind in (*REMINDER_KINDS, *CANCEL_MAKES_MOOT):
        return "the task was cancelled."
    decided_since = task.status in (TaskStatus.ACCEPTED, TaskStatus.RETURNED) and (
        task.status_changed_at is None or task.status_changed_at >= row.created
    )
    if row.kind in (Kind.REPORT_SUBMITTED, Kind.AWAITING_ACCEPTANCE) and (
        decided_since or (row.kind == Kind.AWAITING_ACCEPTANCE and task.status != TaskStatus.REPORTED)
    ):
        return "the report was decided."
    if row.kind in (Kind.DEADLINE, Kind.OVERDUE) and task.status == TaskStatus.REPORTED:
        return "the report awaits acceptance."
    if (
        row.kind in (Kind.ASSIGNMENT, Kind.DEADLINE)
        and row.recipient_id is not None
        and row.recipient_id not in (task.responsible_id, task.lead_agency.head_id)
    ):
        return "the task was reassigned."
    if row.kind == Kind.EXTENSION_REQUESTED and facts is not None:
        status = facts.extensions.get(row.context.get("extension"))
        if status is not None and status != ExtensionStatus.PENDING:
            return "the extension was decided."
    return ""


def _finish(pk: int, attempt: int, **values: Any) -> bool:
    """Record the outcome only if the row is still ours (same attempt, still 'sending')."""
    return _finish_many({pk: attempt}, **values) == 1


def _finish_many(claimed: dict[int, int], /, **values: Any) -> int:
    """The same outcome for several rows in one UPDATE, each only if still ours (same attempt, 'sending')."""
    if not claimed:
        return 0
    ours = Q()
    for pk, attempt in claimed.items():
        ours |= Q(pk=pk, attempts=attempt)
    return Notification.objects.filter(ours, state__in=MARKABLE).update(
        lease_until=None, updated=timezone.now(), **values
    )


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# Failures that can strike after DATA began (unlike a refused connection): the server may have the mail.
CUT_MID_DIALOGUE = (
    smtplib.SMTPServerDisconnected,
    TimeoutError,
    ConnectionResetError,
    BrokenPipeError,
    SoftTimeLimitExceeded,
)
_kept_connections: dict[tuple[str, str, int, str], Any] = {}


class HandOverRefused(Exception):
    """The row is no longer ours (its lease lapsed and the sweeper took it back): the mail must not go."""


class HandOverFailed(Exception):
    """The database could not record the hand-over: nothing more can be recorded, the batch stops."""


def _dialogue(smtp: smtplib.SMTP, message: Any, before_data: Callable[[], None]) -> None:
    """MAIL, RCPT, then `before_data`, then DATA: as smtplib's sendmail, with the moment before DATA exposed.

    Until DATA the server has accepted nothing: a sender that dies before it leaves a row to queue again.
    The stamp `before_data` writes marks the only stretch after which the mail may have been delivered.
    """
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = emails.encoded_address(message.from_email, encoding)
    recipients = [emails.encoded_address(address, encoding) for address in message.recipients()]
    raw = emails.message_bytes(message)
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for address in recipients:
        code, reply = smtp.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, reply)
    if len(refused) == len(recipients):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    before_data()
    code, reply = smtp.data(raw)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPDataError(code, reply)


def _open_smtp() -> Any:
    """Django's SMTP backend, connected (its `connection` is the smtplib.SMTP the dialogue speaks through)."""
    conn = get_connection(fail_silently=False)
    conn.open()
    return conn


def _send(message: Any, *, before_data: Callable[[], None]) -> None:
    """Send over this process's kept SMTP connection: opened on first use, reused by the next message.

    A new connection per message (connect, EHLO, QUIT) cost more than the message itself. A kept connection
    the server has dropped while idle is reopened once; any other failure closes it, so the next message
    starts afresh. Other backends (files, memory in tests) get a connection per message as before.
    """
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        before_data()
        get_connection(fail_silently=False).send_messages([message])
        return
    key = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER)
    conn = _kept_connections.pop(key, None)  # while sending, nobody else in this process can take it
    reused = conn is not None
    if conn is None:
        conn = _open_smtp()
    handed: list[bool] = []  # whether DATA began: after that a retry could deliver the mail twice

    def stamp_then_data() -> None:
        before_data()
        handed.append(True)

    try:
        _dialogue(conn.connection, message, stamp_then_data)
    except smtplib.SMTPServerDisconnected:
        conn.close()
        if not reused or handed:
            raise
        conn = _open_smtp()
        try:
            _dialogue(conn.connection, message, before_data)
        except Exception:
            conn.close()
            raise
    except Exception:
        conn.close()
        raise
    _kept_connections[key] = conn


def _claim(ids: Sequence[int], *, now: dt.datetime) -> dict[int, int]:
    """Claim the queued rows among `ids` in one compare-and-set statement; returns {id: attempt} of ours.

    UPDATE … WHERE state = 'queued' … RETURNING: of two workers handed the same ids, each row goes to one
    only. Django's update() does not say which rows it changed, hence the statement is written out here.
    """
    if not ids:
        return {}
    ops = connection.ops
    table = ops.quote_name(Notification._meta.db_table)
    moment = ops.adapt_datetimefield_value(now)
    lease_until = ops.adapt_datetimefield_value(now + dt.timedelta(seconds=_lease_seconds()))
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"UPDATE {table} SET state = %s, lease_until = %s, attempts = attempts + 1, updated = %s, "  # noqa: S608 - only placeholders are interpolated
        f"send_started_at = NULL WHERE state = %s AND id IN ({placeholders}) RETURNING id, attempts"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [State.SENDING, lease_until, moment, State.QUEUED, *ids])
        return dict(cursor.fetchall())


def _release_untried(claimed: dict[int, int], *, error: str, next_attempt_at: dt.datetime) -> int:
    """Queue again rows of a batch that were never tried (the server went away first): no attempt is counted."""
    return _finish_many(
        claimed,
        state=State.QUEUED,
        dispatched_at=None,
        next_attempt_at=next_attempt_at,
        attempts=F("attempts") - 1,
        last_error=error,
    )


def _renew(claimed: dict[int, int]) -> int:
    """Extend the lease of the batch's rows still ours: a live worker keeps them however long the batch takes."""
    if not claimed:
        return 0
    ours = Q()
    for pk, attempt in claimed.items():
        ours |= Q(pk=pk, attempts=attempt)
    return Notification.objects.filter(ours, state=State.SENDING).update(
        lease_until=timezone.now() + dt.timedelta(seconds=_lease_seconds())
    )


def _stamp(pk: int, attempt: int, *, marking: journal.Accepted | None = None) -> None:
    """Right before DATA: stamp the row as handed to the SMTP server, if it is still ours; with `marking`, the
    mail before it is marked sent in the same statement.

    Once stamped, a row whose worker vanishes is flagged 'possibly sent', never silently queued again.
    """
    now = timezone.now()
    lease_until = now + dt.timedelta(seconds=_lease_seconds())
    try:
        if marking is not None:
            ours = on_fresh_connection(lambda: mark_and_stamp(marking, pk, attempt, now=now, lease_until=lease_until))
        else:
            ours = on_fresh_connection(
                lambda: update_if_ours(
                    pk, attempt, (State.SENDING,), send_started_at=now, lease_until=lease_until, updated=now
                )
            )
    except DatabaseError as exc:
        raise HandOverFailed(str(exc)) from exc
    if not ours:
        raise HandOverRefused(pk)


def outbox_deliver_batch(*, notification_ids: Sequence[int]) -> dict[int, str]:
    """Claim the queued rows among the ids, send their mails over one SMTP connection, record each outcome.

    Returns {id: 'sent' | 'retry' | 'failed' | 'uncertain' | 'cancelled' | 'gathered' | 'held' | 'requeued' |
    'deferred' | 'skipped'}: 'requeued' rows were not tried, 'deferred' ones were left queued to go with all
    their recipient's rows in a later batch (selectors.CLAIM_LIMIT), 'skipped' ones were not queued (another
    worker has them, or they are done), 'uncertain' ones lost their connection during DATA (flagged possibly sent).

    Before each mail the row is stamped (and the batch's lease renewed every third of a lease); after the
    250 the acceptance goes to the host's journal, then the row is marked sent in the statement that stamps
    the next mail (alone after the last), retried on a fresh database connection when the connection is lost
    (recovery.py). A worker that dies mid-batch leaves unstamped rows,
    which the sweeper queues again, and at most one stamped row, which it flags 'possibly sent'. A refusal
    concerns its own row only; when the server cannot be reached (or the time limit nears), the rows not
    yet tried are queued again without counting an attempt.
    """
    ids = list(dict.fromkeys(notification_ids))
    outcomes = dict.fromkeys(ids, "skipped")
    journal_reconcile()
    now = timezone.now()
    with transaction.atomic():
        # The rows' tasks are locked first (as every change of a task does), then the rows are claimed and
        # their reasons checked, all in this transaction: a change making a notice moot cannot slip between.
        candidates = selectors.delivery_candidates(ids, now=now)
        _lock_tasks({task_id for _pk, task_id in candidates.rows if task_id is not None})
        if candidates.deferred:  # to go whole with their recipient's rows: the next hand-over takes them at once
            Notification.objects.filter(pk__in=candidates.deferred, state=State.QUEUED).update(dispatched_at=None)
            outcomes.update(dict.fromkeys(candidates.deferred, "deferred"))
        attempts = _claim([pk for pk, _task in candidates.rows], now=now)
        if not attempts:
            return outcomes
        rows = selectors.rows_for_delivery(list(attempts))
        prefs = selectors.preferences_by_user(r.recipient_id for r in rows if r.recipient_id is not None)
        facts = selectors.delivery_facts(rows)
        cancelled: dict[str, dict[int, int]] = {}
        held: dict[int, int] = {}
        unaddressed: dict[int, int] = {}
        ready: list[tuple[Notification, NotificationPreference | None]] = []
        for row in rows:
            attempt = attempts[row.pk]
            pref = prefs.get(row.recipient_id) if row.recipient_id is not None else None
            if row.recipient_id is not None and pref is None:
                pref = NotificationPreference(user_id=row.recipient_id)  # the defaults, as preference_for gives
            reason = stale_reason(row, pref, facts)
            if reason:
                cancelled.setdefault(reason, {})[row.pk] = attempt
                outcomes[row.pk] = "cancelled"
                continue
            if facts.is_held(row):
                held[row.pk] = attempt
                outcomes[row.pk] = "held"
                continue
            address = row.recipient.email if row.recipient is not None else (row.agency.email if row.agency else "")
            if not address:
                unaddressed[row.pk] = attempt
                outcomes[row.pk] = "failed"
                continue
            row.to_email = address
            ready.append((row, pref))
        for reason, group in cancelled.items():
            _finish_many(group, state=State.CANCELLED, last_error=reason)
            if reason.startswith(REASON_GONE_PREFIX):
                inbox_items_settle(Notification.objects.filter(pk__in=list(group)), now=timezone.now())
        _finish_many(held, state=State.HELD, attempts=F("attempts") - 1, dispatched_at=None)
        _finish_many(unaddressed, state=State.FAILED, last_error="No email address.")
        ready = _gather(ready, attempts, outcomes)
    outgoing: list[tuple[Notification, Any, str]] = []
    for row, pref in ready:
        attempt = attempts[row.pk]
        message_id = emails.message_id_for(row)
        try:
            message = emails.build_message(row, message_id=message_id, preference=pref)
        except Exception as exc:  # a message that cannot be built is a permanent failure, recorded
            logger.exception("notification %s could not be rendered", row.pk)
            _finish(row.pk, attempt, state=State.FAILED, last_error=f"Rendering failed: {exc!r}"[:2000])
            outcomes[row.pk] = "failed"
            continue
        outgoing.append((row, message, message_id))

    # By the wall clock, as the leases themselves: renewed once a third of a lease has passed.
    renew_every = dt.timedelta(seconds=_lease_seconds() / 3)
    renewed = timezone.now()
    pending = _PendingMark()
    for index, (row, message, message_id) in enumerate(outgoing):
        attempt = attempts[row.pk]
        rest = {later.pk: attempts[later.pk] for later, _m, _id in outgoing[index:]}
        try:
            if timezone.now() - renewed >= renew_every:
                on_fresh_connection(lambda: _renew(rest))  # noqa: B023 - called at once
                renewed = timezone.now()
            _send(message, before_data=lambda: pending.stamp(row.pk, attempt))  # noqa: B023 - called within the send
        except HandOverRefused:
            continue  # the sweeper took it back meanwhile: another worker may have it
        except (HandOverFailed, DatabaseError):  # no database: nothing more can be recorded
            logger.exception("outbox: database unavailable; batch stopped before notification %s", row.pk)
            pending.entry = None  # the journal has it; whoever reaches the database next reconciles it
            break
        except Exception as exc:  # noqa: BLE001 - every SMTP outcome is classified and stored on the row
            if not pending.flush():
                break
            failure = exc
            code, temporary = classify_failure(exc)
            if isinstance(exc, CUT_MID_DIALOGUE) and was_handed_over(row.pk, attempt):
                # The connection broke during DATA: the server may have accepted it. Flagged, never retried blindly.
                on_fresh_connection(lambda: flag_uncertain(row.pk, attempt, failure))  # noqa: B023 - called at once
                outcomes[row.pk] = "uncertain"
            else:
                outcomes[row.pk] = on_fresh_connection(
                    lambda: _record_failure(row, attempt, failure, message_id=message_id)  # noqa: B023 - called at once
                )
            if temporary and code is None:  # no server to talk to: the rest of the batch waits as well
                untried = {pk: a for pk, a in rest.items() if pk != row.pk}
                _release_untried(
                    untried, error=f"Not tried: {type(exc).__name__}", next_attempt_at=timezone.now() + retry_delay(1)
                )
                outcomes.update(dict.fromkeys(untried, "requeued"))
                break
            continue
        entry = journal.Accepted(
            row_id=row.pk,
            attempt=attempt,
            message_id=message_id,
            to_email=row.to_email,
            subject=message.subject[:300],
            sent_at=timezone.now(),
        )
        journal.record(entry)
        outcomes[row.pk] = "sent"
        pending.entry = entry  # marked with the next mail's stamp, or alone after the last
    pending.flush()
    return outcomes


class _PendingMark:
    """The sent mark of the last mail accepted, written with the next mail's stamp (one statement and one commit
    per mail instead of two) or alone when no stamp follows. Meanwhile the host's journal holds the acceptance:
    a worker that dies in between leaves it to the journal, as it would between the journal and its own mark."""

    def __init__(self) -> None:
        self.entry: journal.Accepted | None = None

    def stamp(self, pk: int, attempt: int) -> None:
        marking, self.entry = self.entry, None
        _stamp(pk, attempt, marking=marking)

    def flush(self) -> bool:
        """Mark the pending mail alone; False when the database could not take it (the journal keeps it)."""
        entry, self.entry = self.entry, None
        if entry is None:
            return True
        try:
            on_fresh_connection(lambda: mark_sent(entry))
        except Exception:  # the journal has it; whoever reaches the database next reconciles it
            logger.exception("outbox: notification %s sent, its mark left to the journal; batch stopped", entry.row_id)
            return False
        return True


def _lock_tasks(task_ids: Collection[int]) -> None:
    """Lock these tasks, in id order (no deadlock between workers), until the claim commits: as every change
    of a task locks it first, the claim and the check of the rows' reasons see each change whole."""
    if task_ids:  # (SQLite takes no row locks: its writers are serialised anyway)
        list(
            Task.objects.select_for_update(of=("self",))
            .filter(pk__in=sorted(task_ids))
            .order_by("pk")
            .values_list("pk")
        )


def gather_key(row: Notification, pref: NotificationPreference | None) -> tuple[str, str] | None:
    """Rows with one key become one mail: a person's rows of one kind due together; everything they take in
    the daily digest; None for rows that always go alone (meetings with their iCalendar part, digests)."""
    if row.kind not in GATHERABLE_KINDS:
        return None
    if row.recipient_id is not None and channel(pref, row.kind) == Channel.DIGEST:
        return (row.recipient_key, "digest")
    return (row.recipient_key, row.kind)


def _gather(
    ready: list[tuple[Notification, NotificationPreference | None]],
    attempts: dict[int, int],
    outcomes: dict[int, str],
) -> list[tuple[Notification, NotificationPreference | None]]:
    """One mail per group of rows to one person due together: the first row carries the list (its context's
    'gathered'), the others are marked gathered into it and share its fate from now on (sent, retried,
    possibly sent) — each notice is still mailed once, as a line of that one mail."""
    groups: dict[tuple[str, str], list[tuple[Notification, NotificationPreference | None]]] = {}
    alone: list[tuple[Notification, NotificationPreference | None]] = []
    for row, pref in ready:
        key = gather_key(row, pref)
        if key is None:
            alone.append((row, pref))
        else:
            groups.setdefault(key, []).append((row, pref))
    for members in groups.values():
        if len(members) == 1:
            alone.append(members[0])
            continue
        lead, pref = members[0]
        followers = [row.pk for row, _p in members[1:]]
        lead.context = {**lead.context, "gathered": [*lead.context.get("gathered", []), *followers]}
        Notification.objects.filter(pk=lead.pk).update(context=lead.context)
        _finish_many(
            {pk: attempts[pk] for pk in followers},
            state=State.GATHERED,
            gathered_into_id=lead.pk,
            last_error=f"Gathered into message #{lead.pk}.",
        )
        outcomes.update(dict.fromkeys(followers, "gathered"))
        alone.append((lead, pref))
    return sorted(alone, key=lambda pair: pair[0].pk)


def _record_failure(row: Notification, attempt: int, exc: Exception, *, message_id: str) -> str:
    """A refused or failed send: queued again with backoff while temporary and within NOTIFY_RETRY_FOR_SECONDS
    of the first temporary failure, else failed."""
    code, temporary = classify_failure(exc)
    error = f"{type(exc).__name__}: {exc}"[:2000]
    common = {"last_smtp_code": code, "last_error": error, "to_email": row.to_email, "message_id": message_id}
    now = timezone.now()
    first = row.first_failure_at or now
    if temporary and now - first < _retry_for():
        _finish(
            row.pk,
            attempt,
            state=State.QUEUED,
            dispatched_at=None,
            next_attempt_at=now + retry_delay(attempt),
            first_failure_at=first,
            **common,
        )
        logger.info("notification %s: temporary failure %s, retry later", row.pk, code)
        return "retry"
    _finish(row.pk, attempt, state=State.FAILED, first_failure_at=first if temporary else None, **common)
    logger.warning("notification %s failed permanently: %s", row.pk, error)
    return "failed"


def outbox_deliver(*, notification_id: int) -> str:
    """Claim one queued row, send it, record the result. Returns the outcome ('sent', 'retry', ...)."""
    return outbox_deliver_batch(notification_ids=[notification_id])[notification_id]
