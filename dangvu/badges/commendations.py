"""The commendations register (rules.md §1.10): the certificates and merits (giấy khen, bằng khen)
given to organisations and members, with the money where the rules set it. Writes and reads in one
module: the register is small and its reads serve its writes (what to record next).

No retyping: the members and cells rated "excellent" (hoàn thành xuất sắc nhiệm vụ) in a year's
final classification and not yet commended for that year are offered (`offered_from_classification`);
recording one of them takes its rated year, and the money of a member's giấy khen follows §1.10:
0.3 × the base salary in force on the decision date (HD 56-HD/VPTW, [MED]). The other amounts of
§1.10 (1.0 and 1.5 × for 5 consecutive years) depend on the issuing level, which the register does
not know: the office types them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from dangvu.classification.choices import Level, Stage
from dangvu.classification.models import CellRating, MemberRating
from dangvu.core import access, periods
from dangvu.core.access import Scope
from dangvu.core.audit import save_audited, soft_delete, update_versioned
from dangvu.members.models import Member
from dangvu.organization.models import Organization

from . import rules
from .choices import CommendationForm
from .models import Commendation
from .selectors import base_salary_on

# rules.md §1.10 (HD 56-HD/VPTW, 27/10/2015; [MED]): the money with a grassroots committee's giấy
# khen to a member rated HTXSNV in the year, in base salaries.
EXCELLENT_MEMBER_COEFFICIENT = Decimal("0.3")
EDITABLE = ("form", "issuer", "decision_number", "decided_on", "reason", "rated_year", "amount")

# ------------------------------------------------------------------------------------ rules


def rated_excellent_amount(coefficient: Decimal, base_salary: int | None) -> int | None:
    """The money with a member's giấy khen for HTXSNV (§1.10): coefficient × the base salary in
    force on the decision date, in whole VND; None without a base salary on that day."""
    return rules.amount(coefficient, base_salary)


# ----------------------------------------------------------------------------------- writes


def _check(
    *, organization: Organization, member: Member | None, form: str, issuer: str, decided_on, rated_year
) -> None:
    """The checks of one commendation, whatever the write."""
    if form not in CommendationForm.values:
        raise ValidationError({"form": _("Choose the form of the commendation from the list.")})
    if not issuer.strip():
        raise ValidationError({"issuer": _("Write who issued the commendation.")})
    if decided_on > periods.today():
        raise ValidationError({"decided_on": _("The commendation's decision date is not in the future.")})
    if rated_year is not None and not (periods.FIRST_YEAR <= rated_year <= decided_on.year):
        raise ValidationError({"rated_year": _("The rated year is the decision's year or a year before it.")})
    if member is not None and member.person.organization_id != organization.pk:
        raise ValidationError(
            {
                "organization": _("A member's commendation is kept at the member's cell: %(cell)s.")
                % {"cell": member.person.organization}
            }
        )


def _rated_excellent(member: Member, year: int) -> bool:
    return MemberRating.objects.filter(
        member=member,
        campaign__year=year,
        campaign__deleted_at__isnull=True,
        stage=Stage.DECIDED,
        decided_level=Level.EXCELLENT,
    ).exists()


def _default_amount(*, member, form: str, decided_on: date, rated_year: int | None) -> int | None:
    """The money §1.10 sets for a member's giấy khen for the year's HTXSNV rating, else None."""
    if member is None or form != CommendationForm.CERTIFICATE or rated_year is None:
        return None
    if not _rated_excellent(member, rated_year):
        return None
    return rated_excellent_amount(EXCELLENT_MEMBER_COEFFICIENT, base_salary_on(decided_on))


def _check_once(commendation: Commendation) -> None:
    """One commendation of a form from an issuer per subject and rated year: a second is a typo."""
    if commendation.rated_year is None:
        return
    issuers = (
        Commendation.objects.filter(
            organization=commendation.organization,
            member=commendation.member,
            form=commendation.form,
            rated_year=commendation.rated_year,
        )
        .exclude(pk=commendation.pk)
        .values_list("issuer", flat=True)
    )
    if commendation.issuer.casefold() in {issuer.casefold() for issuer in issuers}:
        raise ValidationError(_("This commendation is already in the register for that year."))


@transaction.atomic
def commendation_add(
    *,
    actor,
    organization: Organization,
    member: Member | None = None,
    form: str,
    issuer: str,
    decision_number: str = "",
    decided_on: date,
    reason: str = "",
    rated_year: int | None = None,
    amount: int | None = None,
) -> Commendation:
    """Record a commendation of an organisation, or of a member (kept at the member's cell). The
    money of a member's giấy khen for an "excellent" rating of `rated_year` is set by §1.10 when
    none is typed."""
    _check(
        organization=organization,
        member=member,
        form=form,
        issuer=issuer,
        decided_on=decided_on,
        rated_year=rated_year,
    )
    if amount is None:
        amount = _default_amount(member=member, form=form, decided_on=decided_on, rated_year=rated_year)
    commendation = Commendation(
        organization=organization,
        member=member,
        form=form,
        issuer=issuer.strip(),
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        reason=reason.strip(),
        rated_year=rated_year,
        amount=amount,
    )
    _check_once(commendation)
    save_audited(commendation, actor=actor, reason="commendation recorded")
    return commendation


@transaction.atomic
def commendation_update(
    *, actor, commendation: Commendation, expected_version: int, **changes
) -> Commendation:
    """Correct a commendation (its subject stays: delete it and record another to change it)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"unknown commendation fields: {sorted(unknown)}")
    merged = {field: changes.get(field, getattr(commendation, field)) for field in EDITABLE}
    _check(
        organization=commendation.organization,
        member=commendation.member,
        form=merged["form"],
        issuer=merged["issuer"],
        decided_on=merged["decided_on"],
        rated_year=merged["rated_year"],
    )
    for text in ("issuer", "decision_number", "reason"):
        if text in changes:
            changes[text] = changes[text].strip()
    probe = Commendation(
        pk=commendation.pk,
        organization=commendation.organization,
        member=commendation.member,
        form=merged["form"],
        issuer=merged["issuer"].strip(),
        rated_year=merged["rated_year"],
    )
    _check_once(probe)
    return update_versioned(
        commendation,
        actor=actor,
        expected_version=expected_version,
        changes=changes,
        reason="commendation corrected",
    )


