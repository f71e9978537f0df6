"""No duplicate from a database failure after the SMTP server's 250, on real PostgreSQL and a real SMTP server.

The delivery runs in this process against an SMTP server on loopback (faultrun.SmtpSink); the server's
`on_accept` hook cuts this process's database connection (pg_terminate_backend from another connection)
right after it accepted the mail, before the 250 reaches the sender, so the sender's next statement, the
"sent" mark, meets a dead connection. These tests commit (transactional database): a connection that dies
inside a test transaction would take the test's data with it.
"""

import datetime as dt

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from omskevents.bench import faultrun
from omskevents.notifications import delivery, dispatch, journal, recovery
from omskevents.notifications.enums import State
from omskevents.notifications.models import Notification

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


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


def _admin_dsn() -> str:
    db = connection.settings_dict
    return f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} dbname={db['NAME']} user={db['USER']}" + (
        f" password={db['PASSWORD']}" if db["PASSWORD"] else ""
    )


def cut_my_connection():
    """A hook for the SMTP server: terminate this process's PostgreSQL backend (from another connection)."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    dsn = _admin_dsn()

    def cut(_recipient: str) -> None:
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    return cut


def due_reminders(n: int) -> list[int]:
    faultrun.prepare_calendar()
    tasks = faultrun.make_due("once", n)
    dispatch.outbox_scan(sync=False)
    rows = Notification.objects.filter(task_id__in=tasks.values()).order_by("pk")
    assert rows.count() == n
    return list(rows.values_list("pk", flat=True))


def test_sent_mark_survives_a_connection_killed_after_the_250(sink):
    ids = due_reminders(3)
    sink.on_accept = cut_my_connection()  # after the first mail is accepted
    assert delivery.outbox_deliver_batch(notification_ids=ids) == dict.fromkeys(ids, "sent")
    rows = Notification.objects.filter(pk__in=ids)
    assert (
        sorted(rows.values_list("state", "attempts", "last_smtp_code", "possibly_sent_at"))
        == [(State.SENT, 1, 250, None)] * 3
    )
    assert len(sink.received) == 3
    # Later ticks find nothing to take back or hand over: nothing goes twice.
    assert (recovery.outbox_sweep(), dispatch.outbox_dispatch()) == (0, 0)
    assert len(sink.received) == 3


def test_journal_marks_the_row_sent_before_the_sweeper_takes_it_back(sink, settings):
    ids = due_reminders(2)
    settings.NOTIFY_MARK_RETRY_SECONDS = 0  # the database stays away longer than the worker waits
    sink.on_accept = cut_my_connection()
    outcomes = delivery.outbox_deliver_batch(notification_ids=ids)
    assert outcomes == {ids[0]: "sent", ids[1]: "skipped"}  # the batch stops: nothing more can be recorded
    assert [(e.row_id, e.attempt) for e in journal.pending()] == [(ids[0], 1)]
    rows = Notification.objects.filter(pk__in=ids).order_by("pk")
    assert list(rows.values_list("state", flat=True)) == [State.SENDING, State.SENDING]
    # Both leases lapse (the worker is gone); the sweeper first reconciles the journal.
    rows.update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert recovery.outbox_sweep() == 1  # the untried row is queued again; the sent one is not taken back
    assert list(rows.values_list("state", "possibly_sent_at")) == [(State.SENT, None), (State.QUEUED, None)]
    assert journal.pending() == []
    dispatch.outbox_dispatch(sync=True)
    assert sorted(rcpt for rcpt, _mid, _raw in sink.received) == sorted(rows.values_list("to_email", flat=True))


def test_a_mail_refused_before_data_leaves_the_mail_before_it_marked_sent(sink):
    """Each sent mark rides on the next mail's stamp; a next mail refused at RCPT is never stamped, so the mark
    before it goes alone (in the middle of the batch and at its end), and nothing is left to the journal."""
    faultrun.prepare_calendar()
    tasks = faultrun.make_due("refused", 4)
    addresses = sorted(tasks, key=lambda address: tasks[address])
    sink.permanent.update({addresses[1], addresses[3]})
    dispatch.outbox_scan(sync=False)
    rows = Notification.objects.filter(task_id__in=tasks.values())
    by_address = {tasks[address]: address for address in addresses}
    ids = {by_address[task_id]: pk for pk, task_id in rows.values_list("pk", "task_id")}
    outcomes = delivery.outbox_deliver_batch(notification_ids=[ids[address] for address in addresses])
    assert [outcomes[ids[address]] for address in addresses] == ["sent", "failed", "sent", "failed"]
    found = {row.to_email: row for row in rows}
    assert [(found[a].state, found[a].last_smtp_code, found[a].lease_until) for a in addresses] == [
        (State.SENT, 250, None),
        (State.FAILED, 550, None),
        (State.SENT, 250, None),
        (State.FAILED, 550, None),
    ]
    assert [found[a].send_started_at is not None for a in addresses] == [True, False, True, False]
    assert sorted(rcpt for rcpt, _mid, _raw in sink.received) == [addresses[0], addresses[2]]
    assert recovery.journal_reconcile() == 0  # both marks reached the database with the batch
