"""The fault run where it hurts: real beat (two of them), two workers, default leases, real hours, PostgreSQL.

`python -m omskevents.bench.faultrun` runs `run_real` in a child pointed at a throwaway PostgreSQL database,
a redis-server of its own and an SMTP server on loopback that holds each reply a little, so every fault
lands mid-delivery. Reminders are made due the way they are in life: tasks due today for people in a time
zone where it is now past the sending hour of a working day (nothing is frozen; on a weekend, when no such
zone exists, the run says so and marks today working in its throwaway calendar). Each fault prints
due / delivered / lost / duplicated / flagged / refused and the seconds from the fault until every row settled.
"""

import datetime as dt
import email
import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from .common import PY, ROOT
from .faultrun import RedisServer, SmtpSink, WorkerProcess, _scan, child_env
from .pgserver import PostgresServer

ZONES = (
    ("RU", "Europe/Kaliningrad"), ("RU", "Europe/Moscow"), ("RU", "Europe/Samara"), ("RU", "Asia/Yekaterinburg"),
    ("RU", "Asia/Omsk"), ("KZ", "Asia/Almaty"), ("RU", "Asia/Krasnoyarsk"), ("RU", "Asia/Irkutsk"),
    ("RU", "Asia/Yakutsk"), ("RU", "Asia/Vladivostok"), ("RU", "Asia/Magadan"), ("RU", "Asia/Kamchatka"),
)  # fmt: skip


@dataclass
class Row:
    fault: str
    due: int
    delivered: int
    lost: int
    duplicated: int
    flagged: int
    refused: int
    seconds: float

    def line(self) -> str:
        return (
            f"| {self.fault} | {self.due} | {self.delivered} | {self.lost} | {self.duplicated} | {self.flagged} "
            f"| {self.refused} | {self.seconds:.0f} s |"
        )


HEADER = (
    "| fault | due | delivered | lost | duplicated | flagged | refused (550) | all settled after |\n" + "|---" * 8 + "|"
)


# Somewhere on Earth it is always between the sending hour and the evening: when neither side's zones are there
# (a night in Russia and Kazakhstan), the recipients of the run live in one of these, by Russia's calendar.
WORLD_ZONES = (
    "Pacific/Kiritimati", "Pacific/Auckland", "Pacific/Noumea", "Australia/Sydney", "Asia/Tokyo", "Asia/Shanghai",
    "Asia/Bangkok", "Asia/Dhaka", "Asia/Karachi", "Asia/Dubai", "Europe/Istanbul", "Europe/Athens", "Europe/Berlin",
    "Europe/London", "Atlantic/Azores", "Atlantic/South_Georgia", "America/Sao_Paulo", "America/Halifax",
    "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Anchorage",
    "Pacific/Honolulu", "Pacific/Pago_Pago",
)  # fmt: skip


def due_zone(out: Callable[[str], Any]) -> tuple[str, str]:
    """(country, zone) where it is now a working day past the sending hour (the real hour and calendar).

    Preferred: a zone of either side on a working day. At night or on a day off in all of them, a zone elsewhere
    where it is now the working day's sending time, with that day marked working in the run's throwaway calendar
    (the only departure from the real calendar; it is printed)."""
    from omskevents.calendars.models import CalendarDay
    from omskevents.calendars.services import WorkingCalendar
    from omskevents.notifications import selectors
    from omskevents.notifications.timing import QUIET_HOURS_END

    hour = selectors.reminder_settings_get().send_hour
    # The run's notices of reports wait for the next morning from QUIET_HOURS_END local on: recipients are chosen
    # where that is at least an hour away (a run takes about 13 minutes); before, up to 22:00.
    last = QUIET_HOURS_END - 1
    now = timezone.now()
    for country, name in ZONES:
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        day = local.date()
        if hour <= local.hour < last and WorkingCalendar(country, day, day).is_working(day):
            return country, name
    for name in (*(zone for _country, zone in ZONES), *WORLD_ZONES):
        local = now.astimezone(zoneinfo.ZoneInfo(name))
        if hour <= local.hour < last:
            day = local.date()
            if not WorkingCalendar("RU", day, day).is_working(day):
                CalendarDay.objects.update_or_create(
                    country="RU", date=day, defaults={"is_working": True, "name": "faultrun"}
                )
                out(f"no zone of either side is on a working day past {hour}:00 now: recipients in {name}, "
                    f"{day} marked working in the throwaway calendar")  # fmt: skip
            else:
                out(f"no zone of either side is on a working day past {hour}:00 now: recipients in {name}")
            return "RU", name
    raise SystemExit(f"no zone on Earth is between {hour}:00 and {last}:00 now")  # cannot happen: 26 h of offsets


