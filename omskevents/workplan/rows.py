"""The action plan's table row, written in Python: the hottest markup of the app.

A page nobody asked before renders the rows it has not cached yet (omskevents.core.cache.cached_rows): through
Django's template engine that cost about 0.6 ms a row, the larger part of such a page; this function writes the
same markup (cell by cell as templates/workplan/_task_rows.html did) in a few dozen microseconds, from the task's
own columns and the names read once per names version (task_table_rows, row_names). Every value from the
database is escaped with django.utils.html.escape; the texts are the catalogue's. Changing the markup: bump
ROW_LAYOUT in workplan/views.py, so that rows cached under the old one are never served.

On a wide screen a table row; on a phone (tasks.css) a card: number and status, the title, the deadline with its
state, then who does it — the labels in data-label are shown only there.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import F
from django.db.models import Value as V
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from omskevents.accounts.models import User
from omskevents.agencies.models import Agency
from omskevents.core.cache import cached_value
from omskevents.events.models import Event

from .models import Task

# The data of rows --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowTask:
    """What a row of the action plan shows of a task: its own columns and the ids of what it names."""

    pk: int
    number: str
    title: str
    area: str
    deadline: dt.date | None
    status: str
    event_id: int
    lead_agency_id: int
    responsible_id: int | None
    co_executor_ids: tuple[int, ...]


@dataclass(frozen=True)
class RowNames:
    """The names a row of the plan shows, in one language: events' and agencies' short names, people's names."""

    events: dict[int, str]
    agencies: dict[int, str]
    people: dict[int, str]


def task_table_rows(ids: Sequence[int]) -> dict[int, RowTask]:
    """The tasks with `ids` as a row of the plan shows them (two queries: the tasks' own columns, and their
    co-executors in the agencies' order). The names come from `row_names`, read once per names version."""
    ids = list(ids)
    co: dict[int, list[int]] = {}
    pairs = (
        Task.co_executors.through.objects.filter(task_id__in=ids)
        .order_by("agency__short_name", "agency_id")
        .values_list("task_id", "agency_id")
    )
    for task_id, agency_id in pairs:
        co.setdefault(task_id, []).append(agency_id)
    columns = Task.objects.filter(pk__in=ids).values_list(
        "id", "number", "title", "area", "deadline", "status", "event_id", "lead_agency_id", "responsible_id"
    )
    return {row[0]: RowTask(*row, co_executor_ids=tuple(co.get(row[0], ()))) for row in columns}


def row_names() -> RowNames:
    """Every event, agency and person a row may name, in the active language: read once per names version
    (core.cache: any save of an agency, a person or an event makes a new one) and language."""

    def read() -> RowNames:
        # One query for the three tables; the names are worked out by the models' own rules (localized short
        # names, a person's full name or login) on unsaved instances holding just those columns.
        found: RowNames = RowNames(events={}, agencies={}, people={})
        columns = ("id", "a", "b", "c", "d")
        events = Event.objects.annotate(a=F("short_title"), b=F("short_title_kk"), c=F("short_title_en"), d=V(""))
        agencies = Agency.objects.annotate(a=F("short_name"), b=F("short_name_kk"), c=F("short_name_en"), d=V(""))
        people = User.objects.annotate(a=F("last_name"), b=F("first_name"), c=F("patronymic"), d=F("username"))
        union = (
            events.order_by()
            .values_list(V("e"), *columns)
            .union(
                agencies.order_by().values_list(V("a"), *columns),
                people.order_by().values_list(V("u"), *columns),
                all=True,
            )
        )
        for table, pk, a, b, c, d in union:
            if table == "e":
                found.events[pk] = Event(id=pk, short_title=a, short_title_kk=b, short_title_en=c).localized_short_name
            elif table == "a":
                found.agencies[pk] = Agency(id=pk, short_name=a, short_name_kk=b, short_name_en=c).localized_short_name
            else:
                found.people[pk] = str(User(id=pk, last_name=a, first_name=b, patronymic=c, username=d))
        return found

    names: RowNames = cached_value(("plan-row-names", get_language()), read)
    return names


# The markup of a row -----------------------------------------------------------------------------------------

ROW_CLASSES = {"overdue": " status-overdue table-danger", "due_soon": " status-due-soon table-warning"}

