"""Badge proposals per batch (rules.md §2.3; issue 10 point 2): the services (who a batch may
propose, once, not awarded already, the dossier's papers, stale forms), the batch page (candidates
explained, proposals with their dossier checklist), the batch's XLSX, who may do what, the
health-data rule and bounded queries."""

from datetime import date
from io import BytesIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangvu.badges import exports, proposals, rules, services
from dangvu.badges.choices import Early
from dangvu.badges.models import Proposal
from dangvu.core.access import scope_for
from dangvu.core.audit import StaleVersionError
from dangvu.core.models import PersonalDataAccess
from dangvu.core.periods import today

from . import factories

pytestmark = pytest.mark.django_db


def _next() -> int:
    return today().year + 1


def _batch_day() -> date:
    return date(_next(), 5, 19)  # Hanoi windows: milestones from 01/03 to 31/05


class Fixture:
    def __init__(self, world):
        f, nxt = factories, _next()
        self.thirty = f.reaching(world, world.cell_a, "A Ba Mươi", 30, date(nxt, 4, 10))
        self.forty_five = f.reaching(world, world.cell_a, "A Bốn Lăm", 45, date(nxt, 3, 20))
        self.forty_b = f.reaching(world, world.cell_b, "B Bốn Mươi", 40, date(nxt, 5, 5))
        self.ill = f.reaching(world, world.cell_a, "A Bệnh", 30, date(nxt + 1, 3, 1))  # 29y0m on 01/03
        f.illness(world, self.ill, today())


@pytest.fixture
def fx(world):
    return Fixture(world)


def _propose(world, member, years, batch=None, early=""):
    return proposals.proposal_add(
        actor=world.office, member=member, years=years, batch=batch or _batch_day(), early=early
    )


# ------------------------------------------------------------------------------------ services


def test_an_eligible_member_is_proposed_once(world, fx):
    proposal = _propose(world, fx.thirty, 30)
    assert (proposal.years, proposal.batch, proposal.early, proposal.papers) == (30, _batch_day(), "", [])
    with pytest.raises(ValidationError, match="đã được đề nghị|already proposed"):
        _propose(world, fx.thirty, 30)
    assert Proposal.objects.filter(member=fx.thirty).count() == 1


def test_the_early_award_of_the_gravely_ill_is_proposed_with_its_ground(world, fx):
    with pytest.raises(ValidationError):
        _propose(world, fx.ill, 30)  # not at the milestone: only early
    proposal = _propose(world, fx.ill, 30, early=Early.GRAVELY_ILL)
    assert proposal.early == Early.GRAVELY_ILL


@pytest.mark.parametrize(
    ("who", "years", "batch", "early"),
    [
        ("thirty", 30, (9, 2), ""),  # another batch than the milestone's window
        ("thirty", 40, (5, 19), ""),  # a milestone not reached
        ("thirty", 30, (5, 19), Early.GRAVELY_ILL),  # no illness recorded
        ("thirty", 30, (5, 20), ""),  # not a batch day
        ("forty_b", 45, (5, 19), ""),
    ],
)
def test_a_member_the_batch_may_not_propose_is_refused(world, fx, who, years, batch, early):
    with pytest.raises(ValidationError):
        _propose(world, getattr(fx, who), years, date(_next(), *batch), early)
    assert not Proposal.objects.exists()


def test_a_member_awarded_the_badge_already_is_refused(world):
    last = today().year - 1
    member = factories.reaching(world, world.cell_a, "Đã Trao", 30, date(last, 4, 10))
    services.award_record(actor=world.office, member=member, years=30, awarded_on=date(last, 5, 19))
    with pytest.raises(ValidationError, match="30"):
        _propose(world, member, 30, date(last, 5, 19))
    assert not Proposal.objects.exists()


def test_a_member_still_waiting_after_a_discipline_is_refused(world):
    member = factories.reaching(world, world.cell_a, "A Chờ", 30, date(_next(), 4, 20))
    factories.discipline(world, member, today(), effective=date(_next(), 1, 1))  # until 01/07
    with pytest.raises(ValidationError, match=f"01/07/{_next()}"):
        _propose(world, member, 30)


