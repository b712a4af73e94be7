"""Pages about the partnership itself: its organisations and its board."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404, render

from saferplaces.core.partnership_access import partnership_view
from saferplaces.partnership.models import BoardOffice, Organisation, SeatType, StatutoryRole
from saferplaces.strategy.models import Action


@partnership_view
def organisation_list(request):
    """Member organisations grouped by statutory role.

    Template partnership/organisation_list.html; context: groups [(label, organisations)].
    """
    organisations = request.partnership.organisations.all()
    groups = []
    for value, label in StatutoryRole.choices:
        members = [o for o in organisations if o.statutory_role == value]
        if members:
            groups.append((label, members))
    return render(request, "partnership/organisation_list.html", {"groups": groups})


@partnership_view
def organisation_detail(request, pk):
    """What an organisation leads and partners on, its people and its board seats.

    Template partnership/organisation_detail.html.
    """
    organisation = get_object_or_404(Organisation, pk=pk, partnership=request.partnership)
    related = ("plan__strategy", "lead_officer", "lead_organisation")
    return render(request, "partnership/organisation_detail.html", {
        "organisation": organisation,
        "leads": Action.objects.filter(lead_organisation=organisation).select_related(*related)
        .order_by("-plan__year", "reference"),
        "partners_on": Action.objects.filter(partner_organisations=organisation)
        .select_related(*related).order_by("-plan__year", "reference"),
        "people": organisation.people.all(),
        "seats": organisation.board_seats.select_related("holder"),
        "today": datetime.date.today(),
    })


@partnership_view
def board(request):
    """The board's members by seat type, chair and vice-chair first.

    Template partnership/board.html; context: officers, groups [(label, seats)].
    """
    seats = list(request.partnership.board_seats.select_related("organisation", "holder"))
    officers = [s for s in seats if s.office != BoardOffice.MEMBER]
    officers.sort(key=lambda s: s.office != BoardOffice.CHAIR)
    groups = [(label, [s for s in seats if s.seat_type == value])
              for value, label in SeatType.choices]
    return render(request, "partnership/board.html", {"officers": officers, "groups": groups})
