"""A delegation manifest as an Excel workbook and badges as a PDF ready to print (A6 cards or A4 sheets of four)."""

import datetime as dt
import io
import zoneinfo
from collections.abc import Sequence
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .enums import DelegateRole, Direction
from .models import Delegate, Event, Journey

# A spreadsheet treats a cell starting with these as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9E2F3", end_color="FFD9E2F3")

# DejaVu Sans (free licence, in fonts/LICENSE-DejaVu.txt) ships with the code: Cyrillic and Kazakh letters
# print the same on every machine, with no system font to install.
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
LAYOUTS = ("a6", "a4")
ROLE_COLOURS: dict[str, str] = {
    DelegateRole.HEAD: "#8B1E2D",
    DelegateRole.DEPUTY: "#8B1E2D",
    DelegateRole.MEMBER: "#1F4E79",
    DelegateRole.EXPERT: "#2E7D32",
    DelegateRole.PRESS: "#E07B00",
    DelegateRole.STAFF: "#555555",
}


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def _journey(delegate: Delegate, direction: str) -> Journey | None:
    return next((j for j in delegate.journeys.all() if j.direction == direction), None)


def journey_text(journey: Journey | None) -> str:
    """ "12.12.2026 14:35 (Asia/Omsk), plane S7 2512, Omsk airport": the time of the city where it happens."""
    if journey is None:
        return ""
    local = timezone.localtime(journey.at, zoneinfo.ZoneInfo(journey.time_zone))
    parts = [f"{local:%d.%m.%Y %H:%M} ({journey.time_zone})", f"{journey.get_transport_display()} {journey.number}"]
    if journey.place:
        parts.append(journey.place)
    return ", ".join(p.strip() for p in parts)


def manifest_headers() -> list[str]:
    return [
        _("Delegation"),
        _("Precedence"),
        _("Role"),
        _("Full name"),
        _("Name in Kazakh or Latin letters"),
        _("Position"),
        _("Organisation"),
        _("Country"),
        _("Language"),
        _("Interpreter"),
        _("Accessibility needs"),
        _("Diet"),
        _("Phone"),
        _("E-mail"),
        _("Arrival"),
        _("Met by"),
        _("Departure"),
        _("Hotel"),
        _("Room"),
        _("Local transport"),
        _("Badge"),
        _("Consent"),
    ]


def manifest_rows(delegates: Sequence[Delegate]) -> list[list[object]]:
    rows: list[list[object]] = []
    for d in delegates:
        arrival = _journey(d, Direction.ARRIVAL)
        rows.append(
            [
                d.delegation.name,
                d.precedence,
                d.get_role_display(),
                d.full_name,
                d.name_alt,
                d.position,
                d.organisation,
                d.get_country_display(),
                d.get_language_display(),
                _("yes") if d.needs_interpreter else _("no"),
                d.accessibility,
                d.diet,
                d.phone,
                d.email,
                journey_text(arrival),
                arrival.met_by if arrival else "",
                journey_text(_journey(d, Direction.DEPARTURE)),
                d.hotel,
                d.room,
                d.local_transport,
                d.get_badge_status_display(),
                timezone.localtime(d.consent_at).strftime("%d.%m.%Y") if d.consent_at else _("no"),
            ]
        )
    return rows


