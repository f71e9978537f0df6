"""Which planned outbox rows are stored already: by their unique key (kind, item, recipient, occasion)."""

from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection

from omskevents.core.rows import binary_rows

from .models import Notification


@dataclass(frozen=True)
class StoredRow:
    pk: int
    state: str
    last_error: str
    sent: bool


def stored_notifications(keys: Collection[tuple[str, str, str, str]]) -> dict[tuple[str, str, str, str], StoredRow]:
    """The stored rows among (kind, item, recipient, occasion) keys: IN queries on the unique index.

    Items go in chunks as large as the backend takes (thousands on PostgreSQL), narrowed by occasion, so a
    scan over tens of thousands of tasks reads what it needs in a dozen queries.
    """
    wanted = set(keys)
    if connection.vendor == "postgresql":
        return _stored_by_join(wanted)
    kinds = sorted({k[0] for k in wanted})
    occasions = sorted({k[3] for k in wanted})
    items = sorted({k[1] for k in wanted})
    step = min(5000, (connection.features.max_query_params or 10_000) - len(kinds) - min(len(occasions), 500) - 1)
    found: dict[tuple[str, str, str, str], StoredRow] = {}
    for start in range(0, len(items), step):
        rows = Notification.objects.filter(kind__in=kinds, item_key__in=items[start : start + step])
        if len(occasions) <= 500:
            rows = rows.filter(occasion__in=occasions)
        for kind, item, recipient, occasion, pk, state, error, sent_at in rows.values_list(
            "kind", "item_key", "recipient_key", "occasion", "pk", "state", "last_error", "sent_at"
        ):
            key = (kind, item, recipient, occasion)
            if key in wanted:
                found[key] = StoredRow(pk=pk, state=state, last_error=error, sent=sent_at is not None)
    return found


STORED_JOIN_CHUNK = 20_000  # keys per query: four arrays of this many strings


def _stored_by_join(wanted: set[tuple[str, str, str, str]]) -> dict[tuple[str, str, str, str], StoredRow]:
    """PostgreSQL: the keys as four arrays joined to the unique index — only the rows asked for come back."""
    sql = (  # the model's own table name, not input
        "SELECT n.kind, n.item_key, n.recipient_key, n.occasion, n.id, n.state, n.last_error, n.sent_at"  # noqa: S608
        " FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) AS k(kind, item_key, recipient_key, occasion)"
        f" JOIN {Notification._meta.db_table} n USING (kind, item_key, recipient_key, occasion)"
    )
    found: dict[tuple[str, str, str, str], StoredRow] = {}
    keys = list(wanted)
    for start in range(0, len(keys), STORED_JOIN_CHUNK):
        chunk = keys[start : start + STORED_JOIN_CHUNK]
        # Bound on the server: four array values, not 80,000 strings quoted into the statement.
        for kind, item, recipient, occasion, pk, state, error, sent_at in binary_rows(
            sql, [[k[i] for k in chunk] for i in range(4)]
        ):
            found[(kind, item, recipient, occasion)] = StoredRow(
                pk=pk, state=state, last_error=error, sent=sent_at is not None
            )
    return found


def stored_notification_keys(keys: Collection[tuple[str, str, str, str]]) -> set[tuple[str, str, str, str]]:
    """Which (kind, item, recipient, occasion) keys are stored already."""
    return set(stored_notifications(keys))
