"""The Party badges' and commendations' section on an organisation's page: the next batch with the
members it may propose and the proposals with papers missing, this year's awards and their money,
next year's budget, this year's commendations, the links; only what the user sees; bounded queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.badges import commendations, rules, selectors, services
from dangvu.badges.choices import CommendationForm
from dangvu.badges.models import Proposal
from dangvu.badges.panels import badges_panel, next_batch
from dangvu.core.audit import save_audited
from dangvu.core.periods import today
from dangvu.testing import make_org, panel_of

from . import factories as f

pytestmark = pytest.mark.django_db


def _panel(user, org):
    return panel_of(badges_panel, user, org).context


def _page(as_user, user, code: str):
    return as_user(user).get(reverse("organization:detail", args=[code]))


def _window():
    """The next batch and the first and last day of its window (the default settings)."""
    batches = rules.HANOI_BATCHES
    day = next_batch(batches, today())
    batch = next(b for b in batches if (b.month, b.day) == (day.month, day.day))
    return (day, *selectors.window_of(batch, batches, day.year))


def _in_next_years_budget(batch: date) -> int:
    """1 when the next batch is next year's first (December: its window opens this year's budget),
    its members then also due next year; else 0."""
    return int(batch.year > today().year)


def _propose(world, member, years: int, batch: date, papers: list[str]) -> Proposal:
    proposal = Proposal(member=member, years=years, batch=batch, papers=papers)
    save_audited(proposal, actor=world.office)
    return proposal


def _commend(world, cell, on: date) -> None:
    commendations.commendation_add(
        actor=world.office,
        organization=cell,
        form=CommendationForm.CERTIFICATE,
        issuer="Đảng ủy Khối",
        decided_on=on,
        reason="Hoàn thành xuất sắc nhiệm vụ",
    )


@pytest.fixture
def badges(world):
    now = today()
    batch, start, end = _window()
    year = now.year
    # the next batch: one in each cell, CB-A's dossier complete, CB-B's missing two papers
    a30 = f.reaching(world, world.cell_a, "Nguyễn Văn An", 30, start)
    b30 = f.reaching(world, world.cell_b, "Trần Thị Bình", 30, end)
    _propose(world, a30, 30, batch, list(rules.PAPERS))
    _propose(world, b30, 30, batch, list(rules.PAPERS[:2]))
    # this year's register: a costed 40-year badge (CB-A) and an uncosted 45-year one (CB-B)
    awarded_on = now
    a40 = f.reaching(world, world.cell_a, "Lê Văn Cường", 40, now - timedelta(days=30))
    b45 = f.reaching(world, world.cell_b, "Phạm Thị Dung", 45, now - timedelta(days=30))
    for member, years in ((a40, 40), (b45, 45)):
        services.award_record(actor=world.office, member=member, years=years, awarded_on=awarded_on)
    # next year's budget: a 30-year badge (CB-A) and a 45-year one without an amount (CB-B)
    f.reaching(world, world.cell_a, "Võ Văn Em", 30, date(year + 1, 4, 10))
    f.reaching(world, world.cell_b, "Hoàng Thị Giang", 45, date(year + 1, 3, 20))
    _commend(world, world.cell_a, now)
    _commend(world, world.cell_b, now)
    _commend(world, world.cell_b, date(year - 1, 6, 1))  # last year's: not counted
    thirty = rules.amount(rules.COEFFICIENTS[30], selectors.base_salary_on(now))
    also = _in_next_years_budget(batch)  # the batch's two 30-year members are also due next year
    return {
        "batch": batch,
        "award_money": rules.amount(rules.COEFFICIENTS[40], selectors.base_salary_on(awarded_on)),
        "budget": (2 + 2 * also, (1 + 2 * also) * thirty, 1),
        "budget_a": (1 + also, 0),
        "also": also,
    }


def test_the_office_reads_the_committees_figures_and_every_link(as_user, world, badges):
    panel = _panel(world.office, world.root)
    assert panel["batch"] == badges["batch"]
    assert (panel["candidates"], panel["proposed"], panel["papers_missing"]) == (2, 2, 1)
    assert (panel["awards"].count, panel["awards"].total, panel["awards"].uncosted) == (
        2,
        badges["award_money"],
        1,
    )
    assert (panel["budget"].count, panel["budget"].total, panel["budget"].uncosted) == badges["budget"]
    assert panel["budget_year"] == today().year + 1
    assert panel["commendations"] == 2
    response = _page(as_user, world.office, "DU")
    assert response.status_code == 200
    section = response.content.decode().split('id="badges-panel"')[1]
    for name in ("batch", "register", "budget", "tables", "settings", "commendations"):
        assert reverse(f"badges:{name}", args=["DU"]) in section
    assert f"{badges['batch']:%d/%m/%Y}" in section
    money = f"{badges['award_money']:,}".replace(",", ".")
    assert f"{money} đ" in section  # dot thousands


def test_a_secretary_sees_their_cells_figures_only(as_user, world, badges):
    panel = _panel(world.secretary_a, world.cell_a)
    assert (panel["candidates"], panel["proposed"], panel["papers_missing"]) == (1, 1, 0)
    assert (panel["awards"].count, panel["awards"].total, panel["awards"].uncosted) == (
        1,
        badges["award_money"],
        0,
    )
    assert (panel["budget"].count, panel["budget"].uncosted) == badges["budget_a"]
    assert panel["commendations"] == 1
    assert not panel["can_manage"]
    # read from the committee with the secretary's scope: still only CB-A's
    above = _panel(world.secretary_a, world.root)
    assert (above["candidates"], above["proposed"], above["awards"].count, above["commendations"]) == (
        1,
        1,
        1,
        1,
    )
    response = _page(as_user, world.secretary_a, "CB-A")
    section = response.content.decode().split('id="badges-panel"')[1]
    assert reverse("badges:batch", args=["CB-A"]) in section
    assert reverse("badges:register", args=["CB-A"]) in section
    assert reverse("badges:settings", args=["CB-A"]) not in section


@pytest.mark.parametrize("persona", ["leader", "inspection"])
def test_readers_see_the_figures_without_the_settings_link(as_user, world, badges, persona):
    user = getattr(world, persona)
    panel = _panel(user, world.root)
    assert (panel["candidates"], panel["awards"].count, panel["commendations"]) == (2, 2, 2)
    section = _page(as_user, user, "DU").content.decode().split('id="badges-panel"')[1]
    assert reverse("badges:budget", args=["DU"]) in section
    assert reverse("badges:settings", args=["DU"]) not in section


@pytest.mark.parametrize("persona", ["member_a", "stranger"])
def test_who_does_not_see_the_organisation_gets_no_page(as_user, world, badges, persona):
    assert _page(as_user, getattr(world, persona), "CB-A").status_code == 404


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(reverse("organization:detail", args=["CB-A"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_empty_cell_shows_zeros(as_user, world):
    panel = _panel(world.secretary_a, world.cell_a)
    assert (panel["candidates"], panel["proposed"], panel["papers_missing"]) == (0, 0, 0)
    assert (panel["awards"].count, panel["budget"].count, panel["commendations"]) == (0, 0, 0)
    assert 'id="badges-panel"' in _page(as_user, world.secretary_a, "CB-A").content.decode()


def test_the_section_costs_the_same_queries_for_one_cell_and_for_several(as_user, world):
    batch, start, _end = _window()
    now = today()

    def fill(cell, n: int) -> None:
        member = f.reaching(world, cell, f"Nguyễn Văn Số {n:02}", 30, start)
        _propose(world, member, 30, batch, [])
        awarded = f.reaching(world, cell, f"Trần Văn Số {n:02}", 40, now - timedelta(days=30))
        services.award_record(actor=world.office, member=awarded, years=40, awarded_on=now)
        f.reaching(world, cell, f"Lê Văn Số {n:02}", 30, date(now.year + 1, 4, 10))
        _commend(world, cell, now)

    fill(world.cell_c, 0)
    client = as_user(world.office)
    panel_of(badges_panel, world.office, world.partial)
    client.get(reverse("organization:detail", args=["DBBP"]))
    with CaptureQueriesContext(connection) as one:
        panel_of(badges_panel, world.office, world.partial)
    with CaptureQueriesContext(connection) as page_one:
        client.get(reverse("organization:detail", args=["DBBP"]))
    for n in range(1, 6):
        fill(make_org(world.admin, f"CB-Q{n:02}", parent=world.partial), n)
    with CaptureQueriesContext(connection) as many:
        panel = panel_of(badges_panel, world.office, world.partial).context
    with CaptureQueriesContext(connection) as page_many:
        client.get(reverse("organization:detail", args=["DBBP"]))
    assert (panel["candidates"], panel["proposed"], panel["papers_missing"]) == (6, 6, 6)
    also = _in_next_years_budget(batch)
    assert (panel["awards"].count, panel["budget"].count, panel["commendations"]) == (6, 6 + 6 * also, 6)
    assert len(many) == len(one)
    assert len(page_many) == len(page_one)
