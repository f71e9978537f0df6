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
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from .http import LoadResult, load, login

ROOT = Path(__file__).resolve().parent.parent.parent
VAR = ROOT / "var"
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_database_url() -> str:
    """A fresh database for the benchmark, next to the configured one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urllib.parse.urlparse(url)
        name = (parsed.path.lstrip("/") or "omskevents") + "_bench"
        admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return parsed._replace(path=f"/{name}").geturl()
    path = VAR / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not start")


def web_benchmarks(env: dict[str, str], seconds: int, connections: int) -> dict[str, object]:
    port = free_port()
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "omskevents.settings.production",
        "SECURE_SSL_REDIRECT": "off",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(  # noqa: S603
        [PY, "-m", "gunicorn", "omskevents.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--backlog", "2048"],
        cwd=ROOT, env=server_env,
    )  # fmt: skip
    try:
        wait_for(port)
        cookie = login("127.0.0.1", port, "secretariat", "omsk2026")
        pages = {
            "minimal page (/healthz)": "/healthz",
            "task list (/tasks/)": "/tasks/",
            "dashboard (/)": "/",
            "admin task changelist": "/admin/workplan/task/",
        }
        results: dict[str, LoadResult] = {}
        for label, path in pages.items():
            load("127.0.0.1", port, path, cookie, 2, 4)  # warm-up: imports, caches, connections
            results[label] = load("127.0.0.1", port, path, cookie, seconds, connections)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    ceiling = results["minimal page (/healthz)"].rps
    admin = results["admin task changelist"].rps
    rows = {}
    for label, r in results.items():
        rows[label] = {
            "path": r.path, "requests": r.requests, "errors": r.errors, "rps": round(r.rps, 1),
            "p50_ms": round(r.p50_ms, 1), "p99_ms": round(r.p99_ms, 1),
            "ratio_to_minimal": round(r.rps / ceiling, 3) if ceiling else None,
            "ratio_to_admin": round(r.rps / admin, 2) if admin else None, "client": r.client,
        }  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", action="store_true", help="small sizes, for CI")
    parser.add_argument("--tasks", type=int, default=None)
    parser.add_argument("--seconds", type=int, default=None, help="load duration per page")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    tasks = args.tasks if args.tasks is not None else (300 if args.small else 10_000)
    seconds = args.seconds if args.seconds is not None else (2 if args.small else 15)

    VAR.mkdir(exist_ok=True)
    env = dict(os.environ)
    env["DATABASE_URL"] = bench_database_url()
    env["SECRET_KEY"] = secrets.token_urlsafe(60)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["STATIC_ROOT"] = str(VAR / "bench-static")
    env.setdefault("DJANGO_SETTINGS_MODULE", "omskevents.settings.local")
    env["DEBUG"] = "off"

    backend = "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite"
    print(f"database: {backend}; broker: {'redis' if env.get('REDIS_URL') else 'filesystem'}")
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "seed_demo")
    seeded = time.monotonic()
    manage(env, "seed_demo", "--tasks", str(max(tasks - 60, 0)))
    bulk_seconds = time.monotonic() - seeded
    print(f"seeded in {time.monotonic() - started:.1f} s (bulk part: {bulk_seconds:.1f} s)")

    report: dict[str, object] = {
        "database": backend,
        "tasks": tasks,
        "seconds_per_page": seconds,
        "connections": args.connections,
        "seed_bulk_seconds": round(bulk_seconds, 2),
        "web": web_benchmarks(env, seconds, args.connections),
    }

    print()
    print(f"{'page':<28} {'rps':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'x minimal':>10} {'x admin':>8}")
    for label, row in report["web"].items():  # type: ignore[union-attr]
        print(
            f"{label:<28} {row['rps']:>8} {row['p50_ms']:>8} {row['p99_ms']:>8} {row['errors']:>7} "
            f"{row['ratio_to_minimal']:>10} {row['ratio_to_admin']:>8}"
        )
    out = VAR / "bench.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
