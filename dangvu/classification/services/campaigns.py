"""Opening and changing a year's review campaign (rules.md §1.1, §1.7 and "Product defaults")."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.core import notifications, periods
from dangvu.core.audit import save_audited, update_versioned
from dangvu.organization import selectors as org_selectors
from dangvu.organization.models import Organization

from .. import rules, selectors
from ..choices import CAP_RATES, CapBase, CountFrom, Grouping
from ..models import Campaign


@dataclass(frozen=True)
class Settings:
    """The campaign's settings of rules.md "Product defaults", with their defaults."""

    cap_base: str = CapBase.A
    cap_rate: Decimal = Decimal("0.20")
    grouping: str = Grouping.PER_COMMITTEE
    custom_groups: dict | None = None
    count_from: str = CountFrom.DECISION
    cell_warning: bool = True
    warning_threshold: int = 1
    special_unit: bool = False


def _check_settings(values: dict) -> None:
    if str(values["cap_rate"]) not in dict(CAP_RATES):
        raise ValidationError({"cap_rate": _("The cap is 20%, or 25% where the exception is granted.")})
    if values["cap_base"] not in CapBase.values or values["grouping"] not in Grouping.values:
        raise ValidationError(_("Choose the cap's base and grouping from the list."))
    if values["count_from"] not in CountFrom.values:
        raise ValidationError({"count_from": _("Choose where the six months are counted from.")})
    if values["warning_threshold"] < 1:
        raise ValidationError({"warning_threshold": _("The warning needs at least one member.")})


def _check_dates(year: int, start: date, end: date, review_date: date, special_unit: bool) -> None:
    problems = rules.campaign_problems(start, end, year, special_unit)
    if problems:
        raise ValidationError({p.field: p.message for p in problems})
    if not start <= review_date <= end:
        raise ValidationError({"review_date": _("The review date falls within the campaign.")})


def _settings_fields(settings: Settings) -> dict:
    values = {**settings.__dict__, "custom_groups": settings.custom_groups or {}}
    values["cap_rate"] = Decimal(str(values["cap_rate"])).quantize(Decimal("0.01"))
    return values


@transaction.atomic
def campaign_open(
    *,
    actor,
    organization: Organization,
    year: int,
    start: date,
    end: date,
    review_date: date | None = None,
    settings: Settings = Settings(),
    notify: bool = True,
    imported: bool = False,
) -> Campaign:
    """Open the year's review for the organisation's subtree, judged by the rules in force for the
    year (rules.md §1.1) and the given settings; tell each cell's committee."""
    if organization.is_cell or not selectors.has_cells(organization):
        raise ValidationError(_("A review campaign is opened by a committee that has cells under it."))
    review_date = review_date or end
    values = _settings_fields(settings)
    _check_settings(values)
    _check_dates(year, start, end, review_date, settings.special_unit)
    if selectors.overlapping(organization, year).exists():
        raise ValidationError(
            _("The review of %(year)d is already open for this organisation or part of it.") % {"year": year}
        )
    campaign = Campaign(
        organization=organization,
        year=year,
        start=start,
        end=end,
        review_date=review_date,
        rule_set=_rule_set_code(year, review_date),
        imported=imported,
        **values,
    )
    save_audited(campaign, actor=actor)
    if notify:
        _tell_cells(campaign)
    return campaign


def _tell_cells(campaign: Campaign) -> None:
    cells = selectors.cells_of(campaign)
    users = org_selectors.committee_users([c.pk for c in cells], periods.today())
    for cell in cells:
        notifications.notify(
            recipients=users.get(cell.pk, []),
            kind="classification.campaign",
            key=f"classification.campaign.{campaign.pk}.{cell.pk}",
            subject=_("Review and classification of %(year)d: until %(end)s")
            % {"year": campaign.year, "end": campaign.end.strftime("%d/%m/%Y")},
            body=_("Record the members' self-assessments and the cell's proposals before the deadline."),
            url=campaign.sheet_url(cell),
            scope_path=cell.path,
        )


def _rule_set_code(year: int, review_date: date) -> str:
    """The set in force on the review date (rules.md §1.1), or a refusal before the oldest one."""
    try:
        return rules.rule_set_for(year, review_date=review_date).code
    except ValueError as exc:  # before the oldest set encoded (132-QĐ/TW, 8/3/2018)
        message = _("No rules are encoded for a review held on %(date)s.")
        raise ValidationError({"year": message % {"date": f"{review_date:%d/%m/%Y}"}}) from exc


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, expected_version: int, **changes) -> Campaign:
    """Change the dates or the settings. A decision already taken stays; the checks of the next
    decisions use the new settings (and the rule set in force on the new review date), and the
    history shows when they changed."""
    values = {f: getattr(campaign, f) for f in Settings.__dataclass_fields__}
    values.update({k: v for k, v in changes.items() if k in values})
    values = _settings_fields(Settings(**values))
    _check_settings(values)
    dates = {f: changes.get(f, getattr(campaign, f)) for f in ("start", "end", "review_date")}
    _check_dates(campaign.year, dates["start"], dates["end"], dates["review_date"], values["special_unit"])
    rule_set = _rule_set_code(campaign.year, dates["review_date"])  # a new date may fall under another set
    return update_versioned(
        campaign,
        actor=actor,
        expected_version=expected_version,
        changes={**values, **dates, "rule_set": rule_set},
    )
