"""The documents an organisation issues, their numbers, and the office's letterhead settings."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import PartyRecord
from dangvu.organization.models import Organization

from . import rules
from .choices import DocState, DocType, Numbering


class DocumentSettings(PartyRecord):
    """An issuer's letterhead and numbering, as the office sets them. Blank fields take the
    defaults derived from the organisation (rules.issuing_body, issuer_symbol, signature_lines)."""

    scope_path_lookup = "organization__path"

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="document_settings"
    )
    superior = models.CharField(_("directly superior body"), max_length=255, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=255, blank=True)
    issuer_symbol = models.CharField(_("issuer symbol"), max_length=16, blank=True)
    place = models.CharField(_("place written before the date"), max_length=100, blank=True)
    authority = models.CharField(_("signing on behalf of"), max_length=100, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    numbering = models.CharField(
        _("document numbers"), max_length=8, choices=Numbering.choices, default=Numbering.YEAR
    )
    term_starts_on = models.DateField(_("first day of the term"), null=True, blank=True)
    type_symbols = models.JSONField(_("type symbols"), default=dict, blank=True)

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return str(self.organization)


class Sequence(models.Model):
    """The register's counter: the last number given per issuer, type symbol and run (year or term).

    Numbers are taken by an UPDATE … SET last = last + 1, which holds the row's write lock until the
    transaction ends, so two documents issued at once never share a number.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    type_symbol = models.CharField(max_length=16)
    period = models.CharField(max_length=32)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "type_symbol", "period"], name="sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.type_symbol} {self.period}: {self.last}"


def _file_path(instance: "Document", filename: str) -> str:
    # A random folder: a file's address says nothing of its issuer and cannot be guessed.
    return f"documents/{secrets.token_hex(8)}/{filename}"


class Document(PartyRecord):
    """One document: a draft the office edits, then issued with its number, date and files.

    `content` is the builder's `content.Content` as JSON (the office's edits included); `figures`
    the data it was written from (the metrics, the rows), kept so that the issued text can be
    traced back to them; `template_revision` the renderer's revision that wrote the files.
    """

    scope_path_lookup = "organization__path"

    organization = models.ForeignKey(
        Organization, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="documents"
    )
    doc_type = models.CharField(_("kind of document"), max_length=24, choices=DocType.choices)
    type_symbol = models.CharField(max_length=16)
    issuer_symbol = models.CharField(max_length=16)  # as it was when written, then when issued
    year = models.PositiveSmallIntegerField(_("year"))  # the year the document is about
    source = models.CharField(max_length=64, blank=True)  # "session:12", "programme:3", "batch:2026-09-02"
    title = models.CharField(_("subject of the document"), max_length=500)
    state = models.CharField(_("state"), max_length=8, choices=DocState.choices, default=DocState.DRAFT)
    period = models.CharField(max_length=32, blank=True)  # the numbering run, once issued
    number = models.PositiveIntegerField(_("number in the register"), null=True, blank=True)
    number_typed = models.BooleanField(default=False)  # assigned elsewhere and typed by the office
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    content = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)
    template_revision = models.CharField(max_length=32)
    content_sha256 = models.CharField(max_length=64)
    docx = models.FileField(upload_to=_file_path, blank=True, max_length=255)
    pdf = models.FileField(upload_to=_file_path, blank=True, max_length=255)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-issued_on", "-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "type_symbol", "period", "number"],
                condition=Q(number__isnull=False, deleted_at__isnull=True),
                name="document_number_once",
            ),
            models.CheckConstraint(
                condition=Q(state=DocState.DRAFT) | Q(number__isnull=False, issued_on__isnull=False),
                name="issued_has_number_and_date",
            ),
        ]
        indexes = [models.Index(fields=["organization", "year"], name="document_org_year_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.state == DocState.ISSUED

    @property
    def number_line(self) -> str:
        """ "Số 12-BC/ĐU"; a draft's leaves the number blank (rules.number_line)."""
        return rules.number_line(self.number, self.type_symbol, self.issuer_symbol)
