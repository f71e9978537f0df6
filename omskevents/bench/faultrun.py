"""The fault run: make N reminders due, inject each fault kind, count due, delivered, lost and duplicated.

`python -m omskevents.bench.faultrun -n 20` (make fault-run) runs it against a throwaway database, a private
redis-server on a free port, a real Celery worker process and an SMTP server on loopback. The same
building blocks (SmtpSink, RedisServer, WorkerProcess, the scenarios) drive the integration tests and the
delivery benchmark.
"""

import argparse
import asyncio
import datetime as dt
import email
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from .common import PY, ROOT, free_port
from .pgserver import PostgresServer

OMSK = zoneinfo.ZoneInfo("Asia/Omsk")

# Short leases and delays so a run takes seconds; the task time limit stays below the lease.
FAST_ENV = {
    "NOTIFY_LEASE_SECONDS": "6",
    "NOTIFY_REDISPATCH_SECONDS": "3",
    "NOTIFY_RETRY_BASE_SECONDS": "0.3",
    "CELERY_TASK_TIME_LIMIT": "5",
    "CELERY_TASK_SOFT_TIME_LIMIT": "4",
    "EMAIL_TIMEOUT": "3",
}


# --- the SMTP server on loopback ---------------------------------------------------------------------


class _Controller(Controller):
    """Binds port 0 and reads the real port back before the readiness check."""

    def _trigger_server(self) -> None:
        if self.server is None:
            raise RuntimeError("the SMTP server did not start")
        self.port = self.server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]  # asyncio.Server, typed as its base
        super()._trigger_server()


class SmtpSink:
    """An SMTP server that records what it accepted and can answer 451, 550, or stall, per address."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, str, bytes]] = []  # (recipient, Message-ID, raw message)
        self.senders: list[str] = []  # each accepted mail's MAIL FROM
        self.temporary: dict[str, int] = {}
        self.permanent: set[str] = set()
        self.stall_next = False
        self.stall_after: int | None = None  # accept this many recipients, then stall the next one
        self.stalled = threading.Event()
        self.release = threading.Event()
        # Called once with the recipient when a mail has been accepted, just before the 250 goes back: the
        # place for a fault "right after the server accepted" (kill the worker, cut its database connection).
        self.on_accept: Callable[[str], None] | None = None
        self.delay = 0.0  # seconds each accepted mail's 250 is held (the real run: delivery always mid-batch)
        self.controller = _Controller(self, hostname="127.0.0.1", port=0)

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.controller.stop()

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.senders.clear()
            self.temporary.clear()
            self.permanent.clear()
            self.stall_next = False
            self.stall_after = None
            self.on_accept = None
        self.stalled.clear()
        self.release.clear()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        with self.lock:
            if address in self.permanent:
                return "550 5.1.1 No such mailbox"
            if self.temporary.get(address, 0) > 0:
                self.temporary[address] -= 1
                return "451 4.3.0 Try again later"
            stall, self.stall_next = self.stall_next, False
            if self.stall_after is not None:
                stall = stall or self.stall_after == 0
                self.stall_after = None if self.stall_after == 0 else self.stall_after - 1
        if stall:
            # Hold the sender mid-dialogue (the fault run kills it meanwhile); nothing is accepted.
            self.stalled.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
            return "451 4.3.0 Stalled"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        message_id = email.message_from_bytes(raw)["Message-ID"] or ""
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, message_id, raw))
            self.senders.append(envelope.mail_from)
            hook, self.on_accept = self.on_accept, None
        if self.delay:
            await asyncio.sleep(self.delay)
        if hook is not None:
            hook(envelope.rcpt_tos[0])
        return "250 OK: queued"

    def counts(self, addresses: set[str]) -> Counter[str]:
        with self.lock:
            return Counter(rcpt for rcpt, _mid, _raw in self.received if rcpt in addresses)

    def messages_to(self, address: str) -> list[bytes]:
        with self.lock:
            return [raw for rcpt, _mid, raw in self.received if rcpt == address]


# --- a private Redis and a worker process ----------------------------------------------------------


class RedisServer:
    """A redis-server of our own on a free port, without persistence, so a restart loses its queue."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def child_env(*, database_url: str, redis_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(FAST_ENV)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "omskevents.settings.local",
            "DEBUG": "off",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SECRET_KEY": settings.SECRET_KEY or "faultrun",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


