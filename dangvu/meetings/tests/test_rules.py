"""The rules of study, training and meetings, on the cases of rules.md §5 and metrics.md, without a
database."""

from datetime import date

import pytest

from dangvu.core.metrics import percent
from dangvu.meetings import rules
from dangvu.meetings.choices import Attendance, Invitees, SessionKind
from dangvu.meetings.rules import Meeting, Presence

P, E, U = Attendance.PRESENT, Attendance.EXCUSED, Attendance.UNEXCUSED

# ---------------------------------------------------------------------------------------- invitees


@pytest.mark.parametrize(
    ("kind", "cell", "expected"),
    [
        (SessionKind.REGULAR, True, Invitees.CELL_MEMBERS),
        (SessionKind.THEMATIC, True, Invitees.CELL_MEMBERS),
        (SessionKind.STUDY, False, Invitees.SUBTREE_MEMBERS),
        (SessionKind.STUDY, True, Invitees.CELL_MEMBERS),
        (SessionKind.TRAINING, False, Invitees.COMMITTEE_MEMBERS),
        (SessionKind.CONFERENCE, False, Invitees.CHOSEN),
        (SessionKind.CATCH_UP, True, Invitees.STILL_OWING),
    ],
)
def test_invitees_follow_the_kind_of_session(kind, cell, expected):
    assert rules.default_invitees(kind, organiser_is_cell=cell) == expected


def test_every_kind_has_its_invitees():
    assert set(rules.DEFAULT_INVITEES) == set(SessionKind.values)


# ------------------------------------------------------------------------------------------- study


def test_a_member_of_its_scope_owes_a_document_when_active_and_not_exempt_the_day_it_was_set():
    assert rules.required_to_study(active=True, exempt=False)
    # Admitted after the document was set: not active that day, owes nothing for it.
    assert not rules.required_to_study(active=False, exempt=False)
    # Exempt on that day (even if the exemption ends later in the year): owes nothing.
    assert not rules.required_to_study(active=True, exempt=True)


def test_a_membership_covers_its_first_day_not_its_last_and_an_exemption_both():
    start, end = date(2026, 3, 1), date(2026, 6, 1)
    assert rules.in_span(start, start, end) and not rules.in_span(end, start, end)
    assert not rules.in_span(date(2026, 2, 28), start, end) and rules.in_span(date(2030, 1, 1), start, None)
    assert rules.exempt_during(start, start, end) and rules.exempt_during(end, start, end)
    assert not rules.exempt_during(date(2026, 6, 2), start, end)
    assert rules.exempt_during(date(2030, 1, 1), start, None)


def test_studied_means_present_at_a_study_or_catch_up_session_by_the_as_of_date():
    doc = 7
    study = Presence(SessionKind.STUDY, date(2026, 3, 10), P, frozenset({doc}))
    assert rules.studied(doc, [study], date(2026, 3, 10))
    assert not rules.studied(doc, [study], date(2026, 3, 9))  # held after the as-of date
    excused = Presence(SessionKind.STUDY, date(2026, 3, 10), E, frozenset({doc}))
    assert not rules.studied(doc, [excused], date(2026, 12, 31))
    catch_up = Presence(SessionKind.CATCH_UP, date(2026, 4, 2), P, frozenset({doc}))
    assert rules.studied(doc, [excused, catch_up], date(2026, 12, 31))
    meeting = Presence(SessionKind.REGULAR, date(2026, 3, 10), P, frozenset({doc}))
    assert not rules.studied(doc, [meeting], date(2026, 12, 31))  # a meeting is not a study session


def test_a_catch_up_after_the_study_counts_the_document_once():
    doc = 1
    twice = [
        Presence(SessionKind.STUDY, date(2026, 3, 10), P, frozenset({doc})),
        Presence(SessionKind.CATCH_UP, date(2026, 4, 2), P, frozenset({doc})),
    ]
    assert rules.documents_still_owed([doc], twice, date(2026, 12, 31)) == []
    assert rules.studied_every_document([doc], twice, date(2026, 12, 31))


def test_a_member_who_moved_owes_every_document_set_for_them_wherever_they_studied():
    # Set for them at cell A (1) and at cell B after the move (2); studied at sessions of both cells.
    presences = [
        Presence(SessionKind.STUDY, date(2026, 2, 1), P, frozenset({1})),
        Presence(SessionKind.STUDY, date(2026, 9, 1), P, frozenset({2, 3})),
    ]
    assert rules.studied_every_document([1, 2], presences, date(2026, 12, 31))
    assert rules.documents_still_owed([1, 2, 4], presences, date(2026, 12, 31)) == [4]
    assert not rules.studied_every_document([1, 2, 4], presences, date(2026, 12, 31))


# ---------------------------------------------------------------------------------- cell meetings


def test_cell_months_are_the_ended_months_of_the_year_the_cell_was_active():
    assert rules.cell_months(2026, date(2026, 3, 31), None, None) == [(2026, 1), (2026, 2), (2026, 3)]
    assert rules.cell_months(2026, date(2026, 3, 30), None, None) == [(2026, 1), (2026, 2)]
    # Founded on 31/01 and dissolved on 1/3: active at least one day in January, February and March.
    assert rules.cell_months(2026, date(2026, 12, 31), date(2026, 1, 31), date(2026, 3, 1)) == [
        (2026, 1),
        (2026, 2),
        (2026, 3),
    ]
    assert rules.cell_months(2026, date(2026, 12, 31), date(2027, 1, 1), None) == []


