"""The host's delivery journal opened at the same moment by several threads or processes (two beats' scans and
the workers of one host starting together): each gets it, none is told the file is locked.

A scan thread of the two-node test once died on "database is locked" while turning the journal to WAL, the suite's
other processes using the same file; these checks did not make the former code fail on this machine, and stand as
the guarantee the fix (one connection per process, the WAL turn retried) gives."""

import multiprocessing
import threading

import pytest

from omskevents.notifications import journal


def _open_at_once(barrier, path: str) -> None:
    from django.conf import settings

    settings.NOTIFY_JOURNAL_PATH = path
    barrier.wait()
    journal.pending()  # opens this process's connection: WAL, the schema, then a read


@pytest.mark.parametrize("round_", range(5))
def test_threads_opening_a_new_journal_together_all_get_it(tmp_path, settings, round_):
    settings.NOTIFY_JOURNAL_PATH = str(tmp_path / "journal.sqlite3")
    barrier = threading.Barrier(8)
    failures: list[BaseException] = []

    def open_it() -> None:
        barrier.wait()
        try:
            journal.pending()
        except Exception as error:  # noqa: BLE001 - what each thread met is the finding
            failures.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []


@pytest.mark.parametrize("round_", range(3))
def test_processes_opening_a_new_journal_together_all_get_it(tmp_path, round_):
    context = multiprocessing.get_context("fork")
    path = str(tmp_path / "journal.sqlite3")
    barrier = context.Barrier(8)
    children = [context.Process(target=_open_at_once, args=(barrier, path)) for _ in range(8)]
    for child in children:
        child.start()
    for child in children:
        child.join(30)
    assert [child.exitcode for child in children] == [0] * 8
