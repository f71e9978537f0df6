"""The action plan's table row, written in Python: the hottest markup of the app.

A page nobody asked before renders the rows it has not cached yet (omskevents.core.cache.cached_rows): through
Django's template engine that cost about 0.6 ms a row, the larger part of such a page; this function writes the
same markup (cell by cell as templates/workplan/_task_rows.html did) in a few dozen microseconds. Every value is
escaped by format_html; the texts are the catalogue's. Changing the markup: bump ROW_LAYOUT in
workplan/views.py, so that rows cached under the old one are never served.

On a wide screen a table row; on a phone (tasks.css) a card: number and status, the title, the deadline with its
state, then who does it — the labels in data-label are shown only there.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from .models import Task

ROW_CLASSES = {"overdue": " status-overdue table-danger", "due_soon": " status-due-soon table-warning"}

# Per language: the row's fixed texts and the labels of its two choice fields. Django's get_FOO_display() builds
# and hashes the whole translated choice list on every call (most of a row's cost); these are built once.
_TEXTS: dict[str, dict[str, str]] = {}
_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def _texts() -> dict[str, str]:
    language = get_language() or ""
    texts = _TEXTS.get(language)
    if texts is None:
        texts = {
            "number": gettext("No."),
            "lead": gettext("Lead executor"),
            "co": gettext("Co-executors"),
            "responsible": gettext("Responsible"),
            "deadline": gettext("Deadline"),
            "overdue": gettext("Overdue"),
            "due_soon": gettext("Due soon"),
        }
        _TEXTS[language] = texts
    return texts


def _label(field: str, value: str) -> str:
    key = (field, get_language() or "")
    labels = _LABELS.get(key)
    if labels is None:
        choices = getattr(Task._meta.get_field(field), "flatchoices", ())
        labels = {str(code): str(label) for code, label in choices}
        _LABELS[key] = labels
    return labels.get(value, value)


def _short(obj: object) -> str:
    return "" if obj is None else str(getattr(obj, "localized_short_name", obj))


def _flag(state: str, texts: dict[str, str]) -> SafeString:
    if state == "overdue":
        return format_html('<span class="badge text-bg-danger deadline-flag">{}</span>', texts["overdue"])
    if state == "due_soon":
        return format_html('<span class="badge text-bg-warning deadline-flag">{}</span>', texts["due_soon"])
    return mark_safe("")


def task_row(task: Task, state: str, *, can_manage: bool) -> str:
    """One row of the plan: `state` is the deadline's ("overdue", "due_soon" or ""), `can_manage` adds the
    checkbox of the bulk form. The task comes with its event, lead, responsible and co-executors loaded."""
    texts = _texts()
    select = ""
    if can_manage:
        label = gettext("Select “%(title)s”") % {"title": Truncator(task.title).chars(60)}
        select = format_html(
            '<td class="cell-select"><input class="form-check-input" type="checkbox" name="id" value="{}"'
            ' id="select-{}" aria-label="{}"></td>',
            task.pk,
            task.pk,
            label,
        )
    co = task.co_executors.all()
    co_html = format_html_join(", ", "{}", ((_short(a),) for a in co)) if co else "—"
    return format_html(
        '<tr class="task-row{}" data-task="{}">{}'
        '<td class="cell-number" data-label="{}">{}</td>'
        '<td class="cell-task"><a class="task-title" href="{}">{}</a>'
        '<div class="task-meta small text-body-secondary">{} · {}</div></td>'
        '<td class="cell-lead" data-label="{}">{}</td>'
        '<td class="cell-co" data-label="{}">{}</td>'
        '<td class="cell-resp" data-label="{}">{}</td>'
        '<td class="cell-deadline" data-label="{}"><span class="deadline-date">{}</span> {}</td>'
        '<td class="cell-status"><span class="badge status-badge status-badge-{}">{}</span></td>'
        "</tr>",
        ROW_CLASSES.get(state, ""),
        task.pk,
        select,
        texts["number"],
        task.number or "—",
        task.get_absolute_url(),
        task.title,
        _short(task.event),
        _label("area", task.area),
        texts["lead"],
        _short(task.lead_agency),
        texts["co"],
        co_html,
        texts["responsible"],
        task.responsible or "—",
        texts["deadline"],
        f"{task.deadline:%d.%m.%Y}" if task.deadline else "",
        _flag(state, texts),
        task.status,
        _label("status", task.status),
    )
