"""The commendations register (rules.md §1.10): recorded, corrected and deleted through its services,
seen from the user's scope, offered from the classification's "excellent" results, the money of a
member's giấy khen, and the `commendations.*` metrics."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvu.badges import commendations as register
from dangvu.badges.choices import CommendationForm
from dangvu.badges.models import Commendation
from dangvu.classification import services as classification_services
from dangvu.classification.choices import Level
from dangvu.classification.tests.factories import SCORES, decide_all, make_members, open_campaign, propose_all
from dangvu.core import metrics
from dangvu.core.access import scope_for
from dangvu.core.audit import StaleVersionError
from dangvu.core.metrics import MetricContext
from dangvu.core.periods import Year
from dangvu.members import services as member_services
from dangvu.members.choices import EventKind
from dangvu.testing import make_member, make_org

pytestmark = pytest.mark.django_db

CERT, MERIT = CommendationForm.CERTIFICATE, CommendationForm.MERIT
E, G = Level.EXCELLENT, Level.GOOD


def _today() -> date:
    return timezone.localdate()


def _add(world, **kw):
    fields = {
        "actor": world.office,
        "organization": world.cell_a,
        "form": CERT,
        "issuer": "Đảng ủy Thử nghiệm",
        "decided_on": _today(),
    }
    return register.commendation_add(**(fields | kw))


@pytest.fixture
def excellent(world):
    """This year's campaign decided today: in CB-A one member excellent, one good; in CB-C one
    excellent; the cell CB-A excellent and exemplary, CB-B good."""
    a = make_members(world, world.cell_a, 2)
    c = make_members(world, world.cell_c, 1)
    campaign = open_campaign(world, review_date=_today())
    ratings = propose_all(world, campaign, world.cell_a, {a[0]: E, a[1]: G})
    ratings += propose_all(world, campaign, world.cell_c, E)
    decide_all(world, campaign, ratings, override_reason="Thành tích nổi bật (thử nghiệm)")
    for cell, level in ((world.cell_a, E), (world.cell_b, G)):
        rating = classification_services.cell_self_assess(
            actor=world.office, campaign=campaign, cell=cell, score=SCORES[level], level=level
        )
        classification_services.cell_decide(
            actor=world.office,
            rating=rating,
            level=level,
            expected_version=rating.version,
            exemplary=level == E,
            override_reason="Thử nghiệm",
        )
    return {"a": a, "c": c}


# ------------------------------------------------------------------------------------- writes


def test_office_records_a_cells_certificate_with_its_audit_row(world):
    commendation = _add(world, decision_number="12-QĐ/ĐU", reason="  Hoàn thành xuất sắc nhiệm vụ ")
    assert commendation.member is None and commendation.amount is None
    assert commendation.reason == "Hoàn thành xuất sắc nhiệm vụ"
    history = commendation.history.get()
    assert history.history_user == world.office and history.history_change_reason == "commendation recorded"


def test_a_member_certificate_for_an_excellent_year_carries_0_3_base_salaries(world, excellent):
    member = excellent["a"][0]
    commendation = _add(world, member=member, rated_year=_today().year)
    # rules §1.10: 0.3 × the base salary in force on the decision date (2,340,000 from 01/07/2024).
    assert commendation.amount == 702_000
    merit = _add(world, member=member, rated_year=_today().year, form=MERIT, issuer="Thành ủy Hà Nội")
    assert merit.amount is None  # a bằng khen's money depends on the issuing level: typed


def test_the_amount_follows_the_base_salary_on_the_decision_date(world, excellent):
    year = _today().year
    member = excellent["a"][0]
    assert register._default_amount(
        member=member, form=CERT, decided_on=date(2024, 6, 30), rated_year=year
    ) == (540_000)
    assert register._default_amount(
        member=member, form=CERT, decided_on=date(2024, 7, 1), rated_year=year
    ) == (702_000)


def test_no_amount_for_a_member_not_rated_excellent_and_a_typed_amount_wins(world, excellent):
    good = excellent["a"][1]
    assert _add(world, member=good, rated_year=_today().year).amount is None
    typed = _add(world, member=excellent["a"][0], rated_year=_today().year, amount=1_000_000)
    assert typed.amount == 1_000_000


def test_refusals_say_what_is_wrong(world):
    member = make_member(world.admin, world.cell_a, "Nguyễn Văn Khen")
    cases = [
        ({"form": "medal"}, "form"),
        ({"issuer": "  "}, "issuer"),
        ({"decided_on": _today() + timedelta(days=1)}, "decided_on"),
        ({"rated_year": _today().year + 1}, "rated_year"),
        ({"member": member, "organization": world.cell_b}, "organization"),
    ]
    for fields, key in cases:
        with pytest.raises(ValidationError) as refused:
            _add(world, **fields)
        assert key in refused.value.message_dict
    assert not Commendation.objects.exists()


def test_the_same_commendation_for_the_same_year_is_refused_once_recorded(world):
    _add(world, rated_year=2025, decided_on=date(2026, 1, 15))
    with pytest.raises(ValidationError):
        _add(world, rated_year=2025, decided_on=date(2026, 1, 20), issuer="đảng ủy thử nghiệm")
    _add(world, rated_year=2025, decided_on=date(2026, 1, 20), form=MERIT, issuer="Thành ủy Hà Nội")


def test_update_is_versioned_and_delete_is_soft(world):
    commendation = _add(world, rated_year=2025, decided_on=date(2026, 1, 15))
    register.commendation_update(
        actor=world.office, commendation=commendation, expected_version=commendation.version, reason="Sửa"
    )
    commendation.refresh_from_db()
    assert commendation.reason == "Sửa"
    with pytest.raises(StaleVersionError):
        register.commendation_update(
            actor=world.office, commendation=commendation, expected_version=0, amount=5
        )
    with pytest.raises(ValidationError):
        register.commendation_update(
            actor=world.office,
            commendation=commendation,
            expected_version=commendation.version,
            decided_on=date(2024, 1, 1),
        )
    with pytest.raises(ValueError):
        register.commendation_update(
            actor=world.office, commendation=commendation, expected_version=commendation.version, member=None
        )
    register.commendation_delete(
        actor=world.office, commendation=commendation, expected_version=commendation.version
    )
    assert not Commendation.objects.exists()
    assert Commendation.all_objects.get().deleted_at is not None


# -------------------------------------------------------------------------------------- reads


def test_each_persona_sees_the_commendations_of_their_scope(world):
    year = _today().year
    in_a = _add(world)
    in_b = _add(world, organization=world.cell_b)
    _add(world, organization=world.cell_b, decided_on=date(year - 1, 12, 31))
    office = list(register.commendations_in(scope_for(world.office), world.root, year))
    assert set(office) == {in_a, in_b}
    assert list(register.commendations_in(scope_for(world.secretary_a), world.root, year)) == [in_a]
    assert list(register.commendations_in(scope_for(world.stranger), world.root, year)) == []
    assert register.commendation_get(scope_for(world.leader), in_b.pk) == in_b
    with pytest.raises(Http404):
        register.commendation_get(scope_for(world.secretary_a), in_b.pk)
    assert register.can_record(scope_for(world.office), world.cell_b)
    assert not register.can_record(scope_for(world.leader), world.cell_b)
    assert not register.can_record(scope_for(world.secretary_a), world.cell_a)


def test_excellent_members_and_cells_are_offered_until_commended(world, excellent):
    year = _today().year
    office = scope_for(world.office)
    offers = register.offered_from_classification(office, world.root, year)
    assert {(o.member, o.organization) for o in offers[:2]} == {
        (excellent["a"][0], world.cell_a),
        (excellent["c"][0], world.cell_c),
    }
    assert (offers[2].member, offers[2].organization) == (None, world.cell_a) and len(offers) == 3
    assert offers[-1].exemplary and all(o.rated_year == year and o.form == CERT for o in offers)
    # The secretary of CB-A sees the offers of the cell only; nothing for another year.
    secretary = register.offered_from_classification(scope_for(world.secretary_a), world.root, year)
    assert {o.organization for o in secretary} == {world.cell_a}
    assert register.offered_from_classification(office, world.root, year - 1) == []
    # Recorded from the offer, without retyping: it is no longer offered.
    first = next(o for o in offers if o.member == excellent["a"][0])
    _add(world, member=first.member, organization=first.organization, rated_year=first.rated_year)
    _add(world, organization=world.cell_a, rated_year=year, issuer="Đảng ủy cấp trên")
    left = register.offered_from_classification(office, world.root, year)
    assert [(o.member, o.organization) for o in left] == [(excellent["c"][0], world.cell_c)]
    assert register.offered_from_classification(office, world.partial, year) == left


def test_offers_take_two_queries_whatever_the_number_of_members(world, excellent):
    year, scope = _today().year, scope_for(world.office)
    with CaptureQueriesContext(connection) as queries:
        offers = register.offered_from_classification(scope, world.root, year)
        [(o.member.person.full_name, o.organization.name) for o in offers if o.member]
    assert len(queries) == 2


# ------------------------------------------------------------------------------------ metrics


def _figures(root, year: int, as_of: date | None = None) -> tuple[int, int]:
    ctx = MetricContext(root_path=root.path, year=Year(year), as_of=as_of or date(year, 12, 31))
    return (
        metrics.compute_all(ctx)["commendations.collective"]["value"],
        metrics.compute_all(ctx)["commendations.individual"]["value"],
    )


def test_metrics_count_decisions_of_the_year_in_the_subtree(world):
    year = _today().year - 1
    moved = make_member(world.admin, world.cell_a, "Người Chuyển Đi")
    stays = make_member(world.admin, world.cell_c, "Người Ở Lại")
    _add(world, decided_on=date(year, 3, 1))
    _add(world, organization=world.cell_c, decided_on=date(year, 12, 31))
    _add(world, organization=world.partial, decided_on=date(year, 5, 1))
    _add(world, organization=world.cell_b, decided_on=date(year - 1, 12, 31))  # another year
    _add(world, member=moved, decided_on=date(year, 2, 1))
    _add(world, member=stays, organization=world.cell_c, decided_on=date(year, 6, 1))
    deleted = _add(world, organization=world.cell_c, decided_on=date(year, 7, 1))
    register.commendation_delete(actor=world.office, commendation=deleted, expected_version=deleted.version)
    assert _figures(world.root, year) == (3, 2)
    assert _figures(world.partial, year) == (2, 1)
    assert _figures(world.root, year, as_of=date(year, 4, 1)) == (1, 1)
    # A member counts where they count (their official cell), not where the paper was kept.
    member_services.event_add(
        actor=world.admin,
        member=moved,
        kind=EventKind.CELL_TRANSFER,
        date=date(year, 4, 1),
        cell=world.cell_c,
    )
    assert _figures(world.partial, year) == (2, 2)
    assert _figures(world.cell_a, year) == (1, 0)


def test_metrics_take_one_query_each(world):
    year = _today().year - 1
    cell = make_org(world.admin, "CB-X", parent=world.root)
    for n in range(3):
        member = make_member(world.admin, cell, f"Người Khen {n}")
        _add(world, member=member, organization=cell, decided_on=date(year, 6, 1))
    ctx = MetricContext(root_path=world.root.path, year=Year(year), as_of=date(year, 12, 31))
    for key in ("commendations.collective", "commendations.individual"):
        with CaptureQueriesContext(connection) as queries:
            metrics._registry[key].compute(ctx)
        assert len(queries) == 1, key
