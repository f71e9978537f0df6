"""Load test: concurrent users reading and writing through the real pages, then a count of every write.

    python -m omskevents.bench.loadtest                     # 50 users for 120 s
    python -m omskevents.bench.loadtest --users 10 --seconds 10

Each user is a person of one of the demo agencies (an account of its own, as the demo account's agency and role)
and loops: the action plan, a task
page of its agency, then a write — a comment, a progress report, or taking an assigned task into work.
Every write that the server confirmed (a redirect back to the task) is counted and compared with the
rows in the database afterwards: a lost write is a confirmed write with no row.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from .common import VAR, gunicorn, manage, prepared_env
from .http import login

ACCOUNTS = ["mfa", "minek", "omsk-transport", "kz-pavlodar"]
PASSWORD = "omsk2026"  # noqa: S105 - the demo's password, on the load test's own database


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    comments: int = 0
    reports: int = 0
    taken_into_work: set[int] = field(default_factory=set)
    requests: int = 0


def _django(env: dict[str, str]) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omskevents.settings.local")
    import django

    django.setup()


def _counts() -> dict[str, int]:
    from omskevents.workplan.models import ProgressReport, Task, TaskComment

    return {
        "comments": TaskComment.objects.count(),
        "reports": ProgressReport.objects.count(),
        "in_progress": Task.objects.filter(status="in_progress").count(),
    }


def _people(users: int) -> list[tuple[str, str]]:
    """One account per simulated person (the sessions of one account are capped, MAX_SESSIONS_PER_USER):
    `users` people, each with the agency and role of one of the demo accounts in turn; (username, demo account)."""
    from omskevents.accounts.models import User

    people = []
    for i in range(users):
        like = User.objects.get(username=ACCOUNTS[i % len(ACCOUNTS)])
        username = f"load-{i:03d}"
        person, _ = User.objects.get_or_create(
            username=username,
            defaults={"agency": like.agency, "role": like.role, "last_name": f"Нагрузка {i}", "first_name": "Тест"},
        )
        person.set_password(PASSWORD)
        person.save()
        people.append((username, like.username))
    return people


def _visible_task_ids() -> dict[str, list[int]]:
    from omskevents.accounts.models import User
    from omskevents.workplan.selectors import tasks_visible_to

    result = {}
    for username in ACCOUNTS:
        user = User.objects.get(username=username)
        ids = list(tasks_visible_to(user).open().values_list("pk", flat=True)[:200])
        result[username] = ids
    return result


class Client:
    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookie = cookie
        self.csrf = re.search(r"csrftoken=([^;]+)", cookie).group(1)  # type: ignore[union-attr]  # the login set it

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, float]:
        """(status, the redirect's target or the body, milliseconds)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = (time.perf_counter() - start) * 1000
        conn.close()
        if 300 <= response.status < 400:
            return response.status, response.getheader("Location") or "", elapsed
        return response.status, text, elapsed


def user_loop(client: Client, task_ids: list[int], deadline: float, tally: Tally, lock: threading.Lock) -> None:
    rng = random.Random()  # noqa: S311 - load mix, not security
    while time.monotonic() < deadline:
        task = rng.choice(task_ids)
        steps: list[tuple[str, str, dict[str, str] | None, str]] = [
            ("GET", "/tasks/", None, "read"),
            ("GET", f"/tasks/{task}/", None, "read"),
        ]
        roll = rng.random()
        if roll < 0.4:
            steps.append(
                ("POST", f"/tasks/{task}/comment/", {"text": f"Нагрузочный комментарий {rng.random()}"}, "comment")
            )
        elif roll < 0.7:
            steps.append(
                ("POST", f"/tasks/{task}/report/", {"text": f"Ход исполнения: этап {rng.randint(1, 9)}"}, "report")
            )
        else:
            steps.append(("POST", f"/tasks/{task}/status/", {"status": "in_progress", "note": ""}, "status"))
        for method, path, form, kind in steps:
            try:
                status, target, ms = client.request(method, path, form)
            except OSError as error:
                with lock:
                    tally.errors.append(f"{method} {path}: {error}")
                continue
            with lock:
                tally.requests += 1
                tally.latencies.append(ms)
                # A write is confirmed by the redirect back to its task; any other redirect (to the login page,
                # say) is an error, never a confirmed write.
                back = status == 302 and urllib.parse.urlsplit(target).path == f"/tasks/{task}/"
                if status >= 500 or (kind == "read" and status != 200) or (status == 302 and not back):
                    tally.errors.append(f"{method} {path}: HTTP {status} {target[:80] if status == 302 else ''}")
                elif kind == "comment" and back:
                    tally.comments += 1
                elif kind == "report" and back:
                    tally.reports += 1
                elif kind == "status" and back:
                    tally.taken_into_work.add(task)
                elif kind == "status" and status == 400:
                    pass  # the workflow refused (the task is already further along): nothing written, by design
                elif kind in ("comment", "report"):
                    tally.errors.append(f"{method} {path}: HTTP {status}")
            time.sleep(rng.uniform(0.05, 0.3))  # a person's pause between clicks


def run(*, users: int = 50, seconds: int = 120, workers: int = 2, threads: int = 8) -> dict[str, object]:
    """Seed a fresh database, let `users` people click for `seconds`, count every write; the figures."""
    env = prepared_env("loadtest")
    backend = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "seed_demo")
    _django(env)
    task_ids = _visible_task_ids()
    people = _people(users)
    before = _counts()
    assigned_before = set(
        __import__("omskevents.workplan.models", fromlist=["Task"])
        .Task.objects.filter(status="assigned")
        .values_list("pk", flat=True)
    )

    tally = Tally()
    lock = threading.Lock()
    with gunicorn(env, workers=workers, threads=threads) as port:
        clicking = []
        for username, like in people:
            name = like
            client = Client(port, login("127.0.0.1", port, username, PASSWORD))
            deadline = time.monotonic() + seconds
            clicking.append(threading.Thread(target=user_loop, args=(client, task_ids[name], deadline, tally, lock)))
        started = time.monotonic()
        for t in clicking:
            t.start()
        for t in clicking:
            t.join()
        elapsed = time.monotonic() - started

    after = _counts()
    moved = tally.taken_into_work & assigned_before
    lost = {
        "comments": tally.comments - (after["comments"] - before["comments"]),
        "reports": tally.reports - (after["reports"] - before["reports"]),
    }
    lat = sorted(tally.latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    result = {
        "database": backend,
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": tally.requests,
        "rps": round(tally.requests / elapsed, 1),
        "p50_ms": round(q[49], 1),
        "p99_ms": round(q[98], 1),
        "errors": len(tally.errors),
        "confirmed_writes": {"comments": tally.comments, "reports": tally.reports, "taken_into_work": len(moved)},
        "rows_written": {
            "comments": after["comments"] - before["comments"],
            "reports": after["reports"] - before["reports"],
        },
        "lost_writes": sum(lost.values()),
        "first_errors": tally.errors[:10],
    }
    (VAR / "loadtest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker")
    args = parser.parse_args()
    result = run(users=args.users, seconds=args.seconds, workers=args.workers, threads=args.threads)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    raise SystemExit(1 if result["errors"] or result["lost_writes"] else 0)


if __name__ == "__main__":
    main()
