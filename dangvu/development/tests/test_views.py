"""The pages of member development: who may see and do what (allowed and denied, by persona), the
list with its filters and counts, a new candidate, the candidate's page with the steps, the papers
and the due date, the forms recording a step, a paper, taking a step back, the particulars, the
office's time limits; refusals (400, nothing changed), stale versions, and bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.core.periods import today
from dangvu.development import services
from dangvu.development.choices import Paper, Step
from dangvu.development.models import Candidate, DevelopmentSettings, DossierPaper, StepRecord
from dangvu.members.choices import EventKind
from dangvu.members.models import Member
from dangvu.testing import make_member

from .factories import advance, candidate, way

pytestmark = pytest.mark.django_db

STALE = "người khác đã thay đổi hồ sơ này"


def d(day) -> str:
    return f"{day:%d/%m/%Y}"


@pytest.fixture
def pair(world):
    """A candidate in cell A (listed, with a helper) and one in cell B."""
    helper = make_member(world.admin, world.cell_a, "Phạm Văn Giúp Đỡ")
    a = candidate(world, name="Trần Thị Quần Chúng")
    services.candidate_update(actor=world.office, candidate=a, expected_version=a.version, helper=helper)
    a.refresh_from_db()
    b = candidate(world, cell=world.cell_b, name="Lê Văn Bê")
    return {"a": a, "b": b, "helper": helper}


def _step_data(candidate_: Candidate, step: str, on, **extra) -> dict:
    return {"step": step, "date": d(on), "version": candidate_.version, **extra}


def _state(candidate_: Candidate) -> tuple:
    candidate_.refresh_from_db()
    return (
        candidate_.step,
        candidate_.version,
        StepRecord.objects.filter(candidate=candidate_).count(),
        DossierPaper.objects.filter(candidate=candidate_).count(),
        Member.objects.count(),
    )


# ------------------------------------------------------------------------------------- the list


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("leader", "DU", 200),
        ("inspection", "DU", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "CB-B", 404),
        ("secretary_a", "DU", 404),
        ("member_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_the_list_by_persona(world, pair, as_user, persona, code, status):
    response = as_user(getattr(world, persona)).get(reverse("development:candidates", args=[code]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert ("Trần Thị Quần Chúng" in page) == (code in {"DU", "CB-A"})
        assert ("Lê Văn Bê" in page) == (code == "DU")


def test_the_list_shows_the_way_and_what_is_awaited(world, pair, as_user):
    at = way()
    advance(world, pair["a"], Step.CELL_VOTE, at)  # the decision is long overdue
    client = as_user(world.office)
    page = client.get(reverse("development:candidates", args=["DU"])).content.decode()
    assert "Chi bộ A" in page and "Chi bộ B" in page  # the cell column, for a committee
    assert "Phạm Văn Giúp Đỡ" in page  # the helper
    assert "quá hạn" in page  # the decision is overdue
    # Lê Văn Bê is only listed: nothing with a time limit awaited, no certificate yet.
    assert page.index("Lê Văn Bê") < page.index("Trần Thị Quần Chúng")  # by given name: Bê < Chúng
    cell_page = as_user(world.secretary_a).get(reverse("development:candidates", args=["CB-A"]))
    assert "Chi bộ B" not in cell_page.content.decode()
    assert 'id="candidate-create"' in cell_page.content.decode()


def test_the_list_filters_by_step_and_name_and_includes_the_finished_on_request(world, pair, as_user):
    advance(world, pair["a"], Step.CLASS)
    services.step_record(
        actor=world.office,
        candidate=pair["b"],
        expected_version=pair["b"].version,
        step=Step.REMOVED,
        on=today(),
    )
    client = as_user(world.office)
    url = reverse("development:candidates", args=["DU"])
    page = client.get(url).content.decode()
    assert "Trần Thị Quần Chúng" in page and "Lê Văn Bê" not in page  # removed: not on their way
    page = client.get(url, {"tat_ca": "on"}).content.decode()
    assert "Lê Văn Bê" in page
    page = client.get(url, {"buoc": Step.SYMPATHISER, "tat_ca": "on"}).content.decode()
    assert "Trần Thị Quần Chúng" not in page
    fragment = client.get(url, {"q": "quan chung"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "Trần Thị Quần Chúng" in text and "<html" not in text
    assert "Trần Thị" not in client.get(url, {"q": "xyz"}).content.decode()
    assert client.get(url, {"buoc": "nonsense"}).status_code == 400


def test_the_list_counts_the_candidates_at_each_step(world, pair, as_user):
    advance(world, pair["a"], Step.CLASS)
    page = as_user(world.office).get(reverse("development:candidates", args=["DU"])).content.decode()
    pipeline = page[page.index('id="pipeline"') : page.index("</ul>", page.index('id="pipeline"'))]
    counts = dict(
        (step, int(pipeline.split(f"buoc={step}")[1].split("<strong>")[1].split("</strong>")[0]))
        for step in (Step.SYMPATHISER, Step.CLASS, Step.DECISION)
    )
    assert counts == {Step.SYMPATHISER: 1, Step.CLASS: 1, Step.DECISION: 0}


def test_the_list_reads_and_writes_nothing_for_a_reader_and_offers_no_form(world, pair, as_user):
    page = as_user(world.leader).get(reverse("development:candidates", args=["DU"])).content.decode()
    assert 'id="candidate-create"' not in page and 'id="limits"' not in page
    office = as_user(world.office).get(reverse("development:candidates", args=["DU"])).content.decode()
    assert 'id="candidate-create"' in office and 'id="limits"' in office


def test_the_list_costs_the_same_queries_for_one_candidate_or_thirty(world, as_user):
    at = way()
    first = candidate(world, name="Nguyễn Văn Một", at=at)
    advance(world, first, Step.CELL_VOTE, at)
    client = as_user(world.office)
    url = reverse("development:candidates", args=["DU"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(29):
        other = candidate(
            world, cell=(world.cell_a, world.cell_b, world.cell_c)[n % 3], name=f"Lê Văn Số {n}"
        )
        if n % 4 == 0:
            advance(world, other, Step.CLASS, at)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count('href="/quan-chung/') == 30
    assert len(many) == len(one)


# ----------------------------------------------------------------------------- a new candidate


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "CB-B", 200),
        ("secretary_a", "CB-A", 200),
        ("secretary_a", "CB-B", 404),
        ("leader", "DU", 404),
        ("inspection", "CB-A", 404),
        ("stranger", "CB-A", 404),
    ],
)
def test_the_new_candidate_page_by_persona(world, as_user, persona, code, status):
    client = as_user(getattr(world, persona))
    assert client.get(reverse("development:candidate_create", args=[code])).status_code == status
    if status == 404:
        response = client.post(
            reverse("development:candidate_create", args=[code]),
            {"full_name": "X", "date_of_birth": "01/01/2000", "listed_on": d(today())},
        )
        assert response.status_code == 404
        assert not Candidate.objects.exists()


def test_the_secretary_lists_a_candidate_with_a_helper(world, as_user):
    helper = make_member(world.admin, world.cell_a, "Phạm Văn Giúp Đỡ")
    make_member(world.admin, world.cell_b, "Đỗ Văn Khác Chi Bộ")
    client = as_user(world.secretary_a)
    url = reverse("development:candidate_create", args=["CB-A"])
    form = client.get(url).content.decode()
    assert "Phạm Văn Giúp Đỡ" in form and "Đỗ Văn Khác Chi Bộ" not in form  # the cell's members only
    assert f'value="{world.cell_a.pk}" selected' in form  # the cell, preselected
    born = today().replace(day=1) - timedelta(days=365 * 25)
    response = client.post(
        url,
        {
            "cell": world.cell_a.pk,
            "full_name": "  hoàng   thị  mới ",
            "date_of_birth": d(born),
            "gender": "female",
            "occupation": "Giáo viên",
            "helper": helper.pk,
            "listed_on": d(today()),
            "document_number": "07-NQ/CB",
        },
    )
    new = Candidate.objects.get()
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.helper == helper and new.cell == world.cell_a and new.step == Step.SYMPATHISER
    assert new.steps.get().document_number == "07-NQ/CB"


def test_a_new_candidate_badly_typed_is_refused_with_nothing_written(world, as_user):
    other = make_member(world.admin, world.cell_b, "Đỗ Văn Khác Chi Bộ")
    client = as_user(world.office)
    url = reverse("development:candidate_create", args=["DU"])
    base = {"cell": world.cell_a.pk, "full_name": "Hoàng Thị Mới", "date_of_birth": "01/01/2000"}
    for bad in (
        {**base, "listed_on": d(today() + timedelta(days=1))},  # listed on a future day: the service
        {**base, "listed_on": d(today()), "date_of_birth": "32/13/2000"},
        {**base, "listed_on": d(today()), "helper": other.pk},  # not of the cell: the service
        {**base, "listed_on": d(today()), "cell": world.root.pk},  # not a cell
    ):
        response = client.post(url, bad)
        assert response.status_code == 400, bad
    assert not Candidate.objects.exists()


# -------------------------------------------------------------------------------- one candidate


@pytest.mark.parametrize(
    ("persona", "which", "status", "forms"),
    [
        ("office", "a", 200, True),
        ("office", "b", 200, True),
        ("secretary_a", "a", 200, True),
        ("secretary_a", "b", 404, False),
        ("leader", "a", 200, False),
        ("inspection", "b", 200, False),
        ("member_a", "a", 404, False),
        ("stranger", "a", 404, False),
    ],
)
def test_the_candidate_page_by_persona(world, pair, as_user, persona, which, status, forms):
    target = pair[which]
    client = as_user(getattr(world, persona))
    response = client.get(target.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert target.full_name in page
        assert ('id="step-form"' in page) == forms
        assert ('id="paper-form"' in page) == forms
        assert ('id="removal-form"' in page) == forms
    if not forms:  # no write for whoever does not keep the cell
        before = _state(target)
        for name, data in (
            ("step_create", _step_data(target, Step.CLASS, today())),
            ("paper_record", {"paper": Paper.APPLICATION, "made_on": d(today())}),
            ("step_undo", {"undo-version": target.version}),
            ("candidate_edit", {"full_name": "X", "date_of_birth": "01/01/2000", "version": target.version}),
        ):
            assert client.post(reverse(f"development:{name}", args=[target.pk]), data).status_code == 404
        assert client.get(reverse("development:candidate_edit", args=[target.pk])).status_code == 404
        assert _state(target) == before


def test_the_page_shows_the_steps_the_papers_and_the_due_date(world, pair, as_user):
    at = way()
    target = advance(world, pair["a"], Step.COMMITTEE_VOTE, at)
    page = as_user(world.secretary_a).get(target.get_absolute_url()).content.decode()
    assert d(at.steps[Step.CELL_VOTE]) in page and "6/9" in page  # a vote, dated, with its count
    assert "3-QĐ/ĐU" in page  # the cell vote's document
    assert "quá hạn" in page  # the decision was due 45 working days after the cell's vote
    assert "45 ngày làm việc" in page
    assert 'id="age"' in page  # the age at the cell's consideration
    born, voted = target.date_of_birth, at.steps[Step.CELL_VOTE]
    years = voted.year - born.year - ((voted.month, voted.day) < (born.month, born.day))
    assert f"{years} tuổi" in page
    # The next step is the decision: its form asks when it was received, not for votes.
    form = page[page.index('id="step-form"') : page.index("</form>", page.index('id="step-form"'))]
    assert 'name="received_on"' in form and 'name="votes_for"' not in form and 'name="extended"' not in form
    assert 'value="decision"' in form
    # Every paper recorded: nothing missing.
    assert 'id="missing"' not in page


def test_the_vote_fields_come_only_with_a_vote_and_missing_papers_are_listed(world, pair, as_user):
    client = as_user(world.secretary_a)
    page = client.get(pair["a"].get_absolute_url()).content.decode()
    form = page[page.index('id="step-form"') : page.index("</form>", page.index('id="step-form"'))]
    assert 'value="class"' in form and 'name="votes_for"' not in form
    assert 'id="missing"' in page  # no paper yet
    advance(world, pair["a"], Step.CELL_VOTE)
    page = client.get(pair["a"].get_absolute_url()).content.decode()
    form = page[page.index('id="step-form"') : page.index("</form>", page.index('id="step-form"'))]
    assert 'name="votes_for"' in form and 'name="votes_of"' in form and 'name="extended"' in form


def test_an_expired_paper_is_flagged(world, pair, as_user):
    services.paper_record(
        actor=world.office,
        candidate=pair["a"],
        paper=Paper.INTRODUCTION,
        made_on=today() - timedelta(days=400),
    )
    services.paper_record(
        actor=world.office, candidate=pair["a"], paper=Paper.COMMENTS, made_on=today() - timedelta(days=350)
    )
    page = as_user(world.office).get(pair["a"].get_absolute_url()).content.decode()
    papers = page[page.index('id="papers"') : page.index("</ul>", page.index('id="papers"'))]
    assert papers.count('class="overdue"') == 1  # the introduction: more than 12 months
    assert papers.count('class="expiring"') == 1  # the comments: within 30 days


def test_the_secretary_records_the_decision_which_opens_the_members_record(world, pair, as_user):
    at = way()
    target = advance(world, pair["a"], Step.COMMITTEE_VOTE, at)
    client = as_user(world.secretary_a)
    response = client.post(
        reverse("development:step_create", args=[target.pk]),
        _step_data(
            target,
            Step.DECISION,
            at.steps[Step.DECISION],
            document_number="120-QĐ/ĐU",
            issuing_body="Đảng ủy Thử nghiệm",
            received_on=d(at.steps[Step.DECISION] + timedelta(days=3)),
        ),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.step == Step.DECISION and target.member is not None
    assert target.member.person.organization == world.cell_a
    assert target.member.events.filter(kind=EventKind.ADMISSION_DECISION).exists()
    assert target.steps.get(step=Step.DECISION).document_number == "120-QĐ/ĐU"
    page = client.get(target.get_absolute_url()).content.decode()
    assert reverse("members:detail", args=[target.member.pk]) in page  # the member's record, linked
    assert 'id="paper-form"' not in page  # the dossier is the member's now
    assert 'href="' + reverse("development:candidate_edit", args=[target.pk]) not in page
    # The office sees it too; the leader sees the record but records nothing.
    assert (
        reverse("members:detail", args=[target.member.pk])
        in as_user(world.leader).get(target.get_absolute_url()).content.decode()
    )


def test_a_vote_short_of_two_thirds_is_refused_with_nothing_changed(world, pair, as_user):
    at = way()
    target = advance(world, pair["a"], Step.PROCEDURE, at)
    from .factories import papers

    papers(world, target, at.steps[Step.PROCEDURE])
    before = _state(target)
    client = as_user(world.secretary_a)
    url = reverse("development:step_create", args=[target.pk])
    for bad in (
        _step_data(target, Step.CELL_VOTE, at.steps[Step.CELL_VOTE], votes_for=5, votes_of=8),
        _step_data(target, Step.CELL_VOTE, at.steps[Step.CELL_VOTE], votes_for=9, votes_of=8),
        _step_data(target, Step.CELL_VOTE, at.steps[Step.CELL_VOTE]),  # no votes
        _step_data(target, Step.DECISION, at.steps[Step.CELL_VOTE]),  # not the next step
        _step_data(target, Step.CELL_VOTE, today() + timedelta(days=1), votes_for=6, votes_of=9),
        _step_data(target, Step.CELL_VOTE, today(), votes_for=6, votes_of=9) | {"date": "31/02/2020"},
        {"step": Step.CELL_VOTE, "date": d(today()), "votes_for": 6, "votes_of": 9, "version": "abc"},
    ):
        response = client.post(url, bad)
        assert response.status_code == 400, bad
        assert 'id="step-form"' in response.content.decode()
    page = client.post(
        url, _step_data(target, Step.CELL_VOTE, at.steps[Step.CELL_VOTE], votes_for=5, votes_of=8)
    )
    form = page.content.decode().split('id="step-form"')[1].split("</form>")[0]
    assert 'class="error"' in form and "5" in form.split('class="error"')[1]  # the refusal, on the votes
    assert _state(target) == before


def test_a_stale_step_is_refused_with_a_clear_message(world, pair, as_user):
    target = pair["a"]
    old = target.version
    services.candidate_update(actor=world.office, candidate=target, expected_version=old, occupation="Kỹ sư")
    before = _state(target)
    client = as_user(world.secretary_a)
    response = client.post(
        reverse("development:step_create", args=[target.pk]),
        {"step": Step.CLASS, "date": d(way().steps[Step.CLASS]), "version": old},
        follow=True,
    )
    assert STALE in response.content.decode()
    assert _state(target) == before


def test_the_removal_is_offered_at_any_step_and_ends_the_way(world, pair, as_user):
    target = pair["a"]
    client = as_user(world.secretary_a)
    response = client.post(
        reverse("development:step_create", args=[target.pk]),
        _step_data(target, Step.REMOVED, today(), note="Chuyển công tác"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.step == Step.REMOVED
    page = client.get(target.get_absolute_url()).content.decode()
    assert 'id="step-form"' not in page and 'id="removal-form"' not in page
    assert 'id="undo-form"' in page


def test_taking_back_the_decision_closes_the_members_record(world, pair, as_user):
    at = way()
    target = advance(world, pair["a"], Step.DECISION, at)
    member = target.member
    client = as_user(world.secretary_a)
    page = client.get(target.get_absolute_url()).content.decode()
    assert 'id="undo-form"' in page and "data-confirm" in page
    url = reverse("development:step_undo", args=[target.pk])
    stale = client.post(url, {"undo-version": target.version - 1}, follow=True)
    assert STALE in stale.content.decode()
    target.refresh_from_db()
    assert target.step == Step.DECISION
    assert client.post(url, {"undo-version": target.version}).status_code == 302
    target.refresh_from_db()
    assert target.step == Step.COMMITTEE_VOTE and target.member is None
    assert not Member.objects.filter(pk=member.pk).exists()


def test_the_listing_itself_cannot_be_taken_back(world, pair, as_user):
    target = pair["a"]
    client = as_user(world.secretary_a)
    assert 'id="undo-form"' not in client.get(target.get_absolute_url()).content.decode()
    response = client.post(
        reverse("development:step_undo", args=[target.pk]), {"undo-version": target.version}
    )
    assert response.status_code == 400
    assert _state(target)[0] == Step.SYMPATHISER


def test_a_paper_is_recorded_and_a_future_one_refused(world, pair, as_user):
    target = pair["a"]
    client = as_user(world.secretary_a)
    url = reverse("development:paper_record", args=[target.pk])
    response = client.post(url, {"paper": Paper.APPLICATION, "made_on": d(today() - timedelta(days=3))})
    assert response.status_code == 302
    assert target.papers.get().paper == Paper.APPLICATION
    for bad in (
        {"paper": Paper.PERSONAL_RECORD, "made_on": d(today() + timedelta(days=1))},
        {"paper": "nonsense", "made_on": d(today())},
        {"paper": Paper.PERSONAL_RECORD, "made_on": ""},
    ):
        assert client.post(url, bad).status_code == 400
    assert target.papers.count() == 1


def test_the_page_costs_the_same_queries_for_one_step_or_ten(world, as_user):
    at = way()
    short = candidate(world, name="Nguyễn Văn Ngắn", at=at)
    long = advance(world, candidate(world, name="Nguyễn Văn Dài", at=at), Step.RECOGNITION_CELL_VOTE, at)
    client = as_user(world.secretary_a)
    client.get(short.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(short.get_absolute_url())
    with CaptureQueriesContext(connection) as many:
        page = client.get(long.get_absolute_url()).content.decode()
    assert page.count('<li><span class="when">') == 9
    # Constant, whatever the steps: one query to see the member's record once admitted, two to
    # count who votes on the committee's resolution awaited (the committee, its seats).
    assert len(many) <= len(one) + 3


# ------------------------------------------------------------------------------ the particulars


def test_the_particulars_are_corrected_and_a_stale_form_refused(world, pair, as_user):
    target = pair["a"]
    client = as_user(world.secretary_a)
    url = reverse("development:candidate_edit", args=[target.pk])
    assert client.get(url).status_code == 200
    data = {
        "full_name": "Trần Thị Quần Chúng",
        "date_of_birth": d(target.date_of_birth),
        "occupation": "Kế toán",
        "helper": "",
        "version": target.version,
    }
    assert client.post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.occupation == "Kế toán" and target.helper is None
    response = client.post(url, {**data, "occupation": "Khác"}, follow=True)  # the old version
    assert STALE in response.content.decode()
    target.refresh_from_db()
    assert target.occupation == "Kế toán"
    assert client.post(url, {**data, "full_name": "", "version": target.version}).status_code == 400
    assert (
        as_user(world.secretary_a).get(reverse("development:candidate_edit", args=[pair["b"].pk])).status_code
        == 404
    )


def test_the_particulars_are_not_changed_here_after_admission(world, pair, as_user):
    target = advance(world, pair["a"], Step.DECISION)
    client = as_user(world.office)
    url = reverse("development:candidate_edit", args=[target.pk])
    response = client.post(
        url,
        {"full_name": "Tên Khác", "date_of_birth": d(target.date_of_birth), "version": target.version},
    )
    assert response.status_code == 400
    target.refresh_from_db()
    assert target.full_name == "Trần Thị Quần Chúng"
    papers_before = target.papers.count()
    response = client.post(
        reverse("development:paper_record", args=[target.pk]),
        {"paper": Paper.APPLICATION, "made_on": d(today())},
    )
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()  # the refusal, shown
    assert target.papers.count() == papers_before


# ------------------------------------------------------------------------------------ settings


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("office", "DU", 200),
        ("office", "DBBP", 200),
        ("leader", "DU", 404),
        ("inspection", "DU", 404),
        ("secretary_a", "CB-A", 404),
        ("stranger", "DU", 404),
    ],
)
def test_the_time_limits_page_by_persona(world, as_user, persona, code, status):
    client = as_user(getattr(world, persona))
    url = reverse("development:settings", args=[code])
    assert client.get(url).status_code == status
    if status == 404:
        assert client.post(url, {"admission_decision_days": 25}).status_code == 404
        assert not DevelopmentSettings.objects.exists()


def test_the_office_sets_stricter_limits_which_move_the_due_dates(world, pair, as_user):
    at = way()
    advance(world, pair["a"], Step.CELL_VOTE, at)
    client = as_user(world.office)
    url = reverse("development:settings", args=["DU"])
    page = client.get(url).content.decode()
    assert "294-QĐ/TW" in page and 'value="45"' in page
    values = {
        "admission_decision_days": 25,
        "recognition_decision_days": 15,
        "extension_days": 15,
        "ceremony_days": 30,
        "recognition_consideration_days": 30,
    }
    bad = client.post(url, {**values, "admission_decision_days": 0})
    assert bad.status_code == 400 and not DevelopmentSettings.objects.exists()
    assert client.post(url, values).status_code == 302
    saved = DevelopmentSettings.objects.get(organization=world.root)
    assert saved.admission_decision_days == 25
    assert "25 ngày làm việc" in client.get(pair["a"].get_absolute_url()).content.decode()
    read_at = saved.version
    assert client.post(url, {**values, "extension_days": 10, "version": read_at}).status_code == 302
    stale = client.post(url, {**values, "ceremony_days": 20, "version": read_at}, follow=True)
    assert STALE in stale.content.decode()
    saved.refresh_from_db()
    assert (saved.ceremony_days, saved.extension_days) == (30, 10)
