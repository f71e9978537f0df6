"""The worker host's journal of mails the SMTP server accepted: written before the database hears of the 250.

Why a local SQLite file: when the 250 has come and the database then fails, the outcome must outlive both
the lost connection and the worker process, and it cannot be kept in the database that just failed. SQLite
gives an atomic, fsync'd append (synchronous=FULL in WAL mode: the entry is on disk when `record` returns),
safe concurrent writers (the prefork children of one worker share the file under SQLite's locks) and an
indexed read of what is not reconciled yet; an append-only file of our own would need framing, locking and
compaction written by hand. One file per host (NOTIFY_JOURNAL_PATH), entries keyed by database, row and
attempt: every process on the host reconciles it before it claims rows and before the sweeper takes rows
back, and reconciled entries are deleted, so the file stays a few pages long.
"""

import datetime as dt
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS accepted (
    database TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    to_email TEXT NOT NULL,
    subject TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (database, row_id, attempt)
)
"""

_connections: dict[tuple[int, str], sqlite3.Connection] = {}
_opening = threading.Lock()
# Turning a new journal to WAL takes it whole for a moment: SQLite answers "locked" at once, without waiting, to a
# second connection that tries the same (two beats' scans starting together). The turn is retried this long.
WAL_RETRY_SECONDS = 10.0


@dataclass(frozen=True)
class Accepted:
    row_id: int
    attempt: int
    message_id: str
    to_email: str
    subject: str
    sent_at: dt.datetime


def database_label() -> str:
    """Which database the row ids belong to: one journal may serve workers of several installations."""
    db = settings.DATABASES["default"]
    return f"{db['ENGINE']}|{db.get('HOST') or ''}|{db.get('PORT') or ''}|{db['NAME']}"


def _connection() -> sqlite3.Connection:
    """This process's connection (a forked child opens its own: SQLite connections do not cross a fork)."""
    path = str(settings.NOTIFY_JOURNAL_PATH)
    key = (os.getpid(), path)
    conn = _connections.get(key)
    if conn is not None:
        return conn
    with _opening:  # one connection per process, whichever of its threads comes first
        conn = _connections.get(key)
        if conn is None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
            _wal(conn)
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute(SCHEMA)
            _connections[key] = conn
    return conn


def _wal(conn: sqlite3.Connection) -> None:
    deadline = time.monotonic() + WAL_RETRY_SECONDS
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def record(entry: Accepted) -> None:
    """Durably note one accepted mail; returns once it is on disk."""
    _connection().execute(
        "INSERT OR REPLACE INTO accepted VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            database_label(),
            entry.row_id,
            entry.attempt,
            entry.message_id,
            entry.to_email,
            entry.subject,
            entry.sent_at.isoformat(),
        ),
    )


def pending() -> list[Accepted]:
    """Entries of this database not yet confirmed in it."""
    rows = _connection().execute(
        "SELECT row_id, attempt, message_id, to_email, subject, sent_at FROM accepted WHERE database = ? "
        "ORDER BY row_id",
        (database_label(),),
    )
    return [Accepted(r[0], r[1], r[2], r[3], r[4], dt.datetime.fromisoformat(r[5])) for r in rows]


def forget(entries: list[Accepted]) -> None:
    """Drop entries the database now holds."""
    if entries:
        conn = _connection()
        conn.execute("BEGIN IMMEDIATE")  # one transaction, one flush: not one per entry
        try:
            conn.executemany(
                "DELETE FROM accepted WHERE database = ? AND row_id = ? AND attempt = ?",
                [(database_label(), e.row_id, e.attempt) for e in entries],
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def close() -> None:
    """Close this process's connection (tests point NOTIFY_JOURNAL_PATH elsewhere)."""
    for key in [k for k in _connections if k[0] == os.getpid()]:
        _connections.pop(key).close()