class WorkerProcess:
    """`celery -A omskevents worker` in a process of its own.

    The solo pool by default: SIGKILL takes the whole worker. The benchmark passes production's prefork pool.
    """

    def __init__(self, env: dict[str, str], log: Path, *, pool: tuple[str, ...] = ("--pool=solo",)) -> None:
        self.env = env
        self.log = log
        self.pool = pool
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "WorkerProcess":
        name = f"faultrun-{uuid.uuid4().hex[:8]}@%h"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [
                    PY,
                    "-m",
                    "celery",
                    "-A",
                    "omskevents",
                    "worker",
                    *self.pool,
                    "--loglevel=WARNING",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-n",
                    name,
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Point this process's Celery app at another broker for a while (the scan publishes there)."""
    from omskevents.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None  # a fresh connection pool for the new URL
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url = old
        app._pool = None
        app.amqp._producer_pool = None


# --- making reminders due and waiting for them ---------------------------------------------------


def prepare_calendar() -> None:
    """Reminders go at 00:00 local or later, and today is a working day: they are due whenever we run."""
    from omskevents.calendars.models import CalendarDay
    from omskevents.notifications import services

    services.reminder_settings_save(send_hour=0, remind_on_due_day=True)
    today = timezone.localdate(timezone.now(), timezone=OMSK)
    for day in (today - dt.timedelta(days=1), today, today + dt.timedelta(days=1)):
        CalendarDay.objects.update_or_create(country="RU", date=day, defaults={"is_working": True, "name": "faultrun"})


def make_due(label: str, n: int, *, title: str = "") -> dict[str, int]:
    """N open tasks due today, each with its own responsible person in Omsk. Returns address -> task id."""
    from omskevents.accounts.models import User
    from omskevents.agencies.models import Agency
    from omskevents.events.models import Event
    from omskevents.workplan.models import Task

    today = timezone.localdate(timezone.now(), timezone=OMSK)
    tag = uuid.uuid4().hex[:6]
    event = Event.objects.create(
        kind="forum",
        number=f"FR-{tag}",
        title_ru="Форум (проверка доставки)",
        short_title=f"Проверка {label}",
        start_date=today + dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=31),
    )
    agency = Agency.objects.create(name=f"Ведомство {tag}", short_name=f"В-{tag}", level="regional", country="RU")
    tasks: dict[str, int] = {}
    for i in range(n):
        address = f"{label}-{i}-{tag}@faultrun.test"
        user = User.objects.create(
            username=f"{label}-{i}-{tag}", email=address, agency=agency, time_zone="Asia/Omsk", language="ru"
        )
        task = Task.objects.create(
            event=event,
            area="irtysh_logistics",
            title=title or f"Поручение {i}",
            lead_agency=agency,
            responsible=user,
            deadline=today,
        )
        tasks[address] = task.pk
    return tasks


def pump(until: Callable[[], bool], *, timeout: float, interval: float = 0.3) -> bool:
    """What beat does, fast: return expired leases to the queue and hand due rows over, until `until()`."""
    from omskevents.notifications import dispatch

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dispatch.outbox_sweep()
        dispatch.outbox_dispatch()
        close_old_connections()
        if until():
            return True
        time.sleep(interval)
    return until()


def settled(task_ids: list[int]) -> Callable[[], bool]:
    from omskevents.notifications.enums import State
    from omskevents.notifications.models import Notification

    def check() -> bool:
        open_states = [State.QUEUED, State.SENDING]
        rows = Notification.objects.filter(task_id__in=task_ids)
        return rows.count() >= len(task_ids) and not rows.filter(state__in=open_states).exists()

    return check


