from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from dangvu.classification import rules, selectors
from dangvu.classification.choices import Level, Stage
from dangvu.classification.models import Campaign, CellRating, MemberRating
from dangvu.core import access, metrics
from dangvu.core.audit import SYSTEM_USERNAME
from dangvu.core.models import Notification
from dangvu.organization.choices import CELL_KINDS
from dangvu.organization.models import Organization, Person

pytestmark = pytest.mark.django_db


def _load(**options) -> str:
    out = StringIO()
    options.setdefault("members", 150)  # the default 2,000 is for the demo, not for every test
    call_command("load_demo", "--today", "2026-11-27", stdout=out, **options)
    return out.getvalue()


def test_the_demo_is_one_committee_with_about_60_cells_in_three_levels():
    output = _load()
    root = Organization.objects.get(parent__isnull=True)
    cells = Organization.objects.filter(kind__in=CELL_KINDS)
    assert cells.count() == 60 and Organization.objects.count() == 65
    assert max(Organization.objects.values_list("depth", flat=True)) == 2
    assert root.code == "DU-VUSTA"
    for username in ("vanphong", "lanhdao", "ubkt", "bithu.cb02", "dangvien.cb02"):
        assert username in output


def test_loading_again_keeps_the_data():
    _load()
    people = Person.objects.count()
    output = _load()
    assert Person.objects.count() == people and "vanphong" in output


class _Undo(Exception):
    pass


def _loaded(seed: int) -> tuple[list[str], list[tuple]]:
    """Load the demo in a savepoint, note the names and the ratings, and roll it back."""
    try:
        with transaction.atomic():
            _load(seed=seed)
            names = list(Person.objects.order_by("pk").values_list("full_name", flat=True))
            ratings = list(
                MemberRating.objects.order_by("campaign__year", "member__person__pk").values_list(
                    "campaign__year", "member__person__full_name", "stage", "self_level", "decided_level"
                )
            )
            raise _Undo
    except _Undo:
        return names, ratings


def test_the_same_seed_gives_the_same_demo():
    first = _loaded(7)
    assert first == _loaded(7)
    assert first[0] != _loaded(8)[0]
    assert first[1]  # the reviews are part of it


def test_the_demo_personas_see_what_their_role_gives():
    _load()
    users = {u.username: u for u in get_user_model().objects.all()}
    root = Organization.objects.get(code="DU-VUSTA")
    cell_a = Organization.objects.get(code="CB-02")
    on = date(2026, 11, 27)
    assert access.scope_for(users["vanphong"], on).covers(root.path, access.MANAGE)
    assert access.scope_for(users["lanhdao"], on).covers(root.path)
    assert not access.scope_for(users["lanhdao"], on).covers(root.path, access.MANAGE)
    secretary = access.scope_for(users["bithu.cb02"], on)
    assert secretary.covers(cell_a.path) and not secretary.covers(root.path)
    assert not access.scope_for(users["dangvien.cb02"], on).covers(cell_a.path)


def test_demo_records_are_audited_as_the_system():
    _load()
    org = Organization.objects.get(code="CB-01")
    assert org.history.latest().history_user.username == SYSTEM_USERNAME


def _figures(year: int) -> dict:
    document = metrics.annual_document(
        organization=Organization.objects.get(code="DU-VUSTA"), year=year, as_of=None, on=date(2026, 11, 27)
    )
    return {k.removeprefix("classification."): v for k, v in document["metrics"].items()}


def test_every_complete_demo_year_has_a_decided_review_with_plausible_figures():
    _load()
    assert list(Campaign.objects.order_by("year").values_list("year", flat=True)) == [2023, 2024, 2025, 2026]
    for year in (2023, 2024, 2025):
        campaign = Campaign.objects.get(year=year)
        assert campaign.rule_set == ("366-QĐ/TW + HD 43" if year == 2025 else "124-QĐ/TW + HD 25")
        assert not MemberRating.objects.filter(campaign=campaign).exclude(stage=Stage.DECIDED).exists()
        decided = MemberRating.objects.filter(campaign=campaign, decided_on__year=year)
        assert decided.count() == MemberRating.objects.filter(campaign=campaign).count()
        figures = _figures(year)
        assert 60 <= figures["cells.good_pct"]["value"] <= 90
        assert figures["cells.completed_or_above_pct"]["value"] == 100.0
        excellent, good = figures["members.excellent"]["value"], figures["members.good"]["value"]
        assert excellent > 0 and rules.cap_check(excellent=excellent, good=good).allowed  # Reading A, 20%
        assert 60 <= figures["members.good_pct"]["value"] <= 85
        assert figures["members.not_completed"]["value"] > 0 and figures["members.not_reviewed"]["value"] > 0
    # The cell dissolved in September 2025 was not rated that year.
    assert _figures(2025)["cells.unrated"]["value"] == 1
    # Each step has its history row naming who took it: self-assessment, proposal, decision.
    rating = MemberRating.objects.filter(campaign__year=2025).first()
    steps = list(rating.history.order_by("history_date").values_list("stage", "history_user__username"))
    assert [s for s, _user in steps] == [Stage.SELF_ASSESSED, Stage.PROPOSED, Stage.DECIDED]
    assert steps[-1][1] == "vanphong"


def test_the_current_year_is_in_progress_and_the_secretarys_cell_ready_to_propose():
    _load()
    campaign = Campaign.objects.get(year=2026)
    assert campaign.start <= date(2026, 11, 27) and campaign.end == date(2026, 12, 31)
    stages = set(MemberRating.objects.filter(campaign=campaign).values_list("stage", flat=True))
    assert stages == {Stage.SELF_ASSESSED, Stage.PROPOSED, Stage.DECIDED}
    progress, _total = selectors.progress(campaign)
    assert any(p.reviewed and p.not_self_assessed == p.reviewed for p in progress)  # not started
    assert CellRating.objects.filter(campaign=campaign, stage=Stage.DECIDED).exists()
    assert not MemberRating.objects.filter(campaign=campaign, decided_on__gt=date(2026, 11, 27)).exists()
    cell = Organization.objects.get(code="CB-02")
    entries = [e for e in selectors.roster(campaign, cell) if e.reviewed]
    assert entries and all(e.stage == Stage.SELF_ASSESSED for e in entries)
    selectors.member_checks(campaign, entries)
    assert sum(1 for e in entries if e.problems) == 1  # reprimanded this year: "not completed" required
    assert Level.GOOD in {e.rating.self_level for e in entries}
    # The opening told the cells' committees, once each: the demo secretary among the few logins.
    recipients = list(
        Notification.objects.filter(kind="classification.campaign").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients.count("bithu.cb02") == 1
    assert len(recipients) == len(set(recipients)) <= 2  # the leader may sit on a cell's chi ủy
