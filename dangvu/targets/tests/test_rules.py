"""Whether a figure meets a target, at the boundaries (shared/spec/metrics.md "Targets", "Time")."""

from decimal import Decimal

import pytest

from dangvu.targets import rules


@pytest.mark.parametrize(
    ("op", "target", "actual", "expected"),
    [
        (">", "80", 80.0, False),  # the article's "over 80% of cells good": 80.0 is not over 80
        (">", "80", 80.1, True),
        (">=", "80", 80.0, True),
        (">=", "80", 79.9, False),
        (">=", "100", 100.0, True),
        ("<=", "5", 5, True),
        ("<=", "5", 6, False),
        ("<", "5", 5, False),
        ("<", "5", 4.9, True),
        ("=", "12", 12, True),
        ("=", "12", 11, False),
        (">=", "12", 12, True),  # inspection.cells_inspected >= 12: 12 of 12 is met
        (">", "80", 78.0, False),  # the article's 2023: 46 of 59 cells good is 78%
    ],
)
def test_a_target_compares_the_published_figure(op, target, actual, expected):
    assert rules.met(op, Decimal(target), actual) is expected


@pytest.mark.parametrize("op", rules.OPS)
def test_a_figure_with_no_value_never_meets_a_target(op):
    assert rules.met(op, Decimal("0"), None) is False


def test_the_comparison_is_exact_not_binary_floating_point():
    # 0.1 + 0.2 in binary floating point is 0.30000000000000004; the published figure is 0.3
    assert rules.met("=", Decimal("0.3"), 0.3) is True
    assert rules.met("<=", Decimal("86.3"), 86.3) is True


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        ("ratio", "80", True),
        ("ratio", "100", True),
        ("ratio", "0", True),
        ("ratio", "86.3", True),
        ("ratio", "100.1", False),
        ("ratio", "-1", False),
        ("ratio", "86.25", False),
        ("count", "12", True),
        ("count", "0", True),
        ("count", "12.5", False),
        ("count", "-3", False),
        ("count", "abc", False),
        ("count", None, False),
        ("ratio", "NaN", False),
    ],
)
def test_the_values_a_target_may_take(kind, value, ok):
    assert (rules.value_problem(kind, value) == "") is ok


def test_a_whole_target_is_written_without_decimals():
    assert rules.published(Decimal("80.0")) == 80
    assert isinstance(rules.published(Decimal("80.0")), int)
    assert rules.published(Decimal("86.3")) == 86.3
