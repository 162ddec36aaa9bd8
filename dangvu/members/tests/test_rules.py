"""Member rules without a database, on the cases of shared/domain/rules.md."""

from datetime import date

import pytest

from dangvu.members import rules
from dangvu.members.choices import DisciplineForm, EventKind, Status
from dangvu.members.rules import Fact

K = EventKind


def _admitted(decision=date(2000, 1, 10), ceremony=date(2000, 2, 1), recognised=date(2001, 2, 5)):
    facts = [Fact(K.ADMISSION_DECISION, decision, cell_id=1), Fact(K.CEREMONY, ceremony)]
    if recognised:
        facts.append(Fact(K.RECOGNITION, recognised))
    return facts


def test_months_are_full_calendar_months():
    assert rules.months_between(date(2000, 1, 31), date(2000, 2, 28)) == 0
    assert rules.months_between(date(2000, 1, 31), date(2000, 2, 29)) == 1  # the month's last day
    assert rules.months_between(date(2000, 1, 31), date(2000, 3, 1)) == 1
    assert rules.months_between(date(2000, 1, 10), date(2001, 1, 10)) == 12
    assert rules.months_between(date(2000, 1, 10), date(2001, 1, 9)) == 11
    assert rules.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("born", "considered", "ok"),
    [
        (date(2006, 5, 1), date(2024, 5, 1), True),  # a full 18 that day
        (date(2006, 5, 2), date(2024, 5, 1), False),  # one day short of 18
        (date(1964, 5, 1), date(2024, 5, 1), True),  # a full 60
        (date(1964, 4, 1), date(2024, 5, 1), False),  # 60 years and 1 month
    ],
)
def test_admission_age_is_from_a_full_18_to_a_full_60_in_months(born, considered, ok):
    problem = rules.admission_age_problem(born, considered, blocking=True)
    assert (problem is None) == ok
    if problem:
        assert problem.rule == "§3.3" and problem.blocking


def test_on_recorded_history_the_age_rule_only_warns():
    problem = rules.admission_age_problem(date(1930, 1, 1), date(1995, 1, 1), blocking=False)
    assert problem and not problem.blocking


def test_probation_ends_twelve_months_after_the_ceremony():
    # Hanoi example (§3.5): admitted 10/10/2024 -> official from 10/10/2025.
    assert rules.probation_end(date(2024, 10, 10)) == date(2025, 10, 10)


def test_official_date_is_the_end_of_probation_even_when_recognition_is_late():
    history = rules.derive(_admitted(ceremony=date(2024, 10, 10), recognised=date(2026, 1, 5)))
    assert history.periods[0].official_on == date(2025, 10, 10)


def test_probationary_until_the_recognition_decision_even_after_twelve_months():
    history = rules.derive(_admitted(ceremony=date(2024, 10, 10), recognised=date(2026, 1, 5)))
    assert rules.status_on(history, date(2025, 12, 31)) == Status.PROBATIONARY
    assert rules.status_on(history, date(2026, 1, 5)) == Status.OFFICIAL


def test_status_follows_the_events():
    facts = _admitted()
    history = rules.derive(facts)
    assert rules.status_on(history, date(2000, 1, 9)) == Status.UNKNOWN
    assert rules.status_on(history, date(2000, 1, 20)) == Status.AWAITING_CEREMONY
    assert rules.status_on(history, date(2000, 2, 1)) == Status.PROBATIONARY
    dead = rules.derive([*facts, Fact(K.DEATH, date(2020, 3, 3))])
    assert rules.status_on(dead, date(2020, 3, 2)) == Status.OFFICIAL
    assert rules.status_on(dead, date(2020, 3, 3)) == Status.DECEASED


def test_an_annulled_expulsion_does_not_end_membership():
    expelled = Fact(K.DISCIPLINE, date(2010, 1, 1), discipline_form=DisciplineForm.EXPULSION)
    annulled = Fact(K.DISCIPLINE, date(2010, 1, 1), discipline_form=DisciplineForm.EXPULSION, annulled=True)
    assert rules.status_on(rules.derive([*_admitted(), expelled]), date(2011, 1, 1)) == Status.EXPELLED
    assert rules.status_on(rules.derive([*_admitted(), annulled]), date(2011, 1, 1)) == Status.OFFICIAL


def test_a_reprimand_does_not_end_membership():
    reprimand = Fact(K.DISCIPLINE, date(2010, 1, 1), discipline_form=DisciplineForm.REPRIMAND)
    assert rules.status_on(rules.derive([*_admitted(), reprimand]), date(2011, 1, 1)) == Status.OFFICIAL


def test_party_age_runs_from_the_decision_once_official():
    history = rules.derive(_admitted())
    assert rules.party_age_months(history, date(2001, 2, 4)) is None  # not yet recognised
    # Counted from the decision (10/01/2000), not from the ceremony.
    assert rules.party_age_months(history, date(2030, 1, 10)) == 360


def test_party_age_after_readmission_subtracts_the_gap():
    # First admitted 10/01/2000, removed 10/01/2010, re-admitted by decision 10/01/2013.
    facts = [
        *_admitted(),
        Fact(K.REMOVAL, date(2010, 1, 10)),
        Fact(K.READMISSION_DECISION, date(2013, 1, 10), cell_id=1),
        Fact(K.CEREMONY, date(2013, 2, 1)),
        Fact(K.RECOGNITION, date(2014, 2, 3)),
    ]
    history = rules.derive(facts)
    assert history.gaps == ((date(2010, 1, 10), date(2013, 1, 10)),)
    assert rules.party_age_months(history, date(2024, 1, 10)) == 24 * 12 - 36
    assert rules.status_on(history, date(2013, 2, 1)) == Status.PROBATIONARY


