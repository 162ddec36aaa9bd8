"""Setting targets, copying them forward, entering past figures; the annual document's targets."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dangvu.core import metrics, periods
from dangvu.core.audit import StaleVersionError
from dangvu.targets import selectors, services
from dangvu.targets.models import EnteredFigure, Target


def _article_targets(world, year):
    """The article's targets for 2024 (shared/spec/metrics.md "Targets") and a written one."""
    for metric, op, value in (
        ("study.members_studied_pct", ">=", 100),
        ("regulations.cells_reviewed_pct", ">=", 100),
        ("inspection.cells_inspected", ">=", 12),
        ("classification.cells.completed_or_above_pct", ">=", 100),
        ("classification.cells.good_pct", ">", 80),
        ("classification.members.good_or_above_pct", ">=", 80),
    ):
        services.target_add(
            actor=world.office, organization=world.root, year=year, metric=metric, op=op, value=value
        )
    services.target_add(
        actor=world.office,
        organization=world.root,
        year=year,
        text="Giữ gìn phẩm chất đạo đức",
        note="Cả năm",
    )


def test_the_annual_document_lists_the_targets_with_their_actual_values(world):
    _article_targets(world, 2024)
    document = metrics.annual_document(organization=world.root, year=2024, as_of=None, on=periods.today())
    targets = document["targets"]
    assert [t["metric"] for t in targets] == [
        "study.members_studied_pct",
        "regulations.cells_reviewed_pct",
        "inspection.cells_inspected",
        "classification.cells.completed_or_above_pct",
        "classification.cells.good_pct",
        "classification.members.good_or_above_pct",
        None,
    ]
    cells_inspected = targets[2]
    assert cells_inspected == {
        "metric": "inspection.cells_inspected",
        "op": ">=",
        "value": 12,
        "actual": document["metrics"]["inspection.cells_inspected"]["value"],
        "met": False,  # no item concluded in the world: 0 cells
    }
    assert targets[4]["actual"] is None and targets[4]["met"] is False  # no cell rated: null is not met
    assert targets[-1] == {
        "metric": None,
        "text": "Giữ gìn phẩm chất đạo đức",
        "note": "Cả năm",
        "op": None,
        "value": None,
        "actual": None,
        "met": None,
    }


def test_a_target_of_another_organisation_or_year_is_not_listed(world):
    _article_targets(world, 2024)
    services.target_add(
        actor=world.office, organization=world.cell_a, year=2024, metric="members.total", op=">=", value=5
    )
    assert (
        metrics.annual_document(organization=world.root, year=2025, as_of=None, on=periods.today())["targets"]
        == []
    )
    cell = metrics.annual_document(organization=world.cell_a, year=2024, as_of=None, on=periods.today())
    assert [t["metric"] for t in cell["targets"]] == ["members.total"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"metric": "members.invented", "op": ">=", "value": 1}, "metric"),
        ({"metric": "members.total", "op": "~", "value": 1}, "op"),
        ({"metric": "classification.cells.good_pct", "op": ">", "value": 101}, "value"),
        ({"metric": "inspection.cells_inspected", "op": ">=", "value": "12.5"}, "value"),
        ({"metric": "", "text": "  "}, "text"),
    ],
)
def test_a_bad_target_is_refused_and_nothing_is_saved(world, fields, field):
    with pytest.raises(ValidationError) as refused:
        services.target_add(actor=world.office, organization=world.root, year=2024, **fields)
    assert field in refused.value.message_dict
    assert not Target.objects.exists()


def test_the_same_figure_and_comparison_is_set_once_a_year(world):
    services.target_add(
        actor=world.office, organization=world.root, year=2024, metric="members.total", op=">=", value=5
    )
    with pytest.raises(ValidationError):
        services.target_add(
            actor=world.office, organization=world.root, year=2024, metric="members.total", op=">=", value=6
        )
    # a ceiling beside the floor is another target
    services.target_add(
        actor=world.office, organization=world.root, year=2024, metric="members.total", op="<=", value=9
    )
    assert Target.objects.count() == 2


