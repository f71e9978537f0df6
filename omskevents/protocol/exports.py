"""The draft protocol as a DOCX in the usual form: A4, Times New Roman 14, agreed items only, both co-chairs sign."""

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from .enums import ItemState
from .models import Protocol

# Margins of an official document (GOST R 7.0.97): left 20 mm, right 10 mm, top 20 mm, bottom 20 mm.
MARGINS_MM = {"left": 20, "right": 10, "top": 20, "bottom": 20}


def protocol_filename(protocol: Protocol) -> str:
    return f"protocol-{protocol.event.number}-{protocol.date:%Y-%m-%d}.docx"


def protocol_docx(protocol: Protocol) -> bytes:
    """Takes a protocol loaded by `selectors.protocol_detail` (sections and items prefetched).

    Sections without an agreed item are left out; items are numbered anew inside each section, so the
    struck and not yet agreed ones leave no gaps.
    """
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    for name in ("Normal", "Heading 2"):
        style = doc.styles[name]
        style.font.name = "Times New Roman"
        style.font.size = Pt(14)
    doc.styles["Heading 2"].font.bold = True

    def centred(text: str, *, bold: bool = False) -> None:
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = bold

    centred(_("DRAFT"), bold=False)
    centred(_("PROTOCOL"), bold=True)
    centred(protocol.event.title)
    place_date = doc.add_paragraph()
    place_date.add_run(protocol.place)
    place_date.add_run("\t\t\t\t" + protocol.date.strftime("%d.%m.%Y"))
    doc.add_paragraph(_("Co-chairs of the Commission:"))
    doc.add_paragraph(_("for the Russian Side — %(person)s") % {"person": protocol.ru_co_chair})
    doc.add_paragraph(_("for the Kazakh Side — %(person)s") % {"person": protocol.kz_co_chair})

    number = 0
    for part in protocol.sections.all():
        agreed = [item for item in part.items.all() if item.state == ItemState.AGREED]
        if not agreed:
            continue
        number += 1
        doc.add_paragraph(f"{number}. {part.title}", style="Heading 2")
        for index, item in enumerate(agreed, start=1):
            paragraph = doc.add_paragraph(f"{number}.{index}. {item.text_ru}")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    doc.add_paragraph()
    table = doc.add_table(rows=3, cols=2)
    heads = (_("For the Russian Side"), _("For the Kazakh Side"))
    people = (protocol.ru_co_chair, protocol.kz_co_chair)
    for column in range(2):
        table.cell(0, column).text = heads[column]
        table.cell(1, column).text = people[column]
        table.cell(2, column).text = "_______________"
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.name = "Times New Roman"
                    run.font.size = Pt(14)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
