"""The shapes of the documents API (api.py): the register, one document, its edits, the report asked
(answered as core.api.JobOut)."""

from datetime import date
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from dangvu.core.periods import FIRST_YEAR, LAST_YEAR

from .choices import DocState, DocType

Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]
Code = Annotated[str, Field(max_length=64)]


class RegisterFilter(Schema):
    org: Code | None = None  # the issuer; optional when the caller sees a single top organisation
    year: Year | None = None  # the year the documents are about; every year when left out
    type: DocType | None = None  # one kind of document


class FileFilter(Schema):
    format: Annotated[str, Field(max_length=16)] = "docx"  # "docx" or "pdf"


class UrlsOut(Schema):
    page: str  # the document's page
    docx: str  # the file, through this API
    pdf: str


class DocumentOut(Schema):
    id: int
    organization: str  # the issuer's code
    doc_type: DocType
    type_symbol: str  # "BC", "GM", …
    number: int | None  # null while a draft
    number_line: str  # "Số 12-BC/ĐU"; a draft's leaves the number blank, as printed
    issued_on: date | None
    title: str
    state: DocState
    year: int  # the year the document is about
    version: int
    created_by: str  # the login of who wrote the draft
    issued_by: str | None
    template_revision: str  # the format revision that wrote (or will write) the files
    content_sha256: str  # the text and the figures it was written from
    docx_sha256: str  # of the kept files, once issued; "" for a draft
    pdf_sha256: str
    urls: UrlsOut


class TableOut(Schema):
    columns: list[str]
    rows: list[list[str]]
    numbered: bool


class SectionOut(Schema):
    index: int  # the key of `texts` in a PATCH
    heading: str
    text: str
    level: int
    editable: bool  # the office may change the text before the document is issued
    key: str  # a stable name ("results.study")
    table: TableOut | None


class SignatureOut(Schema):
    authority: str
    title: str
    name: str


class ContentOut(Schema):
    type_name: str  # "BÁO CÁO"
    subject: str
    addressee: str
    sections: list[SectionOut]
    signatures: list[SignatureOut]
    recipients: list[str]


class DocumentDetailOut(DocumentOut):
    content: ContentOut
    figures: dict[str, Any]  # the data the text was written from


class TextsIn(Schema):
    version: int  # the document's, as read
    # a section's index ("0", "3": JSON keys are strings) → its new text
    texts: dict[str, Annotated[str, Field(max_length=100_000)]] = {}
    addressee: Annotated[str, Field(max_length=2000)] | None = None
    # the lines of "Nơi nhận", one recipient each; left out, they stay as they are
    recipients: Annotated[list[Annotated[str, Field(max_length=500)]], Field(max_length=50)] | None = None


class IssueIn(Schema):
    version: int
    issued_on: date | None = None  # today when left out
    number: int | None = None  # a number assigned elsewhere; the register's next one when left out


class ReportIn(Schema):
    org: Code | None = None  # optional when the caller sees a single top organisation
    year: Year
    format: Literal["docx", "pdf"] = "docx"