def test_copying_last_years_targets_keeps_their_order_and_skips_those_already_set(world):
    _article_targets(world, 2024)
    services.target_add(
        actor=world.office,
        organization=world.root,
        year=2025,
        metric="inspection.cells_inspected",
        op=">=",
        value=14,
    )
    made = services.targets_copy(actor=world.office, organization=world.root, from_year=2024, to_year=2025)
    assert len(made) == 6
    targets = selectors.targets_of(world.root, 2025)
    assert targets[0].metric == "inspection.cells_inspected" and targets[0].value == Decimal("14")
    assert [t.metric for t in targets[1:3]] == ["study.members_studied_pct", "regulations.cells_reviewed_pct"]
    assert targets[-1].text == "Giữ gìn phẩm chất đạo đức"
    # copying again adds nothing
    assert (
        services.targets_copy(actor=world.office, organization=world.root, from_year=2024, to_year=2025) == []
    )


def test_a_stale_target_edit_is_refused(world):
    target = services.target_add(
        actor=world.office, organization=world.root, year=2024, metric="members.total", op=">=", value=5
    )
    fields = {"metric": "members.total", "op": ">=", "text": "", "note": ""}
    services.target_update(actor=world.office, target=target, expected_version=1, value=6, **fields)
    with pytest.raises(StaleVersionError):
        services.target_update(actor=world.office, target=target, expected_version=1, value=7, **fields)
    target.refresh_from_db()
    assert target.value == Decimal("6")


def test_an_entered_figure_takes_the_place_of_the_computed_one_and_says_so(world):
    last_year = periods.today().year - 1
    services.figure_enter(
        actor=world.office,
        organization=world.root,
        year=last_year,
        metric="classification.cells.good_pct",
        numerator=46,
        denominator=59,
    )
    services.figure_enter(
        actor=world.office,
        organization=world.root,
        year=last_year,
        metric="inspection.cells_inspected",
        value=12,
    )
    figures = selectors.figures_of_year(world.root, last_year, periods.today())
    good = figures["classification.cells.good_pct"]
    assert (good.value, good.numerator, good.denominator, good.entered) == (78.0, 46, 59, True)
    assert figures["inspection.cells_inspected"].value == 12 and figures["inspection.cells_inspected"].entered
    # the others are computed
    assert figures["members.total"].entered is False
    assert set(figures) == set(metrics.CATALOGUE)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"metric": "classification.cells.good_pct", "numerator": 60, "denominator": 59}, "numerator"),
        (
            {"metric": "classification.cells.good_pct", "numerator": 46, "denominator": 59, "value": 80},
            "value",
        ),
        ({"metric": "inspection.cells_inspected", "value": -1}, "value"),
        ({"metric": "nothing.here", "value": 1}, "metric"),
    ],
)
def test_a_bad_entered_figure_is_refused(world, fields, field):
    with pytest.raises(ValidationError) as refused:
        services.figure_enter(
            actor=world.office, organization=world.root, year=periods.today().year - 1, **fields
        )
    assert field in refused.value.message_dict
    assert not EnteredFigure.objects.exists()


def test_this_years_figures_are_computed_not_entered(world):
    with pytest.raises(ValidationError) as refused:
        services.figure_enter(
            actor=world.office,
            organization=world.root,
            year=periods.today().year,
            metric="members.total",
            value=3,
        )
    assert "year" in refused.value.message_dict


def test_entering_a_figure_again_corrects_it_at_the_version_read(world):
    year = periods.today().year - 1
    first = services.figure_enter(
        actor=world.office, organization=world.root, year=year, metric="members.total", value=100
    )
    services.figure_enter(
        actor=world.office,
        organization=world.root,
        year=year,
        metric="members.total",
        value=101,
        expected_version=1,
    )
    with pytest.raises(StaleVersionError):
        services.figure_enter(
            actor=world.office,
            organization=world.root,
            year=year,
            metric="members.total",
            value=102,
            expected_version=1,
        )
    first.refresh_from_db()
    assert first.value == Decimal("101") and EnteredFigure.objects.count() == 1
