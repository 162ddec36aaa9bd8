"""Reads: an issuer's letterhead, the document register, one document, its rendering."""

import hashlib
import json
from dataclasses import asdict
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvu.badges.choices import Early
from dangvu.core import access
from dangvu.core.access import Scope
from dangvu.core.audit import personal_data_shown
from dangvu.organization.choices import SeatRole
from dangvu.organization.models import CommitteeSeat, Organization
from dangvu.organization.selectors import ancestor_paths, current_seat_q

from . import rules
from .choices import DocType
from .content import Content
from .models import Document, DocumentSettings
from .render import TEMPLATE_REVISION, Heading
from .render_docx import render_docx
from .render_pdf import render_pdf

FORMATS = ("docx", "pdf")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def settings_of(organization: Organization) -> DocumentSettings:
    """The issuer's settings row, or an unsaved one with the defaults."""
    found = DocumentSettings.objects.filter(organization=organization).first()
    return found or DocumentSettings(organization=organization)


def letterhead(organization: Organization, on: date) -> rules.Letterhead:
    """The issuer's letterhead on a day: the office's settings, else what the organisation says."""
    own = settings_of(organization)
    is_cell = organization.is_cell
    parent = organization.parent
    authority, title = rules.signature_lines(is_cell)
    return rules.Letterhead(
        superior=own.superior or (parent.name.upper() if parent is not None else ""),
        issuer=own.issuer or rules.issuing_body(organization.name, is_cell),
        issuer_symbol=issuer_symbol(own),
        place=own.place or _place_above(organization),
        authority=own.authority or authority,
        signer_title=own.signer_title or title,
        signer_name=own.signer_name or _secretary_name(organization, on),
    )


def _place_above(organization: Organization) -> str:
    """The place the nearest organisation above set: a cell writes the committee's "Hà Nội"."""
    above = [p for p in ancestor_paths(organization.path) if p != organization.path]
    places = dict(
        DocumentSettings.objects.filter(organization__path__in=above)
        .exclude(place="")
        .values_list("organization__path", "place")
    )
    return next((places[p] for p in reversed(above) if p in places), "")


def _secretary_name(organization: Organization, on: date) -> str:
    seat = (
        CommitteeSeat.objects.filter(current_seat_q(on), organization=organization, role=SeatRole.SECRETARY)
        .select_related("person")
        .order_by("-term_start")
        .first()
    )
    return seat.person.full_name if seat else ""


def symbols(organization: Organization, doc_type: str) -> tuple[str, str]:
    """The type's symbol and the issuer's ("BC", "ĐU") from one read of the settings: what a number
    is written with, without the rest of the letterhead."""
    own = settings_of(organization)
    return rules.type_symbol(doc_type, own.type_symbols), issuer_symbol(own)


def issuer_symbol(own: DocumentSettings) -> str:
    """The office's symbol for the issuer, else ĐU or CB by its kind."""
    return own.issuer_symbol or rules.issuer_symbol(own.organization.is_cell)


def documents_in(
    scope: Scope, organization: Organization, *, year: int | None = None, doc_type: str = ""
) -> QuerySet[Document]:
    """The register of an issuer: the documents it issued or drafted, newest first."""
    documents = readable(Document.objects.all(), scope).filter(organization=organization)
    if year is not None:
        documents = documents.filter(year=year)
    if doc_type:
        documents = documents.filter(doc_type=doc_type)
    return documents.select_related("organization", "created_by", "issued_by").order_by(
        "-year", "-issued_on", "-number", "-created_at"
    )


def document_get(scope: Scope, pk: int) -> Document:
    """One document the scope may read (writes ask `document_to_write`)."""
    documents = readable(Document.objects.select_related("organization", "created_by", "issued_by"), scope)
    try:
        return documents.get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def document_to_write(scope: Scope, pk: int) -> Document:
    """One document the scope may read and write (its kind's action on the issuer), else 404."""
    document = document_get(scope, pk)
    if not may_write(scope, document.organization, document.doc_type):
        raise Http404
    return document


def health_data_logged(document: Document, *, user, path: str) -> None:
    """Each showing of a badge list with health data is kept (core.audit.personal_data_shown)."""
    if shows_health_data(document):
        personal_data_shown(user=user, record=document, path=path)


