"""Writes: store a draft, edit its text, issue it with its number, delete a draft, the settings.

The builders (documents.builders.*) write the draft's content from the data; these services keep
it. Every write is audited and version-checked like every Party record (core.audit).
"""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dangvu.core.audit import StaleVersionError, save_audited, soft_delete, update_versioned
from dangvu.core.periods import today
from dangvu.organization.models import Organization

from . import rules, selectors
from .choices import DocState, Numbering
from .content import Content, Draft
from .models import Document, DocumentSettings, Sequence
from .render import TEMPLATE_REVISION

MAX_SECTION_TEXT = 20_000
MAX_RECIPIENTS = 50
MAX_NUMBER = 99_999  # the register's numbers, 1 to this


@transaction.atomic
def draft_create(*, actor, draft: Draft) -> Document:
    content = draft.content.as_json()
    type_symbol, issuer_symbol = selectors.symbols(draft.organization, draft.doc_type)
    document = Document(
        organization=draft.organization,
        doc_type=draft.doc_type,
        type_symbol=type_symbol,
        issuer_symbol=issuer_symbol,
        year=draft.year,
        source=draft.source,
        title=draft.title[:500],
        content=content,
        figures=draft.figures,
        template_revision=TEMPLATE_REVISION,
        content_sha256=selectors.content_sha256(content, draft.figures),
        created_by=actor,
    )
    save_audited(document, actor=actor, reason="draft written from the data")
    return document


@transaction.atomic
def draft_text_update(
    *,
    actor,
    document: Document,
    expected_version: int,
    texts: dict[int, str],
    addressee: str | None = None,
    recipients: list[str] | None = None,
) -> Document:
    """The office's edits of a draft: the text of its editable sections (by index), the addressee,
    the recipients ("Nơi nhận", one per line, each written "- …").

    The figures stay those the draft was written from; an issued document is not edited.
    """
    if document.is_issued:
        raise ValidationError(_("An issued document cannot be changed."))
    content = Content.from_json(document.content)
    for index, text in texts.items():
        if not 0 <= index < len(content.sections) or not content.sections[index].editable:
            raise ValidationError(_("This part of the document cannot be changed."))
        if len(text) > MAX_SECTION_TEXT:
            raise ValidationError(
                _("A part of the document may hold at most %(n)s characters.")
                % {"n": f"{MAX_SECTION_TEXT:,}"}
            )
        content.sections[index].text = rules.printable(text).strip()
    if addressee is not None:
        content.addressee = rules.printable(addressee).strip()[:500]
    if recipients is not None:
        lines = [rules.printable(line).strip() for line in recipients]
        lines = [line if line.startswith("-") else f"- {line}" for line in lines if line]
        if len(lines) > MAX_RECIPIENTS:
            raise ValidationError(_("At most %(n)s recipients.") % {"n": MAX_RECIPIENTS})
        content.recipients = lines
    data = content.as_json()
    return update_versioned(
        document,
        actor=actor,
        expected_version=expected_version,
        changes={"content": data, "content_sha256": selectors.content_sha256(data, document.figures)},
        reason="draft edited",
    )


@transaction.atomic
def issue(
    *, actor, document: Document, expected_version: int, issued_on: date, number: int | None = None
) -> Document:
    """Give the draft its number and date and keep its files as issued.

    Without `number` the register gives the next one of the issuer, type and run (year or term);
    a `number` typed by the office (assigned elsewhere) must be free in that run, and the register
    then continues after it.
    """
    if document.is_issued:
        raise ValidationError(_("This document has already been issued."))
    if issued_on > today():
        raise ValidationError(_("The date of issue cannot be in the future."))
    if issued_on.year < document.year - 1:  # a report is issued in its year or early the next
        raise ValidationError(_("The date of issue cannot be before %(year)s.") % {"year": document.year - 1})
    if number is not None and not 0 < number <= MAX_NUMBER:
        raise ValidationError(_("The number must be a whole number from 1 to 99999."))
    own = selectors.settings_of(document.organization)
    issuer_symbol = selectors.issuer_symbol(own)
    period = rules.period_key(own.numbering, issued_on, own.term_starts_on)
    sequence = _sequence(document.organization, document.type_symbol, period)
    typed = number is not None
    if number is None:
        number = _next_number(sequence)
    else:
        _check_free(document, period, number, issuer_symbol)
        Sequence.objects.filter(pk=sequence.pk, last__lt=number).update(last=number)
    changes = {
        "state": DocState.ISSUED,
        "issuer_symbol": issuer_symbol,
        "number": number,
        "number_typed": typed,
        "period": period,
        "issued_on": issued_on,
        "issued_by": actor,
        "template_revision": TEMPLATE_REVISION,
    }
    try:
        with transaction.atomic():
            update_versioned(
                document, actor=actor, expected_version=expected_version, changes=changes, reason="issued"
            )
    except IntegrityError as exc:  # the same number typed twice at once: the constraint decides
        raise ValidationError(_number_taken(document, number, issuer_symbol)) from exc
    _keep_files(document)
    return document


