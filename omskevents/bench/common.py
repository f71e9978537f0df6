"""Pieces shared by the benchmark and the load test: a fresh database, manage.py, gunicorn."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VAR = ROOT / "var"
PY = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_database_url(label: str = "bench") -> str:
    """A fresh database for the benchmark, next to the configured one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urllib.parse.urlparse(url)
        name = (parsed.path.lstrip("/") or "omskevents") + f"_{label}"
        admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return parsed._replace(path=f"/{name}").geturl()
    path = VAR / f"{label}.sqlite3"
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


def prepared_env(label: str) -> dict[str, str]:
    """Environment for a run in its own fresh database, with production-like settings."""
    VAR.mkdir(exist_ok=True)
    env = dict(os.environ)
    env["DATABASE_URL"] = bench_database_url(label)
    env["SECRET_KEY"] = secrets.token_urlsafe(60)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["STATIC_ROOT"] = str(VAR / "bench-static")
    env.setdefault("DJANGO_SETTINGS_MODULE", "omskevents.settings.local")
    env["DEBUG"] = "off"
    # The benchmark signs in with a password to measure pages; the second factor has tests of its own.
    env["SECOND_FACTOR_ENFORCED"] = "off"
    return env


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, threads: int = 1) -> Iterator[int]:
    """gunicorn with production settings (and their defaults, persistent connections among them) on a free
    port; yields the port."""
    port = free_port()
    server_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "omskevents.settings.production",
        "SECURE_SSL_REDIRECT": "off",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(  # noqa: S603
        [PY, "-m", "gunicorn", "omskevents.wsgi", "--workers", str(workers), "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "2048", "--timeout", "60"],
        cwd=ROOT, env=server_env,
    )  # fmt: skip
    try:
        wait_for(port)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
