from datetime import date

import pytest

from dangvu.core import metrics
from dangvu.core.periods import Year


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (69, 80, 86.3),  # the contract's own example
        (46, 59, 78.0),
        (1, 8, 12.5),
        (5, 16, 31.3),  # half-up: binary round() would give 31.2
        (1, 40, 2.5),
        (2, 3, 66.7),
        (12, 12, 100.0),
        (0, 7, 0.0),
    ],
)
def test_ratio_is_exact_and_rounded_half_up_to_one_decimal(numerator, denominator, expected):
    assert metrics.ratio(numerator, denominator) == {
        "numerator": numerator,
        "denominator": denominator,
        "value": expected,
    }


def test_ratio_with_no_denominator_has_no_value():
    assert metrics.ratio(0, 0) == {"numerator": 0, "denominator": 0, "value": None}


def test_only_contract_keys_can_be_registered():
    with pytest.raises(ValueError, match="not a key"):
        metrics.register("members.invented", kind=metrics.COUNT, label="x")


def test_the_catalogue_lists_every_key_of_the_contract_once():
    assert len(metrics.CATALOGUE) == len(set(metrics.CATALOGUE)) == 45
    assert "classification.cells.good_pct" in metrics.CATALOGUE


def test_as_of_defaults_to_year_end_or_today_in_the_current_year():
    assert Year(2023).default_as_of(date(2026, 11, 27)) == date(2023, 12, 31)
    assert Year(2026).default_as_of(date(2026, 11, 27)) == date(2026, 11, 27)


def test_metric_context_does_not_look_past_the_as_of_date():
    ctx = metrics.MetricContext(root_path="/x/", year=Year(2024), as_of=date(2024, 6, 30))
    assert ctx.last_day == date(2024, 6, 30)