def test_the_dossier_takes_only_the_papers_the_proposal_needs(world, fx):
    proposal = _propose(world, fx.thirty, 30)
    with pytest.raises(ValidationError):
        proposals.proposal_update(
            actor=world.office,
            proposal=proposal,
            expected_version=proposal.version,
            papers=["medical_record"],
        )
    proposals.proposal_update(
        actor=world.office,
        proposal=proposal,
        expected_version=proposal.version,
        papers=["cell_resolution", "declaration"],
        note="  Chờ lý lịch ",
    )
    proposal.refresh_from_db()
    assert proposal.papers == ["declaration", "cell_resolution"]  # in the order of §2.3
    assert proposal.note == "Chờ lý lịch"
    ill = _propose(world, fx.ill, 30, early=Early.GRAVELY_ILL)
    proposals.proposal_update(
        actor=world.office, proposal=ill, expected_version=ill.version, papers=["medical_record"]
    )
    assert ill.papers == ["medical_record"]


def test_a_stale_form_is_refused(world, fx):
    proposal = _propose(world, fx.thirty, 30)
    read_at = proposal.version
    proposals.proposal_update(actor=world.office, proposal=proposal, expected_version=read_at, note="một")
    with pytest.raises(StaleVersionError):
        proposals.proposal_update(
            actor=world.office,
            proposal=Proposal.objects.get(pk=proposal.pk),
            expected_version=read_at,
            note="hai",
        )
    assert Proposal.objects.get(pk=proposal.pk).note == "một"


def test_a_proposal_moves_to_a_later_batch_only(world, fx):
    proposal = _propose(world, fx.thirty, 30)
    with pytest.raises(ValidationError):
        proposals.proposal_update(
            actor=world.office,
            proposal=proposal,
            expected_version=proposal.version,
            batch=date(_next(), 2, 3),
        )
    proposals.proposal_update(
        actor=world.office, proposal=proposal, expected_version=proposal.version, batch=date(_next(), 9, 2)
    )
    assert Proposal.objects.get(pk=proposal.pk).batch == date(_next(), 9, 2)


def test_a_withdrawn_proposal_is_kept_and_may_be_made_again(world, fx):
    proposal = _propose(world, fx.thirty, 30)
    proposals.proposal_delete(actor=world.office, proposal=proposal, expected_version=proposal.version)
    assert not Proposal.objects.exists() and Proposal.all_objects.filter(pk=proposal.pk).exists()
    assert _propose(world, fx.thirty, 30).pk != proposal.pk


# -------------------------------------------------------------------------------- the batch page


def _batch(client, code: str, day: date | None = None):
    day = day or _batch_day()
    return client.get(reverse("badges:batch", args=[code]), {"dot": day.isoformat()})


def _export(client, code: str, day: date | None = None):
    day = day or _batch_day()
    return client.get(reverse("badges:batch_export", args=[code]), {"dot": day.isoformat()})


def _names(response) -> list[str]:
    return [row.candidate.member.person.full_name for row in response.context["rows"]]


READERS = [
    ("office", "DU", 200),
    ("office", "CB-B", 200),
    ("leader", "DU", 200),
    ("inspection", "DU", 200),
    ("secretary_a", "CB-A", 200),
    ("secretary_a", "DU", 404),
    ("secretary_a", "CB-B", 404),
    ("member_a", "CB-A", 404),
    ("stranger", "DU", 404),
]


@pytest.mark.parametrize("get", [_batch, _export])
@pytest.mark.parametrize(("persona", "code", "status"), READERS)
def test_who_reads_the_batch_and_its_xlsx(as_user, world, get, persona, code, status):
    assert get(as_user(getattr(world, persona)), code).status_code == status


@pytest.mark.parametrize("get", [_batch, _export])
def test_the_anonymous_are_sent_to_log_in(client, world, get):
    response = get(client, "DU")
    assert response.status_code == 302 and resolve_url(settings.LOGIN_URL) in response["Location"]


def test_the_batch_page_lists_the_members_it_may_propose(as_user, world, fx):
    due = factories.reaching(world, world.cell_a, "A Chờ Kỷ Luật", 30, date(_next(), 4, 20))
    factories.discipline(world, due, today(), effective=date(_next(), 1, 1))  # wait until 01/07
    response = _batch(as_user(world.office), "DU")
    assert response.context["chosen"] == _batch_day()
    # by cell, then given name (Bệnh, Lăm, Luật, Mươi; then cell B)
    assert _names(response) == ["A Bệnh", "A Bốn Lăm", "A Chờ Kỷ Luật", "A Ba Mươi", "B Bốn Mươi"]
    rows = {row.candidate.member.person.full_name: row for row in response.context["rows"]}
    assert rows["A Ba Mươi"].candidate.years == 30 and rows["A Bốn Lăm"].candidate.years == 45
    assert rows["A Chờ Kỷ Luật"].candidate.not_yet_until == date(_next(), 7, 1)
    assert rows["A Ba Mươi"].can_propose and not rows["A Ba Mươi"].proposed_in
    page = response.content.decode()
    assert f"10/04/{_next()}" in page and f"01/07/{_next()}" in page
    assert page.count('class="propose-form"') == 4  # not the one still waiting


