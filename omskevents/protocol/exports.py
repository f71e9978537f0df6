"""The draft protocol as a DOCX in the usual form: the official page (core.documents: A4, ГОСТ Р 7.0.97-2016 margins,
Times New Roman 14), agreed items only, both co-chairs sign."""

import io

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from omskevents.core.documents import MARGINS_MM, official_document

from .enums import ItemState
from .models import Protocol

__all__ = ["MARGINS_MM", "protocol_docx", "protocol_filename"]


def protocol_filename(protocol: Protocol) -> str:
    return f"protocol-{protocol.event.number}-{protocol.date:%Y-%m-%d}.docx"


def protocol_docx(protocol: Protocol) -> bytes:
    """Takes a protocol loaded by `selectors.protocol_detail` (sections and items prefetched).

    Sections without an agreed item are left out; items are numbered anew inside each section, so the
    struck and not yet agreed ones leave no gaps.
    """
    doc = official_document()
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
