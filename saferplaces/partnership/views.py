"""Pages about the partnership itself: its organisations and its board."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from saferplaces.core import permissions
from saferplaces.core.partnership_access import partnership_view
from saferplaces.partnership.forms import (
    BoardSeatForm,
    LinkedStrategyForm,
    MembershipForm,
    NewMemberForm,
    OrganisationForm,
    PartnerBodyForm,
    PartnershipSettingsForm,
    PersonForm,
)
from saferplaces.partnership.models import (
    BoardOffice,
    BoardSeat,
    Membership,
    Organisation,
    PartnerBody,
    Person,
    SeatType,
    StatutoryRole,
)
from saferplaces.strategy.models import Action, LinkedStrategy


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

    Template partnership/board.html; context: officers, groups [(label, seats)],
    partner_bodies (other partnerships it works with; the partnership's ``also_acts_as`` role
    is shown from ``partnership``).
    """
    seats = list(request.partnership.board_seats.select_related("organisation", "holder"))
    officers = [s for s in seats if s.office != BoardOffice.MEMBER]
    officers.sort(key=lambda s: s.office != BoardOffice.CHAIR)
    groups = [(label, [s for s in seats if s.seat_type == value])
              for value, label in SeatType.choices]
    return render(request, "partnership/board.html", {
        "officers": officers, "groups": groups,
        "partner_bodies": request.partnership.partner_bodies.all()})


# --------------------------------------------------------------------------------------------
# Administration of the partnership's register (administrators only)


def _require_admin(request) -> None:
    if not permissions.is_admin(request.membership):
        raise PermissionDenied("Only partnership administrators can change this.")


def _register_edit(request, form_class, model, pk, *, title, back, **form_kwargs):
    """Create (pk None) or edit a partnership-scoped record. Template core/form.html."""
    _require_admin(request)
    instance = get_object_or_404(model, pk=pk, partnership=request.partnership) if pk else None
    form = form_class(request.POST or None, instance=instance,
                      partnership=request.partnership, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        obj = form.save()
        messages.success(request, f"Saved {obj}.")
        return redirect(back)
    return render(request, "core/form.html", {
        "form": form, "cancel_url": back,
        "title": f"Edit {instance}" if instance else title,
    })


def _url(request, name, *args) -> str:
    return reverse(name, args=[request.partnership.slug, *args])


@partnership_view
def organisation_edit(request, pk=None):
    """Add or edit a member organisation."""
    back = _url(request, "organisation_detail", pk) if pk else _url(request, "organisation_list")
    return _register_edit(request, OrganisationForm, Organisation, pk,
                          title="Add an organisation", back=back)


@partnership_view
def people(request):
    """Everyone recorded as working with the partnership. Template partnership/people.html."""
    return render(request, "partnership/people.html", {
        "people": request.partnership.people.select_related("organisation", "user")})


@partnership_view
def person_edit(request, pk=None):
    """Add or edit a person."""
    return _register_edit(request, PersonForm, Person, pk, title="Add a person",
                          back=_url(request, "people"))


@partnership_view
def board_seat_edit(request, pk=None):
    """Add or edit a board seat (vacate it by clearing its holder)."""
    return _register_edit(request, BoardSeatForm, BoardSeat, pk, title="Add a board seat",
                          back=_url(request, "board"))


@partnership_view
def partner_body_edit(request, pk=None):
    """Add or edit another partnership or network the partnership works with."""
    return _register_edit(request, PartnerBodyForm, PartnerBody, pk,
                          title="Add a partnership we work with", back=_url(request, "board"))


@partnership_view
def linked_strategies(request):
    """Other strategies and plans the partnership works to.

    Template partnership/linked_strategies.html.
    """
    return render(request, "partnership/linked_strategies.html", {
        "linked": request.partnership.linked_strategies.prefetch_related("priorities__strategy")})


@partnership_view
def linked_strategy_edit(request, pk=None):
    """Add or edit a linked strategy or plan."""
    return _register_edit(request, LinkedStrategyForm, LinkedStrategy, pk,
                          title="Add a linked strategy or plan",
                          back=_url(request, "linked_strategies"))


@partnership_view
def partnership_settings(request):
    """Edit the partnership's name and settings. Template core/form.html."""
    _require_admin(request)
    form = PartnershipSettingsForm(request.POST or None, instance=request.partnership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Partnership settings saved.")
        return redirect(_url(request, "members"))
    return render(request, "core/form.html", {"form": form, "title": "Partnership settings",
                                              "cancel_url": _url(request, "dashboard")})


@partnership_view
def members(request):
    """Logins with a role in this partnership (administrators).

    Template partnership/members.html.
    """
    _require_admin(request)
    return render(request, "partnership/members.html", {
        "members": request.partnership.memberships.select_related("user", "organisation")
        .order_by("user__username")})


@partnership_view
def member_add(request):
    """Create a login with a role in this partnership. Template core/form.html."""
    _require_admin(request)
    form = NewMemberForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        membership = form.save()
        messages.success(request, f"Created {membership.user.username} as "
                                  f"{membership.get_role_display().lower()}.")
        return redirect(_url(request, "members"))
    return render(request, "core/form.html", {"form": form, "title": "Add a member",
                                              "cancel_url": _url(request, "members")})


@partnership_view
def member_edit(request, pk):
    """Change a member's role or organisation."""
    membership = get_object_or_404(Membership, pk=pk, partnership=request.partnership)
    if membership.user_id == request.user.pk:
        _require_admin(request)
        messages.error(request, "You cannot change your own role; ask another administrator.")
        return redirect(_url(request, "members"))
    return _register_edit(request, MembershipForm, Membership, pk, title="Edit member",
                          back=_url(request, "members"))


@require_POST
@partnership_view
def member_remove(request, pk):
    """Remove a login's access to this partnership (the login and its history remain)."""
    _require_admin(request)
    membership = get_object_or_404(Membership, pk=pk, partnership=request.partnership)
    if membership.user_id == request.user.pk:
        messages.error(request, "You cannot remove yourself; ask another administrator.")
    else:
        membership.delete()
        messages.success(request, f"{membership.user.username} no longer has access to "
                                  f"{request.partnership.short_name}.")
    return redirect(_url(request, "members"))