@dataclass
class Outcome:
    fault: str
    due: int
    delivered: int
    lost: int
    duplicated: int
    attempts: int = 0

    def line(self) -> str:
        tail = f" ({self.attempts} delivery attempts)" if self.attempts else ""
        return (
            f"{self.fault}: {self.due} due, {self.delivered} delivered, {self.lost} lost, {self.duplicated} duplicated"
            + tail
        )


def count(fault: str, sink: SmtpSink, tasks: dict[str, int]) -> Outcome:
    received = sink.counts(set(tasks))
    delivered = sum(1 for address in tasks if received[address] >= 1)
    duplicated = sum(n - 1 for n in received.values() if n > 1)
    from django.db.models import Sum

    from omskevents.notifications.models import Notification

    attempts = Notification.objects.filter(task_id__in=tasks.values()).aggregate(n=Sum("attempts"))["n"] or 0
    return Outcome(fault, len(tasks), delivered, len(tasks) - delivered, duplicated, attempts)


def _scan() -> None:
    from omskevents.notifications import dispatch

    try:
        dispatch.outbox_scan()
    finally:
        connection.close()


# --- the faults ---------------------------------------------------------------------------------------


@dataclass
class Harness:
    sink: SmtpSink
    worker: WorkerProcess
    redis: RedisServer | None
    timeout: float = 60


