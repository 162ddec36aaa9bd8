"""REST API of the documents an organisation issues (issue 12): the register, one document, its file,
the office's edits of a draft, issuing it with its number, and the annual summary or the six-month
review written as a background job. The pages' selectors and services, the same scopes.

Whoever sees the issuer reads its register and its documents. Who may write a kind of document
(selectors.may_write: a cell's chi ủy its cell's reports, the office everything in its subtree)
edits, issues and asks for the reports; anyone else gets the same 404 as for what does not exist."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangvu.core import periods
from dangvu.core.access import Scope
from dangvu.core.api import API, JobOut, job_out
from dangvu.core.api_errors import ERRORS, ErrorOut, refused
from dangvu.core.api_pagination import Pages
from dangvu.core.audit import StaleVersionError
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from . import jobs, selectors, services
from .api_schemas import (
    DocumentDetailOut,
    DocumentOut,
    FileFilter,
    IssueIn,
    RegisterFilter,
    ReportIn,
    TextsIn,
)
from .content import Content
from .models import Document

router = Router(tags=["documents"])


# The file's answer as the OpenAPI schema tells it: the document itself, in the format asked.
FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "The document's file, as an attachment",
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in selectors.MEDIA_TYPES.values()
            },
        }
    }
}


# ------------------------------------------------------------------------------ small reads


def _organization(scope: Scope, code: str | None) -> Organization:
    """The organisation asked (404 outside the scope), or the caller's only top one."""
    organization = org_selectors.organization_or_single_top(scope, code)
    if organization is None:
        raise HttpError(422, _("Choose the issuing organisation with org=CODE."))
    return organization


def _out(document: Document) -> dict:
    pk = document.pk
    return {
        "id": pk,
        "organization": document.organization.code,
        "doc_type": document.doc_type,
        "type_symbol": document.type_symbol,
        "number": document.number,
        "number_line": document.number_line,
        "issued_on": document.issued_on,
        "title": document.title,
        "state": document.state,
        "year": document.year,
        "version": document.version,
        "created_by": document.created_by.get_username(),
        "issued_by": document.issued_by.get_username() if document.issued_by_id else None,
        "template_revision": document.template_revision,
        "content_sha256": document.content_sha256,
        "docx_sha256": document.docx_sha256,
        "pdf_sha256": document.pdf_sha256,
        "urls": {
            "page": document.get_absolute_url(),
            "docx": f"{API}/documents/{pk}/file?format=docx",
            "pdf": f"{API}/documents/{pk}/file?format=pdf",
        },
    }


def _detail(document: Document) -> dict:
    content = Content.from_json(document.content)
    sections = [
        {
            "index": index,
            "heading": s.heading,
            "text": s.text,
            "level": s.level,
            "editable": s.editable,
            "key": s.key,
            "table": (
                {"columns": s.table.columns, "rows": s.table.rows, "numbered": s.table.numbered}
                if s.table
                else None
            ),
        }
        for index, s in enumerate(content.sections)
    ]
    return {
        **_out(document),
        "content": {
            "type_name": content.type_name,
            "subject": content.subject,
            "addressee": content.addressee,
            "sections": sections,
            "signatures": [vars(s) for s in content.signatures],
            "recipients": content.recipients,
        },
        "figures": document.figures,
    }


def _indexed(texts: dict[str, str]) -> dict[int, str]:
    """The sections' texts by index; a key that is no section's index is refused as the service
    refuses a section that does not exist."""
    if any(not (key.isascii() and key.isdigit() and len(key) <= 6) for key in texts):
        raise ValidationError(_("This part of the document cannot be changed."))
    return {int(key): text for key, text in texts.items()}


class _Register:
    """The register's documents as the API answers them, a page at a time."""

    def __init__(self, documents: QuerySet[Document]):
        self.documents = documents

    def __len__(self) -> int:
        return self.documents.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [_out(d) for d in self.documents[page]]


# -------------------------------------------------------------------------------- documents


@router.get("/documents", response={200: list[DocumentOut], 404: ErrorOut, 422: ErrorOut})
@paginate(Pages)
def document_list(request, filters: Query[RegisterFilter]):
    """The register of an issuer (sổ văn bản): its drafts and issued documents, newest first;
    `year` keeps the documents about that year, `type` one kind."""
    organization = _organization(request.scope, filters.org)
    documents = selectors.documents_in(
        request.scope, organization, year=filters.year, doc_type=filters.type or ""
    )
    return _Register(documents)