def test_the_secretary_sees_and_proposes_only_the_cells_members(as_user, world, fx):
    response = _batch(as_user(world.secretary_a), "CB-A")
    assert set(_names(response)) == {"A Ba Mươi", "A Bốn Lăm", "A Bệnh"}


def test_the_batch_defaults_to_the_next_one_and_ignores_unknown_days(as_user, world):
    client = as_user(world.office)
    default = client.get(reverse("badges:batch", args=["DU"])).context
    assert default["chosen"] >= today() and default["chosen"] in default["choices"]
    assert _batch(client, "DU", date(_next(), 5, 20)).context["chosen"] == default["chosen"]
    assert client.get(reverse("badges:batch", args=["DU"]), {"dot": "x"}).status_code == 200
    assert len(default["choices"]) == 8  # four batches this year and next year


def test_the_proposals_show_their_dossier_and_the_awarded(as_user, world, fx):
    proposal = _propose(world, fx.thirty, 30)
    proposals.proposal_update(
        actor=world.office, proposal=proposal, expected_version=proposal.version, papers=["declaration"]
    )
    _propose(world, fx.forty_b, 40)
    response = _batch(as_user(world.office), "DU")
    rows = {row.proposal.member.person.full_name: (row, url) for row, url in response.context["proposals"]}
    assert list(rows) == ["A Ba Mươi", "B Bốn Mươi"]
    row, url = rows["A Ba Mươi"]
    assert [(p.code, p.present) for p in row.papers] == [
        ("declaration", True),
        ("cell_resolution", False),
        ("committee_resolution", False),
        ("personal_record", False),
    ]
    assert (
        f"dang_vien={fx.thirty.pk}" in url
        and "huy_hieu=30" in url
        and f"dot={_batch_day().isoformat()}" in url
    )
    page = response.content.decode()
    assert 'class="status status-missing"' in page and url.replace("&", "&amp;") in page
    candidates = {r.candidate.member.person.full_name: r for r in response.context["rows"]}
    assert candidates["A Ba Mươi"].proposed_in == _batch_day()
    # the leader reads the dossiers but has no button
    leader_page = _batch(as_user(world.leader), "DU").content.decode()
    assert "A Ba Mươi" in leader_page
    assert reverse("badges:proposal_edit", args=[proposal.pk]) not in leader_page
    assert 'class="propose-form"' not in leader_page and "dang_vien=" not in leader_page
    # the secretary keeps the dossier, the office records the award
    secretary_page = _batch(as_user(world.secretary_a), "CB-A").content.decode()
    assert reverse("badges:proposal_edit", args=[proposal.pk]) in secretary_page
    assert "dang_vien=" not in secretary_page


def test_a_proposal_whose_award_is_in_the_register_shows_as_awarded(as_user, world):
    last = today().year - 1
    member = factories.reaching(world, world.cell_a, "Đã Trao", 30, date(last, 4, 10))
    proposal = _propose(world, member, 30, date(last, 5, 19))
    services.award_record(actor=world.office, member=member, years=30, awarded_on=date(last, 5, 19))
    scope = scope_for(world.office)
    found = proposals.proposal_rows(scope, proposals.proposals_in(scope, world.root, date(last, 5, 19)))
    assert [(r.proposal.pk, r.awarded) for r in found] == [(proposal.pk, True)]


# --------------------------------------------------------------------------------- proposing


def _post_propose(client, code, member, years=30, early="", batch=None):
    return client.post(
        reverse("badges:proposal_add", args=[code]),
        {"member": member.pk, "years": years, "batch": (batch or _batch_day()).isoformat(), "early": early},
    )


