"""values_rows: the rows of a values_list queryset, read in binary format on PostgreSQL, equal to Django's own."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from omskevents.core.rows import values_rows
from omskevents.workplan.models import Task
from tests.factories.workplan import TaskFactory

pytestmark = pytest.mark.django_db


def test_the_rows_are_those_django_reads_with_their_types():
    for n in range(3):
        TaskFactory(deadline=dt.date(2026, 5, 10 + n), **({"responsible": None} if n == 1 else {}))
    Task.objects.filter(pk=Task.objects.order_by("pk").first().pk).update(status_changed_at=None)
    queryset = Task.objects.order_by("pk").values_list(
        "id", "created", "deadline", "status", "status_changed_at", "responsible_id", "title"
    )
    with CaptureQueriesContext(connection) as queries:
        rows = values_rows(queryset)
    assert rows == list(queryset)
    assert [tuple(type(v) for v in row) for row in rows] == [tuple(type(v) for v in row) for row in queryset]
    assert rows[0][1].utcoffset() == dt.timedelta(0)  # aware, as Django reads it
    assert len(queries.captured_queries) == 1


def test_a_failing_query_is_django_s_error_and_breaks_the_transaction_as_django_s_would():
    TaskFactory()
    queryset = Task.objects.extra(select={"bad": "no_such_column"}).values_list("id", "bad")
    with pytest.raises(DatabaseError), transaction.atomic():
        values_rows(queryset)
    assert Task.objects.count() == 1  # the connection is usable after the atomic block rolled back


def test_a_query_run_again_and_again_is_never_prepared_on_the_server():
    """Even where the database OPTIONS ask psycopg to prepare queries run often (Django's default asks never):
    a named prepared statement breaks behind a pooler in transaction mode."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements: PostgreSQL only")
    TaskFactory()
    queryset = Task.objects.order_by("pk").values_list("id", "deadline")
    connection.ensure_connection()
    driver = connection.connection
    threshold, driver.prepare_threshold = driver.prepare_threshold, 0  # prepare from the first run
    try:
        for _ in range(3):
            assert values_rows(queryset) == list(queryset)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            assert cursor.fetchone() == (0,)
    finally:
        driver.prepare_threshold = threshold
