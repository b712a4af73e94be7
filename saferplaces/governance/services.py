"""Writing attendance, and the attendance-by-member table of a year. The ORM lives here; the
rules are in quorum.py and attendance.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from saferplaces.core.periods import Period
from saferplaces.governance.attendance import AttendanceRow, attendance_rows
from saferplaces.governance.models import (
    Attendance,
    Body,
    Meeting,
    MeetingStatus,
    seat_order,
)


@transaction.atomic
def record_attendance(meeting: Meeting, rows, user) -> int:
    """Save each seat's attendance (forms from `forms.attendance_forms`, all valid), noting the
    holder and voting right of the seat as they are now. Returns the rows changed."""
    recorded = {a.seat_id: a for a in meeting.attendance.all()}
    changed = 0
    for form in rows:
        seat = form.seat
        values = {"status": form.cleaned_data["status"],
                  "substitute": form.cleaned_data["substitute"],
                  "member": recorded[seat.pk].member if seat.pk in recorded else seat.holder,
                  "voting": meeting.body.seat_votes(seat)}
        row = recorded.get(seat.pk) or Attendance(meeting=meeting, seat=seat)
        if row.pk and all(getattr(row, key) == value for key, value in values.items()):
            continue
        for key, value in values.items():
            setattr(row, key, value)
        row._history_user = user
        row.save()
        changed += 1
    return changed


@dataclass
class AttendanceTable:
    meetings: list[Meeting]
    rows: list[tuple[object, list[str], AttendanceRow]]  # (seat, member names, figures)


def attendance_table(body: Body, year: Period) -> AttendanceTable:
    """Every seat recorded at the body's meetings held in `year`, by meeting."""
    meetings = list(Meeting.objects.filter(
        body=body, status=MeetingStatus.HELD, date__range=(year.start, year.end))
        .order_by("date", "start_time"))
    marks = sorted(Attendance.objects.filter(meeting__in=meetings)
                   .select_related("seat__organisation", "member", "meeting"),
                   key=lambda mark: (seat_order(mark.seat), mark.meeting.date))
    seats, names = [], {}
    for mark in marks:
        if mark.seat not in names:
            seats.append(mark.seat)
            names[mark.seat] = []
        member = mark.member.name if mark.member else "vacant"
        if member not in names[mark.seat]:
            names[mark.seat].append(member)
    figures = attendance_rows([s.pk for s in seats], [m.pk for m in meetings],
                              [(m.seat_id, m.meeting_id, m.status) for m in marks])
    return AttendanceTable(meetings=meetings, rows=[
        (seat, names[seat], row) for seat, row in zip(seats, figures, strict=True)])
