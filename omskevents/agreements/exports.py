"""The register as an Excel workbook, and the order of signing for the ceremony as a DOCX ready to print."""

import datetime as dt
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from omskevents.core.documents import official_document, table_font
from omskevents.events.models import Event
from omskevents.workplan.exports import HEADER_FILL, OVERDUE_FILL, XLSX_CONTENT_TYPE, is_formula_like

from .enums import Side
from .models import Agreement
from .selectors import overdue_state

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
__all__ = ["DOCX_CONTENT_TYPE", "XLSX_CONTENT_TYPE", "register_xlsx", "signing_order_docx"]
SHEET_TITLE = "Соглашения"
WIDTHS = (6, 60, 18, 40, 40, 24, 24, 26, 14, 14, 30)
SEPARATOR = "\n"
FONT = "Times New Roman"


def parties(agreement: Agreement, side: str) -> list[str]:
    """The side's parties: agencies (prefetched) and the organisations typed in, in that order."""
    agencies = agreement.ru_parties.all() if side == Side.RU else agreement.kz_parties.all()
    return [*sorted(a.short_name for a in agencies), *agreement.organisations(side)]


def headers() -> list[str]:
    return [
        _("No."),
        _("Agreement"),
        _("Kind"),
        _("Russian parties"),
        _("Kazakh parties"),
        _("Responsible, Russian side"),
        _("Responsible, Kazakh side"),
        _("Stage"),
        _("Next deadline"),
        _("Signed on"),
        _("Signatories"),
    ]


def register_rows(agreements: Sequence[Agreement]) -> list[list[object]]:
    rows: list[list[object]] = []
    for index, a in enumerate(agreements, start=1):
        signatories = [s for s in (a.ru_signatory, a.kz_signatory) if s]
        rows.append(
            [
                a.number or str(index),
                a.title,
                a.get_kind_display(),
                SEPARATOR.join(parties(a, Side.RU)),
                SEPARATOR.join(parties(a, Side.KZ)),
                a.ru_responsible.short_name,
                a.kz_responsible.short_name if a.kz_responsible else "",
                a.get_stage_display(),
                a.next_deadline,
                a.signed_on,
                SEPARATOR.join(signatories),
            ]
        )
    return rows


def register_xlsx(agreements: Sequence[Agreement], *, today: dt.date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
    sheet.title = SHEET_TITLE
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for agreement, row in zip(agreements, register_rows(agreements), strict=True):
        sheet.append(row)
        overdue = overdue_state(agreement, today=today) == "overdue"
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


def signing_order_filename(event: Event) -> str:
    return f"signing-order-{event.pk}-{event.start_date:%Y-%m-%d}.docx"


def _cell_text(cell: object, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]  # a python-docx table cell
    run = paragraph.add_run(text)
    run.bold = bold


def signing_order_docx(event: Event, agreements: Sequence[Agreement]) -> bytes:
    """The order of signing: which agreement, who signs it for each side, where they sit — on the official page
    (core.documents: A4 portrait, margins 30/15/20/20 mm left/right/top/bottom, Times New Roman 14, 12 in the
    table)."""
    doc = official_document()

    def centred(text: str, *, bold: bool = False) -> None:
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = bold

    ceremony = agreements[0].ceremony_date if agreements else event.start_date
    centred(_("ORDER OF SIGNING"), bold=True)
    centred(_("of the agreements at the %(event)s") % {"event": event.title})
    centred(_("%(city)s, %(date)s") % {"city": event.city, "date": ceremony.strftime("%d.%m.%Y")})
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(
        table.rows[0].cells,
        (_("No."), _("Agreement"), _("Signs for the Russian side"), _("Signs for the Kazakh side"), _("Seats")),
        strict=True,
    ):
        _cell_text(cell, title, bold=True)
    for index, agreement in enumerate(agreements, start=1):
        cells = table.add_row().cells
        seats = " / ".join(s for s in (agreement.ru_seat, agreement.kz_seat) if s)
        values = (
            str(agreement.signing_order or index),
            f"{agreement.title}\n({', '.join(parties(agreement, Side.RU) + parties(agreement, Side.KZ))})",
            agreement.ru_signatory or "—",
            agreement.kz_signatory or "—",
            seats or "—",
        )
        for cell, value in zip(cells, values, strict=True):
            _cell_text(cell, value)
    if not agreements:
        doc.add_paragraph(_("No agreement is ready for signing yet."))
    table_font(table)
    widths = (Mm(12), Mm(64), Mm(32), Mm(32), Mm(25))  # 165 mm: the text width between the margins
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