# Documents that carry personal data the pages show only to the keepers of the records: a badge list
# names the gravely ill members proposed early, minutes give the reasons for absences. Whoever only
# reads the organisation (a leader, the inspection commission) does not see them in the register.
KEPT_BY_RECORDS = (DocType.BADGE_LIST, DocType.MINUTES)


def shows_health_data(document: Document) -> bool:
    """A badge list that shows a gravely ill member's early award. The builder keeps the award's
    reason in figures["proposals"][…]["early"] only when its writer could read it (builders/badges.py);
    each showing of such a list is logged (core.audit.personal_data_shown)."""
    if document.doc_type != DocType.BADGE_LIST:
        return False
    proposals = (document.figures or {}).get("proposals") or []
    return any(isinstance(p, dict) and p.get("early") == Early.GRAVELY_ILL for p in proposals)


def readable(documents: QuerySet[Document], scope: Scope) -> QuerySet[Document]:
    """The documents the scope may read: VIEW on the issuer, and RECORDS for those of KEPT_BY_RECORDS."""
    visible = access.restrict(documents, scope, access.VIEW)
    if scope.is_system:
        return visible
    kept = access.restrict(Document.objects.all(), scope, access.RECORDS).values("pk")
    return visible.filter(~Q(doc_type__in=KEPT_BY_RECORDS) | Q(pk__in=kept))


def heading_of(document: Document, on: date) -> Heading:
    """The lines above the title: the number once issued (blank in a draft), the date of issue or,
    for a draft, the day it is printed."""
    head = letterhead(document.organization, document.issued_on or on)
    return Heading(
        superior=head.superior,
        issuer=head.issuer,
        number_line=document.number_line
        if document.is_issued
        else rules.number_line(None, document.type_symbol, head.issuer_symbol),
        place_date=rules.place_date(head.place, document.issued_on or on),
    )


def rendered(document: Document, fmt: str, on: date) -> bytes:
    """The document's file: as issued (the stored file) or, for a draft, written now."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    stored = document.docx if fmt == "docx" else document.pdf
    if document.is_issued and stored:
        with stored.open("rb") as handle:
            return handle.read()
    return render(heading_of(document, on), Content.from_json(document.content), fmt)


def render(heading: Heading, content: Content, fmt: str) -> bytes:
    """The file in `fmt`; every text made printable first (a minutes' text pasted from Word may
    hold control characters that DOCX refuses)."""
    heading = Heading(**_printable(asdict(heading)))
    content = Content.from_json(_printable(content.as_json()))
    return render_docx(heading, content) if fmt == "docx" else render_pdf(heading, content)


def _printable(data):
    if isinstance(data, str):
        return rules.printable(data)
    if isinstance(data, dict):
        return {key: _printable(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_printable(value) for value in data]
    return data


def file_name(document: Document, fmt: str) -> str:
    """ "bc-12-2025.docx", or "du-thao-bc-2025-41.docx" for a draft: short, ASCII-safe."""
    from django.utils.text import slugify

    symbol = slugify(document.type_symbol) or "vb"
    if document.number is not None:
        return f"{symbol}-{document.number:02d}-{document.year}.{fmt}"
    return f"du-thao-{symbol}-{document.year}-{document.pk}.{fmt}"


def content_sha256(content: dict, figures: dict) -> str:
    """A checksum of what the document says and the data it was written from."""
    canonical = json.dumps(
        {"content": content, "figures": figures, "revision": TEMPLATE_REVISION},
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# Who writes which documents (core.access): a cell's chi ủy its cell's reports, invitations and
# minutes (RECORDS); the inspection commission its programme (INSPECT); the office everything in
# its subtree (MANAGE covers every action). Reading the register needs VIEW.
WRITE_ACTION = {
    DocType.ANNUAL_REPORT: access.RECORDS,
    DocType.MIDYEAR_REPORT: access.RECORDS,
    DocType.INVITATION: access.RECORDS,
    DocType.MINUTES: access.RECORDS,
    DocType.INSPECTION_PROGRAMME: access.INSPECT,
    DocType.BADGE_LIST: access.MANAGE,
}


def may_write(scope: Scope, organization: Organization, doc_type: str) -> bool:
    return scope.covers(organization.path, WRITE_ACTION[doc_type])


def report_type(kind: str) -> str:
    """The document type of the report job's kind ("annual", "midyear")."""
    return DocType.ANNUAL_REPORT if kind == "annual" else DocType.MIDYEAR_REPORT
