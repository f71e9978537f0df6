"""Mail benchmarks: one reminder scan over many open tasks, and delivery through the real worker.

The parent (`python -m omskevents.bench`) calls `scan_benchmark` and `delivery_benchmark`; each runs this
module in a child process (`python -m omskevents.bench.mail scan|delivery ...`) pointed at the benchmark's
database, which prints one JSON line as its last output.

Scan: the generated plan spreads deadlines from a month ago to after the Forum, so "now" would find a third
of it overdue. The scan is timed at a moment four weeks back instead (a working day, 14:00 in Omsk, after the
sending hour in Moscow, Omsk and Almaty), with the tasks entered (and their statuses set) three months before:
deadline reminders (7, 3, 1 working days and the due day) fire for the tasks due within seven working days, and
every report awaiting acceptance (about an eighth of the generated open tasks, waiting since their entry)
reminds its controller; no task is overdue yet at that moment (the earliest deadline is a few days after it).
The working day before is scanned first, untimed, as beat would have done: the timed scan creates that
day's new reminders, not every reminder since the plan began; a second scan at the same moment creates none.

Delivery: M of the rows the scan created are sent by `celery -A omskevents worker` (prefork, concurrency 2,
as in omskevents/Procfile) to an aiosmtpd server on loopback, timed from the first dispatch until every row
is `sent`; the same rendered messages sent with smtplib over one connection to the same server are the
ceiling.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

from .common import PY, ROOT, VAR

SCAN_WEEKS_BACK = 4
SCAN_HOUR_OMSK = 14


# --- the parent side ------------------------------------------------------------------------------------


def broker_label(env: dict[str, str]) -> str:
    return "redis" if env.get("REDIS_URL") else "filesystem (kombu, private folder var/bench-broker)"


def mail_env(env: dict[str, str]) -> dict[str, str]:
    """The benchmark's environment with a broker folder of its own when no Redis is configured."""
    out = dict(env)
    if not out.get("REDIS_URL"):
        out["CELERY_BROKER_DIR"] = str(VAR / "bench-broker")
    return out


