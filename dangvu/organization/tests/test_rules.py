"""Structural rules of rules.md §9.6, without a database."""

from dangvu.organization import rules
from dangvu.organization.choices import OrgKind, SeatRole


def _codes(warnings):
    return {w.code for w in warnings}


def _seats(*roles):
    return rules.summarize_roles(roles)


def test_a_grassroots_committee_holds_partial_committees_and_attached_cells():
    assert rules.allowed_child_kinds(OrgKind.GRASSROOTS_COMMITTEE) == {
        OrgKind.PARTIAL_COMMITTEE,
        OrgKind.ATTACHED_CELL,
    }
    assert rules.allowed_child_kinds(OrgKind.PARTIAL_COMMITTEE) == {OrgKind.ATTACHED_CELL}


def test_nothing_sits_under_a_cell():
    assert rules.allowed_child_kinds(OrgKind.ATTACHED_CELL) == frozenset()
    assert rules.allowed_child_kinds(OrgKind.GRASSROOTS_CELL) == frozenset()


def test_committees_above_grassroots_hold_grassroots_organisations():
    assert OrgKind.GRASSROOTS_COMMITTEE in rules.allowed_child_kinds(OrgKind.UPPER_COMMUNE)
    assert OrgKind.GRASSROOTS_CELL in rules.allowed_child_kinds(OrgKind.UPPER_DISTRICT)
    assert OrgKind.ATTACHED_CELL not in rules.allowed_child_kinds(OrgKind.UPPER_PROVINCE)


def test_a_cell_committee_of_seven_is_fine_and_of_eight_is_flagged():
    seven = _seats(SeatRole.SECRETARY, SeatRole.DEPUTY_SECRETARY, *[SeatRole.COMMITTEE_MEMBER] * 5)
    eight = _seats(SeatRole.SECRETARY, SeatRole.DEPUTY_SECRETARY, *[SeatRole.COMMITTEE_MEMBER] * 6)
    assert rules.committee_warnings(OrgKind.ATTACHED_CELL, seven) == []
    assert _codes(rules.committee_warnings(OrgKind.ATTACHED_CELL, eight)) == {"committee_too_large"}


def test_the_seven_seat_limit_is_for_cells_not_for_a_committee():
    big = _seats(SeatRole.SECRETARY, *[SeatRole.COMMITTEE_MEMBER] * 12)
    assert rules.committee_warnings(OrgKind.GRASSROOTS_COMMITTEE, big) == []


def test_missing_or_double_secretary_is_flagged():
    assert _codes(rules.committee_warnings(OrgKind.ATTACHED_CELL, _seats())) == {"no_secretary"}
    two = _seats(SeatRole.SECRETARY, SeatRole.SECRETARY)
    assert _codes(rules.committee_warnings(OrgKind.ATTACHED_CELL, two)) == {"several_secretaries"}


def test_inspection_seats_are_not_committee_seats():
    summary = _seats(SeatRole.SECRETARY, SeatRole.INSPECTION_CHAIR, SeatRole.INSPECTION_MEMBER)
    assert summary.committee_seats == 1


def test_member_counts_wait_until_members_are_recorded():
    one = _seats(SeatRole.SECRETARY)
    assert rules.committee_warnings(OrgKind.ATTACHED_CELL, one, official_members=None) == []
    assert _codes(rules.committee_warnings(OrgKind.ATTACHED_CELL, one, official_members=2)) == {
        "too_few_members"
    }


def test_a_cell_under_nine_official_members_elects_no_cell_committee():
    chi_uy = _seats(SeatRole.SECRETARY, SeatRole.DEPUTY_SECRETARY, SeatRole.COMMITTEE_MEMBER)
    assert _codes(rules.committee_warnings(OrgKind.ATTACHED_CELL, chi_uy, official_members=8)) == {
        "committee_needs_nine"
    }
    assert rules.committee_warnings(OrgKind.ATTACHED_CELL, chi_uy, official_members=9) == []
    pair = _seats(SeatRole.SECRETARY, SeatRole.DEPUTY_SECRETARY)
    assert rules.committee_warnings(OrgKind.ATTACHED_CELL, pair, official_members=5) == []


def test_usernames_are_given_name_then_initials_without_accents():
    assert rules.username_base("Nguyễn Văn An") == "an.nv"
    assert rules.username_base("Trần Thị Bích Ngọc") == "ngoc.ttb"
    assert rules.username_base("Đặng Đức") == "duc.d"
    assert rules.username_base("  ") == "user"


def test_usernames_are_made_unique_with_a_number():
    assert rules.unique_username("an.nv", set()) == "an.nv"
    assert rules.unique_username("an.nv", {"an.nv", "an.nv2"}) == "an.nv3"