def test_party_age_stops_while_removed_and_at_death():
    removed = rules.derive([*_admitted(), Fact(K.REMOVAL, date(2010, 1, 10))])
    assert rules.party_age_months(removed, date(2020, 1, 10)) == 120
    dead = rules.derive([*_admitted(), Fact(K.DEATH, date(2010, 1, 10))])
    assert rules.party_age_months(dead, date(2020, 1, 10)) == 120


def test_a_transfer_gap_is_not_party_age():
    facts = [
        *_admitted(),
        Fact(K.TRANSFER_OUT, date(2005, 1, 10)),
        Fact(K.TRANSFER_IN, date(2005, 7, 10), cell_id=2),
    ]
    history = rules.derive(facts)
    assert rules.party_age_months(history, date(2010, 1, 10)) == 120 - 6
    assert history.periods[-1].cell_id == 2 and history.periods[-1].recognised_on


def test_a_temporary_transfer_keeps_the_official_cell():
    facts = [*_admitted(), Fact(K.TRANSFER_OUT, date(2005, 1, 1), temporary=True)]
    history = rules.derive(facts)
    assert len(history.periods) == 1 and history.periods[0].end is None


def test_a_move_between_cells_opens_a_new_period_at_the_new_cell():
    history = rules.derive([*_admitted(), Fact(K.CELL_TRANSFER, date(2015, 6, 1), cell_id=7)])
    assert [(p.cell_id, p.start, p.end) for p in history.periods] == [
        (1, date(2000, 2, 1), date(2015, 6, 1)),
        (7, date(2015, 6, 1), None),
    ]


def test_impossible_date_orders_are_found():
    facts = [
        Fact(K.CEREMONY, date(2000, 1, 1)),
        Fact(K.ADMISSION_DECISION, date(2000, 2, 1)),
        Fact(K.EXEMPTION, date(2010, 5, 1), end_date=date(2010, 1, 1)),
        Fact(K.DEATH, date(2011, 1, 1)),
        Fact(K.SUSPENSION, date(2012, 1, 1)),
    ]
    messages = {p.field for p in rules.date_order_problems(facts, date(2001, 1, 1))}
    assert messages == {"date", "end_date"}
    assert len(rules.date_order_problems(facts, date(2001, 1, 1))) == 4
    assert rules.date_order_problems(_admitted(), date(1980, 1, 1)) == []


def test_recognition_before_twelve_months_is_flagged():
    assert rules.recognition_problem(date(2024, 10, 10), date(2025, 10, 9)) is not None
    assert rules.recognition_problem(date(2024, 10, 10), date(2025, 10, 10)) is None


def test_identifier_checks():
    assert (
        rules.identifier_problems(
            citizen_id="00108801234", card_number="", card_issued_on=None, record_number=""
        )[0].field
        == "citizen_id"
    )
    new_card = rules.identifier_problems(
        citizen_id="001088012345", card_number="12345", card_issued_on=date(2025, 9, 2), record_number=""
    )
    assert [p.field for p in new_card] == ["card_number"]
    old_card = rules.identifier_problems(
        citizen_id="", card_number="AB-123", card_issued_on=date(2010, 1, 1), record_number="000001 HN"
    )
    assert old_card == []


def test_the_official_date_follows_the_ceremony_even_after_a_move():
    facts = [
        *_admitted(ceremony=date(2024, 2, 1), recognised=None),
        Fact(K.CELL_TRANSFER, date(2024, 6, 1), cell_id=2),
        Fact(K.RECOGNITION, date(2025, 2, 10)),
    ]
    assert rules.derive(facts).periods[-1].official_on == date(2025, 2, 1)


def test_a_member_admitted_elsewhere_and_transferred_in_keeps_their_dates():
    facts = [
        Fact(K.ADMISSION_DECISION, date(2020, 1, 5)),
        Fact(K.CEREMONY, date(2020, 2, 1)),
        Fact(K.TRANSFER_IN, date(2020, 9, 1), cell_id=3),
        Fact(K.RECOGNITION, date(2021, 2, 3)),
    ]
    history = rules.derive(facts)
    here = history.periods[-1]
    assert (here.cell_id, here.start, here.official_on) == (3, date(2020, 9, 1), date(2021, 2, 1))
    assert history.periods[0].cell_id is None  # active elsewhere before arriving
    assert rules.party_age_months(history, date(2022, 1, 5)) == 24


def test_a_readmitted_member_on_probation_has_no_party_age_yet():
    facts = [
        *_admitted(),
        Fact(K.REMOVAL, date(2010, 1, 10)),
        Fact(K.READMISSION_DECISION, date(2013, 1, 10)),
        Fact(K.CEREMONY, date(2013, 2, 1)),
    ]
    history = rules.derive(facts)
    assert rules.party_age_months(history, date(2013, 6, 1)) is None
    assert rules.status_on(history, date(2013, 1, 20)) == Status.AWAITING_CEREMONY
