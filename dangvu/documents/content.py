"""What a document says, before it is rendered: the one structure both renderers (DOCX, PDF) read.

A builder turns its typed context into a `Content`; the office edits the text of its sections before
the document is issued; `as_json`/`from_json` keep it in the database. The text of a section is
plain: paragraphs separated by a blank line, a line starting with "- " is a list item as Party
documents write them.
"""

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # relative widths of the columns
    numbered: bool = False  # a first "TT" column numbering the rows

    def shares(self) -> list[float]:
        """Each column's share of the width, the "TT" column narrow; [] when the builder gave none."""
        if not self.widths:
            return []
        relative = ([0.8] if self.numbered else []) + list(self.widths)
        return [share / sum(relative) for share in relative]


@dataclass
class Section:
    heading: str  # "I. KẾT QUẢ …", "1. Công tác …" or "" (body text without a heading)
    text: str = ""
    level: int = 1  # 1: a part, upper case; 2: a numbered point; 3: a sub-point
    table: Table | None = None
    editable: bool = True  # the office may change the text before the document is issued
    key: str = ""  # a stable name for the section ("results.study"), for tests and the editor


@dataclass
class Signature:
    authority: str  # "T/M ĐẢNG ỦY", "" for a plain signer ("THƯ KÝ")
    title: str  # "BÍ THƯ"
    name: str


@dataclass
class Content:
    type_name: str  # "BÁO CÁO"
    subject: str  # "tổng kết công tác xây dựng Đảng năm 2025,\nphương hướng, nhiệm vụ năm 2026"
    sections: list[Section]
    signatures: list[Signature] = field(default_factory=list)  # the last signs at the right
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận", each written "- …"
    addressee: str = ""  # "Kính gửi: …" or "Kính mời: …", under the subject
    landscape: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Content":
        sections = [
            Section(**{**s, "table": Table(**s["table"]) if s.get("table") else None})
            for s in data.get("sections", [])
        ]
        return cls(
            type_name=data["type_name"],
            subject=data["subject"],
            sections=sections,
            signatures=[Signature(**s) for s in data.get("signatures", [])],
            recipients=list(data.get("recipients", [])),
            addressee=data.get("addressee", ""),
            landscape=bool(data.get("landscape", False)),
        )


def paragraphs(text: str) -> list[tuple[str, str]]:
    """A section's text as (kind, text) pairs: kind "item" for a "- " line, "para" otherwise.

    Consecutive lines without a blank line between them are one paragraph, except list items,
    which are one per line.
    """
    result: list[tuple[str, str]] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            result.append(("para", " ".join(buffer)))
            buffer.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith(("- ", "+ ")):
            flush()
            result.append(("item", line))
        else:
            buffer.append(line)
    flush()
    return result


@dataclass
class Draft:
    """What a builder hands to `services.draft_create`: the document before it is stored."""

    doc_type: str
    organization: Any  # organization.models.Organization
    year: int
    title: str
    content: Content
    figures: dict[str, Any]
    source: str = ""
