"""Writes of targets and entered figures (issue 11): the office of the organisation sets its year's
targets (or copies last year's) and, for a first-year installation, types the figures of the years
before. Each write is one transaction, audited."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dangvu.core import metrics, periods
from dangvu.core.audit import save_audited, soft_delete, update_versioned
from dangvu.organization.models import Organization

from . import rules
from .models import EnteredFigure, Target


def _year(year: int) -> None:
    if not periods.FIRST_YEAR <= year <= periods.LAST_YEAR:
        raise ValidationError({"year": _("Choose a year between 1930 and 2100.")})


def _metric(key: str) -> metrics.Metric:
    found = metrics.get(key)
    if found is None:
        raise ValidationError({"metric": _("Choose the figure from the list.")})
    return found


def _values(*, metric: str, op: str, value, text: str, note: str) -> dict:
    """A target's fields, checked: a figure with its comparison and value, or a written text."""
    metric, text, note = metric.strip(), text.strip(), note.strip()
    if not metric:
        if not text:
            raise ValidationError({"text": _("Write the target, or choose a figure.")})
        return {"metric": "", "op": "", "value": None, "text": text, "note": note}
    kind = _metric(metric).kind
    if op not in rules.OPS:
        raise ValidationError({"op": _("Choose how the figure is compared.")})
    problem = rules.value_problem(kind, value)
    if problem:
        raise ValidationError({"value": problem})
    return {"metric": metric, "op": op, "value": Decimal(str(value)), "text": text, "note": note}


def _check_once(organization: Organization, year: int, values: dict, exclude_pk: int | None = None) -> None:
    if not values["metric"]:
        return
    same = Target.objects.filter(
        organization=organization, year=year, metric=values["metric"], op=values["op"]
    )
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError({"metric": _("This figure already has a target of that kind this year.")})


@transaction.atomic
def target_add(
    *,
    actor,
    organization: Organization,
    year: int,
    metric: str = "",
    op: str = "",
    value=None,
    text: str = "",
    note: str = "",
) -> Target:
    """A target of the year: `metric` `op` `value` (a contract figure), or a written `text`."""
    _year(year)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    values = _values(metric=metric, op=op, value=value, text=text, note=note)
    _check_once(organization, year, values)
    last = Target.objects.filter(organization=organization, year=year).aggregate(last=Max("position"))["last"]
    target = Target(organization=organization, year=year, position=(last or 0) + 1, **values)
    save_audited(target, actor=actor, reason="target set")
    return target


@transaction.atomic
def target_update(
    *, actor, target: Target, expected_version: int, metric: str, op: str, value, text: str, note: str
) -> Target:
    values = _values(metric=metric, op=op, value=value, text=text, note=note)
    _check_once(target.organization, target.year, values, exclude_pk=target.pk)
    return update_versioned(
        target, actor=actor, expected_version=expected_version, changes=values, reason="target corrected"
    )


@transaction.atomic
def target_delete(*, actor, target: Target, expected_version: int) -> None:
    soft_delete(target, actor=actor, expected_version=expected_version, reason="target removed")


@transaction.atomic
def targets_copy(*, actor, organization: Organization, from_year: int, to_year: int) -> list[Target]:
    """Copy a year's targets to another year, in their order; those the other year already has (the
    same figure and comparison, or the same written text) are skipped. Returns the new ones."""
    _year(to_year)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    present = Target.objects.filter(organization=organization, year=to_year)
    have = {(t.metric, t.op) if t.metric else ("", t.text) for t in present}
    last = max((t.position for t in present), default=0)
    made = []
    for source in Target.objects.filter(organization=organization, year=from_year):
        key = (source.metric, source.op) if source.metric else ("", source.text)
        if key in have:
            continue
        last += 1
        copy = Target(
            organization=organization,
            year=to_year,
            metric=source.metric,
            op=source.op,
            value=source.value,
            text=source.text,
            note=source.note,
            position=last,
        )
        save_audited(copy, actor=actor, reason=f"target copied from {from_year}")
        made.append(copy)
    return made


# ---------------------------------------------------------------------------- entered figures


def _figure_values(kind: str, value, numerator: int | None, denominator: int | None, note: str) -> dict:
    """A ratio may be entered as its numerator and denominator (the value follows, rounded as the
    contract rounds) or as its value alone; a count as its value."""
    if kind == metrics.RATIO and numerator is not None and denominator is not None:
        if numerator < 0 or denominator <= 0 or numerator > denominator:
            raise ValidationError(
                {"numerator": _("The numerator is between 0 and the denominator, which is above 0.")}
            )
        computed = metrics.ratio(numerator, denominator)["value"]
        if value not in (None, "") and Decimal(str(value)) != Decimal(str(computed)):
            raise ValidationError(
                {
                    "value": _("%(n)d of %(d)d is %(value)s%%.")
                    % {"n": numerator, "d": denominator, "value": computed}
                }
            )
        value = computed
    elif kind == metrics.COUNT:
        numerator = denominator = None
    problem = rules.value_problem(kind, value)
    if problem:
        raise ValidationError({"value": problem})
    return {
        "value": Decimal(str(value)),
        "numerator": numerator,
        "denominator": denominator,
        "note": note.strip(),
    }


@transaction.atomic
def figure_enter(
    *,
    actor,
    organization: Organization,
    year: int,
    metric: str,
    value=None,
    numerator: int | None = None,
    denominator: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> EnteredFigure:
    """A past year's figure typed by the office (a year before this one). Entering it again corrects
    it (`expected_version` that of the row read)."""
    _year(year)
    if year >= periods.today().year:
        raise ValidationError(
            {"year": _("Figures are entered for past years only; this year's are computed.")}
        )
    kind = _metric(metric).kind
    values = _figure_values(kind, value, numerator, denominator, note)
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    existing = EnteredFigure.objects.filter(organization=organization, year=year, metric=metric).first()
    if existing:
        return update_versioned(
            existing,
            actor=actor,
            expected_version=expected_version if expected_version is not None else 0,
            changes=values,
            reason="figure corrected",
        )
    figure = EnteredFigure(organization=organization, year=year, metric=metric, **values)
    save_audited(figure, actor=actor, reason="figure entered")
    return figure


@transaction.atomic
def figure_delete(*, actor, figure: EnteredFigure, expected_version: int) -> None:
    soft_delete(figure, actor=actor, expected_version=expected_version, reason="figure removed")
