"""Writes of Party badges (rules.md §2): the badge register (sổ tặng Huy hiệu Đảng), a member's
grave illness (for an early award), the base salary and coefficient tables, a committee's settings.
Each write is one transaction, audited."""

import re
from calendar import monthrange
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.core import periods
from dangvu.core.audit import save_audited, soft_delete, update_versioned
from dangvu.members import rules as member_rules
from dangvu.members.choices import EventKind
from dangvu.members.models import Member, MemberEvent
from dangvu.members.services import facts_of
from dangvu.organization.models import Organization

from . import rules
from .choices import Early
from .models import Award, BadgeSettings, BaseSalary, Coefficient, Illness
from .selectors import settings_for

AWARD_FIELDS = (
    "awarded_on",
    "decision_number",
    "issuer",
    "batch",
    "early",
    "badge_number",
    "handed_over_on",
    "money_paid",
    "note",
)

# ------------------------------------------------------------------------------------ awards


def _death_of(member: Member) -> date | None:
    return (
        MemberEvent.objects.filter(member=member, kind=EventKind.DEATH, annulled=False)
        .values_list("date", flat=True)
        .first()
    )


def _number(member: Member, years: int, typed: str, exclude_pk: int | None = None) -> str:
    """The badge number in the register's form (§2.4), in the province's series when the committee
    set its symbol; numbers run on across the province, so no two badges of a kind share one."""
    if not typed.strip():
        return ""
    symbol = settings_for(member.person.organization).province_symbol
    problem = rules.number_problem(years, typed, symbol)
    if problem:
        raise ValidationError({"badge_number": problem})
    number = rules.normalise_number(typed, symbol)
    taken = Award.objects.filter(years=years, badge_number=number).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"badge_number": _("Badge number %(number)s is already in the register.") % {"number": number}}
        )
    return number