def _child(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [PY, "-m", "omskevents.bench.mail", *args], cwd=ROOT, env=mail_env(env), capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"bench.mail {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def scan_benchmark(env: dict[str, str], *, open_tasks: int, profile: bool = False) -> dict[str, Any]:
    """Top the plan up to `open_tasks` open tasks (bulk), then time one scan and a repeated one."""
    args = ["scan", "--open-tasks", str(open_tasks)]
    return _child(env, *args, *(["--profile"] if profile else []))


def delivery_benchmark(env: dict[str, str], *, mails: int) -> dict[str, Any]:
    return _child(env, "delivery", "--mails", str(mails))


def morning_benchmark(env: dict[str, str], *, mails: int) -> dict[str, Any]:
    return _child(env, "morning", "--mails", str(mails))


# --- the child side: Django is set up against the benchmark's database ----------------------------------


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omskevents.settings.local")
    django.setup()
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command


def _scan_moments() -> tuple[Any, Any]:
    """A working day in Russia and Kazakhstan four weeks back, 14:00 in Omsk, and the working day before."""
    import datetime as dt
    import zoneinfo

    from django.utils import timezone

    from omskevents.calendars.services import WorkingCalendar

    omsk = zoneinfo.ZoneInfo("Asia/Omsk")
    day = timezone.localdate(timezone.now(), timezone=omsk) - dt.timedelta(weeks=SCAN_WEEKS_BACK)
    calendars = [WorkingCalendar(c, day - dt.timedelta(days=30), day) for c in ("RU", "KZ")]

    def working_on_or_before(day: dt.date) -> dt.date:
        while not all(cal.is_working(day) for cal in calendars):
            day -= dt.timedelta(days=1)
        return day

    day = working_on_or_before(day)
    before = working_on_or_before(day - dt.timedelta(days=1))
    return tuple(dt.datetime.combine(d, dt.time(SCAN_HOUR_OMSK), tzinfo=omsk) for d in (day, before))  # type: ignore[return-value]  # two days, two moments


def _top_up(open_tasks: int) -> dict[str, Any]:
    """Generate tasks until the plan holds `open_tasks` open ones (the generator closes about 18 %)."""
    import datetime as dt

    from django.db.models import F

    from omskevents.demo.volumes import demo_tasks_generate
    from omskevents.workplan.models import Task

    started = time.perf_counter()
    generated = 0
    while (missing := open_tasks - Task.objects.open().count()) > 0:
        batch = max(int(missing / 0.8), 100)
        demo_tasks_generate(count=batch)
        generated += batch
    seeded = time.perf_counter() - started
    # The plan was entered (and last written) three months before the scan's moment, so no reminder predates its
    # task, and a scan's "tasks written since the last scan" are those the bench writes, as in a day of real use.
    # Its statuses were set then too: a report submitted "after" the scan's moment would wait for nobody.
    back = dt.timedelta(days=90 + 7 * SCAN_WEEKS_BACK)
    Task.objects.update(
        created=F("created") - back, updated=F("updated") - back, status_changed_at=F("status_changed_at") - back
    )
    return {"generated": generated, "generate_seconds": round(seeded, 2)}


def _settle() -> None:
    """PostgreSQL: what autovacuum does within minutes of a bulk write (statistics for the planner, dead rows
    cleared from the indexes). The plan was entered months and the day before's scan a day before the timed
    scan; measuring before autovacuum's turn would measure the bench's own bulk update instead."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def _timed_scan(moment: Any) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from omskevents.notifications import dispatch

    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = dispatch.outbox_scan(now=moment)
        elapsed = time.perf_counter() - started
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return {
        "seconds": round(elapsed, 3),
        "created": result.created,
        "tasks_planned": result.tasks_planned,
        "every_candidate": result.full,
        "dispatched": result.dispatched,
        "queries": len(queries.captured_queries),
        "slowest_queries": [{"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:300]} for q in slowest],
    }


def child_scan(open_tasks: int, profile: bool) -> dict[str, Any]:
    from django.db.models import Count

    from omskevents.notifications import dispatch, planning, selectors, timing
    from omskevents.notifications.models import Notification
    from omskevents.workplan.models import Task

    seeding = _top_up(open_tasks)
    _settle()
    moment, day_before = _scan_moments()
    # Steady state: the scans of the working day before have run, so today's scan creates today's rows only.
    previous = dispatch.outbox_scan(now=day_before).created
    _settle()
    rules = selectors.reminder_settings_get()
    calendars = timing.Calendars(moment.date())
    last = planning.last_remindable_deadline(now=moment, rules=rules, calendars=calendars)
    candidates = Task.objects.open().filter(deadline__lte=last).count()
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    first = _timed_scan(moment)
    if profiler is not None:
        profiler.stop()
        (VAR / "bench-scan-profile.html").write_text(profiler.output_html())
        (VAR / "bench-scan-profile.txt").write_text(profiler.output_text(unicode=True))
    second = _timed_scan(moment)
    kinds = dict(Notification.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind"))
    return {
        "moment": moment.isoformat(),
        "open_tasks": Task.objects.open().count(),
        "candidates": candidates,
        "day_before": {"moment": day_before.isoformat(), "created": previous},
        **seeding,
        "first": first,
        "repeat": second,
        "rows_by_kind": kinds,
    }


def child_delivery(mails: int) -> dict[str, Any]:
    """M rows from the scan through the real worker, then the same messages through smtplib."""
    import datetime as dt
    import smtplib

    from django.conf import settings
    from django.db import close_old_connections
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat
    from django.utils import timezone

    from omskevents.celery import app
    from omskevents.notifications import dispatch, emails
    from omskevents.notifications.enums import REMINDER_KINDS, State
    from omskevents.notifications.models import Notification

    from . import faultrun

    warm = 4
    reminders = Notification.objects.filter(state=State.QUEUED, kind__in=REMINDER_KINDS)
    ids = list(reminders.order_by("pk").values_list("pk", flat=True))
    if len(ids) < mails + warm:
        raise SystemExit(f"the scan created {len(ids)} rows; the delivery benchmark needs {mails + warm}")
    warm_ids, ids = ids[:warm], ids[warm : warm + mails]
    # Everything else the scan created is set aside; the chosen rows wait, not yet due, for their turn.
    Notification.objects.filter(state=State.QUEUED).exclude(pk__in=warm_ids + ids).update(
        state=State.CANCELLED, last_error="Set aside by the delivery benchmark.", updated=timezone.now()
    )
    Notification.objects.filter(pk__in=warm_ids + ids).update(
        next_attempt_at=timezone.now() + dt.timedelta(days=1), dispatched_at=None
    )

    def make_due(pks: list[int]) -> None:
        # Due now, not yet handed over. Each row a mail of its own: a person's reminders of one kind due together
        # would be gathered into one mail (delivery._gather), and this benchmark counts mails (gathering has its
        # row in the fault run).
        Notification.objects.filter(pk__in=pks).update(
            next_attempt_at=timezone.now(),
            dispatched_at=None,
            recipient_key=Concat("recipient_key", Value("#"), Cast("pk", CharField())),
        )

    app.control.purge()  # what the scans published with nobody listening

    sink = faultrun.SmtpSink().start()
    database_url = os.environ["DATABASE_URL"]
    broker_url = settings.CELERY_BROKER_URL if settings.REDIS_URL else ""
    env = faultrun.child_env(
        database_url=database_url,
        redis_url=broker_url,
        smtp_port=sink.port,
        # Production's timings, not the fault run's short ones.
        NOTIFY_LEASE_SECONDS="300",
        NOTIFY_REDISPATCH_SECONDS="300",
        CELERY_TASK_TIME_LIMIT="120",
        CELERY_TASK_SOFT_TIME_LIMIT="100",
        EMAIL_TIMEOUT="20",
        # Persistent database connections, as gunicorn runs in the web benchmark.
        CONN_MAX_AGE="60",
    )
    if not settings.REDIS_URL:
        env["CELERY_BROKER_DIR"] = str(settings.CELERY_BROKER_DIR)
    log = VAR / "bench-worker.log"
    log.unlink(missing_ok=True)
    worker = faultrun.WorkerProcess(env, log, pool=("--pool=prefork", "--concurrency=2", "--prefetch-multiplier=1"))

    def count_sent(pks: list[int]) -> int:
        close_old_connections()
        return Notification.objects.filter(pk__in=pks, state=State.SENT).count()

    def drive(pks: list[int], timeout: float) -> float:
        """Hand the due rows over as the scan does, then every second as the sweep tick does (rows a delivery
        deferred); done when the server has every mail and every row is marked sent. The server's count is
        read in memory: polling the database every 20 ms, as this did before, took a fifth of a core from
        the two the worker runs on."""
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        handed = 0.0
        while time.monotonic() < deadline:
            if time.monotonic() - handed >= 1:
                dispatch.outbox_dispatch()
                handed = time.monotonic()
            if len(sink.received) >= len(pks) and count_sent(pks) == len(pks):
                return time.perf_counter() - started
            time.sleep(0.01)
        raise SystemExit(f"delivery timed out: {count_sent(pks)} of {len(pks)} sent; see {log}")

    worker.start()
    try:
        make_due(warm_ids)
        drive(warm_ids, 60)  # the worker is up, its pool forked, its connections open
        sink.reset()
        # Only now: the timed rows were handed over with the warm ones before, some sent before the clock ran.
        make_due(ids)
        seconds = drive(ids, 600)
    finally:
        worker.stop()
    delivered = len({rcpt for rcpt, _mid, _raw in sink.received})
    received = len(sink.received)
    sink.reset()

    rows = list(
        Notification.objects.filter(pk__in=ids)
        .select_related("recipient__agency", "agency", "task__event", "task__lead_agency", "meeting__committee")
        .order_by("pk")
    )
    messages = [emails.build_message(row, message_id=emails.message_id_for(row)) for row in rows]
    # As Django's SMTP backend sends them: CRLF line ends (Django's MIME classes take linesep).
    payload = [
        (m.from_email, m.recipients(), m.message().as_bytes(linesep="\r\n"))  # type: ignore[call-arg]  # the stubs omit linesep
        for m in messages
    ]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=20) as smtp:
        for sender, to, raw in payload:
            smtp.sendmail(sender, to, raw)
    raw_seconds = time.perf_counter() - started
    raw_received = len(sink.received)
    sink.stop()

    worker_rate = mails / seconds
    raw_rate = mails / raw_seconds
    return {
        "mails": mails,
        "worker": {
            "seconds": round(seconds, 3),
            "emails_per_s": round(worker_rate, 1),
            "received": received,
            "recipients": delivered,
            "pool": "prefork, concurrency 2",
        },
        "smtplib": {"seconds": round(raw_seconds, 3), "emails_per_s": round(raw_rate, 1), "received": raw_received},
        "ratio": round(worker_rate / raw_rate, 3),
        "kinds": sorted({row.kind for row in rows}),
    }


def _morning_rows(mails: int) -> list[int]:
    """`mails` deadline reminders due now, one per open task with a responsible person (as the 09:00 scan
    makes them: the task's current deadline, the 1-working-day occasion). Everything else is set aside."""
    import datetime as dt

    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat
    from django.utils import timezone

    from omskevents.notifications import selectors, store
    from omskevents.notifications.enums import Kind, State
    from omskevents.notifications.models import Notification
    from omskevents.workplan.models import Task

    now = timezone.now()
    Notification.objects.filter(state=State.QUEUED).update(
        state=State.CANCELLED, last_error="Set aside by the morning benchmark.", updated=now
    )
    tasks = list(
        Task.objects.open()
        .filter(responsible__isnull=False, responsible__is_active=True)
        .exclude(responsible__email="")
        # A reported task's deadline reminder is moot (the report awaits acceptance): delivery cancels it.
        .exclude(status="reported")
        .select_related("responsible__agency")
        .order_by("pk")[:mails]
    )
    if not tasks:
        raise SystemExit("no open task with a responsible person: the morning has nobody to remind")
    # Fewer people than mails in a small plan: each person gets several reminders, one occasion each.
    planned = [
        store.Planned(
            kind=Kind.DEADLINE,
            item_key=f"task:{task.pk}",
            recipient=selectors.recipient_for_user(task.responsible),  # type: ignore[arg-type]  # filtered above
            occasion=f"{task.deadline}:morning:{n}",
            scheduled_for=now,
            next_attempt_at=now - dt.timedelta(seconds=1),
            task=task,
            deadline=task.deadline,
            context={"offset": 1},
        )
        for n in range(mails)
        for task in [tasks[n % len(tasks)]]
    ]
    store.outbox_store(planned, validate=False)
    rows = Notification.objects.filter(kind=Kind.DEADLINE, occasion__contains=":morning:", state=State.QUEUED)
    # A mail per reminder, as a morning of 12,000 people has: one person's reminders of a kind due together would be
    # gathered into one mail (delivery._gather; its own row in the fault run), and this benchmark counts mails.
    rows.update(recipient_key=Concat("recipient_key", Value("#"), Cast("pk", CharField())))
    return list(rows.values_list("pk", flat=True))


def child_morning(mails: int) -> dict[str, Any]:
    """A morning: `mails` reminders due at once, two worker processes (prefork, one child each) with the
    production defaults (lease, redispatch, time limits), one hand-over as the 09:00 scan makes it and the
    ten-second sweep tick as beat runs it; timed from the hand-over until every row is sent."""
    from django.conf import settings
    from django.db import close_old_connections

    from omskevents.celery import app
    from omskevents.notifications import dispatch
    from omskevents.notifications.enums import State
    from omskevents.notifications.models import Notification

    from . import faultrun

    ids = _morning_rows(mails)
    app.control.purge()
    sink = faultrun.SmtpSink().start()
    env = faultrun.child_env(
        database_url=os.environ["DATABASE_URL"],
        redis_url=settings.CELERY_BROKER_URL if settings.REDIS_URL else "",
        smtp_port=sink.port,
        NOTIFY_JOURNAL_PATH=str(VAR / "bench-journal.sqlite3"),
        CONN_MAX_AGE="60",
    )
    for name in ("NOTIFY_LEASE_SECONDS", "NOTIFY_REDISPATCH_SECONDS", "CELERY_TASK_TIME_LIMIT", "EMAIL_TIMEOUT"):
        env.pop(name, None)  # production's defaults, not the fault run's short ones
    env.pop("CELERY_TASK_SOFT_TIME_LIMIT", None)
    if not settings.REDIS_URL:
        env["CELERY_BROKER_DIR"] = str(settings.CELERY_BROKER_DIR)
    workers = [
        faultrun.WorkerProcess(env, VAR / f"bench-morning-worker-{n}.log", pool=("--pool=prefork", "--concurrency=1"))
        for n in (1, 2)
    ]
    for worker in workers:
        worker.start()
    time.sleep(5)  # both workers up and listening before 09:00
    started = time.perf_counter()
    handed = dispatch.outbox_dispatch()
    last_tick = time.monotonic()
    sent = 0
    try:
        while (sent := Notification.objects.filter(pk__in=ids, state=State.SENT).count()) < len(ids):
            if time.perf_counter() - started > 1800:
                raise SystemExit(f"the morning timed out: {sent} of {len(ids)} sent")
            if time.monotonic() - last_tick >= 10:
                dispatch.outbox_sweep()
                dispatch.outbox_dispatch()
                last_tick = time.monotonic()
            close_old_connections()
            time.sleep(0.5)
        seconds = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.stop()
        sink.stop()
    received = len(sink.received)
    return {
        "mails": len(ids),
        "handed_over_at_once": handed,
        "seconds": round(seconds, 1),
        "emails_per_s": round(len(ids) / seconds, 1),
        "received": received,
        "duplicates": received - len({mid for _rcpt, mid, _raw in sink.received}),
        "workers": "2 worker processes, prefork, one child each",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="stage", required=True)
    scan = sub.add_parser("scan")
    scan.add_argument("--open-tasks", type=int, required=True)
    scan.add_argument("--profile", action="store_true")
    delivery = sub.add_parser("delivery")
    delivery.add_argument("--mails", type=int, required=True)
    morning = sub.add_parser("morning")
    morning.add_argument("--mails", type=int, required=True)
    args = parser.parse_args()
    _setup()
    if args.stage == "scan":
        result = child_scan(args.open_tasks, args.profile)
    elif args.stage == "delivery":
        result = child_delivery(args.mails)
    else:
        result = child_morning(args.mails)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main()
