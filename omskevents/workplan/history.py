"""A task's change history as its page shows it: who changed what, field by field, old → new."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from simple_history.models import ModelChange

from omskevents.accounts.models import User

from .models import Task
from .selectors import tasks_visible_to


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: User | None
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[FieldChange]


def _display(task_field: Any, value: Any, names: dict[tuple[str, Any], str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):  # many-to-many: a list of through-row dicts
        labels = []
        for row in value:
            related_id = row.get(task_field.m2m_reverse_field_name()) if isinstance(row, dict) else row
            labels.append(names.get((task_field.related_model._meta.label, related_id), str(related_id)))
        return ", ".join(sorted(labels)) or "—"
    if task_field.choices:
        return str(dict(task_field.flatchoices).get(value, value))
    if task_field.is_relation:
        return names.get((task_field.related_model._meta.label, value), str(value))
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


FIELD_ORDER = {f.name: i for i, f in enumerate(Task._meta.get_fields())}
HISTORY_HIDDEN = {"updated", "created", "status_changed_at", "deadline_note"}


# The many-to-many fields the history records (co-executors, dependencies): their rows of every version are read
# in one query per field and compared here, instead of two queries per pair of versions (simple-history's own
# diff), which made a long-lived task's page slower with every change.
M2M_FIELDS = tuple(field.name for field in Task.history.model._history_m2m_fields)
DIFF_EXCLUDED = HISTORY_HIDDEN | set(M2M_FIELDS)  # what simple-history's diff leaves to the page or to _m2m_changes


def _m2m_changes(records: list[Any]) -> dict[Any, list[ModelChange]]:
    """For each version but the first, the many-to-many fields that differ from the version before, with the
    rows (dicts of the through table's fields, ordered by the related object) as simple-history gives them."""
    changes: dict[Any, list[ModelChange]] = defaultdict(list)
    if len(records) < 2:
        return changes
    for name in M2M_FIELDS:
        through = getattr(records[0], name).model
        m2m: Any = Task._meta.get_field(name)
        reverse = m2m.m2m_reverse_field_name()
        fields = [
            f.name for f in through._meta.fields if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        versions = through.objects.filter(history__in=[r.pk for r in records]).order_by(reverse)
        rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for row in versions.values("history", *fields):
            rows[row.pop("history")].append(row)
        for before, after in pairwise(records):
            if rows[before.pk] != rows[after.pk]:
                changes[after.pk].append(ModelChange(name, rows[before.pk], rows[after.pk]))
    return changes


def task_history(task: Task, *, viewer: Any) -> list[HistoryEntry]:
    """The task's change history, newest first, with each change as field: old → new (a few queries).

    A task named in the history (the parent, at any time) is shown by its number and title only if the viewer
    may see it now; otherwise as "a task you cannot see", so a link set and removed again leaks nothing."""
    records = list(task.history.select_related("history_user").order_by("history_date", "history_id"))
    m2m_changes = _m2m_changes(records)
    diffs: list[tuple[Any, list[ModelChange] | None]] = []
    previous = None
    related_ids: dict[Any, set[Any]] = {}
    for record in records:
        delta: list[ModelChange] | None = None
        if previous is not None:
            delta = [*record.diff_against(previous, excluded_fields=DIFF_EXCLUDED).changes, *m2m_changes[record.pk]]
        diffs.append((record, delta))
        previous = record
        if delta is None:
            continue
        for change in delta:
            model_field: Any = Task._meta.get_field(change.field)
            if not model_field.is_relation:
                continue
            for value in (change.old, change.new):
                if isinstance(value, list):
                    key = model_field.m2m_reverse_field_name()
                    related_ids.setdefault(model_field.related_model, set()).update(
                        row.get(key) for row in value if isinstance(row, dict)
                    )
                elif value is not None:
                    related_ids.setdefault(model_field.related_model, set()).add(value)
    names: dict[tuple[str, Any], str] = {}
    for model, ids in related_ids.items():
        if model is Task:
            hidden = str(_("a task you cannot see"))
            names.update({(Task._meta.label, pk): hidden for pk in ids})
            found: Any = tasks_visible_to(viewer).filter(pk__in=ids)
        else:
            found = model._default_manager.filter(pk__in=ids)
        for obj in found:
            names[(model._meta.label, obj.pk)] = str(obj)
    entries = []
    for record, delta in diffs:
        changes = []
        if delta is not None:
            for change in sorted(delta, key=lambda c: FIELD_ORDER.get(c.field, 0)):
                model_field = Task._meta.get_field(change.field)
                changes.append(
                    FieldChange(
                        field=str(getattr(model_field, "verbose_name", change.field)),
                        old=_display(model_field, change.old, names),
                        new=_display(model_field, change.new, names),
                    )
                )
            if not changes and not record.history_change_reason:
                continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=record.history_type,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    entries.reverse()
    return entries
