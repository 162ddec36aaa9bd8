"""Writes of the cells' regulation reviews (issue 8, point 3; metrics.md "Regulations")."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.core import periods
from dangvu.core.audit import save_audited, soft_delete
from dangvu.organization.models import Organization

from ..choices import RegulationKind, ReviewKind
from ..models import RegulationReview


@transaction.atomic
def regulation_review_record(
    *,
    actor,
    cell: Organization,
    regulation: str,
    review: str,
    reviewed_on: date,
    document_number: str = "",
    note: str = "",
) -> RegulationReview:
    """Record that a cell reviewed, amended or newly issued its working regulations or its
    coordination rules on a date (only the working regulations count for the figure)."""
    if not cell.is_cell:
        raise ValidationError({"cell": _("Regulation reviews are recorded for a cell.")})
    if regulation not in RegulationKind.values:
        raise ValidationError({"regulation": _("Choose the regulation from the list.")})
    if review not in ReviewKind.values:
        raise ValidationError({"review": _("Choose what was done from the list.")})
    if reviewed_on > periods.today():
        raise ValidationError({"reviewed_on": _("A review is dated today or on a past day.")})
    if reviewed_on.year < periods.FIRST_YEAR:
        raise ValidationError(
            {"reviewed_on": _("A review is dated in %(year)s or later.") % {"year": periods.FIRST_YEAR}}
        )
    record = RegulationReview(
        cell=cell,
        regulation=regulation,
        review=review,
        reviewed_on=reviewed_on,
        document_number=document_number.strip(),
        note=note.strip(),
    )
    save_audited(record, actor=actor, reason="regulation review recorded")
    return record


@transaction.atomic
def regulation_review_delete(*, actor, record: RegulationReview, expected_version: int) -> None:
    """A review recorded by mistake: soft-deleted, kept on record."""
    soft_delete(record, actor=actor, expected_version=expected_version)