def make_due(label: str, n: int, zone: tuple[str, str]) -> dict[str, int]:
    """N open tasks due today in `zone`, each with a responsible person there. Returns address -> task id."""
    from omskevents.accounts.models import User
    from omskevents.agencies.models import Agency
    from omskevents.events.models import Event
    from omskevents.workplan.models import Task

    country, name = zone
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(name)).date()
    tag = uuid.uuid4().hex[:6]
    event = Event.objects.create(
        kind="forum", number=f"FR-{tag}", title_ru="Форум (проверка)", short_title=f"Проверка {label}",
        start_date=today + dt.timedelta(days=30), end_date=today + dt.timedelta(days=31),
    )  # fmt: skip
    agency = Agency.objects.create(
        name=f"Ведомство {tag}", short_name=f"В-{tag}", level="regional", country=country, time_zone=name
    )
    tasks: dict[str, int] = {}
    for i in range(n):
        address = f"{label}-{i}-{tag}@faultrun.test"
        user = User.objects.create(
            username=f"{label}-{i}-{tag}", email=address, agency=agency, time_zone=name, language="ru"
        )
        task = Task.objects.create(
            event=event, area="irtysh_logistics", title=f"Поручение {i}", lead_agency=agency, responsible=user,
            deadline=today,
        )  # fmt: skip
        tasks[address] = task.pk
    return tasks


class Beat:
    """`celery -A omskevents beat` with a schedule file of its own."""

    def __init__(self, env: dict[str, str], workdir: Path, n: int) -> None:
        self.args = [PY, "-m", "celery", "-A", "omskevents", "beat", "--loglevel=WARNING",
                     "-s", str(workdir / f"beat-{n}"), "--pidfile="]  # fmt: skip
        self.env, self.log = env, workdir / f"beat-{n}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Beat":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603 - fixed arguments
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


@dataclass
class World:
    sink: SmtpSink
    redis: RedisServer
    workers: list[WorkerProcess]
    zone: tuple[str, str]
    factor: float
    admin_dsn: str
    timeout: float
    fired: list[float] = field(default_factory=list)  # when the fault struck (mid-delivery ones)
    postgres: PostgresServer | None = None  # the run's own server (None: a shared one, not restarted)
    moot: set[str] = field(default_factory=set)  # addresses whose reminder's reason went away: no mail may reach them
    kind: str = "deadline"  # the kind of reminder a fault's tasks are due (the awaiting-acceptance fault changes it)
    by: str = "task_id"  # the field of an outbox row the fault's ids name (the discipline report: its recipient)
    # A check each mail must pass to count as delivered; when set, only mails of the fault's kind are counted.
    mail_check: Callable[[bytes], bool] | None = None
    after: list[Callable[[], object]] = field(default_factory=list)  # undone once the fault is measured


def settled(task_ids: list[int], kind: str = "deadline", by: str = "task_id") -> bool:
    from omskevents.notifications.enums import State
    from omskevents.notifications.models import Notification

    close_old_connections()
    rows = Notification.objects.filter(**{f"{by}__in": task_ids}, kind=kind)
    # A cancelled reminder of a due task is not settled: lost. A gathered one went in another row's mail.
    final = [State.SENT, State.FAILED, State.UNCERTAIN, State.GATHERED]
    try:
        return rows.filter(state__in=final).count() >= len(task_ids)
    except DatabaseError:  # the run's own connection was cut with the others
        connection.close()
        return False


