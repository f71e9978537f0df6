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
TITLE_FONT = Font(bold=True, size=14)
# №, event, task, area, lead executor, co-executors, responsible, deadline, status, note.
WIDTHS = (7, 18, 55, 20, 24, 24, 22, 12, 18, 45)
CO_EXECUTOR_SEPARATOR = "\n"
# Rows above the table: the title and the "as of" line; the header row is repeated on every printed sheet.
TITLE_ROW, AS_OF_ROW, HEADER_ROW = 1, 2, 3


def headers() -> list[str]:
    return [
        _("No."),
        # Not "Event": in the region's plans "Мероприятие" is the heading of the task column itself.
        _("Forum or session"),
        _("Task"),
        _("Area"),
        _("Lead executor"),
        _("Co-executors"),
        _("Responsible person"),
        _("Deadline"),
        _("Status"),
        _("Note on execution"),
    ]


def plan_rows(tasks: Sequence[Task], notes: dict[int, str]) -> list[list[object]]:
    """One list of cell values per task, in the column order of headers()."""
    return [
        [
            task.number or str(index),
            task.event.short_title,
            task.title,
            task.get_area_display(),
            task.lead_agency.short_name,
            CO_EXECUTOR_SEPARATOR.join(sorted(a.short_name for a in task.co_executors.all())),
            task.responsible.get_full_name() if task.responsible else "",
            task.deadline,
            task.get_status_display(),
            notes.get(task.pk, ""),
        ]
        for index, task in enumerate(tasks, start=1)
    ]


def title_lines(*, title: str, as_of: dt.datetime, zone: str) -> tuple[str, str]:
    """The sheet's (and the print page's) title and its "as of" line, with the zone's name."""
    stamp = f"{as_of:%d.%m.%Y %H:%M} ({zone})"
    return title, _("As of %(moment)s") % {"moment": stamp}


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def plan_xlsx(
    tasks: Sequence[Task], notes: dict[int, str], *, today: dt.date, title: str, as_of: dt.datetime, zone: str
) -> bytes:
    """The plan on one sheet: title, "as of" line, the header (repeated on every printed page), one row per task;
    printed on A4 landscape, fitted to the page's width."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
    sheet.title = SHEET_TITLE
    last_column = get_column_letter(len(WIDTHS))
    heading, as_of_line = title_lines(title=title, as_of=as_of, zone=zone)
    sheet.cell(row=TITLE_ROW, column=1, value=heading).font = TITLE_FONT
    sheet.merge_cells(f"A{TITLE_ROW}:{last_column}{TITLE_ROW}")
    sheet.cell(row=AS_OF_ROW, column=1, value=as_of_line).font = Font(italic=True)
    sheet.merge_cells(f"A{AS_OF_ROW}:{last_column}{AS_OF_ROW}")
    for column, text in enumerate(headers(), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=text)
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
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{max(sheet.max_row, HEADER_ROW)}"
    # Print set-up as the governor's office prints a plan: A4 landscape, every column on the page's width,
    # as many pages down as it takes, the header row on each.
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P / &N"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    # A leading apostrophe is what spreadsheets take as "this is text".
    return f"'{text}" if is_formula_like(text) else text


def plan_csv(tasks: Sequence[Task], notes: dict[int, str], *, for_excel: bool = False) -> bytes:
    """The standard CSV (comma, UTF-8), or with `for_excel` the one Excel with Russian settings opens in columns:
    semicolons, and a byte order mark that makes it read the file as UTF-8 (Cyrillic) instead of the local code
    page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if for_excel else ",", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(headers())
    for row in plan_rows(tasks, notes):
        writer.writerow([_csv_value(v) for v in row])
    return (("\ufeff" if for_excel else "") + buffer.getvalue()).encode("utf-8")
