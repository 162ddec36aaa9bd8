"""The demo's targets (issue 11, point 3): the article's 2024 targets with the written one, copied to
every later year with two values raised this year, and the figures typed for the year before the
demo's data, read as entered."""

import pytest

from dangvu.core import metrics
from dangvu.targets import selectors
from dangvu.targets.models import EnteredFigure, Target

from .conftest import TODAY

pytestmark = pytest.mark.django_db

ARTICLE = [
    ("study.members_studied_pct", ">=", 100),
    ("regulations.cells_reviewed_pct", ">=", 100),
    ("inspection.cells_inspected", ">=", 12),
    ("classification.cells.completed_or_above_pct", ">=", 100),
    ("classification.cells.good_pct", ">", 80),
    ("classification.members.good_or_above_pct", ">=", 80),
]


def _targets(root, year: int) -> list[tuple]:
    return [
        (t.metric, t.op, int(t.value)) if t.metric else ("", t.text) for t in selectors.targets_of(root, year)
    ]


def test_the_articles_targets_are_set_for_2024_and_copied_to_every_later_year(demo):
    written = ("", "Nâng cao phẩm chất đạo đức, lối sống của đảng viên")
    assert _targets(demo, 2024) == [*ARTICLE, written]
    assert _targets(demo, 2025) == [*ARTICLE, written]
    raised = {("inspection.cells_inspected", ">="): 15, ("classification.cells.good_pct", ">"): 85}
    assert _targets(demo, 2026) == [(m, op, raised.get((m, op), v)) for m, op, v in ARTICLE] + [written]
    assert Target.objects.filter(organization=demo, year=2024, metric="").get().note
    assert not Target.objects.exclude(organization=demo).exists()
    assert not Target.objects.filter(year__lt=2024).exists()
    # Each year's targets are judged in its annual document against its own figures.
    for year in (2024, 2025, 2026):
        document = metrics.annual_document(organization=demo, year=year, as_of=None, on=TODAY)
        *figures, text = document["targets"]
        assert len(figures) == 6 and text["metric"] is None and text["met"] is None
        for target in figures:
            assert target["actual"] == document["metrics"][target["metric"]]["value"], target
            assert isinstance(target["met"], bool), target


def test_the_year_before_the_data_has_entered_figures(demo):
    # The demo's complete years are 2023-2025: the office typed 2022's summary.
    assert set(EnteredFigure.objects.values_list("year", flat=True)) == {2022}
    figures = selectors.figures_of_year(demo, 2022, TODAY)
    good = figures["classification.cells.good_pct"]
    assert good.entered and (good.numerator, good.denominator) == (44, 60) and good.value == 73.3
    assert figures["study.members_studied_pct"].entered and figures["study.members_studied_pct"].value == 98.6
    assert figures["inspection.cells_inspected"].value == 11
    assert not figures["members.total"].entered  # not typed: computed (nothing before the data)
    assert not selectors.figures_of_year(demo, 2023, TODAY)["classification.cells.good_pct"].entered
