"""A document in Word format (DOCX) in the Party's format (rules.md §8.2, §8.3), with python-docx.

Every piece of text has a named style, so the format can be checked (and changed in Word) by style:
the letterhead's elements, the type name and subject, the parts and points, the body, the
signature and "Nơi nhận". Times New Roman everywhere, headings included (stack.md P16).
"""

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .content import Content, Table, paragraphs
from .render import FONT, MARGINS_MM, Heading

CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)

# name: (size, bold, italic, alignment, upper-case) — rules.md §8.2 (Phụ lục 3, HD 36).
STYLES: dict[str, tuple[float, bool, bool, object]] = {
    "Party Heading": (15, True, False, CENTER),
    "Party Superior": (14, False, False, CENTER),
    "Party Issuer": (14, True, False, CENTER),
    "Party Star": (14, False, False, CENTER),
    "Party Number": (14, False, False, CENTER),
    "Party Place Date": (14, False, True, RIGHT),
    "Party Type Name": (15, True, False, CENTER),
    "Party Subject": (14, True, False, CENTER),
    "Party Addressee": (14, False, False, CENTER),
    "Party Body": (14, False, False, JUSTIFY),
    "Party Item": (14, False, False, JUSTIFY),
    "Party Table": (12, False, False, LEFT),
    "Party Table Head": (12, True, False, CENTER),
    "Party Signature": (14, True, False, CENTER),
    "Party Signer": (14, True, False, CENTER),
    "Party Recipients Title": (14, True, True, LEFT),  # rules.md §8.2: UNCONFIRMED, common practice
    "Party Recipients": (12, False, False, LEFT),
    "Party Page Number": (14, False, False, CENTER),
}
# Parts and points use Word's own heading styles, so that Word's navigation pane lists them.
HEADINGS = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}


def render_docx(heading: Heading, content: Content) -> bytes:
    document = new_docx()
    _page(document, content.landscape)
    _styles(document)
    _letterhead(document, heading, content.landscape)
    _title(document, content)
    for section in content.sections:
        if section.heading:
            document.add_paragraph(section.heading, style=HEADINGS.get(section.level, "Heading 3"))
        for kind, text in paragraphs(section.text):
            document.add_paragraph(text, style="Party Item" if kind == "item" else "Party Body")
        if section.table is not None:
            _table(document, section.table)
    _closing(document, content)
    document.core_properties.title = f"{content.type_name} {content.subject}".replace("\n", " ")
    document.core_properties.language = "vi-VN"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document, landscape: bool) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    top, right, bottom, left = MARGINS_MM
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    # Page numbers from page 2, centred at the top (rules.md §8.3).
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    _page_field(paragraph)


def _page_field(paragraph) -> None:
    run = paragraph.add_run()
    for tag, text in (("w:fldChar", "begin"), ("w:instrText", "PAGE"), ("w:fldChar", "end")):
        element = OxmlElement(tag)
        if tag == "w:fldChar":
            element.set(qn("w:fldCharType"), text)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    paragraph.alignment = CENTER


