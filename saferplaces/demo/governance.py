"""The demo's board meetings: the Safer Wolverhampton Partnership Board in 2020/21, meeting
quarterly. The 22 May 2020 meeting, which approved the strategy, is in the founding report's
route (section "report has been considered by"); every other date, the agendas, attendance,
minutes, decisions and actions arising are illustrative, and each meeting is marked so."""

from __future__ import annotations

import datetime

from saferplaces.demo.sync import sync
from saferplaces.governance.models import (
    ActionArising,
    AgendaItem,
    Attendance,
    Body,
    BodyKind,
    Meeting,
)
from saferplaces.partnership.models import BoardSeat, Partnership, Person

BOARD_NAME = "Safer Wolverhampton Partnership Board"
ONLINE = "Online (Microsoft Teams)"
OPENING = [("Welcome, introductions and apologies", None, "", ""),
           ("Minutes of the last meeting and actions arising", "Alex Morgan",
            "The minutes were agreed as a true record. Actions arising were reviewed.", "")]

# date, place, status, [(title, presenter, minutes, decisions)], {holder: (status, substitute)},
# [(item number, action, owner, due, status, position)]
MEETINGS = [
    (datetime.date(2020, 5, 22), ONLINE, "held", [
        ("Community Safety and Harm Reduction Strategy 2020-2023", "Priya Sandhu",
         "The board considered the final draft strategy, the findings of the 12-week "
         "consultation and the equality analysis.",
         "Approved the strategy 2020-2023 for consideration by Cabinet and Full Council."),
        ("Covid-19: the partnership's response and community tensions", "Richard Boyd",
         "Partners described changes to demand during the first lockdown: fewer acquisitive "
         "crimes, more reports of anti-social behaviour and concern about hidden domestic "
         "abuse.", "Agreed fortnightly tension monitoring reports to partners."),
     ], {"Jo Turner": ("apologies", None), "Nadia Rahman": ("absent", None),
         "Margaret Hale": ("substitute", "Priya Sandhu")},
     [(3, "Circulate the approved strategy to every partner organisation.", "Alex Morgan",
       datetime.date(2020, 6, 30), "complete", "Sent to all partners on 5 June 2020.")]),
    (datetime.date(2020, 9, 18), ONLINE, "held", [
        ("Action plan 2020/21: first quarter progress", "Alex Morgan",
         "Most actions are on track; two are at risk because of Covid-19 restrictions.", ""),
        ("Domestic abuse during lockdown", "Karen Lloyd",
         "Referrals to specialist services rose after restrictions eased.",
         "Asked for monthly referral figures since March 2020 at the next meeting."),
        ("Police and Crime Commissioner grant 2020-21", "Priya Sandhu",
         "The board discussed proposed allocations of the ring-fenced grant to plan actions.",
         "Agreed the allocations in principle, subject to confirmation by the coordinator."),
     ], {"Helen Price": ("apologies", None), "Paul Dhillon": ("apologies", None),
         "Richard Boyd": ("substitute", "Daniel Whitmore")},
     [(4, "Report domestic abuse referrals by month since March 2020 to the next meeting.",
       "Karen Lloyd", datetime.date(2020, 11, 20), "complete", "Presented on 20 November."),
      (5, "Confirm the grant allocations to plan actions in writing to the PCC's office.",
       "Priya Sandhu", datetime.date(2020, 10, 31), "complete", "Confirmed 23 October 2020.")]),
    (datetime.date(2020, 11, 20), ONLINE, "held", [
        ("Performance framework: quarter 2 board report", "Alex Morgan",
         "The board reviewed the scorecard and the exceptions report.", ""),
        ("Youth violence and exploitation: contextual safeguarding", "Ruth Okafor",
         "Partners discussed locations linked to exploitation of young people.",
         "Asked the police and youth offending team for a joint plan for the spring."),
     ], {"Sam Patel": ("apologies", None), "Grace Bennett": ("absent", None),
         "Chris Walker": ("apologies", None), "Janet Wright": ("absent", None)},
     [(4, "Bring a joint plan for patrols and outreach at locations linked to youth "
          "violence.", "Fiona Grant", datetime.date(2021, 1, 31), "on_track",
       "Draft shared with the youth offending team."),
      (3, "Agree data sharing with health partners for the strategic assessment 2021.",
       "Helen Price", datetime.date(2021, 3, 31), "at_risk", ""),
      (2, "Review who holds the voluntary sector seats before the new municipal year.",
       "Grace Bennett", datetime.date(2021, 1, 15), "not_started", "")]),
    (datetime.date(2021, 2, 26), ONLINE, "scheduled", [
        ("Performance framework: quarter 3 board report", "Alex Morgan", "", ""),
        ("Strategic assessment 2021: timetable and data", "Priya Sandhu", "", ""),
        ("Action plan 2021/22: first draft", "Alex Morgan", "", ""),
     ], {}, []),
]


def load_meetings(partnership: Partnership) -> int:
    """Create or refresh the board and its 2020/21 meetings; returns the number of meetings."""
    board = sync(Body, partnership=partnership, name=BOARD_NAME,
                 defaults={"kind": BodyKind.BOARD, "voting_seats": "all",
                           "quorum_number": 1, "quorum_of": 3})
    people = {p.name: p for p in Person.objects.filter(partnership=partnership)}
    seats = list(BoardSeat.objects.filter(partnership=partnership).select_related("holder"))
    for day, place, status, items, absences, actions in MEETINGS:
        meeting = sync(Meeting, body=board, date=day,
                       defaults={"start_time": datetime.time(10, 0), "place": place,
                                 "status": status, "is_illustrative": True})
        agenda = {}
        for number, (title, presenter, minutes, decisions) in enumerate(
                [*OPENING, *items, ("Any other business", None, "", "")], start=1):
            agenda[number] = sync(AgendaItem, meeting=meeting, number=number, defaults={
                "title": title, "presenter": people.get(presenter),
                "minutes": minutes if status == "held" else "",
                "decisions": decisions if status == "held" else ""})
        if status == "held":
            _attendance(meeting, board, seats, absences, people)
        for number, text, owner, due, state, position in actions:
            sync(ActionArising, meeting=meeting, description=text, defaults={
                "item": agenda[number], "owner": people[owner], "due_date": due,
                "status": state, "position": position})
    return len(MEETINGS)


def _attendance(meeting, board, seats, absences, people) -> None:
    for seat in seats:
        holder = seat.holder.name if seat.holder else ""
        status, substitute = absences.get(holder, ("present", None))
        sync(Attendance, meeting=meeting, seat=seat, defaults={
            "member": seat.holder, "status": status, "substitute": people.get(substitute),
            "voting": board.seat_votes(seat)})
