"""The whole database as a per-model fingerprint, to prove a refused request wrote nothing; and rows made once for
all the tests of a module (or a class).

`rows_state` gives, per model, the row count and the SHA-256 of every row (history tables and log entries
included) in primary key order: any changed, added or removed row changes it. On PostgreSQL one statement works
it out for every model at once; elsewhere the rows are read and hashed here.
"""

import copy
import functools
import hashlib
import json
from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import connection, models, transaction

# Sessions and login-throttling records change with every request; they are not the data under test.
VOLATILE_APPS = {"sessions", "axes"}
# The security log gains a row for every refused request and login: an intended write, tested in tests/accounts.
VOLATILE_MODELS = {"accounts.SecurityEvent"}

State = dict[str, tuple[int, str]]


def tracked_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and model._meta.app_label not in VOLATILE_APPS
        and model._meta.label not in VOLATILE_MODELS
        and isinstance(model._default_manager, models.Manager)
    ]


def _rows(model: type[models.Model], leave_out: frozenset[str]) -> models.QuerySet:
    fields = [field.attname for field in model._meta.concrete_fields if field.attname not in leave_out]
    return model._default_manager.order_by("pk").values(*fields)


def _state_in_python(leave_out: frozenset[str]) -> State:
    state = {}
    for model in tracked_models():
        rows = list(_rows(model, leave_out))
        digest = hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()
        state[model._meta.label] = (len(rows), digest)
    return state


@functools.cache
def _statement(leave_out: frozenset[str]) -> tuple[str, tuple[object, ...]]:
    """Per model: its rows (the model's own query) as JSON text in primary key order, counted and hashed. Built once:
    the models do not change while the suite runs."""
    parts, params = [], []
    for model in tracked_models():
        sql, model_params = _rows(model, leave_out).query.sql_with_params()
        # Names from the models and the ORM's own SQL; the values go as parameters.
        rows = f"string_agg(row_to_json(t)::text, E'\\n' ORDER BY t.\"{model._meta.pk.column}\")"
        digest = f"encode(sha256(convert_to(coalesce({rows}, ''), 'UTF8')), 'hex')"
        parts.append(f"SELECT %s, count(*), {digest} FROM ({sql}) t")  # noqa: S608
        params += [model._meta.label, *model_params]
    return " UNION ALL ".join(parts), tuple(params)


def rows_state(*, leave_out: frozenset[str] = frozenset()) -> State:
    """Per model: the row count and a hash of every row, without the columns named in `leave_out`."""
    if connection.vendor != "postgresql":
        return _state_in_python(leave_out)
    statement, params = _statement(leave_out)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return {label: (count, digest) for label, count, digest in cursor.fetchall()}


def changed_tables(before: State, after: State) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


def made_once(django_db_blocker, build: Callable[[], object]) -> Iterator[object]:
    """The body of a module- or class-scoped fixture: rows made once by `build`, seen by every test in its scope.

    They are made in a transaction left open until the scope's last test: each test runs in a savepoint inside it
    (pytest-django's `db`), so whatever a test writes is rolled back after it, and the rows themselves at the end,
    as Django's TestCase.setUpTestData does. Each test gets a deep copy of what `build` returned (`fresh_copy`), so
    a change one test makes to the objects in memory does not reach the next.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            made = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def fresh_copy(made: object) -> object:
    return copy.deepcopy(made)