def test_only_a_regular_meeting_marked_held_makes_the_month_and_several_count_once():
    meetings = [
        Meeting(SessionKind.REGULAR, date(2026, 1, 5), True),
        Meeting(SessionKind.REGULAR, date(2026, 1, 25), True),
        Meeting(SessionKind.THEMATIC, date(2026, 2, 5), True),
        Meeting(SessionKind.REGULAR, date(2026, 3, 5), False),  # planned, not held
    ]
    assert rules.months_held(meetings) == {(2026, 1)}


def test_thematic_meetings_at_least_quarterly_by_default():
    meetings = [
        Meeting(SessionKind.THEMATIC, date(2026, 2, 5), True),
        Meeting(SessionKind.THEMATIC, date(2026, 8, 1), False),
    ]
    assert rules.thematic_quarters_missing(meetings, 2026, date(2026, 9, 30)) == [2, 3]
    assert rules.thematic_quarters_missing(meetings, 2026, date(2026, 9, 29)) == [2]
    assert rules.thematic_quarters_missing(meetings, 2026, date(2026, 12, 31), every_months=6) == [2]
    # A cell founded on 1/11 owes no thematic meeting for the fourth quarter; one dissolved on
    # 15/5 owes none for the second.
    assert rules.thematic_quarters_missing([], 2026, date(2026, 12, 31), active_from=date(2026, 11, 1)) == []
    assert rules.thematic_quarters_missing([], 2026, date(2026, 12, 31), active_to=date(2026, 5, 15)) == [1]
    with pytest.raises(ValueError):
        rules.thematic_quarters_missing(meetings, 2026, date(2026, 12, 31), every_months=5)


def test_a_regular_meeting_lasts_90_minutes_and_120_with_a_thematic_one():
    assert rules.too_short(89) and not rules.too_short(90)
    assert rules.too_short(119, combined=True) and not rules.too_short(120, combined=True)


# ----------------------------------------------------------------------------------- 3-month flag


def test_unexcused_absence_in_three_months_of_a_year_is_flagged():
    two = [
        (SessionKind.REGULAR, date(2026, 1, 5), U),
        (SessionKind.REGULAR, date(2026, 1, 25), U),
        (SessionKind.THEMATIC, date(2026, 4, 5), U),
    ]
    assert rules.unexcused_months(two, 2026) == {(2026, 1), (2026, 4)}
    assert not rules.three_month_flag(two, 2026)
    excused = [*two, (SessionKind.REGULAR, date(2026, 6, 5), E)]
    assert not rules.three_month_flag(excused, 2026)  # an excused absence is not counted
    other_year = [*two, (SessionKind.REGULAR, date(2025, 12, 5), U)]
    assert not rules.three_month_flag(other_year, 2026)  # a calendar year, not twelve months
    conference = [*two, (SessionKind.CONFERENCE, date(2026, 6, 5), U)]
    assert not rules.three_month_flag(conference, 2026)  # the cell's own meetings only
    assert rules.three_month_flag([*two, (SessionKind.EXTRAORDINARY, date(2026, 6, 5), U)], 2026)


# ------------------------------------------------------------------------------------ conferences


def test_an_exempt_invitee_counts_only_if_present_and_excused_is_not_present():
    assert rules.conference_counts(P, exempt=False) == (1, 1)
    assert rules.conference_counts(E, exempt=False) == (0, 1)
    assert rules.conference_counts(U, exempt=False) == (0, 1)
    assert rules.conference_counts(P, exempt=True) == (1, 1)
    assert rules.conference_counts(E, exempt=True) == (0, 0)
    assert rules.attendance_rate([(P, False), (E, False), (P, True), (U, True)]) == (2, 3)


# ------------------------------------------------------------------------------ attendance counts


def test_attendance_counts_tell_present_excused_unexcused_and_not_yet_marked():
    counts = rules.AttendanceCounts.of([P, P, E, U, "", None, P])
    assert counts == rules.AttendanceCounts(present=3, excused=1, unexcused=1, unmarked=2)
    assert (counts.marked, counts.total) == (5, 7)
    assert rules.AttendanceCounts.of([]).total == 0


def test_whole_percentages_round_half_up_and_none_without_a_denominator():
    # Python's round() would give 0, 2 and 62 (to even); the pages round half-up like the figures.
    assert [percent(1, 200), percent(5, 200), percent(125, 200)] == [1, 3, 63]
    assert percent(2, 3) == 67
    assert percent(0, 0) is None
    assert percent(3, 3) == 100


def test_session_kinds_of_a_cell_and_of_a_committee():
    assert SessionKind.REGULAR in rules.kinds_for(True) and SessionKind.CONFERENCE not in rules.kinds_for(
        True
    )
    assert SessionKind.CONFERENCE in rules.kinds_for(False) and SessionKind.REGULAR not in rules.kinds_for(
        False
    )
    assert set(rules.kinds_for(True)) | set(rules.kinds_for(False)) == set(SessionKind.values)


def test_month_arithmetic_across_the_new_year():
    assert rules.previous_month(date(2026, 1, 15)) == (2025, 12)
    assert rules.previous_month(date(2026, 3, 1)) == (2026, 2)
    assert rules.last_day(2028, 2) == date(2028, 2, 29) and rules.last_day(2026, 12) == date(2026, 12, 31)
    assert [rules.period_months(n, 3) for n in (1, 2, 4)] == [(1, 3), (4, 6), (10, 12)]
    assert rules.period_months(1, 12) == (1, 12)