# Per language: the row's fixed texts and the labels of its two choice fields. Django's get_FOO_display() builds
# and hashes the whole translated choice list on every call (most of a row's cost); these are built once.
_TEXTS: dict[str, dict[str, str]] = {}
_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def _texts() -> dict[str, str]:
    language = get_language() or ""
    texts = _TEXTS.get(language)
    if texts is None:
        texts = {  # escaped once: they go into the markup as they are
            "number": escape(gettext("No.")),
            "lead": escape(gettext("Lead executor")),
            "co": escape(gettext("Co-executors")),
            "responsible": escape(gettext("Responsible")),
            "deadline": escape(gettext("Deadline")),
            "overdue": escape(gettext("Overdue")),
            "due_soon": escape(gettext("Due soon")),
        }
        _TEXTS[language] = texts
    return texts


def _label(field: str, value: str) -> str:
    """The choice's label in the active language, escaped."""
    key = (field, get_language() or "")
    labels = _LABELS.get(key)
    if labels is None:
        choices = getattr(Task._meta.get_field(field), "flatchoices", ())
        labels = {str(code): escape(label) for code, label in choices}
        _LABELS[key] = labels
    return labels.get(value) or escape(value)


_URLS: dict[str, tuple[str, str]] = {}
_PK_MARK = "8642097531"


def _task_url(pk: int) -> str:
    """The task page's address, reversed once per script prefix (a reverse() per row cost a tenth of a row)."""
    prefix = get_script_prefix()
    parts = _URLS.get(prefix)
    if parts is None:
        head, _mark, tail = reverse("workplan:task_detail", args=[int(_PK_MARK)]).partition(_PK_MARK)
        parts = _URLS[prefix] = (head, tail)
    return f"{parts[0]}{pk}{parts[1]}"


def _flag(state: str, texts: dict[str, str]) -> str:
    if state == "overdue":
        return f'<span class="badge text-bg-danger deadline-flag">{texts["overdue"]}</span>'
    if state == "due_soon":
        return f'<span class="badge text-bg-warning deadline-flag">{texts["due_soon"]}</span>'
    return ""


def task_row(task: RowTask, names: RowNames, state: str, *, can_manage: bool) -> str:
    """One row of the plan: `state` is the deadline's ("overdue", "due_soon" or ""), `can_manage` adds the
    checkbox of the bulk form. Every value from the database is escaped here; the fixed texts are escaped once."""
    texts = _texts()
    select = ""
    if can_manage:
        title = task.title if len(task.title) <= 60 else Truncator(task.title).chars(60)
        label = escape(gettext("Select “%(title)s”") % {"title": title})
        select = (
            f'<td class="cell-select"><input class="form-check-input" type="checkbox" name="id" value="{task.pk}"'
            f' id="select-{task.pk}" aria-label="{label}"></td>'
        )
    agencies = names.agencies
    co_html = ", ".join(escape(agencies.get(pk, "")) for pk in task.co_executor_ids) or "—"
    responsible = names.people.get(task.responsible_id, "") if task.responsible_id is not None else ""
    return (
        f'<tr class="task-row{ROW_CLASSES.get(state, "")}" data-task="{task.pk}">{select}'
        f'<td class="cell-number" data-label="{texts["number"]}">{escape(task.number or "—")}</td>'
        f'<td class="cell-task"><a class="task-title" href="{escape(_task_url(task.pk))}">{escape(task.title)}</a>'
        f'<div class="task-meta small text-body-secondary">{escape(names.events.get(task.event_id, ""))} · '
        f"{_label('area', task.area)}</div></td>"
        f'<td class="cell-lead" data-label="{texts["lead"]}">{escape(agencies.get(task.lead_agency_id, ""))}</td>'
        f'<td class="cell-co" data-label="{texts["co"]}">{co_html}</td>'
        f'<td class="cell-resp" data-label="{texts["responsible"]}">{escape(responsible or "—")}</td>'
        f'<td class="cell-deadline" data-label="{texts["deadline"]}"><span class="deadline-date">'
        f"{f'{task.deadline:%d.%m.%Y}' if task.deadline else ''}</span> {_flag(state, texts)}</td>"
        f'<td class="cell-status"><span class="badge status-badge status-badge-{escape(task.status)}">'
        f"{_label('status', task.status)}</span></td>"
        "</tr>"
    )
