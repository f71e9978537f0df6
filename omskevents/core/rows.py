"""Reading many plain rows fast: PostgreSQL's binary result format.

psycopg reads a result in text format by default, parsing every value from its text: a `timestamptz` costs
several microseconds each (the reminder scan's 25,000 candidate tasks, two timestamps apiece: 0.4 s of its
first run), a binary one a fraction of that. Django's cursors bind parameters on the client, which rules the
binary format out, so the rows are read through a psycopg cursor of the same connection (in the same
transaction) and the query is logged as Django's own cursor would log it.
"""

import time
from typing import Any

from django.db import connections
from django.db.models import QuerySet


def values_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The tuples of a `values_list()` queryset, read in binary format on PostgreSQL (as `list(queryset)`
    elsewhere). For columns Django hands over as the driver reads them (numbers, text, dates, times): values
    that Django converts after reading (JSON, decimals on SQLite, expressions with output fields) are not
    converted here."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset)
    import psycopg

    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        rows = cursor.fetchall()
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql % tuple(params), "time": f"{time.monotonic() - started:.3f}"})
    return rows