def _check_award(member: Member, years: int, values: dict, exclude_pk: int | None = None) -> None:
    """The register's checks (rules.md §2.1, §2.4): a milestone, once per member and badge, an award
    date not in the future, the early award's ground recorded, the Party age reached on the award
    date with the early allowance."""
    if years not in rules.MILESTONES:
        raise ValidationError({"years": _("Choose the badge from the list.")})
    awarded_on = values["awarded_on"]
    if awarded_on > periods.today():
        raise ValidationError({"awarded_on": _("The award date cannot be in the future.")})
    others = Award.objects.filter(member=member, years=years)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise ValidationError(
            {
                "years": _("This member already has the %(years)d-year badge in the register.")
                % {"years": years}
            }
        )
    if values["early"] not in Early.values:
        raise ValidationError({"early": _("Choose why the badge is awarded early from the list.")})
    ill = values["early"] == Early.GRAVELY_ILL
    died_on = _death_of(member)
    if ill and not Illness.objects.filter(member=member, recorded_on__lte=awarded_on).exists():
        raise ValidationError(
            {"early": _("Record the member's grave illness, with its evidence, before an early award.")}
        )
    if values["early"] == Early.POSTHUMOUS and (died_on is None or died_on > awarded_on):
        raise ValidationError({"early": _("A posthumous award needs the member's death recorded.")})
    history = member_rules.derive(facts_of(MemberEvent.objects.filter(member=member)))
    age = member_rules.party_age_months(history, awarded_on)
    if age is None:
        raise ValidationError(
            {
                "years": _("On %(day)s the member is not an official member: no Party age counts yet.")
                % {"day": f"{awarded_on:%d/%m/%Y}"}
            }
        )
    if not rules.eligible(age, years, gravely_ill=ill, deceased=values["early"] == Early.POSTHUMOUS):
        raise ValidationError(
            {
                "years": _(
                    "On %(day)s the member's Party age is %(full)d years %(months)d months: not enough "
                    "for the %(years)d-year badge."
                )
                % {"day": f"{awarded_on:%d/%m/%Y}", "full": age // 12, "months": age % 12, "years": years}
            }
        )
    handed = values["handed_over_on"]
    if handed and handed < awarded_on:
        raise ValidationError({"handed_over_on": _("The badge is handed over on or after the award date.")})
    if handed and handed > periods.today():
        raise ValidationError({"handed_over_on": _("The hand-over date cannot be in the future.")})
    batch = values["batch"]
    # the decision comes shortly before its batch's ceremony: a batch years away is a typing error
    if batch and abs((batch - awarded_on).days) > 366:
        raise ValidationError({"batch": _("The batch is within a year of the award date.")})


@transaction.atomic
def award_record(
    *,
    actor,
    member: Member,
    years: int,
    awarded_on: date,
    decision_number: str = "",
    issuer: str = "",
    batch: date | None = None,
    early: str = "",
    badge_number: str = "",
    handed_over_on: date | None = None,
    money_paid: int | None = None,
    note: str = "",
) -> Award:
    """A line of the badge register: the badge awarded to a member by a decision dated `awarded_on`
    (which decides the money)."""
    Member.objects.select_for_update().filter(pk=member.pk).first()
    values = {
        "awarded_on": awarded_on,
        "decision_number": decision_number.strip(),
        "issuer": issuer.strip(),
        "batch": batch,
        "early": early,
        "badge_number": _number(member, years, badge_number),
        "handed_over_on": handed_over_on,
        "money_paid": money_paid,
        "note": note.strip(),
    }
    _check_award(member, years, values)
    award = Award(member=member, years=years, **values)
    save_audited(award, actor=actor, reason="badge awarded")
    return award


@transaction.atomic
def award_update(*, actor, award: Award, expected_version: int, **fields) -> Award:
    """Correct a line of the register, or record the hand-over, the money paid, the number."""
    unknown = set(fields) - set(AWARD_FIELDS)
    if unknown:
        raise ValueError(f"unknown award fields: {sorted(unknown)}")
    values = {f: getattr(award, f) for f in AWARD_FIELDS} | fields
    for name in ("decision_number", "issuer", "note"):
        values[name] = (values[name] or "").strip()
    values["badge_number"] = _number(award.member, award.years, values["badge_number"] or "", award.pk)
    _check_award(award.member, award.years, values, exclude_pk=award.pk)
    return update_versioned(
        award, actor=actor, expected_version=expected_version, changes=values, reason="badge award corrected"
    )


@transaction.atomic
def award_delete(*, actor, award: Award, expected_version: int, reason: str = "") -> None:
    """Remove a line entered by mistake (kept, marked deleted)."""
    soft_delete(award, actor=actor, expected_version=expected_version, reason=reason or "badge award deleted")


# ----------------------------------------------------------------------------------- illness


@transaction.atomic
def illness_record(*, actor, member: Member, recorded_on: date, evidence: str = "") -> Illness:
    """That a member is gravely ill (health data), for an early award (rules.md §2.1)."""
    if recorded_on > periods.today():
        raise ValidationError({"recorded_on": _("The illness is recorded on a past day or today.")})
    illness = Illness(member=member, recorded_on=recorded_on, evidence=evidence.strip())
    save_audited(illness, actor=actor, reason="grave illness recorded")
    return illness


# ------------------------------------------------------------------------------------ tables


@transaction.atomic
def base_salary_add(*, actor, starts_on: date, amount: int, decree: str = "") -> BaseSalary:
    """A new base salary from a day, by decree (rules.md §2.6)."""
    if amount <= 0:
        raise ValidationError({"amount": _("The base salary is a positive amount.")})
    if BaseSalary.objects.filter(starts_on=starts_on).exists():
        raise ValidationError({"starts_on": _("A base salary already starts on that day.")})
    row = BaseSalary(starts_on=starts_on, amount=amount, decree=decree.strip())
    save_audited(row, actor=actor, reason="base salary added")
    return row


@transaction.atomic
def coefficient_set(
    *, actor, organization: Organization | None, years: int, starts_on: date, value: Decimal, source: str = ""
) -> Coefficient:
    """A badge's coefficient from a day: national (no organisation) or the committee's own for it and
    under it (rules.md §2.5: the 45, 85 and 90-year badges have no national amount). Setting it again
    for the same day corrects it."""
    if years not in rules.MILESTONES:
        raise ValidationError({"years": _("Choose the badge from the list.")})
    value = Decimal(value)
    if value <= 0:
        raise ValidationError({"value": _("The coefficient is a positive number.")})
    existing = Coefficient.objects.filter(organization=organization, years=years, starts_on=starts_on).first()
    if existing:
        return update_versioned(
            existing,
            actor=actor,
            expected_version=existing.version,
            changes={"value": value, "source": source.strip() or existing.source},
            reason="coefficient corrected",
        )
    row = Coefficient(
        organization=organization, years=years, starts_on=starts_on, value=value, source=source.strip()
    )
    save_audited(row, actor=actor, reason="coefficient set")
    return row


@transaction.atomic
def settings_save(
    *,
    actor,
    organization: Organization,
    batches: list[list[int]],
    province_symbol: str,
    wait_from_effective_date: bool,
    expected_version: int | None = None,
) -> BadgeSettings:
    """A committee's badge settings (rules.md "Product defaults"): the batch windows (each month in
    one window, each window ending in its batch's month), the province's symbol, where the wait
    after a discipline runs from. `expected_version` is that of the committee's own row (None or 0
    when it has none yet)."""
    try:
        parsed = tuple(rules.Batch(int(m), int(d), int(f)) for m, d, f in batches)
        # a day every year has (a batch on 29/02 would not exist three years in four)
        valid = all(
            1 <= b.month <= 12 and 1 <= b.first_month <= 12 and 1 <= b.day <= monthrange(2023, b.month)[1]
            for b in parsed
        )
    except (TypeError, ValueError):
        parsed, valid = (), False
    problem = (
        rules.windows_problem(parsed)
        if valid
        else _("Each batch is a day that exists in its month, the month, and the first month of its window.")
    )
    if problem:
        raise ValidationError({"batches": problem})
    symbol = province_symbol.strip().upper()
    if symbol and not re.fullmatch(r"[A-ZĐ]{2,4}", symbol):
        raise ValidationError({"province_symbol": _("The province's symbol is 2 to 4 capital letters.")})
    values = {
        "batches": [[b.month, b.day, b.first_month] for b in parsed],
        "province_symbol": symbol,
        "wait_from_effective_date": wait_from_effective_date,
    }
    own = BadgeSettings.objects.filter(organization=organization).first()
    if own:
        return update_versioned(
            own, actor=actor, expected_version=expected_version or 0, changes=values, reason="settings saved"
        )
    row = BadgeSettings(organization=organization, **values)
    save_audited(row, actor=actor, reason="settings saved")
    return row