def _keep_files(document: Document) -> None:
    """Write the issued document's DOCX and PDF once, and keep them with their checksums."""
    heading = selectors.heading_of(document, document.issued_on)
    content = Content.from_json(document.content)
    stored: dict[str, str] = {}
    for fmt in selectors.FORMATS:
        data = selectors.render(heading, content, fmt)
        field = getattr(document, fmt)
        field.save(selectors.file_name(document, fmt), ContentFile(data), save=False)
        stored[fmt], stored[f"{fmt}_sha256"] = field.name, hashlib.sha256(data).hexdigest()
        setattr(document, f"{fmt}_sha256", stored[f"{fmt}_sha256"])
    Document.all_objects.filter(pk=document.pk).update(**stored)


def _sequence(organization: Organization, type_symbol: str, period: str) -> Sequence:
    """The counter row, created on first use (get_or_create catches a concurrent creation)."""
    sequence, _created = Sequence.objects.get_or_create(
        organization=organization, type_symbol=type_symbol, period=period
    )
    return sequence


def _next_number(sequence: Sequence) -> int:
    """The next number: the UPDATE takes the row's lock until the transaction ends, so a second
    issue waits for the first. (A typed number raises `last`: the next one never meets it.)"""
    Sequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    return Sequence.objects.values_list("last", flat=True).get(pk=sequence.pk)


def _check_free(document: Document, period: str, number: int, issuer_symbol: str) -> None:
    if Document.objects.filter(
        organization=document.organization, type_symbol=document.type_symbol, period=period, number=number
    ).exists():
        raise ValidationError(_number_taken(document, number, issuer_symbol))


def _number_taken(document: Document, number: int, issuer_symbol: str) -> str:
    return _("Number %(number)s is already in the register for this year (or term).") % {
        "number": rules.number_line(number, document.type_symbol, issuer_symbol).removeprefix("Số ")
    }


@transaction.atomic
def draft_delete(*, actor, document: Document, expected_version: int) -> None:
    """A draft may be thrown away (kept, marked deleted); an issued document stays in the register."""
    if document.is_issued:
        raise ValidationError(_("An issued document stays in the register; it cannot be deleted."))
    soft_delete(document, actor=actor, expected_version=expected_version, reason="draft deleted")


SETTINGS_FIELDS = (
    "superior",
    "issuer",
    "issuer_symbol",
    "place",
    "authority",
    "signer_title",
    "signer_name",
    "numbering",
    "term_starts_on",
    "type_symbols",
)


@transaction.atomic
def settings_save(
    *, actor, organization: Organization, values: dict, expected_version: int | None
) -> DocumentSettings:
    """The issuer's letterhead and numbering. A run per term needs the term's first day.

    `expected_version` None means the form was read when the issuer had no settings yet: if another
    office user saved them since, the save is refused as stale rather than overwriting theirs.
    """
    values = {k: rules.printable(v).strip() if isinstance(v, str) else v for k, v in values.items()}
    if values.get("numbering") == Numbering.TERM and not values.get("term_starts_on"):
        raise ValidationError(_("Numbering per term needs the first day of the term."))
    symbols = {k: rules.printable(v).strip() for k, v in (values.get("type_symbols") or {}).items()}
    if any(
        not rules.SYMBOL_PATTERN.fullmatch(s)
        for s in [*symbols.values(), values.get("issuer_symbol", "")]
        if s
    ):
        raise ValidationError(_("A symbol is made of letters only, at most 8 (for example BC, CTr)."))
    values = {**values, "type_symbols": {k: v for k, v in symbols.items() if v}}
    own = DocumentSettings.objects.filter(organization=organization).first()
    if own is None:
        if expected_version is not None:  # the settings were there when the form was read
            raise StaleVersionError(0)
        own = DocumentSettings(organization=organization, **values)
        try:
            with transaction.atomic():
                save_audited(own, actor=actor, reason="document settings")
        except IntegrityError as exc:  # another office user saved the first settings at the same time
            raise StaleVersionError(1) from exc
        return own
    if expected_version is None:
        raise StaleVersionError(own.version)
    return update_versioned(
        own, actor=actor, expected_version=expected_version, changes=values, reason="document settings"
    )