@pytest.mark.parametrize(
    ("persona", "code", "who", "status"),
    [
        ("secretary_a", "CB-A", "thirty", 302),
        ("office", "DU", "forty_b", 302),
        ("secretary_a", "CB-A", "forty_b", 404),  # CB-B's member through CB-A
        ("secretary_a", "CB-B", "forty_b", 404),
        ("leader", "DU", "thirty", 404),  # reads, cannot propose
        ("inspection", "DU", "thirty", 404),
        ("member_a", "CB-A", "thirty", 404),
        ("stranger", "DU", "thirty", 404),
    ],
)
def test_who_proposes(as_user, world, fx, persona, code, who, status):
    years = 40 if who == "forty_b" else 30
    response = _post_propose(as_user(getattr(world, persona)), code, getattr(fx, who), years)
    assert response.status_code == status
    assert Proposal.objects.count() == (1 if status == 302 else 0)


def test_the_anonymous_cannot_propose(client, world, fx):
    response = _post_propose(client, "DU", fx.thirty)
    assert response.status_code == 302 and resolve_url(settings.LOGIN_URL) in response["Location"]
    assert not Proposal.objects.exists()


def test_proposing_twice_makes_one_and_says_why(as_user, world, fx):
    client = as_user(world.secretary_a)
    assert _post_propose(client, "CB-A", fx.thirty).status_code == 302
    again = _post_propose(client, "CB-A", fx.thirty)
    assert again.status_code == 400
    assert "30" in again.content.decode()
    assert Proposal.objects.count() == 1


def test_bad_proposals_are_refused_without_a_server_error(as_user, world, fx):
    client = as_user(world.office)
    assert _post_propose(client, "DU", fx.thirty, years=40).status_code == 400  # not eligible
    url = reverse("badges:proposal_add", args=["DU"])
    assert client.post(url, {"member": "x", "years": 30, "batch": "hôm qua"}).status_code == 400
    assert (
        client.post(url, {"member": 2**70, "years": 30, "batch": _batch_day().isoformat()}).status_code == 400
    )
    assert client.get(url).status_code == 405
    assert not Proposal.objects.exists()


# ------------------------------------------------------------------------------ keeping a dossier


def _edit_url(proposal):
    return reverse("badges:proposal_edit", args=[proposal.pk])


@pytest.mark.parametrize(
    ("persona", "who", "status"),
    [
        ("office", "forty_b", 200),
        ("secretary_a", "thirty", 200),
        ("secretary_a", "forty_b", 404),
        ("leader", "thirty", 404),
        ("inspection", "thirty", 404),
        ("member_a", "thirty", 404),
        ("stranger", "thirty", 404),
    ],
)
def test_who_keeps_a_dossier(as_user, world, fx, persona, who, status):
    proposal = _propose(world, getattr(fx, who), 40 if who == "forty_b" else 30)
    client = as_user(getattr(world, persona))
    assert client.get(_edit_url(proposal)).status_code == status
    posted = client.post(
        _edit_url(proposal), {"papers": ["declaration"], "batch": proposal.batch.isoformat(), "version": 1}
    )
    assert posted.status_code == (302 if status == 200 else 404)
    assert Proposal.objects.get(pk=proposal.pk).papers == (["declaration"] if status == 200 else [])
    deleted = client.post(reverse("badges:proposal_delete", args=[proposal.pk]), {"xoa-version": 2})
    assert deleted.status_code == (302 if status == 200 else 404)
    assert Proposal.objects.filter(pk=proposal.pk).exists() is (status != 200)


def test_the_anonymous_cannot_keep_a_dossier(client, world, fx):
    proposal = _propose(world, fx.thirty, 30)
    login = resolve_url(settings.LOGIN_URL)
    assert login in client.get(_edit_url(proposal))["Location"]
    deleted = client.post(reverse("badges:proposal_delete", args=[proposal.pk]), {"xoa-version": 1})
    assert login in deleted["Location"]
    assert Proposal.objects.filter(pk=proposal.pk).exists()


