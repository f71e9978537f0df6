"""A throwaway PostgreSQL server of the fault run's own: restarting it harms no one else's database.

`initdb` into a temporary directory, `pg_ctl` from the newest /usr/lib/postgresql/*/bin (or PATH), a free port
on 127.0.0.1, trust authentication for the one local user `postgres`. PostgreSQL refuses to run as root, so
when the run is root the server's commands run as the `postgres` system user (`runuser -u postgres`), which
then owns the directory. `restart()` is an immediate stop (no checkpoint: crash recovery on start, as after a
power cut of the database machine) followed by a start on the same port.
"""

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .common import free_port

ENV_DIR, ENV_PORT, ENV_BIN = "FAULTRUN_PG_DIR", "FAULTRUN_PG_PORT", "FAULTRUN_PG_BIN"


def _bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4] or 0))
    if found:
        return str(Path(found[-1]).parent)
    on_path = shutil.which("pg_ctl")
    return str(Path(on_path).parent) if on_path else None


def _run_as() -> list[str]:
    """Run the server's commands as `postgres` when we are root (PostgreSQL will not run as root)."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root without runuser: cannot start a PostgreSQL server of our own")
    return [runuser, "-u", "postgres", "--"]


class PostgresServer:
    def __init__(self, *, directory: Path, port: int, bin_dir: str) -> None:
        self.directory, self.port, self.bin_dir = directory, port, bin_dir
        self.restarts = 0

    @staticmethod
    def available() -> bool:
        if _bin_dir() is None:
            return False
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return False
            return shutil.which("runuser") is not None
        return True

    @classmethod
    def create(cls) -> "PostgresServer":
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL server binaries (pg_ctl, initdb) on this machine")
        directory = Path(tempfile.mkdtemp(prefix="omskevents-pg-"))
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(directory, user.pw_uid, user.pw_gid)
        server = cls(directory=directory, port=free_port(), bin_dir=bin_dir)
        server._command(
            "initdb", "-D", str(server.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
            "--no-sync",
        )  # fmt: skip
        return server

    @classmethod
    def from_env(cls) -> "PostgresServer | None":
        """The server the parent started, for the child that runs the faults (None: the run is on a shared one)."""
        if not os.environ.get(ENV_DIR):
            return None
        return cls(directory=Path(os.environ[ENV_DIR]), port=int(os.environ[ENV_PORT]), bin_dir=os.environ[ENV_BIN])

    def env(self) -> dict[str, str]:
        return {ENV_DIR: str(self.directory), ENV_PORT: str(self.port), ENV_BIN: self.bin_dir}

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _command(self, program: str, *args: str) -> None:
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [*_run_as(), str(Path(self.bin_dir) / program), *args], capture_output=True, text=True, check=False
        )
        if done.returncode:
            raise RuntimeError(f"{program} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> "PostgresServer":
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c max_connections=100 "
            "-c shared_buffers=32MB"
        )
        self._command(
            "pg_ctl", "-D", str(self.data), "-l", str(self.directory / "server.log"), "-o", options, "-w", "-t", "60",
            "start",
        )  # fmt: skip
        return self

    def stop(self, mode: str = "fast") -> None:
        self._command("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def restart(self, *, down_seconds: float = 0.0) -> None:
        """Immediate stop (every connection cut, no checkpoint), then start again on the same port."""
        self.stop("immediate")
        time.sleep(down_seconds)
        self.start()
        self.restarts += 1

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)