def manifest_xlsx(event: Event, delegates: Sequence[Delegate]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has a sheet
    sheet.title = _("Manifest")[:31]
    sheet.append(manifest_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in manifest_rows(delegates):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if is_formula_like(cell.value):
                # Stored as text: the spreadsheet shows the characters and never evaluates them.
                cell.data_type = "s"
                cell.quotePrefix = True
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = (30, 8, 18, 32, 28, 30, 30, 12, 12, 10, 20, 16, 18, 26, 40, 24, 40, 22, 8, 20, 14, 12)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(sheet.max_row, 1)}"
    workbook.properties.title = str(event)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def manifest_filename(event: Event, today: dt.date) -> str:
    return f"manifest-{event.kind}-{event.number}-{today:%Y%m%d}.xlsx"


# --- Badges -----------------------------------------------------------------------------------------------


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def _fit(text: str, font: str, size: float, width: float, max_lines: int) -> tuple[list[str], float]:
    """Lines of `text` at the largest size (down from `size`) at which it fits `max_lines` lines of `width`."""
    while size > 7:
        lines = simpleSplit(text, font, size, width)
        if len(lines) <= max_lines:
            return lines, size
        size -= 1
    return simpleSplit(text, font, size, width)[:max_lines], size


def _badge(canvas: Canvas, event: Event, delegate: Delegate, x: float, y: float, w: float, h: float) -> None:
    """One card with its lower left corner at (x, y)."""
    pad = 8 * mm
    inner = w - 2 * pad
    colour = HexColor(ROLE_COLOURS.get(delegate.role, "#1F4E79"))
    canvas.setStrokeColor(HexColor("#BBBBBB"))
    canvas.setLineWidth(0.5)
    canvas.rect(x, y, w, h)  # the cutting line
    # The event at the top.
    canvas.setFillColor(HexColor("#000000"))
    top = y + h - pad
    lines, size = _fit(event.title_ru, FONT, 9, inner, 3)
    canvas.setFont(FONT, size)
    for line in lines:
        top -= size * 1.25
        canvas.drawCentredString(x + w / 2, top, line)
    # The name in Russian, then in Kazakh or Latin letters.
    middle = y + h * 0.62
    given = f"{delegate.first_name} {delegate.patronymic}".strip()
    name_lines, name_size = _fit(f"{delegate.last_name}\n{given}", FONT_BOLD, 20, inner, 3)
    canvas.setFont(FONT_BOLD, name_size)
    for line in name_lines:
        canvas.drawCentredString(x + w / 2, middle, line)
        middle -= name_size * 1.2
    if delegate.name_alt:
        alt_lines, alt_size = _fit(delegate.name_alt, FONT, 13, inner, 2)
        canvas.setFont(FONT, alt_size)
        for line in alt_lines:
            canvas.drawCentredString(x + w / 2, middle, line)
            middle -= alt_size * 1.2
    # The delegation.
    middle -= 4 * mm
    del_lines, del_size = _fit(delegate.delegation.name, FONT, 11, inner, 2)
    canvas.setFont(FONT, del_size)
    canvas.setFillColor(HexColor("#333333"))
    for line in del_lines:
        canvas.drawCentredString(x + w / 2, middle, line)
        middle -= del_size * 1.2
    # The role on a coloured band at the bottom, so a glance tells it.
    band = 14 * mm
    canvas.setFillColor(colour)
    canvas.rect(x, y, w, band, stroke=0, fill=1)
    canvas.setFillColor(HexColor("#FFFFFF"))
    role_lines, role_size = _fit(delegate.get_role_display().upper(), FONT_BOLD, 13, inner, 1)
    canvas.setFont(FONT_BOLD, role_size)
    canvas.drawCentredString(x + w / 2, y + band / 2 - role_size / 3, role_lines[0] if role_lines else "")
    canvas.setFillColor(HexColor("#000000"))


def badges_pdf(event: Event, delegates: Sequence[Delegate], *, layout: str = "a6") -> bytes:
    """Badges: one A6 card per page ("a6"), or four A6 cards on each A4 sheet with cutting lines ("a4")."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    _register_fonts()
    buffer = io.BytesIO()
    page = A6 if layout == "a6" else A4
    canvas = Canvas(buffer, pagesize=page, pageCompression=1)
    canvas.setTitle(_("Badges: %(event)s") % {"event": event})
    canvas.setAuthor(event.short_title)
    card_w, card_h = A6
    per_page = 1 if layout == "a6" else 4
    for index, delegate in enumerate(delegates):
        slot = index % per_page
        if index and slot == 0:
            canvas.showPage()
        if layout == "a6":
            _badge(canvas, event, delegate, 0, 0, card_w, card_h)
        else:
            column, row = slot % 2, slot // 2
            _badge(canvas, event, delegate, column * card_w, page[1] - (row + 1) * card_h, card_w, card_h)
    if not delegates:
        canvas.setFont(FONT, 12)
        canvas.drawString(20 * mm, page[1] - 30 * mm, _("No delegates to print."))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
