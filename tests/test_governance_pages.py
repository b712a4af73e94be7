"""Board meetings pages: who may see and change what, validation next to the field, empty
states, attendance and quorum, actions arising overdue by the partnership's clock, the demo."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from saferplaces.governance.models import (
    ActionArising,
    AgendaItem,
    AgendaPaper,
    Attendance,
    Body,
    Meeting,
)
from saferplaces.partnership.models import BoardSeat, Partnership, Person

pytestmark = pytest.mark.django_db


def url(name, partnership, *args):
    return reverse(name, args=[partnership.slug, *args])


@pytest.fixture
def board(world):
    """Alpha's board of four seats (three statutory, one resident), quorum a half, and one
    held meeting on 16 October 2020 with two agenda items."""
    a = world["a"]
    partnership = a["partnership"]
    people = [Person.objects.create(partnership=partnership, name=name)
              for name in ("Chief Constable", "Council Leader", "Fire Chief", "Resident Rep",
                           "Deputy Chief")]
    seats = [BoardSeat.objects.create(partnership=partnership, seat_type=kind,
                                      organisation=org, holder=person)
             for kind, org, person in [("statutory", a["police"], people[0]),
                                       ("statutory", a["council"], people[1]),
                                       ("statutory", a["fire"], people[2]),
                                       ("resident", None, people[3])]]
    body = Body.objects.create(partnership=partnership, name="Alpha Board", kind="board",
                               quorum_number=1, quorum_of=2)
    meeting = Meeting.objects.create(body=body, date=datetime.date(2020, 10, 16),
                                     status="held", place="Civic Centre")
    AgendaItem.objects.create(meeting=meeting, number=1, title="Apologies")
    AgendaItem.objects.create(meeting=meeting, number=2, title="Strategy")
    return {"body": body, "meeting": meeting, "seats": seats, "people": people,
            "partnership": partnership}


def attendance_post(seats, statuses, substitutes=None):
    data = {}
    for seat, status in zip(seats, statuses, strict=True):
        data[f"seat-{seat.pk}-status"] = status
        sub = (substitutes or {}).get(seat.pk)
        data[f"seat-{seat.pk}-substitute"] = sub.pk if sub else ""
    return data


def test_members_view_but_only_admins_and_officers_edit(world, board, login):
    p, meeting = board["partnership"], board["meeting"]
    edit_pages = [url("meeting_create", p), url("meeting_edit", p, meeting.pk),
                  url("meeting_agenda", p, meeting.pk), url("meeting_attendance", p, meeting.pk),
                  url("meeting_minutes", p, meeting.pk), url("arising_create", p, meeting.pk)]
    client = login(world["users"]["board"])
    for page in [url("meeting_list", p), url("meeting_detail", p, meeting.pk),
                 url("arising_list", p), url("attendance_by_member", p)]:
        assert client.get(page).status_code == 200, page
    assert "Record attendance" not in client.get(url("meeting_detail", p, meeting.pk)).text
    for page in edit_pages:
        assert client.get(page).status_code == 403, page
        assert client.post(page).status_code == 403, page
    officer = login(world["users"]["police"])
    for page in edit_pages:
        assert officer.get(page).status_code == 200, page
    assert officer.get(url("body_create", p)).status_code == 403  # the quorum rule: admins
    assert login(world["users"]["admin"]).get(url("body_create", p)).status_code == 200
    assert login(world["users"]["admin_b"]).get(url("meeting_list", p)).status_code == 404


def test_querysets_agree_with_the_permission_functions(world, board):
    from saferplaces.governance.permissions import can_edit_meetings
    from saferplaces.partnership.access import membership_for

    for user in world["users"].values():
        membership = membership_for(user, board["partnership"])
        if membership is None:
            continue
        editable = Meeting.objects.editable_by(user).filter(pk=board["meeting"].pk).exists()
        assert editable == can_edit_meetings(membership), user.username


def test_attendance_form_records_every_seat_and_the_quorum(world, board, login):
    p, meeting, seats, people = (board["partnership"], board["meeting"], board["seats"],
                                 board["people"])
    client = login(world["users"]["admin"])
    page = client.get(url("meeting_attendance", p, meeting.pk)).text
    assert page.count('name="seat-') == 2 * len(seats)  # status and substitute per seat
    data = attendance_post(seats, ["present", "substitute", "apologies", "absent"],
                           {seats[1].pk: people[4]})
    response = client.post(url("meeting_attendance", p, meeting.pk), data)
    assert response.status_code == 302
    rows = {a.seat_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert rows[seats[1].pk].substitute == people[4]
    assert rows[seats[1].pk].member == people[1]  # the holder at the time
    assert [rows[s.pk].voting for s in seats] == [True, True, True, True]
    detail = client.get(url("meeting_detail", p, meeting.pk)).text
    # 4 voting seats, half needed = 2; present + substitute = 2
    assert "Quorate</strong>: 2 of 4 voting seats represented; the quorum is 2" in detail
    data = attendance_post(seats, ["present", "apologies", "apologies", "absent"])
    client.post(url("meeting_attendance", p, meeting.pk), data)
    detail = client.get(url("meeting_detail", p, meeting.pk)).text
    assert "Not quorate</strong>: 1 of 4 voting seats represented" in detail


def test_only_statutory_seats_vote_when_the_body_says_so(world, board, login):
    board["body"].voting_seats = "statutory"
    board["body"].save()
    p, meeting, seats = board["partnership"], board["meeting"], board["seats"]
    client = login(world["users"]["admin"])
    client.post(url("meeting_attendance", p, meeting.pk),
                attendance_post(seats, ["present", "apologies", "apologies", "present"]))
    detail = client.get(url("meeting_detail", p, meeting.pk)).text
    # 3 statutory seats, half rounded up = 2; only the police present among them
    assert "Not quorate</strong>: 1 of 3 voting seats represented; the quorum is 2" in detail


def test_a_substitute_must_be_named_and_only_for_a_substitute(world, board, login):
    p, meeting, seats, people = (board["partnership"], board["meeting"], board["seats"],
                                 board["people"])
    client = login(world["users"]["admin"])
    data = attendance_post(seats, ["substitute", "present", "present", "present"],
                           {seats[1].pk: people[4]})
    response = client.post(url("meeting_attendance", p, meeting.pk), data)
    assert response.status_code == 200
    page = response.text
    assert "Say who stood in for the member." in page
    assert "Only a seat marked" in page
    assert not Attendance.objects.filter(meeting=meeting).exists()  # nothing half-saved


def test_agenda_editor_adds_numbers_and_refuses_a_duplicate(world, board, login):
    p, meeting = board["partnership"], board["meeting"]
    items = list(meeting.items.all())
    client = login(world["users"]["police"])
    data = {"items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "2",
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
            "items-0-id": items[0].pk, "items-0-number": "1", "items-0-title": "Apologies",
            "items-1-id": items[1].pk, "items-1-number": "2", "items-1-title": "Strategy",
            "items-2-number": "2", "items-2-title": "Grants"}
    response = client.post(url("meeting_agenda", p, meeting.pk), data)
    assert response.status_code == 200
    assert "Another item has this number." in response.text
    data["items-2-number"] = "3"
    data["items-2-presenter"] = board["people"][0].pk
    assert client.post(url("meeting_agenda", p, meeting.pk), data).status_code == 302
    assert [(i.number, i.title) for i in meeting.items.all()] == [
        (1, "Apologies"), (2, "Strategy"), (3, "Grants")]


def test_minutes_and_decisions_show_on_the_meeting(world, board, login):
    p, meeting = board["partnership"], board["meeting"]
    items = list(meeting.items.all())
    client = login(world["users"]["admin"])
    data = {"minutes-TOTAL_FORMS": "2", "minutes-INITIAL_FORMS": "2",
            "minutes-MIN_NUM_FORMS": "0", "minutes-MAX_NUM_FORMS": "1000",
            "minutes-0-id": items[0].pk, "minutes-0-minutes": "None received.",
            "minutes-0-decisions": "",
            "minutes-1-id": items[1].pk, "minutes-1-minutes": "Discussed.",
            "minutes-1-decisions": "Approved the strategy.\n\nAsked for a report."}
    assert client.post(url("meeting_minutes", p, meeting.pk), data).status_code == 302
    page = client.get(url("meeting_detail", p, meeting.pk)).text
    assert "<li>Approved the strategy.</li><li>Asked for a report.</li>" in page
    assert items[1].history.count() == 2


def test_papers_upload_within_the_limit_or_link(world, board, login, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    p, meeting = board["partnership"], board["meeting"]
    item = meeting.items.get(number=2)
    client = login(world["users"]["admin"])
    target = url("meeting_paper_create", p, meeting.pk, item.pk)
    neither = client.post(target, {"title": "Strategy"})
    assert "Upload a file or give a link (one of the two)." in neither.text
    big = SimpleUploadedFile("big.pdf", b"x" * 1001, "application/pdf")
    too_big = client.post(target, {"title": "Strategy", "upload": big})
    assert "over the" in too_big.text and "upload limit" in too_big.text
    paper = SimpleUploadedFile("strategy.pdf", b"%PDF-1.4 strategy", "application/pdf")
    assert client.post(target, {"title": "Strategy", "upload": paper}).status_code == 302
    assert client.post(target, {"title": "Web page", "link": "https://example.org/s"}
                       ).status_code == 302
    stored = AgendaPaper.objects.get(title="Strategy")
    download = login(world["users"]["board"]).get(url("meeting_paper", p, stored.pk))
    assert download.content == b"%PDF-1.4 strategy"
    assert 'filename="strategy.pdf"' in download["Content-Disposition"]


def test_actions_arising_are_overdue_by_the_partnerships_clock(world, board, login):
    p, meeting = board["partnership"], board["meeting"]  # shown as at 16 November 2020
    owner = board["people"][0]
    for text, due, status in [("Late", datetime.date(2020, 11, 15), "on_track"),
                              ("Due today", datetime.date(2020, 11, 16), "not_started"),
                              ("Done late", datetime.date(2020, 10, 1), "complete")]:
        ActionArising.objects.create(meeting=meeting, description=text, owner=owner,
                                     due_date=due, status=status)
    assert [a.description for a in ActionArising.objects.overdue(
        datetime.date(2020, 11, 16))] == ["Late"]
    client = login(world["users"]["board"])
    page = client.get(url("arising_list", p)).text
    assert "Late" in page and "Due today" in page and "Done late" not in page
    assert "1 overdue as at 16 November 2020" in page
    assert page.count('class="flag overdue"') == 1
    p.shown_as_at = datetime.date(2020, 11, 17)
    p.save()
    page = client.get(url("arising_list", p)).text
    assert "2 overdue as at 17 November 2020" in page
    assert "Done late" in client.get(url("arising_list", p) + "?show=all").text


def test_action_arising_form_errors_next_to_fields(world, board, login):
    p, meeting = board["partnership"], board["meeting"]
    client = login(world["users"]["police"])
    response = client.post(url("arising_create", p, meeting.pk),
                           {"description": "", "due_date": "31/02/2021", "status": "on_track"})
    assert response.status_code == 200
    assert response.text.count('class="errorlist') >= 2
    response = client.post(url("arising_create", p, meeting.pk), {
        "description": "Report back", "due_date": "2021-01-31", "status": "not_started",
        "item": meeting.items.get(number=2).pk, "owner": board["people"][0].pk})
    assert response.status_code == 302
    assert ActionArising.objects.get().item.number == 2


def test_meeting_form_keeps_choices_in_the_partnership(world, board, login):
    other = Body.objects.create(partnership=world["b"]["partnership"], name="Beta Board",
                                kind="board")
    client = login(world["users"]["admin"])
    response = client.post(url("meeting_create", board["partnership"]), {
        "body": other.pk, "date": "2021-01-20", "status": "scheduled"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not other.meetings.exists()


def test_group_needs_seats_and_quorum_cannot_exceed_all(world, board, login):
    client = login(world["users"]["admin"])
    response = client.post(url("body_create", board["partnership"]), {
        "name": "Violence group", "kind": "group", "voting_seats": "all",
        "quorum_number": "3", "quorum_of": "2"})
    assert "Choose the seats that sit on the group." in response.text
    assert "A quorum cannot be more than all the voting seats." in response.text
    assert not Body.objects.filter(name="Violence group").exists()


def test_empty_states(world, login):
    client = login(world["users"]["admin"])
    p = world["a"]["partnership"]
    page = client.get(url("meeting_list", p)).text
    assert "No board or group has been recorded yet" in page
    assert "No meeting is scheduled." in page
    assert "No open action arising." in client.get(url("arising_list", p)).text
    assert "No board or group has been recorded yet." in client.get(
        url("attendance_by_member", p)).text
    assert client.get(url("meeting_create", p)).status_code == 302  # no body yet


def test_a_bad_year_is_shown_and_the_default_used(world, board, login):
    page = login(world["users"]["board"]).get(
        url("meeting_list", board["partnership"]) + "?year=1999/00").text
    assert "year must be one of" in page
    assert "Meetings in 2020/21" in page


def test_attendance_by_member_table(world, board, login):
    p, seats, body = board["partnership"], board["seats"], board["body"]
    second = Meeting.objects.create(body=body, date=datetime.date(2021, 1, 15), status="held")
    cancelled = Meeting.objects.create(body=body, date=datetime.date(2021, 2, 1),
                                       status="cancelled")
    for meeting, statuses in [(board["meeting"], ["present", "absent", "apologies", "present"]),
                              (second, ["present", "present", "apologies", "absent"])]:
        for seat, status in zip(seats, statuses, strict=True):
            Attendance.objects.create(meeting=meeting, seat=seat, member=seat.holder,
                                      status=status)
    page = login(world["users"]["board"]).get(
        url("attendance_by_member", p) + "?year=2020/21").text
    assert "16 Oct 2020" in page and "15 Jan 2021" in page and "1 Feb 2021" not in page
    assert "2 of 2 (100%)" in page       # police
    assert "1 of 2 (50%)" in page        # council, resident
    assert "0 of 2 (0%)" in page         # fire
    assert cancelled.pk


def test_audit_history_on_the_meeting(world, board, login):
    client = login(world["users"]["admin"])
    p, meeting = board["partnership"], board["meeting"]
    client.post(url("meeting_edit", p, meeting.pk), {
        "body": board["body"].pk, "date": "2020-10-16", "status": "held",
        "place": "Online (Microsoft Teams)"})
    page = client.get(url("meeting_detail", p, meeting.pk)).text
    assert "Civic Centre → Online (Microsoft Teams)" in page
    assert "by admin-a" in page


def test_demo_board_meetings(db):
    call_command("demo", "--password", "a-long-demo-password", "--skip-evidence")
    swp = Partnership.objects.get(slug="swp")
    meetings = Meeting.objects.for_partnership(swp).order_by("date")
    assert [m.date.isoformat() for m in meetings] == [
        "2020-05-22", "2020-09-18", "2020-11-20", "2021-02-26"]
    assert all(m.is_illustrative for m in meetings)
    first = meetings[0]
    # 14 seats, a third needed = 5; 11 present and one substitute
    result = first.quorum()
    assert (result.voting_seats, result.represented, result.needed) == (14, 12, 5)
    overdue = ActionArising.objects.for_partnership(swp).overdue(datetime.date(2021, 2, 15))
    assert sorted(a.owner.name for a in overdue) == ["Fiona Grant", "Grace Bennett"]
    counts = (Meeting.objects.count(), AgendaItem.objects.count(), Attendance.objects.count(),
              ActionArising.objects.count(), Meeting.history.count(),
              Attendance.history.count())
    call_command("demo", "--no-migrate", "--skip-evidence")
    assert (Meeting.objects.count(), AgendaItem.objects.count(), Attendance.objects.count(),
            ActionArising.objects.count(), Meeting.history.count(),
            Attendance.history.count()) == counts


def test_agenda_items_can_swap_numbers(world, board, login):
    p, meeting = board["partnership"], board["meeting"]
    first, second = meeting.items.all()
    data = {"items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "2",
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
            "items-0-id": first.pk, "items-0-number": "2", "items-0-title": "Apologies",
            "items-1-id": second.pk, "items-1-number": "1", "items-1-title": "Strategy"}
    response = login(world["users"]["admin"]).post(url("meeting_agenda", p, meeting.pk), data)
    assert response.status_code == 302
    assert [(i.number, i.title) for i in meeting.items.all()] == [
        (1, "Strategy"), (2, "Apologies")]
