"""The fault run's own PostgreSQL server (omskevents/bench/pgserver.py): made, restarted with every connection cut,
reachable again on the same port, and removed; and `--only` names each fault of the run."""

import subprocess
import sys

import psycopg
import pytest

from omskevents.bench.faults import REAL_FAULTS, fault_names, fault_pg_restart
from omskevents.bench.pgserver import PostgresServer

pytestmark = pytest.mark.slow


def test_the_run_restarts_a_server_of_its_own_and_connections_come_back():
    if not PostgresServer.available():
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    server = PostgresServer.create().start()
    try:
        with psycopg.connect(server.url(), autocommit=True) as before:
            before.execute("CREATE TABLE kept (n int)")
            before.execute("INSERT INTO kept VALUES (1)")
            server.restart()
            with pytest.raises(psycopg.OperationalError):
                before.execute("SELECT 1")
        with psycopg.connect(server.url(), autocommit=True) as after:
            assert after.execute("SELECT n FROM kept").fetchall() == [(1,)]
        assert server.restarts == 1
    finally:
        server.destroy()
    assert not server.directory.exists()


def test_only_names_each_fault_and_refuses_others():
    names = fault_names()
    assert len(names) == len(REAL_FAULTS) == len(set(names))
    assert names[[inject for _label, inject in REAL_FAULTS].index(fault_pg_restart)] == "pg-restart"
    done = subprocess.run(
        [sys.executable, "-m", "omskevents.bench.faultrun", "--only", "no-such-fault"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--only takes one of: none, worker-after-250, pg-terminate, pg-restart" in done.stderr
