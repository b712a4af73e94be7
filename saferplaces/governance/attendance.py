"""Attendance by member over a year: one row per seat, one column per meeting held, and the
share of meetings attended. Pure functions on plain values, no ORM.

A seat counts only at the meetings where its attendance was recorded (a seat created in the
middle of the year is not marked absent before it existed). "Attended" means the member was
there in person; "represented" also counts a named substitute standing in.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from saferplaces.governance.quorum import PRESENT, REPRESENTED


@dataclass(frozen=True)
class AttendanceRow:
    seat: Hashable
    marks: tuple[str | None, ...]  # one per meeting, None where the seat was not recorded
    recorded: int
    attended: int
    represented: int

    @property
    def percent_attended(self) -> float | None:
        return 100 * self.attended / self.recorded if self.recorded else None

    @property
    def percent_represented(self) -> float | None:
        return 100 * self.represented / self.recorded if self.recorded else None


def attendance_rows(seats: Sequence[Hashable], meetings: Sequence[Hashable],
                    marks: Iterable[tuple[Hashable, Hashable, str]]) -> list[AttendanceRow]:
    """A row per seat (in the order given) over `meetings` (in the order given), from
    (seat, meeting, status) marks; marks for other seats or meetings are ignored."""
    status_of = {(seat, meeting): status for seat, meeting, status in marks}
    rows = []
    for seat in seats:
        row_marks = tuple(status_of.get((seat, meeting)) for meeting in meetings)
        recorded = [mark for mark in row_marks if mark is not None]
        rows.append(AttendanceRow(
            seat=seat, marks=row_marks, recorded=len(recorded),
            attended=sum(1 for mark in recorded if mark == PRESENT),
            represented=sum(1 for mark in recorded if mark in REPRESENTED)))
    return rows
