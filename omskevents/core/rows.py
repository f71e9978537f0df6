"""Reading many plain rows fast: PostgreSQL's binary result format.

psycopg reads a result in text format by default, parsing every value from its text: a `timestamptz` costs
several microseconds each (the reminder scan's 25,000 candidate tasks, two timestamps apiece: 0.4 s of its
first run), a binary one a fraction of that. Django's cursors bind parameters on the client, which rules the
binary format out, so the rows are read through a psycopg cursor of the same connection (in the same
transaction) and the query is logged as Django's own cursor would log it.
"""

import time
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet


def values_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The tuples of a `values_list()` queryset, read in binary format on PostgreSQL (as `list(queryset)`
    elsewhere). For columns Django hands over as the driver reads them (numbers, text, dates, times): values
    that Django converts after reading (JSON, decimals on SQLite, expressions with output fields) are not
    converted here."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    return binary_rows(sql, params, using=queryset.db)


def binary_rows(sql: str, params: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
    """PostgreSQL: the rows of `sql` (with %s placeholders), its parameters bound on the server (a list of
    20,000 keys goes as one array value, not quoted into the statement's text) and the result read in binary."""
    import psycopg

    connection = connections[using]
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        # Never a named prepared statement, whatever OPTIONS' prepare_threshold says (Django's default: never):
        # nothing to go missing behind a pooler in transaction mode, each run planned for its own parameters.
        cursor.execute(sql, params, prepare=False, binary=True)
        rows = cursor.fetchall()
    if connection.queries_logged:
        shown = sql % tuple(f"<{len(p)} values>" if isinstance(p, list) else repr(p) for p in params)
        connection.queries_log.append({"sql": shown, "time": f"{time.monotonic() - started:.3f}"})
    return rows
