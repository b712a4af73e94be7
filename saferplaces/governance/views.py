"""Board meetings pages, under /p/<slug>/meetings/: the meetings of the board and its groups,
their agendas, papers, attendance, minutes, decisions and actions arising, and attendance by
member over a year."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from saferplaces.core import params
from saferplaces.core.audit import history_of
from saferplaces.core.clock import today
from saferplaces.core.periods import parse_period, period_containing
from saferplaces.governance import permissions
from saferplaces.governance.forms import (
    ActionArisingForm,
    BodyForm,
    MeetingForm,
    PaperForm,
    agenda_formset,
    attendance_forms,
    minutes_formset,
)
from saferplaces.governance.models import (
    ActionArising,
    AgendaItem,
    AgendaPaper,
    Body,
    BodyKind,
    Meeting,
    MeetingStatus,
    seat_order,
)
from saferplaces.governance.services import attendance_table, record_attendance
from saferplaces.partnership.access import partnership_view, scoped, url_in

PAST_PER_PAGE = 20
ACTIONS_PER_PAGE = 25


def _require_editor(request) -> None:
    if not permissions.can_edit_meetings(request.membership):
        raise PermissionDenied("Only administrators and organisation officers can change "
                               "meetings.")


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(scoped(request, Meeting.objects).select_related("body"), pk=pk)


def _year_codes(meetings) -> list[str]:
    """The financial years (e.g. "2020/21") the meetings fall in, newest first."""
    dates = meetings.order_by().values_list("date", flat=True).distinct()
    return sorted({period_containing("financial_year", day).code for day in dates},
                  reverse=True)


@partnership_view
def meeting_list(request):
    """Meetings of the board and its groups: upcoming, then past ones of a financial year.

    Model Meeting; template governance/meeting_list.html; context: bodies, upcoming, page
    (past meetings), years, year, can_edit, can_manage_bodies.
    """
    now = today(request.partnership)
    meetings = scoped(request, Meeting.objects).select_related("body")
    years = _year_codes(meetings)
    default = period_containing("financial_year", now).code
    year = params.or_default(request, default, params.choice, "year",
                             [*years, default], default=default)
    span = period_containing("financial_year", _year_start(year))
    upcoming = meetings.filter(date__gte=now, status=MeetingStatus.SCHEDULED).order_by("date")
    past = meetings.exclude(pk__in=upcoming).filter(date__range=(span.start, span.end))
    page = Paginator(past, PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "governance/meeting_list.html", {
        "bodies": scoped(request, Body.objects), "upcoming": upcoming, "page": page,
        "years": sorted({*years, default}, reverse=True), "year": year, "span": span,
        "can_edit": permissions.can_edit_meetings(request.membership),
        "can_manage_bodies": permissions.can_manage_bodies(request.membership)})


def _year_start(code: str) -> datetime.date:
    return parse_period(code).start


@partnership_view
def meeting_detail(request, pk):
    """A meeting: agenda with papers, attendance and quorum, minutes, decisions and actions
    arising, and its change history.

    Template governance/meeting_detail.html; context: meeting, items, attendance, quorum,
    actions (with overdue flags), can_edit, history.
    """
    meeting = _meeting(request, pk)
    now = today(request.partnership)
    actions = meeting.actions_arising.select_related("owner", "item")
    return render(request, "governance/meeting_detail.html", {
        "meeting": meeting,
        "items": meeting.items.select_related("presenter").prefetch_related(
            Prefetch("papers", queryset=AgendaPaper.objects.defer("content"))),
        "attendance": sorted(meeting.attendance.select_related(
            "seat__organisation", "member", "substitute"), key=lambda a: seat_order(a.seat)),
        "quorum": meeting.quorum(),
        "actions": [(a, a.is_overdue(now)) for a in actions],
        "can_edit": permissions.can_edit_meetings(request.membership),
        "history": history_of(meeting)})


@partnership_view
def meeting_edit(request, pk=None):
    """Schedule a meeting or change its date, place or status. Template core/form.html."""
    meeting = _meeting(request, pk) if pk else None
    _require_editor(request)
    if not scoped(request, Body.objects).exists():
        messages.error(request, "Record the board (or a group) before its meetings: "
                                "an administrator adds it from this page.")
        return redirect(url_in(request, "meeting_list"))
    form = MeetingForm(request.POST or None, instance=meeting, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Saved {saved}.")
        return redirect(url_in(request, "meeting_detail", saved.pk))
    back = url_in(request, "meeting_detail", pk) if pk else url_in(request, "meeting_list")
    return render(request, "core/form.html", {
        "form": form, "cancel_url": back,
        "title": f"Edit {meeting}" if meeting else "Schedule a meeting"})


@partnership_view
def agenda_edit(request, pk):
    """Number, title and presenter of each agenda item; tick to remove one.

    Template governance/agenda_form.html; context: meeting, formset.
    """
    meeting = _meeting(request, pk)
    _require_editor(request)
    formset = agenda_formset(meeting, request.partnership, request.POST or None)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            items = formset.save(commit=False)
            AgendaItem.save_agenda(meeting, items, formset.deleted_objects)
        messages.success(request, "Agenda saved.")
        return redirect(url_in(request, "meeting_detail", meeting.pk))
    return render(request, "governance/agenda_form.html",
                  {"meeting": meeting, "formset": formset})


@partnership_view
def paper_create(request, pk, item_pk):
    """Attach a paper (an upload, within UPLOAD_MAX_MB, or a link) to an agenda item.

    Template governance/paper_form.html; context: meeting, item, form.
    """
    meeting = _meeting(request, pk)
    item = get_object_or_404(meeting.items, pk=item_pk)
    _require_editor(request)
    form = PaperForm(request.POST or None, request.FILES or None,
                     instance=AgendaPaper(item=item))
    if request.method == "POST" and form.is_valid():
        paper = form.save()
        messages.success(request, f"Added the paper {paper}.")
        return redirect(url_in(request, "meeting_detail", meeting.pk))
    return render(request, "governance/paper_form.html",
                  {"meeting": meeting, "item": item, "form": form})


@partnership_view
def paper_download(request, pk):
    """An uploaded paper, as a download."""
    paper = get_object_or_404(scoped(request, AgendaPaper.objects), pk=pk, link="")
    response = HttpResponse(bytes(paper.content or b""), content_type=paper.content_type)
    response["Content-Disposition"] = _attachment(paper.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _attachment(filename: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, filename)


@partnership_view
def attendance_edit(request, pk):
    """One row per seat of the body: present, apologies, absent or a named substitute.

    Template governance/attendance_form.html; context: meeting, rows (forms).
    """
    meeting = _meeting(request, pk)
    _require_editor(request)
    seats = meeting.body.member_seats()
    rows = attendance_forms(meeting, seats, request.POST or None)
    if request.method == "POST" and all(form.is_valid() for form in rows):
        changed = record_attendance(meeting, rows, request.user)
        messages.success(request, f"Attendance saved ({changed} seat{'s' if changed != 1 else ''}"
                                  " changed).")
        return redirect(url_in(request, "meeting_detail", meeting.pk))
    return render(request, "governance/attendance_form.html", {
        "meeting": meeting, "rows": rows,
        "has_errors": request.method == "POST"})


@partnership_view
def minutes_edit(request, pk):
    """Minutes and decisions of each agenda item.

    Template governance/minutes_form.html; context: meeting, formset.
    """
    meeting = _meeting(request, pk)
    _require_editor(request)
    formset = minutes_formset(meeting, request.POST or None)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            for item in formset.save(commit=False):
                item._history_user = request.user
                item.save()
        messages.success(request, "Minutes saved.")
        return redirect(url_in(request, "meeting_detail", meeting.pk))
    return render(request, "governance/minutes_form.html",
                  {"meeting": meeting, "formset": formset})


@partnership_view
def arising_edit(request, pk=None, meeting_pk=None):
    """Record an action arising from a meeting, or update one until it is done.

    Template governance/arising_form.html; context: form, meeting, action, history.
    """
    action = (get_object_or_404(scoped(request, ActionArising.objects), pk=pk)
              if pk else None)
    meeting = action.meeting if action else _meeting(request, meeting_pk)
    _require_editor(request)
    form = ActionArisingForm(request.POST or None, instance=action, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Saved the action arising: {saved}.")
        return redirect(url_in(request, "meeting_detail", meeting.pk))
    return render(request, "governance/arising_form.html", {
        "form": form, "meeting": meeting, "action": action,
        "history": history_of(action) if action else []})


@partnership_view
def arising_list(request):
    """Actions arising from meetings: open ones (overdue first by the clock), or all.

    Template governance/arising_list.html; context: page, show, overdue_count, today.
    """
    now = today(request.partnership)
    show = params.or_default(request, "open", params.choice, "show", ["open", "all"],
                             default="open")
    actions = scoped(request, ActionArising.objects).select_related(
        "owner__organisation", "meeting__body", "item")
    if show == "open":
        actions = actions.open()
    page = Paginator(actions.order_by("due_date", "id"), ACTIONS_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "governance/arising_list.html", {
        "page": page, "rows": [(a, a.is_overdue(now)) for a in page], "show": show,
        "overdue_count": scoped(request, ActionArising.objects).overdue(now).count(),
        "today": now, "can_edit": permissions.can_edit_meetings(request.membership)})


@partnership_view
def attendance_by_member(request):
    """Attendance by member over a financial year: seat x meeting held, with the share
    attended in person and the share represented (in person or by a substitute).

    Template governance/attendance_by_member.html; context: bodies, body, table, years, year.
    """
    bodies = list(scoped(request, Body.objects))
    body_ids = [str(b.pk) for b in bodies]
    board = next((b for b in bodies if b.kind == BodyKind.BOARD), bodies[0] if bodies else None)
    chosen = params.or_default(request, str(board.pk) if board else "", params.choice, "body",
                               body_ids, default=str(board.pk) if board else "")
    body = next((b for b in bodies if str(b.pk) == chosen), None)
    default = period_containing("financial_year", today(request.partnership)).code
    years = sorted({*_year_codes(scoped(request, Meeting.objects)), default},
                   reverse=True)
    year = params.or_default(request, default, params.choice, "year", years, default=default)
    span = period_containing("financial_year", _year_start(year))
    return render(request, "governance/attendance_by_member.html", {
        "bodies": bodies, "body": body, "years": years, "year": year, "span": span,
        "table": attendance_table(body, span) if body else None})


@partnership_view
def body_edit(request, pk=None):
    """Record the board, or a group with its seats, and the quorum rule (administrators).

    Template core/form.html.
    """
    body = get_object_or_404(scoped(request, Body.objects), pk=pk) if pk else None
    if not permissions.can_manage_bodies(request.membership):
        raise PermissionDenied("Only partnership administrators can change this.")
    form = BodyForm(request.POST or None, instance=body, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Saved {saved}.")
        return redirect(url_in(request, "meeting_list"))
    return render(request, "core/form.html", {
        "form": form, "cancel_url": url_in(request, "meeting_list"),
        "title": f"Edit {body}" if body else "Add the board or a group"})
