"""How a target and a figure read on the pages, the way a report writes them: "Tỷ lệ chi bộ hoàn
thành tốt nhiệm vụ > 80%", "≥ 12", "86,3%", "1.800.000 đ"."""

from decimal import Decimal

from django.utils import formats

from dangvu.core import metrics

from .models import Target

MONEY = frozenset({"badges.reward_total_vnd", "badges.reward_forecast_next_year_vnd"})
SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


def shown(key: str, value) -> str:
    """A figure the way a report writes it: "78%", "86,3%", "12", "1.800.000 đ"; "—" when null."""
    metric = metrics.get(key)
    if value is None or metric is None:
        return "—"
    number = Decimal(str(value))
    places = 0 if number == number.to_integral_value() else 1
    text = formats.number_format(number, places, use_l10n=True, force_grouping=True)
    if metric.kind == metrics.RATIO:
        return f"{text}%"
    return f"{text} đ" if key in MONEY else text


def comparison(target: Target) -> str:
    """The comparison and the value: "≥ 100%", "> 80%"."""
    return f"{SYMBOLS.get(target.op, target.op)} {shown(target.metric, target.value)}"


def wording(target: Target) -> str:
    """A figure's target as a report writes it: "Tỷ lệ chi bộ hoàn thành tốt nhiệm vụ > 80%"."""
    metric = metrics.get(target.metric)
    label = str(metric.label) if metric else target.metric
    return f"{label} {comparison(target)}"
