"""The page of every DOCX the site makes, as Russian official documents are laid out: A4 portrait; margins left
30 mm, right 15 mm, top and bottom 20 mm (ГОСТ Р 7.0.97-2016 asks for at least 20/10/20/20; 30 and 15 are what the
regional instructions on office work use, leaving room to bind); Times New Roman 14 pt with single spacing in the
text, 12 pt in tables."""

from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
TEXT_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20}
# The width left for text and tables between the margins of an A4 portrait page.
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]


def _set_font(style: Any, size: Pt) -> None:
    style.font.name = FONT
    style.font.size = size
    # East Asian and complex-script fonts too, or Word falls back to its own for Cyrillic in some locales.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def official_document() -> Any:
    """A new document on the official page: A4, the margins and the fonts above."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    normal = doc.styles["Normal"]
    _set_font(normal, TEXT_SIZE)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.space_after = Pt(0)
    for name in ("Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number"):
        if name in [s.name for s in doc.styles]:
            style = doc.styles[name]
            _set_font(style, TEXT_SIZE)
            style.font.color.rgb = None
    if "Table Grid" in [s.name for s in doc.styles]:
        _set_font(doc.styles["Table Grid"], TABLE_SIZE)
    return doc


def table_font(table: Any) -> None:
    """12 pt for every run of a table (a run's own size wins over its style's)."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.name = FONT
                    run.font.size = TABLE_SIZE