def wait_settled(w: World, tasks: dict[str, int], started: float) -> float:
    deadline = time.monotonic() + w.timeout
    while time.monotonic() < deadline:
        if settled(list(tasks.values()), w.kind, w.by):
            return time.monotonic() - started
        time.sleep(1)
    return float("nan")


def measure(fault: str, w: World, tasks: dict[str, int], seconds: float) -> Row:
    from omskevents.notifications.enums import State
    from omskevents.notifications.models import Notification

    time.sleep(2)  # room for a late duplicate
    rows = Notification.objects.filter(**{f"{w.by}__in": tasks.values()}, kind=w.kind)
    if w.mail_check is None:
        received = w.sink.counts(set(tasks))
        delivered = sum(1 for address in tasks if received[address] >= 1)
    else:  # the fault's own mails only (its people may get others), each delivered one passing the check
        ids = {str(pk) for pk in rows.values_list("pk", flat=True)}
        mails = {a: [m for m in w.sink.messages_to(a) if outbox_row(m) in ids] for a in tasks}
        received = Counter({address: len(sent) for address, sent in mails.items()})
        delivered = sum(1 for sent in mails.values() if any(w.mail_check(m) for m in sent))
    refused = rows.filter(state=State.FAILED, last_smtp_code__gte=500).count()
    flagged = rows.filter(possibly_sent_at__isnull=False).count()
    duplicated = sum(n - 1 for n in received.values() if n > 1)
    duplicated += sum(w.sink.counts(w.moot).values())  # a mail whose reason had gone counts as one too many
    # A second row for the same person and occasion (two beats planning it) is a second mail, sent or to go.
    duplicated = max(duplicated, rows.count() - rows.values(w.by).distinct().count())
    w.moot.clear()
    w.kind, w.by, w.mail_check = "deadline", "task_id", None
    while w.after:
        w.after.pop()()
    return Row(fault, len(tasks), delivered, len(tasks) - delivered - refused, duplicated, flagged, refused, seconds)


def outbox_row(raw: bytes) -> str:
    """The outbox row a received mail was sent for (its X-Omskevents-Outbox header)."""
    return str(email.message_from_bytes(raw).get("X-Omskevents-Outbox", "")).strip()


def after_accepts(w: World, count: int, action: Callable[[], object]) -> None:
    """Run `action` right after the SMTP server accepted the `count`-th mail from now (mid-delivery)."""
    left = [count]

    def hook(_rcpt: str) -> None:
        left[0] -= 1
        if left[0] <= 0:
            w.fired.append(time.monotonic())
            action()
        else:
            w.sink.on_accept = hook

    w.sink.on_accept = hook


# The broker faults need messages waiting in Redis: more rows than the two workers hold (a batch of 50 each).
AT_LEAST = {"fault_redis_flush": 150, "fault_redis_restart": 150, "fault_pg_restart": 60}


def injected(w: World, label: str, n: int, inject: Callable[[World, dict[str, int]], None]) -> Row:
    n = max(n, AT_LEAST.get(inject.__name__, 0))
    tasks = make_due(inject.__name__.removeprefix("fault_").replace("_", "-"), n, w.zone)
    w.fired.clear()
    started = time.monotonic()
    inject(w, tasks)
    seconds = wait_settled(w, tasks, started)
    # From the moment a mid-delivery fault struck (else from the tasks' creation: the next beat scan included).
    return measure(label, w, tasks, seconds - (w.fired[0] - started if w.fired else 0))


def kill_workers(w: World) -> None:
    for worker in w.workers:
        if worker.process is not None:
            worker.process.send_signal(signal.SIGKILL)