@transaction.atomic
def commendation_delete(*, actor, commendation: Commendation, expected_version: int) -> None:
    """Take a commendation out of the register (kept in the database, audited)."""
    soft_delete(commendation, actor=actor, expected_version=expected_version, reason="commendation deleted")


# ------------------------------------------------------------------------------------ reads


def can_record(scope: Scope, organization: Organization) -> bool:
    """The office of the subtree keeps the register."""
    return scope.covers(organization.path, access.MANAGE)


def commendations_in(scope: Scope, organization: Organization, year: int) -> QuerySet[Commendation]:
    """The commendations decided in `year` for the organisation's subtree (itself included) that
    the user may see, newest first."""
    return (
        access.restrict(Commendation.objects, scope)
        .filter(organization__path__startswith=organization.path, decided_on__year=year)
        .select_related("organization", "member__person")
        .order_by("-decided_on", "organization__path", "pk")
    )


def commendation_get(scope: Scope, pk: int, action: str = access.VIEW) -> Commendation:
    """One commendation in the scope, or 404."""
    found = Commendation.objects.select_related("organization", "member__person")
    return access.get_for_user_or_404(found, scope, action, pk=pk)


@dataclass(frozen=True)
class Offer:
    """A member or a cell rated "excellent" in a year's final classification, not yet commended
    for it: what the office would record (form and rated year), without retyping."""

    organization: Organization  # the cell: the member's, or the one rated
    member: Member | None
    rated_year: int
    decided_on: date | None  # the rating's decision
    exemplary: bool  # a cell marked "tiêu biểu" (§1.10: its giấy khen comes from the committee)
    form: str = CommendationForm.CERTIFICATE


def _not_commended(year: int, *, member_ref: str | None, cell_ref: str | None) -> Exists:
    commended = Commendation.objects.filter(rated_year=year)
    if member_ref:
        commended = commended.filter(member=OuterRef(member_ref))
    else:
        commended = commended.filter(member__isnull=True, organization=OuterRef(cell_ref))
    return ~Exists(commended)


def _final_excellent(model, scope: Scope, organization: Organization, year: int) -> QuerySet:
    return access.restrict(model.objects, scope).filter(
        Q(cell__path__startswith=organization.path),
        campaign__year=year,
        campaign__deleted_at__isnull=True,
        stage=Stage.DECIDED,
        decided_level=Level.EXCELLENT,
    )


def offered_from_classification(scope: Scope, organization: Organization, year: int) -> list[Offer]:
    """The members and cells of the subtree rated "excellent" in `year`'s final classification with
    no commendation for that year yet, members first, in the cells' order. Two queries."""
    members = (
        _final_excellent(MemberRating, scope, organization, year)
        .filter(_not_commended(year, member_ref="member_id", cell_ref=None), member__deleted_at__isnull=True)
        .select_related("cell", "member__person__organization")
        .order_by("cell__path", "member__person__sort_key", "pk")
    )
    cells = (
        _final_excellent(CellRating, scope, organization, year)
        .filter(_not_commended(year, member_ref=None, cell_ref="cell_id"))
        .select_related("cell")
        .order_by("cell__path", "pk")
    )
    offers = [
        Offer(
            organization=r.member.person.organization,
            member=r.member,
            rated_year=year,
            decided_on=r.decided_on,
            exemplary=False,
        )
        for r in members
    ]
    offers += [
        Offer(
            organization=r.cell, member=None, rated_year=year, decided_on=r.decided_on, exemplary=r.exemplary
        )
        for r in cells
    ]
    return offers


def subjects_for_record(scope: Scope, organization: Organization) -> tuple[QuerySet, QuerySet]:
    """Who may be commended from the organisation's register: the organisations of its subtree the
    user records for, in tree order, and the members of their cells, by given name (each one query)."""
    organizations = (
        access.restrict(Organization.objects.all(), scope, access.MANAGE)
        .filter(path__startswith=organization.path)
        .order_by("path")
    )
    members = (
        access.restrict(Member.objects.all(), scope, access.MANAGE)
        .filter(person__organization__path__startswith=organization.path)
        .select_related("person__organization")
        .order_by("person__sort_key", "pk")
    )
    return organizations, members
