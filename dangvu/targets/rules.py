"""The rules of targets (shared/spec/metrics.md "Targets", "Settled readings: Time"), pure: whether a
figure meets a target, and which values a target may take."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .choices import Op

OPS: tuple[str, ...] = tuple(Op.values)


def met(op: str, target: Decimal, actual: float | int | None) -> bool:
    """Whether the published (rounded) figure meets the target (metrics.md "Time": "A target is met by
    comparing the published (rounded) value; a null value is not met"). Compared as exact decimals:
    80.0 is not more than 80."""
    if actual is None:
        return False
    figure = Decimal(str(actual))
    target = Decimal(target)
    return {
        ">=": figure >= target,
        ">": figure > target,
        "<=": figure <= target,
        "<": figure < target,
        "=": figure == target,
    }[op]


def value_problem(kind: str, value: Decimal | str | None) -> str:
    """Why a target's value does not fit its figure (`kind` core.metrics COUNT or RATIO), or "": a
    percentage is between 0 and 100 with at most one decimal (the figures' precision), a count a
    whole number from 0."""
    try:
        number = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        return _("Enter the target's value as a number.")
    if kind == "ratio":
        if not 0 <= number <= 100 or number != number.quantize(Decimal("0.1")):
            return _("A percentage target is between 0 and 100, with at most one decimal.")
    elif number < 0 or number != number.to_integral_value():
        return _("A count target is a whole number from 0.")
    return ""


def published(value: Decimal) -> int | float:
    """A target's value as the JSON document writes it: 80, not 80.0; 86.3 as is."""
    return int(value) if value == value.to_integral_value() else float(value)