def _font(style_or_run, size: float | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    _named_font(style_or_run.element.get_or_add_rPr())


def _named_font(properties) -> None:
    """Times New Roman for every script, and no theme font (which would win over it in Word)."""
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    # Word's heading styles name a theme font, which wins over the named one: drop it.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def _styles(document) -> None:
    styles = document.styles
    # python-docx's template names the theme's Calibri and Calibri Light in its defaults and in every
    # heading and title style (linked character styles included): Times New Roman everywhere instead.
    for properties in list(styles.element.iter(qn("w:rPr"))):
        if properties.find(qn("w:rFonts")) is not None:
            _named_font(properties)
    normal = styles["Normal"]
    _font(normal, 14)
    normal.paragraph_format.space_after = Pt(0)
    for name, (size, bold, italic, alignment) in STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _font(style, size)
        style.font.bold, style.font.italic = bold, italic
        style.paragraph_format.alignment = alignment
        style.paragraph_format.space_after = Pt(0)
    for name in ("Party Body", "Party Item"):
        styles[name].paragraph_format.first_line_indent = Cm(1.27)
        styles[name].paragraph_format.space_after = Pt(6)
        styles[name].paragraph_format.line_spacing = 1.15
    for level, name in HEADINGS.items():
        style = styles[name]
        _font(style, 14)
        style.font.bold, style.font.italic = True, level == 3
        style.font.color.rgb = None
        style.paragraph_format.alignment = LEFT if level > 1 else JUSTIFY
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(6), Pt(6)
        style.paragraph_format.first_line_indent = Cm(1.27) if level > 1 else None
        style.paragraph_format.keep_with_next = True
    header_style = styles["Header"]
    _font(header_style, 14)


def _letterhead(document, heading: Heading, landscape: bool) -> None:
    """The issuer at the left, "ĐẢNG CỘNG SẢN VIỆT NAM" with its rule at the right (rules.md §8.3)."""
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    # The right column holds "ĐẢNG CỘNG SẢN VIỆT NAM" on one line (15 pt bold: about 73 mm) with its
    # rule indented to the heading's length: 88 mm less the cell margins (2 × 1.9 mm) and 2 × 5 mm.
    widths = (Mm(77), Mm(88)) if not landscape else (Mm(120), Mm(130))
    left.width, right.width = widths
    first = True
    if heading.superior:
        _add(left, heading.superior, "Party Superior", first)
        first = False
    _add(left, heading.issuer, "Party Issuer", first)
    _add(left, "*", "Party Star")
    _add(left, heading.number_line, "Party Number")
    rule = _add(right, heading.heading, "Party Heading", True)
    _bottom_border(rule)
    _add(right, "", "Party Star")
    _add(right, heading.place_date, "Party Place Date")


def _add(cell, text: str, style: str, first: bool = False):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.style = style
    if text:
        paragraph.add_run(text)
    return paragraph


def _bottom_border(paragraph) -> None:
    """The solid rule under the heading (rules.md §8.3), indented to the heading's length."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attribute, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(attribute), value)
    borders.append(bottom)
    properties.append(borders)
    paragraph.paragraph_format.left_indent = Mm(5)
    paragraph.paragraph_format.right_indent = Mm(5)


def _title(document, content: Content) -> None:
    document.add_paragraph("", style="Party Body").paragraph_format.first_line_indent = None
    document.add_paragraph(content.type_name, style="Party Type Name")
    for line in content.subject.split("\n"):
        if line:
            document.add_paragraph(line, style="Party Subject")
    document.add_paragraph("-----", style="Party Star")
    if content.addressee:
        document.add_paragraph(content.addressee, style="Party Addressee")
    document.add_paragraph("", style="Party Star")


def _table(document, table: Table) -> None:
    columns = (["TT"] if table.numbered else []) + table.columns
    grid = document.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    for cell, name in zip(grid.rows[0].cells, columns, strict=True):
        _add(cell, name, "Party Table Head", True)
    _repeat_header(grid.rows[0])
    for number, row in enumerate(table.rows, start=1):
        values = ([str(number)] if table.numbered else []) + row
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            _add(cell, value, "Party Table", True)
    if shares := table.shares():  # Word reads a width on every cell
        page = document.sections[0]
        usable = page.page_width - page.left_margin - page.right_margin
        grid.autofit = False
        for row in grid.rows:
            for cell, share in zip(row.cells, shares, strict=True):
                cell.width = int(usable * share)
    document.add_paragraph("", style="Party Star")


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _closing(document, content: Content) -> None:
    """Nơi nhận at the bottom left, the signatures at the right (rules.md §8.5)."""
    signatures = content.signatures
    if not signatures and not content.recipients:
        return
    columns = max(2, len(signatures) + (1 if content.recipients else 0))
    table = document.add_table(rows=1, cols=columns)
    cells = table.rows[0].cells
    if content.recipients:
        _add(cells[0], "Nơi nhận:", "Party Recipients Title", True)
        for recipient in content.recipients:
            _add(cells[0], recipient, "Party Recipients")
        signature_cells = cells[1:]
    else:
        signature_cells = cells[columns - len(signatures) :]
    for cell, signature in zip(
        signature_cells[len(signature_cells) - len(signatures) :], signatures, strict=True
    ):
        first = True
        for line in (signature.authority, signature.title):
            if line:
                _add(cell, line, "Party Signature", first)
                first = False
        for _blank in range(4):  # room for the signature and the seal
            _add(cell, "", "Party Star")
        _add(cell, signature.name, "Party Signer")