def fault_duplicate_scans(h: Harness, n: int) -> Outcome:
    """Two scans at once (two beat processes, or a cron next to beat), then two more beat ticks."""
    from omskevents.notifications.tasks import scan

    tasks = make_due("dup", n)
    threads = [threading.Thread(target=_scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    scan.apply_async()
    scan.apply_async()
    pump(settled(list(tasks.values())), timeout=h.timeout)
    time.sleep(1)  # room for a late duplicate to arrive
    return count("duplicate scans and beat ticks", h.sink, tasks)


def fault_worker_killed(h: Harness, n: int) -> Outcome:
    """The worker dies by SIGKILL in the middle of an SMTP dialogue; another worker takes over."""
    tasks = make_due("kill", n)
    h.sink.stalled.clear()
    h.sink.release.clear()
    h.sink.stall_next = True
    _scan()
    if not h.sink.stalled.wait(h.timeout):
        raise RuntimeError("the worker never reached the SMTP server")
    h.worker.kill()
    h.sink.release.set()
    h.worker.start()
    pump(settled(list(tasks.values())), timeout=h.timeout)
    return count("worker killed (SIGKILL) mid-delivery", h.sink, tasks)


def fault_worker_killed_mid_batch(h: Harness, n: int) -> Outcome:
    """The worker dies by SIGKILL after sending part of a batch: the sent part stays sent, the rest goes later."""
    tasks = make_due("batch", n)
    h.sink.stalled.clear()  # armed afresh: an earlier fault may have left both set
    h.sink.release.clear()
    h.sink.stall_after = n // 2
    _scan()  # n rows (at most a batch) in one broker message
    if not h.sink.stalled.wait(h.timeout):
        raise RuntimeError("the worker never reached the SMTP server")
    h.worker.kill()
    h.sink.release.set()
    h.worker.start()
    pump(settled(list(tasks.values())), timeout=h.timeout)
    return count("worker killed (SIGKILL) mid-batch", h.sink, tasks)


def fault_redis_restart(h: Harness, n: int) -> Outcome:
    """Redis dies holding the queued messages (no persistence) and comes back empty."""
    if h.redis is None:
        raise RuntimeError("this fault needs a Redis of its own")
    tasks = make_due("redis", n - n // 2)
    h.worker.stop()
    _scan()  # these messages now sit in Redis only
    h.redis.kill()
    tasks.update(make_due("redis-down", n // 2))
    _scan()  # Redis is down: publishing fails, is logged, and the scan carries on
    h.redis.start()
    h.worker.start()
    pump(settled(list(tasks.values())), timeout=h.timeout)
    return count("Redis stopped and restarted", h.sink, tasks)


def fault_smtp_451(h: Harness, n: int) -> Outcome:
    """The SMTP server answers 451 twice to every recipient, then accepts."""
    tasks = make_due("smtp451", n)
    for address in tasks:
        h.sink.temporary[address] = 2
    _scan()
    pump(settled(list(tasks.values())), timeout=h.timeout)
    return count("SMTP 451 twice, then 250", h.sink, tasks)


FAULTS = (
    fault_duplicate_scans,
    fault_worker_killed,
    fault_worker_killed_mid_batch,
    fault_redis_restart,
    fault_smtp_451,
)


def launch(*, n: int, factor: float, database_url: str, out: Callable[[str], Any], only: str = "") -> bool:
    """Start a private redis-server and a private PostgreSQL server (pgserver.py; without its binaries, or with
    --database-url, a throwaway database next to DATABASE_URL instead) and run the real fault run (faults.py) in a
    child pointed at them."""
    from .common import bench_database_url

    if not RedisServer.available():
        out("redis-server is not installed: the fault run needs its own Redis to restart.")
        return False
    postgres = None
    if PostgresServer.available() and not database_url:
        # A server of the run's own, so that one fault can restart it without touching anyone else's databases.
        postgres = PostgresServer.create().start()
        os.environ["DATABASE_URL"] = postgres.url()
    elif not (database_url or os.environ.get("DATABASE_URL", "")).startswith(("postgres://", "postgresql://")):
        out("the fault run needs PostgreSQL: set DATABASE_URL=postgres://... (a throwaway database is made next to it)")
        return False
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    database_url = bench_database_url("faultrun")
    redis_port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "omskevents.settings.local",
            "DEBUG": "off",
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "FAULTRUN_REDIS_PORT": str(redis_port),
            "LOG_LEVEL": "ERROR",
            **(postgres.env() if postgres is not None else {}),
        }
    )
    where = f"a PostgreSQL server of its own on port {postgres.port}" if postgres is not None else "PostgreSQL"
    out(f"fault run: database {database_url.rpartition('/')[2]} ({where}); private Redis on port {redis_port}")
    try:
        child = subprocess.Popen(  # noqa: S603 - fixed arguments
            [PY, "-m", "omskevents.bench.faultrun", "-n", str(n), "--factor", str(factor), "--in-place",
             *(["--only", only] if only else [])],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert child.stdout is not None  # noqa: S101 - piped above
        for line in child.stdout:
            out(line.rstrip("\n"))
        return child.wait() == 0
    finally:
        if postgres is not None:
            postgres.destroy()


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m omskevents.bench.faultrun",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-n", type=int, default=None, help="Reminders due per fault kind (default 20; --small: 8).")
    parser.add_argument(
        "--factor", type=float, default=None, help="Divide the 451 outage and the retry backoff by this (default 1)."
    )
    parser.add_argument("--small", action="store_true", help="CI: 8 reminders per fault, times divided by 10.")
    parser.add_argument("--database-url", default="", help="PostgreSQL to make the throwaway database next to.")
    parser.add_argument("--only", default="", help="Run one fault only, e.g. pg-restart (names: faults.fault_names).")
    parser.add_argument("--in-place", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    n = args.n if args.n is not None else (8 if args.small else 20)
    factor = args.factor if args.factor is not None else (10.0 if args.small else 1.0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omskevents.settings.local")
    import django

    django.setup()
    from .faults import fault_names

    if args.only and args.only not in fault_names():
        parser.error(f"--only takes one of: {', '.join(fault_names())}")
    if args.in_place:
        from .faults import run_real

        ok = run_real(n=n, factor=factor, out=lambda line: print(line, flush=True), only=args.only)
    else:
        ok = launch(n=n, factor=factor, database_url=args.database_url, out=print, only=args.only)
    if not ok:
        raise SystemExit("the fault run found lost reminders or unflagged duplicates")


if __name__ == "__main__":
    main()
