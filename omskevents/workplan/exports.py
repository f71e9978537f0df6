"""The action plan as an Excel workbook and as CSV, in the columns officials use for a plan."""

import csv
import datetime as dt
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import Task
from .selectors import task_deadline_state

# A spreadsheet treats a cell starting with these as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE = "План"
OVERDUE_FILL = PatternFill(fill_type="solid", start_color="FFF8D7DA", end_color="FFF8D7DA")
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9E2F3", end_color="FFD9E2F3")
WIDTHS = (8, 60, 30, 30, 12, 22, 50, 24)
CO_EXECUTOR_SEPARATOR = "\n"


def headers() -> list[str]:
    return [
        _("No."),
        _("Task"),
        _("Lead executor"),
        _("Co-executors"),
        _("Deadline"),
        _("Status"),
        _("Note on execution"),
        _("Area"),
    ]


def plan_rows(tasks: Sequence[Task], notes: dict[int, str]) -> list[list[object]]:
    """One list of cell values per task, in the column order of headers()."""
    return [
        [
            task.number or str(index),
            task.title,
            task.lead_agency.short_name,
            CO_EXECUTOR_SEPARATOR.join(sorted(a.short_name for a in task.co_executors.all())),
            task.deadline,
            task.get_status_display(),
            notes.get(task.pk, ""),
            task.get_area_display(),
        ]
        for index, task in enumerate(tasks, start=1)
    ]


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def plan_xlsx(tasks: Sequence[Task], notes: dict[int, str], *, today: dt.date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
    sheet.title = SHEET_TITLE
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for task, row in zip(tasks, plan_rows(tasks, notes), strict=True):
        sheet.append(row)
        overdue = task_deadline_state(task, today=today) == "overdue"
        for cell in sheet[sheet.max_row]:
            if is_formula_like(cell.value):
                # Stored as text: the spreadsheet shows the characters and never evaluates them.
                cell.data_type = "s"
                cell.quotePrefix = True
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD.MM.YYYY"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if overdue:
                cell.fill = OVERDUE_FILL
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(WIDTHS))}{max(sheet.max_row, 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    # A leading apostrophe is what spreadsheets take as "this is text".
    return f"'{text}" if is_formula_like(text) else text


def plan_csv(tasks: Sequence[Task], notes: dict[int, str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(headers())
    for row in plan_rows(tasks, notes):
        writer.writerow([_csv_value(v) for v in row])
    # The byte order mark makes Excel read the file as UTF-8 (Cyrillic) instead of the local code page.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