def test_the_dossier_form_offers_only_the_papers_needed(as_user, world, fx):
    proposal = _propose(world, fx.thirty, 30)
    client = as_user(world.secretary_a)
    page = client.get(_edit_url(proposal)).content.decode()
    assert 'value="declaration"' in page and 'value="medical_record"' not in page
    forged = client.post(
        _edit_url(proposal), {"papers": ["medical_record"], "batch": proposal.batch.isoformat(), "version": 1}
    )
    assert forged.status_code == 400
    assert Proposal.objects.get(pk=proposal.pk).papers == []
    response = client.post(
        _edit_url(proposal) + "?to=CB-A",
        {
            "papers": ["declaration", "personal_record"],
            "batch": proposal.batch.isoformat(),
            "note": "Đủ",
            "version": 1,
            "to": "CB-A",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("badges:batch", args=["CB-A"]) + f"?dot={_batch_day().isoformat()}"
    assert Proposal.objects.get(pk=proposal.pk).papers == ["declaration", "personal_record"]


def test_a_stale_dossier_form_is_not_saved(as_user, world, fx):
    proposal = _propose(world, fx.thirty, 30)
    client = as_user(world.secretary_a)
    data = {"papers": ["declaration"], "batch": proposal.batch.isoformat(), "version": 1}
    assert client.post(_edit_url(proposal), data).status_code == 302
    stale = client.post(_edit_url(proposal), {**data, "papers": ["personal_record"]}, follow=True)
    assert Proposal.objects.get(pk=proposal.pk).papers == ["declaration"]
    assert stale.status_code == 200 and list(stale.context["messages"])
    late = client.post(reverse("badges:proposal_delete", args=[proposal.pk]), {"xoa-version": 1})
    assert late.status_code == 302 and Proposal.objects.filter(pk=proposal.pk).exists()


# --------------------------------------------------------------------------------- health data


def test_gravely_ill_is_shown_only_to_whoever_keeps_the_cells_records(as_user, world, fx):
    _propose(world, fx.ill, 30, early=Early.GRAVELY_ILL)
    for persona, sees in (("office", True), ("secretary_a", True), ("leader", False), ("inspection", False)):
        user = getattr(world, persona)
        code = "CB-A" if persona == "secretary_a" else "DU"
        response = _batch(as_user(user), code)
        rows = [r for r in response.context["rows"] if r.candidate.member.person.full_name == "A Bệnh"]
        proposed = next(r for r, _url in response.context["proposals"])
        page = response.content.decode().lower()
        assert ("bệnh nặng" in page) is sees, persona
        assert ("bệnh án" in page or "medical record" in page) is sees, persona  # the dossier's paper
        assert proposed.early_hidden is not sees
        assert PersonalDataAccess.objects.filter(user=user).exists() is sees, persona
        if sees:
            assert rows[0].candidate.early == Early.GRAVELY_ILL
        else:
            # "early" alone would tell it (posthumous awards are shown): the candidate is left out,
            # counted; the proposal reads as an ordinary one
            assert rows == [] and response.context["kept_by_cells"] == 1
            # only in the tables' headings ("tặng sớm hoặc truy tặng") and the count's sentence
            assert page.count("tặng sớm") == page.count("tặng sớm hoặc truy tặng") + 1
            assert proposed.early_label == ""


# ---------------------------------------------------------------------------------------- XLSX


def _table(response):
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_the_batch_xlsx(as_user, world, fx):
    proposal = _propose(world, fx.thirty, 30)
    proposals.proposal_update(
        actor=world.office, proposal=proposal, expected_version=proposal.version, papers=["declaration"]
    )
    _propose(world, fx.forty_b, 40)
    _propose(world, fx.ill, 30, early=Early.GRAVELY_ILL)
    response = _export(as_user(world.office), "DU")
    assert response.status_code == 200
    headers, rows = _table(response)
    assert headers == (
        "Họ và tên",
        "Ngày sinh",
        "Chi bộ",
        "Ngày quyết định kết nạp",
        "Tuổi đảng",
        "Huy hiệu",
        "Đợt",
        "Tặng sớm/Truy tặng",
        "Giấy tờ đã có",
        "Giấy tờ còn thiếu",
    )
    assert [row[0] for row in rows] == ["A Bệnh", "A Ba Mươi", "B Bốn Mươi"]  # by cell, given name
    first = dict(zip(headers, rows[1], strict=True))
    assert first["Ngày sinh"].date() == fx.thirty.person.date_of_birth
    assert first["Chi bộ"] == "Chi bộ A"
    assert first["Ngày quyết định kết nạp"].date() == date(_next() - 30, 4, 10)
    assert first["Tuổi đảng"] == "30 năm 1 tháng"  # 10/04 → 19/05
    assert first["Huy hiệu"] == "Huy hiệu 30 năm tuổi Đảng"
    assert first["Đợt"].date() == _batch_day()
    assert first["Tặng sớm/Truy tặng"] in ("", None)
    assert first["Giấy tờ đã có"].count(";") == 0 and first["Giấy tờ đã có"]
    assert first["Giấy tờ còn thiếu"].count(";") == 2  # three papers missing
    ill = dict(zip(headers, rows[0], strict=True))
    assert ill["Tặng sớm/Truy tặng"] == "Tặng sớm (bệnh nặng)"
    assert ill["Giấy tờ còn thiếu"].count(";") == 4  # five papers with the medical record
    # the leader reads it as an ordinary proposal ("tặng sớm" alone would tell the illness)
    _headers, leader_rows = _table(_export(as_user(world.leader), "DU"))
    leader_ill = dict(zip(headers, leader_rows[0], strict=True))
    assert leader_ill["Tặng sớm/Truy tặng"] in ("", None)
    assert leader_ill["Giấy tờ còn thiếu"].count(";") == 3  # not the medical record: it tells the illness
    # the secretary: only the cell's
    _headers, cell_rows = _table(_export(as_user(world.secretary_a), "CB-A"))
    assert [row[0] for row in cell_rows] == ["A Bệnh", "A Ba Mươi"]


def test_formulas_are_neutralised_in_the_xlsx(as_user, world):
    member = factories.reaching(world, world.cell_a, "=HYPERLINK(1)", 30, date(_next(), 4, 10))
    _propose(world, member, 30)
    _headers, rows = _table(_export(as_user(world.office), "DU"))
    assert not str(rows[0][0]).startswith("=")


def test_a_member_who_died_after_the_milestone_is_proposed_posthumously_at_the_age_of_death(world):
    last = today().year - 1
    batch = date(last, 5, 19)
    member = factories.reaching(world, world.cell_a, "Đã Mất", 30, date(last, 3, 10))
    factories.death(world, member, date(last, 4, 20))  # 30 years 1 month of Party age, before 19/05
    with pytest.raises(ValidationError):
        _propose(world, member, 30, batch)  # not as a living member
    proposal = _propose(world, member, 30, batch, early=Early.POSTHUMOUS)
    assert proposal.early == Early.POSTHUMOUS
    assert "death_extract" in rules.papers_required(proposal.early)
    _name, data, rows = exports.batch_file(scope_for(world.office), world.root, batch)
    assert [p.code for p in rows[0].missing][-1] == "death_extract"
    sheet = list(load_workbook(BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    line = dict(zip(sheet[0], sheet[1], strict=True))
    assert line["Tuổi đảng"] == "30 năm 1 tháng"  # at death (20/04), not at the batch (30 years 2 months)
    assert line["Tặng sớm/Truy tặng"] == "Truy tặng"


# ------------------------------------------------------------------------------------- queries


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_query_counts_do_not_grow_with_the_proposals(as_user, world):
    client = as_user(world.office)
    ill = factories.reaching(world, world.cell_a, "Người Bệnh", 30, date(_next() + 1, 4, 1))
    factories.illness(world, ill, today())
    _propose(world, ill, 30, early=Early.GRAVELY_ILL)
    first = factories.reaching(world, world.cell_a, "Người 0", 30, date(_next(), 4, 1))
    _propose(world, first, 30)

    def run():
        assert _batch(client, "DU").status_code == 200
        assert _export(client, "DU").status_code == 200

    one = _queries(run)
    for i in range(1, 15):
        cell = (world.cell_a, world.cell_b, world.cell_c)[i % 3]
        member = factories.reaching(
            world, cell, f"Người {i}", (30, 40, 50)[i % 3], date(_next(), 3 + i % 3, 1 + i)
        )
        _propose(world, member, (30, 40, 50)[i % 3])
    assert _queries(run) == one
    assert len(_batch(client, "DU").context["proposals"]) == 16


@pytest.mark.parametrize("batch", [date(1, 2, 3), date(1, 5, 19), date(2999, 5, 19)])
def test_a_batch_the_page_does_not_offer_is_refused_not_a_server_error(as_user, world, fx, batch):
    client = as_user(world.office)
    response = _post_propose(client, "DU", fx.thirty, batch=batch)
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == [
        "Chưa đề nghị được: chọn một trong các đợt trao có trên trang."
    ]
    assert not Proposal.objects.exists()
    later = date(_next() + 2, 5, 19)  # a batch day, but not this year's nor next year's
    assert _post_propose(client, "DU", fx.thirty, batch=later).status_code == 400
    assert not Proposal.objects.exists()
