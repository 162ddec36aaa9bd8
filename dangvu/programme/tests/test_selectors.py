"""Who sees and who runs the programme (core.access: the inspection commission carries it out, a
cell's chi ủy runs its own and reports its remedial actions), for every persona."""

from datetime import date, timedelta

import pytest
from django.http import Http404

from dangvu.core.access import scope_for
from dangvu.core.periods import today
from dangvu.organization.choices import SeatRole
from dangvu.programme import selectors, services
from dangvu.programme.choices import ItemKind, Result
from dangvu.testing import make_member, make_person, make_seat, make_user

pytestmark = pytest.mark.django_db


def _scope(user):
    return scope_for(user)


@pytest.fixture
def concluded(world):
    """The root's programme: an item about a member of cell A, concluded with a remedial action
    carried out by cell A; and an item about cell B, planned."""
    programme = services.programme_open(actor=world.office, organization=world.root, year=today().year)
    member = make_member(world.admin, world.cell_a, "Đảng viên A")
    about_a = services.item_add(
        actor=world.office,
        programme=programme,
        kind=ItemKind.COMPLIANCE,
        content="Kiểm tra chấp hành",
        starts_on=today() - timedelta(days=20),
        ends_on=today(),
        subject_member=member,
    )
    about_a = services.item_conclude(
        actor=world.office,
        item=about_a,
        expected_version=about_a.version,
        concluded_on=today(),
        conclusion="Có khuyết điểm",
        result=Result.SHORTCOMINGS,
        actions=[services.Action("Khắc phục", world.cell_a, today() + timedelta(days=30))],
    )
    about_b = services.item_add(
        actor=world.office,
        programme=programme,
        kind=ItemKind.THEMATIC_SUPERVISION,
        content="Giám sát chuyên đề",
        starts_on=today(),
        ends_on=today() + timedelta(days=30),
        subject_cell=world.cell_b,
    )
    return programme, about_a, about_b


@pytest.mark.parametrize(
    ("persona", "root", "cell_a"),
    [
        ("office", True, True),
        ("inspection", True, True),  # the commission carries out the committee's programme
        ("leader", False, False),  # reads only
        ("secretary_a", False, True),  # the chi ủy runs its cell's own programme
        ("member_a", False, False),
        ("stranger", False, False),
    ],
)
def test_who_runs_a_programme(world, persona, root, cell_a):
    scope = _scope(getattr(world, persona))
    assert (selectors.can_run(scope, world.root), selectors.can_run(scope, world.cell_a)) == (root, cell_a)


def test_a_seat_on_the_inspection_commission_runs_its_committee_s_programme(world):
    inspector = make_person(world.admin, world.root, "Đỗ Văn Kiểm", "kiem")
    make_seat(world.admin, inspector, world.root, SeatRole.INSPECTION_MEMBER)
    scope = _scope(make_user("other"))
    assert not selectors.can_run(scope, world.root)
    assert selectors.can_run(_scope(inspector.user), world.root)
    # The committee's commission also oversees the programmes under it (its subtree).
    assert selectors.can_run(_scope(inspector.user), world.cell_a)
    former = make_person(world.admin, world.root, "Lý Văn Cũ", "cu")
    make_seat(
        world.admin,
        former,
        world.root,
        SeatRole.INSPECTION_MEMBER,
        start=date(2020, 1, 1),
        end=date(2024, 12, 31),
    )
    assert not selectors.can_run(_scope(former.user), world.root)  # the term is over


@pytest.mark.parametrize(
    ("persona", "sees_a", "sees_b"),
    [
        ("office", True, True),
        ("leader", True, True),
        ("inspection", True, True),
        ("secretary_a", True, False),  # the cell concerned, and the cell that carries out an action
        ("member_a", False, False),
        ("stranger", False, False),
    ],
)
def test_who_sees_an_item(world, concluded, persona, sees_a, sees_b):
    _programme, about_a, about_b = concluded
    scope = _scope(getattr(world, persona))
    for item, sees in ((about_a, sees_a), (about_b, sees_b)):
        if sees:
            assert selectors.item_get(scope, item.pk) == item
        else:
            with pytest.raises(Http404):
                selectors.item_get(scope, item.pk)


def test_the_cell_finds_its_open_actions_and_reports_them(world, concluded):
    _programme, about_a, _about_b = concluded
    action = about_a.actions.get()
    secretary = _scope(world.secretary_a)
    assert [a.pk for a in selectors.actions_carried_by(secretary, world.cell_a)] == [action.pk]
    assert selectors.can_report(secretary, action)
    assert not selectors.can_report(_scope(world.leader), action)
    services.action_done(
        actor=world.secretary_a, action=action, expected_version=1, done_on=today(), report="Xong"
    )
    [done] = selectors.actions_carried_by(secretary, world.cell_a)
    assert done.state == "done" and done.report == "Xong"


def test_the_programmes_of_an_organisation_and_under_it(world, concluded):
    programme, _a, _b = concluded
    own = services.programme_open(actor=world.secretary_a, organization=world.cell_a, year=today().year)
    assert list(selectors.programmes_in(_scope(world.office), world.root)) == [programme, own]
    assert list(selectors.programmes_in(_scope(world.secretary_a), world.cell_a)) == [own]
    with pytest.raises(Http404):
        selectors.programme_get(_scope(world.secretary_a), programme.pk)
