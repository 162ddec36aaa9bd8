"""A document as PDF in the Party's format (rules.md §8), from an HTML page through WeasyPrint.

The page is a template of its own (documents/pdf.html), never served to a browser: its styles are
inline because WeasyPrint reads nothing else, and it holds no script.
"""

from django.template.loader import render_to_string

from .content import Content, paragraphs
from .render import MARGINS_MM, PDF_FONTS, Heading


def render_pdf(heading: Heading, content: Content) -> bytes:
    from weasyprint import HTML  # loaded on first use: it takes a second to set up its fonts

    sections = [
        {
            "section": section,
            "paragraphs": paragraphs(section.text),
            "widths": [f"{100 * share:.1f}" for share in section.table.shares()] if section.table else [],
        }
        for section in content.sections
    ]
    top, right, bottom, left = MARGINS_MM
    html = render_to_string(
        "documents/pdf.html",
        {
            "heading": heading,
            "content": content,
            "sections": sections,
            "subject_lines": [line for line in content.subject.split("\n") if line],
            "fonts": PDF_FONTS,
            "margins": f"{top}mm {right}mm {bottom}mm {left}mm",
            "page_size": "A4 landscape" if content.landscape else "A4",
        },
    )
    return HTML(string=html).write_pdf()
