"""Pages about the partnership itself: its organisations, people, board and members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferplaces.partnership import permissions
from saferplaces.partnership.access import partnership_view, scoped, url_in
from saferplaces.partnership.forms import (
    BoardSeatForm,
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
    Partnership,
    Person,
    SeatType,
    StatutoryRole,
)


def home(request):
    """Send a member of one partnership to its dashboard; list the choices otherwise.

    Model Partnership; template partnership/home.html; context: partnerships.
    """
    partnerships = list(Partnership.objects.visible_to(request.user))
    if len(partnerships) == 1:
        return redirect("dashboard", partnership=partnerships[0].slug)
    return render(request, "partnership/home.html", {"partnerships": partnerships})


@partnership_view
def organisation_list(request):
    """Member organisations grouped by statutory role.

    Template partnership/organisation_list.html; context: groups [(label, organisations)].
    """
    organisations = scoped(request, Organisation.objects)
    groups = []
    for value, label in StatutoryRole.choices:
        members = [o for o in organisations if o.statutory_role == value]
        if members:
            groups.append((label, members))
    return render(request, "partnership/organisation_list.html", {"groups": groups})


@partnership_view
def board(request):
    """The board's members by seat type, chair and vice-chair first.

    Template partnership/board.html; context: officers, groups [(label, seats)],
    partner_bodies (other partnerships it works with; the partnership's ``also_acts_as`` role
    is shown from ``partnership``).
    """
    seats = list(scoped(request, BoardSeat.objects).select_related("organisation", "holder"))
    officers = [s for s in seats if s.office != BoardOffice.MEMBER]
    officers.sort(key=lambda s: s.office != BoardOffice.CHAIR)
    groups = [(label, [s for s in seats if s.seat_type == value])
              for value, label in SeatType.choices]
    return render(request, "partnership/board.html", {
        "officers": officers, "groups": groups,
        "partner_bodies": scoped(request, PartnerBody.objects)})


# --------------------------------------------------------------------------------------------
# Administration of the partnership's register (administrators only)


def _require_admin(request) -> None:
    if not permissions.can_manage_register(request.membership):
        raise PermissionDenied("Only partnership administrators can change this.")


def _register_edit(request, form_class, model, pk, *, title, back, **form_kwargs):
    """Create (pk None) or edit a partnership-scoped record. Template core/form.html."""
    instance = get_object_or_404(scoped(request, model.objects), pk=pk) if pk else None
    _require_admin(request)
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


@partnership_view
def organisation_edit(request, pk=None):
    """Add or edit a member organisation."""
    back = (url_in(request, "organisation_detail", pk) if pk
            else url_in(request, "organisation_list"))
    return _register_edit(request, OrganisationForm, Organisation, pk,
                          title="Add an organisation", back=back)


@partnership_view
def people(request):
    """Everyone recorded as working with the partnership. Template partnership/people.html."""
    return render(request, "partnership/people.html", {
        "people": scoped(request, Person.objects).select_related("organisation", "user")})


@partnership_view
def person_edit(request, pk=None):
    """Add or edit a person."""
    return _register_edit(request, PersonForm, Person, pk, title="Add a person",
                          back=url_in(request, "people"))


@partnership_view
def board_seat_edit(request, pk=None):
    """Add or edit a board seat (vacate it by clearing its holder)."""
    return _register_edit(request, BoardSeatForm, BoardSeat, pk, title="Add a board seat",
                          back=url_in(request, "board"))


@partnership_view
def partner_body_edit(request, pk=None):
    """Add or edit another partnership or network the partnership works with."""
    return _register_edit(request, PartnerBodyForm, PartnerBody, pk,
                          title="Add a partnership we work with",
                          back=url_in(request, "board"))


@partnership_view
def partnership_settings(request):
    """Edit the partnership's name and settings. Template core/form.html."""
    _require_admin(request)
    form = PartnershipSettingsForm(request.POST or None, instance=request.partnership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Partnership settings saved.")
        return redirect(url_in(request, "members"))
    return render(request, "core/form.html", {"form": form, "title": "Partnership settings",
                                              "cancel_url": url_in(request, "dashboard")})


@partnership_view
def members(request):
    """Logins with a role in this partnership (administrators).

    Template partnership/members.html.
    """
    _require_admin(request)
    return render(request, "partnership/members.html", {
        "members": scoped(request, Membership.objects).select_related("user", "organisation")
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
        return redirect(url_in(request, "members"))
    return render(request, "core/form.html", {"form": form, "title": "Add a member",
                                              "cancel_url": url_in(request, "members")})


@partnership_view
def member_edit(request, pk):
    """Change a member's role or organisation."""
    membership = get_object_or_404(scoped(request, Membership.objects), pk=pk)
    if membership.user_id == request.user.pk:
        _require_admin(request)
        messages.error(request, "You cannot change your own role; ask another administrator.")
        return redirect(url_in(request, "members"))
    return _register_edit(request, MembershipForm, Membership, pk, title="Edit member",
                          back=url_in(request, "members"))


@partnership_view
@require_POST
def member_remove(request, pk):
    """Remove a login's access to this partnership (the login and its history remain)."""
    membership = get_object_or_404(scoped(request, Membership.objects), pk=pk)
    _require_admin(request)
    if membership.user_id == request.user.pk:
        messages.error(request, "You cannot remove yourself; ask another administrator.")
    else:
        membership.delete()
        messages.success(request, f"{membership.user.username} no longer has access to "
                                  f"{request.partnership.short_name}.")
    return redirect(url_in(request, "members"))