@router.get("/documents/{document_id}", response={200: DocumentDetailOut, 404: ErrorOut})
def document_read(request, document_id: int):
    """One document with its sections (their index is the key of a PATCH's `texts`) and the
    figures its text was written from."""
    document = selectors.document_get(request.scope, document_id)
    selectors.health_data_logged(document, user=request.user, path=request.path)
    return _detail(document)


@router.get(
    "/documents/{document_id}/file", response={404: ErrorOut, 422: ErrorOut}, openapi_extra=FILE_RESPONSE
)
def document_file(request, document_id: int, filters: Query[FileFilter]):
    """The document as a file: `format` docx (editable in Word and LibreOffice) or pdf. An issued
    document answers the files kept when it was issued; a draft is written now."""
    document = selectors.document_get(request.scope, document_id)
    fmt = filters.format
    if fmt not in selectors.FORMATS:
        message = _("The file format must be docx or pdf.")
        return Status(422, {"detail": message, "errors": {"format": [message]}})
    content = selectors.rendered(document, fmt, periods.today())
    selectors.health_data_logged(document, user=request.user, path=request.path)
    response = HttpResponse(content, content_type=selectors.MEDIA_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{selectors.file_name(document, fmt)}"'
    return response


@router.patch("/documents/{document_id}", response={200: DocumentDetailOut, **ERRORS})
def document_patch(request, document_id: int, payload: TextsIn):
    """The office's edits of a draft (services.draft_text_update): `texts` maps a section's index to
    its new text (editable sections only), `addressee` the "Kính gửi" line, `recipients` the lines of
    "Nơi nhận" (one recipient each, "- " added when missing, blank lines dropped). `version` as read."""
    document = selectors.document_to_write(request.scope, document_id)
    try:
        document = services.draft_text_update(
            actor=request.user,
            document=document,
            expected_version=payload.version,
            texts=_indexed(payload.texts),
            addressee=payload.addressee,
            recipients=payload.recipients,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return _detail(document)


@router.post("/documents/{document_id}/issue", response={200: DocumentDetailOut, **ERRORS})
def document_issue(request, document_id: int, payload: IssueIn):
    """Issue the draft (services.issue): the register gives the next number of the issuer, type and
    year (or term), or `number` typed by the office when assigned elsewhere, which must be free;
    `issued_on` today when left out. Its DOCX and PDF are kept with their checksums."""
    document = selectors.document_to_write(request.scope, document_id)
    try:
        document = services.issue(
            actor=request.user,
            document=document,
            expected_version=payload.version,
            issued_on=payload.issued_on or periods.today(),
            number=payload.number,
        )
    except (ValidationError, StaleVersionError) as exc:
        return refused(exc)
    return _detail(document)


# ------------------------------------------------------------------------- the report as a job


def _report(request, kind: str, payload: ReportIn):
    scope = request.scope
    organization = _organization(scope, payload.org)
    if not selectors.may_write(scope, organization, selectors.report_type(kind)):
        raise Http404
    if payload.year > periods.today().year:
        message = _("A report cannot be written for a year that has not begun.")
        return Status(422, {"detail": message, "errors": {"year": [message]}})
    job = jobs.start_report_job(
        user=request.user, organization=organization, year=payload.year, kind=kind, fmt=payload.format
    )
    return Status(202, job_out(job))


@router.post("/reports/annual/document", response={202: JobOut, 404: ErrorOut, 422: ErrorOut})
def annual_document(request, payload: ReportIn):
    """Write the annual summary report (báo cáo tổng kết) of `org` for `year` into the register as a
    draft, in the background: answers the job; GET its `url` for the progress, the draft's id and,
    when done, the file in `format`."""
    return _report(request, "annual", payload)


@router.post("/reports/midyear/document", response={202: JobOut, 404: ErrorOut, 422: ErrorOut})
def midyear_document(request, payload: ReportIn):
    """The six-month review (sơ kết 6 tháng) of `org` for `year`, the same way."""
    return _report(request, "midyear", payload)
