"""The discipline report as an Excel workbook: a sheet per event, a summary by agency, and a chart sheet."""

import datetime as dt
import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from omskevents.core.templatetags.zones import zone_label

from .discipline import DisciplineReport, DisciplineRow
from .exports import HEADER_FILL, is_formula_like

TOTAL_FILL = PatternFill(fill_type="solid", start_color="FFF2F2F2", end_color="FFF2F2F2")
THIN = Side(style="thin", color="FFBFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WIDTHS = (44, 11, 13, 13, 14, 13, 13, 13, 13)
HEADER_ROW = 4
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def headers() -> list[str]:
    return [
        _("Agency"),
        _("Tasks"),
        _("Done on time"),
        _("Overdue now"),
        _("Overdue, working days (sum)"),
        _("Extensions asked"),
        _("Extensions granted"),
        _("Reports returned"),
        _("On-time rate"),
    ]


def _values(row: DisciplineRow, name: str) -> list[object]:
    return [
        name,
        row.tasks,
        row.on_time,
        row.overdue_now,
        row.overdue_days,
        row.extensions_asked,
        row.extensions_granted,
        row.returned,
        row.on_time_rate,
    ]


def period_text(report: DisciplineReport) -> str:
    if report.date_from is None:
        return _("Tasks due up to %(to)s") % {"to": f"{report.date_to:%d.%m.%Y}"}
    return _("Tasks due from %(from)s to %(to)s") % {
        "from": f"{report.date_from:%d.%m.%Y}",
        "to": f"{report.date_to:%d.%m.%Y}",
    }


def as_of_text(report: DisciplineReport) -> str:
    local = timezone.localtime(report.as_of)
    # The zone by its city, as every time in the application ("Омск"), not the abbreviation "MSK" or "+06".
    return _("As of %(moment)s (%(zone)s)") % {"moment": f"{local:%d.%m.%Y %H:%M}", "zone": zone_label()}


def _sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = SHEET_NAME_FORBIDDEN.sub(" ", name).strip().strip("'")[:28] or _("Event")
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:26]} {n}"
        n += 1
    taken.add(title.lower())
    return title


def _fill_sheet(sheet: Worksheet, *, heading: str, report: DisciplineReport, rows: list[DisciplineRow],
                total: DisciplineRow | None) -> None:  # fmt: skip
    columns = len(WIDTHS)
    last = get_column_letter(columns)
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = f"{period_text(report)}. {as_of_text(report)}"
    sheet["A2"].font = Font(italic=True)
    sheet.merge_cells(f"A2:{last}2")
    for column, title in enumerate(headers(), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[HEADER_ROW].height = 45
    lines = [(row, row.agency, False) for row in rows]
    if total is not None:
        lines.append((total, _("Total"), True))
    for offset, (row, name, is_total) in enumerate(lines, start=1):
        for column, value in enumerate(_values(row, name), start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=column, value=value)
            cell.border = BORDER
            if is_formula_like(value):
                # Stored as text: the spreadsheet shows the characters and never evaluates them.
                cell.data_type = "s"
                cell.quotePrefix = True
            if column == columns:
                cell.number_format = "0%"
            if column == 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if is_total:
                cell.font = Font(bold=True)
                cell.fill = TOTAL_FILL
    if not rows:
        sheet.cell(row=HEADER_ROW + 1, column=1, value=_("No tasks in the period."))
    note_row = HEADER_ROW + len(lines) + 2
    sheet.cell(
        row=note_row,
        column=1,
        value=_(
            "On-time rate: tasks done on time out of the tasks accepted or overdue now. Extensions and returns: "
            "those of the period."
        ),
    ).font = Font(italic=True, size=9)
    sheet.merge_cells(f"A{note_row}:{last}{note_row}")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"
    # Printing: A4 landscape, every column on one page width, the title and the header on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5


def discipline_xlsx(report: DisciplineReport, *, title: str) -> bytes:
    """The workbook in the active language and time zone."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None  # noqa: S101 - a new workbook always has a sheet
    workbook.remove(first)
    taken: set[str] = set()
    every_event = _("All events")
    summary = workbook.create_sheet(_sheet_title(every_event, taken))
    _fill_sheet(
        summary,
        heading=f"{title}: {every_event}",
        report=report,
        rows=report.by_agency,
        total=report.total,
    )
    for event in report.events:
        sheet = workbook.create_sheet(_sheet_title(event.short_title or event.title, taken))
        _fill_sheet(sheet, heading=f"{title}: {event.title}", report=report, rows=event.rows, total=event.total)

    chart = BarChart()
    chart.type = "bar"  # horizontal bars: agency names are long
    chart.title = _("On-time rate by agency")
    chart.y_axis.title = _("On-time rate")
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.legend = None
    count = len(report.by_agency)
    if count:
        rates = Reference(summary, min_col=len(WIDTHS), min_row=HEADER_ROW, max_row=HEADER_ROW + count)
        names = Reference(summary, min_col=1, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + count)
        chart.add_data(rates, titles_from_data=True)
        chart.set_categories(names)
    chart_sheet = workbook.create_chartsheet(_sheet_title(_("Chart"), taken))
    chart_sheet.add_chart(chart)
    workbook.properties.title = title
    workbook.properties.created = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