def terminate_backends(w: World) -> None:
    with psycopg.connect(w.admin_dsn, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )


def fault_none(w: World, tasks: dict[str, int]) -> None:
    """No fault: the beats' scans (two at once) and the sweep ticks only."""


def fault_worker_after_250(w: World, tasks: dict[str, int]) -> None:
    def action() -> None:
        kill_workers(w)

    after_accepts(w, max(len(tasks) // 3, 1), action)
    give_up = time.monotonic() + w.timeout
    while any(worker.process is not None and worker.process.poll() is None for worker in w.workers):
        if time.monotonic() > give_up:
            raise RuntimeError("no mail reached the SMTP server: the workers were never killed")
        time.sleep(0.2)
    for worker in w.workers:
        worker.process = None
        worker.start()


def fault_pg_terminate(w: World, tasks: dict[str, int]) -> None:
    after_accepts(w, max(len(tasks) // 3, 1), lambda: terminate_backends(w))


def fault_pg_restart(w: World, tasks: dict[str, int]) -> None:
    """The run's own PostgreSQL stopped at once (every connection cut, no checkpoint) right after a 250, down for
    two seconds, then started again: the workers, beats and this process reconnect."""
    if w.postgres is None:
        raise RuntimeError("no PostgreSQL server of the run's own: this fault restarts nothing shared")
    fired: list[float] = []
    after_accepts(w, max(len(tasks) // 3, 1), lambda: fired.append(time.monotonic()))
    give_up = time.monotonic() + w.timeout
    while not fired:
        if time.monotonic() > give_up:
            raise RuntimeError("no mail reached the SMTP server before the PostgreSQL restart")
        time.sleep(0.02)
    w.postgres.restart(down_seconds=2)


def fault_redis_flush(w: World, tasks: dict[str, int]) -> None:
    import redis

    after_accepts(w, max(len(tasks) // 4, 1), lambda: redis.Redis.from_url(w.redis.url).flushdb())


def fault_redis_restart(w: World, tasks: dict[str, int]) -> None:
    fired: list[float] = []
    after_accepts(w, max(len(tasks) // 4, 1), lambda: fired.append(time.monotonic()))
    give_up = time.monotonic() + w.timeout
    while not fired:
        if time.monotonic() > give_up:
            raise RuntimeError("no mail reached the SMTP server before the Redis restart")
        time.sleep(0.05)
    w.redis.kill()
    time.sleep(3)
    w.redis.start()


def fault_smtp_451(w: World, tasks: dict[str, int]) -> None:
    minutes = 2 / w.factor
    with w.sink.lock:
        for address in tasks:
            w.sink.temporary[address] = 10**6
    time.sleep(minutes * 60)
    with w.sink.lock:
        for address in tasks:
            w.sink.temporary.pop(address, None)


def fault_smtp_550(w: World, tasks: dict[str, int]) -> None:
    with w.sink.lock:
        w.sink.permanent.add(next(iter(tasks)))


def fault_deadline_back(w: World, tasks: dict[str, int]) -> None:
    """Workers stopped: the scan queues the reminders, each deadline moves a week and comes back, workers return."""
    from omskevents.accounts.models import User
    from omskevents.notifications import dispatch
    from omskevents.workplan.models import Task
    from omskevents.workplan.services import task_update

    for worker in w.workers:
        worker.stop()
    dispatch.outbox_scan()
    actor = User.objects.get(username="faultrun-secretariat")
    for task in Task.objects.filter(pk__in=tasks.values()):
        original = task.deadline
        task = task_update(actor=actor, task=task, deadline=original + dt.timedelta(days=7), reason="перенос")
        task_update(actor=actor, task=task, deadline=original, reason="вернули")
    for worker in w.workers:
        worker.start()


def fault_gathered(w: World, tasks: dict[str, int]) -> None:
    """People with two tasks due today, committed together: each person's two reminders go as one mail.
    (They replace the prepared tasks, whose reminders a beat may have sent alone already.)"""
    from django.db import transaction

    from omskevents.workplan.models import Task

    with transaction.atomic():
        pairs = make_due("gathered-pair", len(tasks), w.zone)
        for task in Task.objects.filter(pk__in=pairs.values()):
            task.pk = None
            task.title = f"{task.title} (второе)"
            task.save()
    tasks.clear()
    tasks.update(pairs)


def fault_reason_gone(w: World, tasks: dict[str, int]) -> None:
    """Workers stopped, reminders queued; then a third of the tasks is reported behind the outbox's back (no
    notice cancels their rows): the delivery's claim must find the reason gone and send nothing to them."""
    from omskevents.notifications import dispatch
    from omskevents.workplan.models import Task

    for worker in w.workers:
        worker.stop()
    dispatch.outbox_scan()
    for address in list(tasks)[: max(len(tasks) // 3, 1)]:
        Task.objects.filter(pk=tasks.pop(address)).update(status="reported", status_changed_at=timezone.now())
        w.moot.add(address)
    for worker in w.workers:
        worker.start()


def fault_awaiting_acceptance(w: World, tasks: dict[str, int]) -> None:
    """Reports waiting ten days for acceptance: each task's controller is due "a report awaits your acceptance"
    (its executor gets nothing: the task is reported), and the workers are killed right after a 250. (These
    tasks replace the prepared ones, whose deadline reminders a beat may have sent already.)"""
    from django.db import transaction

    from omskevents.workplan.models import Task

    with transaction.atomic():
        waiting = make_due("awaiting", len(tasks), w.zone)
        for pk in waiting.values():
            task = Task.objects.get(pk=pk)
            Task.objects.filter(pk=pk).update(
                controller=task.responsible_id,
                responsible=None,
                status="reported",
                status_changed_at=timezone.now() - dt.timedelta(days=10),
                deadline=task.deadline + dt.timedelta(days=10),
            )
    tasks.clear()
    tasks.update(waiting)
    w.kind = "awaiting_acceptance"
    fault_worker_after_250(w, tasks)


def fault_discipline(w: World, tasks: dict[str, int]) -> None:
    """The weekly discipline report (the workbook attached) due today to N people — chairs, the secretariat, the
    Kazakh secretariat — planned by the two beats; the workers are killed right after a 250; then two scans at
    once plan it again. Each person must get one mail whose .xlsx opens, from one row per person and week. (The
    prepared tasks are cancelled first: their reminders go nowhere, and the kill lands among the reports.)"""
    from omskevents.workplan.models import Task

    from .discipline_due import discipline_off, make_discipline_due, readable_workbook

    Task.objects.filter(pk__in=tasks.values()).update(status="cancelled", status_changed_at=timezone.now())
    people = make_discipline_due(len(tasks), w.zone)
    tasks.clear()
    tasks.update(people)
    w.kind, w.by, w.mail_check = "discipline_report", "recipient_id", readable_workbook
    w.after.append(discipline_off)
    fault_worker_after_250(w, tasks)
    scans = [threading.Thread(target=_scan) for _ in range(2)]  # the report planned again, twice at once
    for scan in scans:
        scan.start()
    for scan in scans:
        scan.join()


REAL_FAULTS: tuple[tuple[str, Callable[[World, dict[str, int]], None]], ...] = (
    ("no fault: two beats, scans and sweep ticks", fault_none),
    ("workers killed right after a 250", fault_worker_after_250),
    ("PostgreSQL backends terminated after a 250", fault_pg_terminate),
    ("PostgreSQL restarted (immediate stop) after a 250", fault_pg_restart),
    ("Redis emptied (FLUSHDB) mid-delivery", fault_redis_flush),
    ("Redis killed and restarted mid-delivery", fault_redis_restart),
    ("SMTP 451 for 2 minutes (÷ factor)", fault_smtp_451),
    ("SMTP 550 for one address", fault_smtp_550),
    ("deadline moved and moved back while queued", fault_deadline_back),
    ("two reminders per person, gathered into one mail", fault_gathered),
    ("reason gone while queued (report submitted behind the outbox)", fault_reason_gone),
    ("reports awaiting acceptance: the controllers reminded, workers killed after a 250", fault_awaiting_acceptance),
    ("discipline report (.xlsx) to chairs and both secretariats, workers killed after a 250", fault_discipline),
)


def fault_names() -> list[str]:
    """The names `--only` takes: pg-restart, redis-flush, ..."""
    return [inject.__name__.removeprefix("fault_").replace("_", "-") for _label, inject in REAL_FAULTS]


def run_real(*, n: int, factor: float, out: Callable[[str], Any], only: str = "") -> bool:
    from django.core.management import call_command

    from omskevents.accounts.models import User
    from omskevents.calendars.services import calendar_seed

    call_command("migrate", verbosity=0)
    year = timezone.now().year
    calendar_seed(countries=["RU", "KZ"], years=[year - 1, year, year + 1])
    User.objects.get_or_create(username="faultrun-secretariat", defaults={"role": "secretariat", "is_staff": True})
    zone = due_zone(out)
    out(f"recipients in {zone[1]} ({zone[0]} calendar); {n} reminders per fault; time factor {factor}")
    workdir = Path(tempfile.mkdtemp(prefix="omskevents-faults-"))
    redis = RedisServer()
    redis.port = int(os.environ["FAULTRUN_REDIS_PORT"])
    redis.start()
    sink = SmtpSink().start()
    sink.delay = 0.05  # each reply held a little: every fault lands mid-delivery
    db = connection.settings_dict
    env = child_env(
        database_url=os.environ["DATABASE_URL"], redis_url=redis.url, smtp_port=sink.port,
        NOTIFY_JOURNAL_PATH=str(workdir / "journal.sqlite3"),
        NOTIFY_RETRY_BASE_SECONDS=str(60 / factor), NOTIFY_UNCERTAIN_GRACE_SECONDS=str(int(300 / factor)),
    )  # fmt: skip
    for name in ("NOTIFY_LEASE_SECONDS", "NOTIFY_REDISPATCH_SECONDS", "CELERY_TASK_TIME_LIMIT", "EMAIL_TIMEOUT"):
        env.pop(name, None)  # the defaults: leases of 30 s, redispatch after 45 s
    env.pop("CELERY_TASK_SOFT_TIME_LIMIT", None)
    os.environ["NOTIFY_JOURNAL_PATH"] = env["NOTIFY_JOURNAL_PATH"]
    workers = [WorkerProcess(env, workdir / f"worker-{i}.log") for i in (1, 2)]
    beats = [Beat(env, workdir, i) for i in (1, 2)]
    for worker in workers:
        worker.start()
    for beat in beats:
        beat.start()
    world = World(
        sink, redis, workers, zone, factor,
        admin_dsn=f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} dbname={db['NAME']} user={db['USER']}",
        timeout=600 / max(factor, 1) + 180, postgres=PostgresServer.from_env(),
    )  # fmt: skip
    faults = [
        (label, inject) for (label, inject), name in zip(REAL_FAULTS, fault_names(), strict=True) if only in ("", name)
    ]
    if world.postgres is None:
        out("PostgreSQL is shared (no server of the run's own): the restart fault is left out")
        faults = [(label, inject) for label, inject in faults if inject is not fault_pg_restart]
    rows: list[Row] = []
    out(HEADER)
    try:
        for label, inject in faults:
            sink.reset()
            rows.append(injected(world, label, n, inject))
            out(rows[-1].line())
    finally:
        for beat in beats:
            beat.stop()
        for worker in workers:
            worker.stop()
        sink.stop()
        redis.kill()
    out(f"logs: {workdir}")
    return all(r.lost == 0 and r.duplicated <= r.flagged for r in rows)
