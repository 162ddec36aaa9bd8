"""What both renderers share: the page, the font, the heading lines, and the template revision.

`TEMPLATE_REVISION` is stored with every document; change it whenever the rendered format changes,
so that an issued document says which format wrote it.
"""

from dataclasses import dataclass

from . import rules

TEMPLATE_REVISION = "2026-11-27.1"

# Times New Roman (rules.md §8.1); Liberation Serif is its metric twin (fonts-liberation2), DejaVu
# Serif the fallback found everywhere (stack.md: fonts-liberation 1.x has no Vietnamese).
FONT = "Times New Roman"
PDF_FONTS = '"Times New Roman", "Liberation Serif", "DejaVu Serif", serif'
MARGINS_MM = (20, 15, 20, 30)  # top, right, bottom, left (rules.md §8.3, UNCONFIRMED best knowledge)


@dataclass(frozen=True)
class Heading:
    """The lines above the title: the issuer's at the left, the Party's at the right."""

    superior: str
    issuer: str
    number_line: str
    place_date: str
    heading: str = rules.HEADING
