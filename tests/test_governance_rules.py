"""Quorum and attendance-by-member: pure functions on hand-worked literals."""

import pytest

from saferplaces.governance.attendance import attendance_rows
from saferplaces.governance.quorum import QuorumRule, quorum, seats_needed


@pytest.mark.parametrize("rule, voting_seats, needed", [
    (QuorumRule(5), 14, 5),        # a plain number ignores the size of the board
    (QuorumRule(5), 3, 5),         # and can exceed a small group (never quorate)
    (QuorumRule(1, 3), 14, 5),     # 14 / 3 = 4.67, rounded up: 4 would be under a third
    (QuorumRule(1, 3), 15, 5),     # exactly a third
    (QuorumRule(1, 2), 14, 7),     # half of 14
    (QuorumRule(1, 2), 13, 7),     # 6.5 rounded up
    (QuorumRule(2, 3), 6, 4),
    (QuorumRule(1, 3), 0, 0),
])
def test_seats_needed(rule, voting_seats, needed):
    assert seats_needed(rule, voting_seats) == needed


def test_quorum_counts_present_and_substitutes_not_apologies_or_absent():
    statuses = ["present"] * 3 + ["substitute"] + ["apologies"] * 5 + ["absent"] * 5
    result = quorum(QuorumRule(1, 3), statuses)  # 14 voting seats: 5 needed, 4 represented
    assert (result.voting_seats, result.represented, result.needed) == (14, 4, 5)
    assert not result.quorate
    assert quorum(QuorumRule(1, 3), ["present"] + statuses).quorate  # 15 seats, 5 of 5


def test_quorum_rule_reads_as_a_sentence():
    assert str(QuorumRule(5)) == "at least 5 voting seats represented"
    assert str(QuorumRule(1, 3)) == "at least 1/3 of the voting seats represented"


def test_attendance_rows_by_seat_over_the_meetings_recorded():
    meetings = ["may", "sep", "nov", "feb"]
    marks = [
        ("police", "may", "present"), ("police", "sep", "substitute"),
        ("police", "nov", "present"), ("police", "feb", "apologies"),
        ("fire", "may", "absent"), ("fire", "sep", "present"),
        ("fire", "nov", "apologies"),          # fire not recorded in February
        ("resident", "nov", "present"),        # a seat filled in November
        ("elsewhere", "may", "present"),       # a seat not asked for: ignored
        ("police", "other", "present"),        # a meeting not asked for: ignored
    ]
    police, fire, resident, empty = attendance_rows(
        ["police", "fire", "resident", "empty"], meetings, marks)
    assert police.marks == ("present", "substitute", "present", "apologies")
    assert (police.recorded, police.attended, police.represented) == (4, 2, 3)
    assert police.percent_attended == 50.0 and police.percent_represented == 75.0
    assert fire.marks == ("absent", "present", "apologies", None)
    assert (fire.recorded, fire.attended, fire.represented) == (3, 1, 1)
    assert fire.percent_attended == pytest.approx(100 / 3)
    assert (resident.recorded, resident.percent_attended) == (1, 100.0)
    assert empty.marks == (None, None, None, None)
    assert empty.percent_attended is None and empty.percent_represented is None
