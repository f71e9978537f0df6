"""Run the benchmarks and write var/bench.json.

    python -m omskevents.bench                 # full size: 10,000 tasks, 100,000 for the scan
    python -m omskevents.bench --small         # CI: small sizes, just proves the benchmark works

It uses PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set (in a database of its own, created
fresh next to the one named), SQLite under var/ otherwise. The pages are served by gunicorn with two
workers and production settings and loaded with 16 concurrent connections; every page is compared with
/healthz, a minimal Django page served by the same server in the same run.
"""

import argparse
import json
import subprocess
import time
from typing import Any

from .common import PY, ROOT, VAR, gunicorn, manage, prepared_env
from .http import LoadResult, load, login, plan_variants, visit
from .mail import broker_label, delivery_benchmark, morning_benchmark, scan_benchmark


def web_benchmarks(env: dict[str, str], seconds: int, connections: int, tasks: int) -> dict[str, object]:
    # label: (path, user, every request a cache miss by a far "due to" date?, query strings walked in turn)
    variants = plan_variants(tasks)
    half = len(variants) // 2
    pages: dict[str, tuple[str, str, bool, list[str] | None]] = {
        "minimal page (/healthz)": ("/healthz", "secretariat", False, None),
        "task list (/tasks/)": ("/tasks/", "secretariat", False, None),
        "task list, page x sort x status": ("/tasks/", "secretariat", False, variants),
        "the same, every row cached": ("/tasks/", "secretariat", False, variants[half:] + variants[:half]),
        "dashboard (/)": ("/", "secretariat", False, None),
        "admin task changelist": ("/admin/workplan/task/", "secretariat", False, None),
        "admin changelist, ministry": ("/admin/workplan/task/", "mfa", False, None),
    }
    results: dict[str, LoadResult] = {}
    with gunicorn(env) as port:
        cookies = {user: login("127.0.0.1", port, user, "omsk2026") for user in ("secretariat", "mfa")}
        for label, (path, user, unique, walk) in pages.items():
            cookie = cookies[user]
            if label == "the same, every row cached":
                # Every task's row rendered once, through pages the measured walk never asks (a far "due to"
                # date keeps every task in and makes every page key new): the state after a day of use.
                pages_of_plan = -(-tasks // 50)
                visit(
                    "127.0.0.1",
                    port,
                    path,
                    cookie,
                    [f"due_to=2100-01-01&page={n}" for n in range(1, pages_of_plan + 1)],
                )
            # warm-up: imports, caches, connections (for the walk, with far "due to" dates it never asks)
            load("127.0.0.1", port, path, cookie, 2, 4, unique=unique or bool(walk))
            results[label] = load("127.0.0.1", port, path, cookie, seconds, connections, unique=unique, variants=walk)
    ceiling = results["minimal page (/healthz)"].rps
    admin = results["admin task changelist"].rps
    rows: dict[str, object] = {}
    for label, r in results.items():
        rows[label] = {
            "path": r.path, "requests": r.requests, "errors": r.errors, "rps": round(r.rps, 1),
            "p50_ms": round(r.p50_ms, 1), "p99_ms": round(r.p99_ms, 1),
            "ratio_to_minimal": round(r.rps / ceiling, 3) if ceiling else None,
            "ratio_to_admin": round(r.rps / admin, 2) if admin else None, "client": r.client,
        }  # fmt: skip
    return rows


def print_mail(report: dict[str, Any]) -> None:
    scan, delivery, morning = report.get("scan"), report.get("delivery"), report.get("morning")
    if scan:
        print(f"reminder scan over {scan['open_tasks']:,} open tasks at {scan['moment']}", end="")
        print(f" ({scan['candidates']:,} near or past their deadline):")
        for label, run in (("first scan", scan["first"]), ("repeat scan", scan["repeat"])):
            print(
                f"  {label:<12} {run['seconds']:>7.3f} s {run['created']:>7,} rows created "
                f"{run['dispatched']:>4} dispatched {run['queries']:>5} queries"
            )
    if delivery:
        worker, raw = delivery["worker"], delivery["smtplib"]
        print(f"reminder delivery, {delivery['mails']:,} mails to a local SMTP server, broker {report['broker']}:")
        print(f"  worker ({worker['pool']}) {worker['emails_per_s']:>8} emails/s ({worker['seconds']} s)")
        print(f"  smtplib, one connection     {raw['emails_per_s']:>8} emails/s ({raw['seconds']} s)")
        print(f"  ratio                       {delivery['ratio']:>8}")
    if morning:
        print(
            f"a morning of {morning['mails']:,} reminders due at once, {morning['workers']}: all sent in "
            f"{morning['seconds']} s ({morning['emails_per_s']} emails/s, {morning['duplicates']} duplicates)"
        )
    if scan or delivery or morning:
        print()


def count_queries(env: dict[str, str]) -> dict[str, int]:
    """Queries per page in a process of its own (omskevents/bench/queries.py), production settings."""
    child_env = {**env, "DJANGO_SETTINGS_MODULE": "omskevents.settings.production", "SECURE_SSL_REDIRECT": "off"}
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [PY, "-m", "omskevents.bench.queries"], cwd=ROOT, env=child_env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"bench.queries failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def load_test(users: int, seconds: int) -> dict[str, Any]:
    """The project's load test (omskevents/bench/loadtest.py) in a process and a database of its own."""
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [PY, "-m", "omskevents.bench.loadtest", "--users", str(users), "--seconds", str(seconds)],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    result = json.loads((VAR / "loadtest.json").read_text())
    if done.returncode and not (result.get("errors") or result.get("lost_writes")):
        raise SystemExit(f"load test failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return dict(result)


def vacuum_analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def print_targets(report: dict[str, Any]) -> None:
    """The issue's table: each figure of this run beside its target."""
    web, scan, delivery = report.get("web", {}), report.get("scan"), report.get("delivery")
    loadtest, queries = report.get("loadtest"), report.get("queries")
    lines: list[tuple[str, str, str]] = []
    if web:
        miss, warm = web["task list, page x sort x status"], web["the same, every row cached"]
        plan, dash = web["task list (/tasks/)"], web["dashboard (/)"]
        admin, ministry = web["admin task changelist"], web["admin changelist, ministry"]
        plan_ratios = f"{plan['ratio_to_minimal']} / {dash['ratio_to_minimal']}"
        admin_p99 = f"{admin['p99_ms']} / {ministry['p99_ms']} ms"
        lines += [
            ("plan, every request a page-cache miss, rps / bare page", f"{miss['ratio_to_minimal']}", ">= 0.15"),
            ("the same, every row cached", f"{warm['ratio_to_minimal']}", ">= 0.15"),
            ("plan and dashboard, cache warm, rps / bare page", plan_ratios, ">= 0.30"),
            ("admin task changelist p99, secretariat / ministry", admin_p99, "< 250 ms"),
        ]
    if loadtest:
        figure = f"load test, {loadtest['users']} users, p99 / errors / lost writes"
        value = f"{loadtest['p99_ms']} ms / {loadtest['errors']} / {loadtest['lost_writes']}"
        lines.append((figure, value, "< 300 ms / 0 / 0"))
    if queries:
        small, large = queries["demo"], queries["full"]
        figure = f"queries per page at {report['tasks']:,} tasks / demo size:"
        lines.append((figure, "", "equal, <= 10"))
        lines += [(f"  {page}", f"{large[page]} / {small[page]}", "") for page in large]
    if scan:
        scans = f"{scan['first']['seconds']} / {scan['repeat']['seconds']} s"
        lines.append(("reminder scan, first / repeat", scans, "< 1 s / < 0.2 s"))
    if delivery:
        lines.append(("delivery through the worker / raw smtplib", f"{delivery['ratio']}", ">= 0.5"))
    if lines:
        print(f"{'figure':<56} {'this run':>22} {'target':>16}")
        for figure, value, target in lines:
            print(f"{figure:<56} {value:>22} {target:>16}")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="small sizes, for CI")
    parser.add_argument("--tasks", type=int, default=None)
    parser.add_argument("--seconds", type=int, default=None, help="load duration per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scan-tasks", type=int, default=None, help="open tasks for the reminder scan")
    parser.add_argument("--mails", type=int, default=None, help="mails for the delivery benchmark")
    parser.add_argument("--morning", type=int, default=None, help="reminders due at once for the morning (12,000)")
    parser.add_argument("--only", choices=["web", "mail", "load"], default=None, help="run one part only")
    parser.add_argument("--users", type=int, default=None, help="load test users (50)")
    parser.add_argument("--load-seconds", type=int, default=None, help="load test duration (120 s)")
    parser.add_argument("--profile-scan", action="store_true", help="pyinstrument profile: var/bench-scan-profile.*")
    args = parser.parse_args()
    tasks = args.tasks if args.tasks is not None else (300 if args.small else 10_000)
    seconds = args.seconds if args.seconds is not None else (2 if args.small else 15)
    scan_tasks = args.scan_tasks if args.scan_tasks is not None else (2_000 if args.small else 100_000)
    mails = args.mails if args.mails is not None else (50 if args.small else 1_000)
    morning = args.morning if args.morning is not None else (200 if args.small else 12_000)
    users = args.users if args.users is not None else (10 if args.small else 50)
    load_seconds = args.load_seconds if args.load_seconds is not None else (5 if args.small else 120)

    if args.only == "load":  # the load test seeds a database of its own
        report: dict[str, Any] = {"loadtest": load_test(users, load_seconds)}
        print_targets(report)
        print(json.dumps(report["loadtest"], indent=2, ensure_ascii=False))
        return

    env = prepared_env("bench")

    backend = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    print(f"database: {backend}; broker: {broker_label(env)}")
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "seed_demo")
    queries_demo = count_queries(env) if args.only in (None, "web") else {}
    seeded = time.monotonic()
    manage(env, "seed_demo", "--tasks", str(max(tasks - 60, 0)))
    bulk_seconds = time.monotonic() - seeded
    if backend == "postgresql":
        # What autovacuum does within minutes of a bulk load: statistics for the planner and the visibility map
        # that lets the plan's deep pages be index-only scans. Measuring before it would measure the seeding.
        vacuum_analyze(env["DATABASE_URL"])
    queries_full = count_queries(env) if queries_demo else {}
    print(f"seeded in {time.monotonic() - started:.1f} s (bulk part: {bulk_seconds:.1f} s)")

    report = {
        "database": backend,
        "tasks": tasks,
        "seconds_per_page": seconds,
        "connections": args.connections,
        "seed_bulk_seconds": round(bulk_seconds, 2),
        "broker": broker_label(env),
    }
    if queries_demo:
        report["queries"] = {"demo": queries_demo, "full": queries_full}
    if args.only in (None, "web"):
        report["web"] = web_benchmarks(env, seconds, args.connections, tasks)
    if args.only in (None, "load"):
        report["loadtest"] = load_test(users, load_seconds)
    if args.only in (None, "mail"):
        report["scan"] = scan_benchmark(env, open_tasks=scan_tasks, profile=args.profile_scan)
        report["delivery"] = delivery_benchmark(env, mails=mails)
        report["morning"] = morning_benchmark(env, mails=morning)

    print()
    print_targets(report)
    print_mail(report)
    if "web" in report:
        print(f"{'page':<32} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x minimal':>10} {'x admin':>8}")
    for label, row in report.get("web", {}).items():
        print(
            f"{label:<32} {row['rps']:>8} {row['p50_ms']:>8} {row['p99_ms']:>8} {row['errors']:>7} "
            f"{row['ratio_to_minimal']:>10} {row['ratio_to_admin']:>8}"
        )
    out = VAR / "bench.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
