"""Resolving the partnership a request is about, and the user's role in it.

Every internal URL starts /p/<slug>/. A user with no membership of that partnership gets 404,
so the existence of another partnership's records is never revealed. Views then fetch their
objects with `Model.objects.visible_to(request.user).for_partnership(request.partnership)`,
so an id from another partnership is a 404 too (tests/test_isolation.py walks every route).
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from saferplaces.partnership.models import Membership, Partnership, Role


def membership_for(user, partnership: Partnership) -> Membership | None:
    """The user's membership of the partnership; superusers act as its administrators."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, partnership=partnership)
        .first()
    )
    if membership is None and user.is_superuser:
        membership = Membership(user=user, partnership=partnership, role=Role.ADMIN)
    return membership


def partnership_view(view):
    """Decorate a view taking `partnership` (a slug): sets request.partnership and
    request.membership, and answers 404 to users who are not members."""

    @wraps(view)
    def wrapped(request, partnership: str, *args, **kwargs):
        found = get_object_or_404(Partnership.objects.visible_to(request.user), slug=partnership)
        membership = membership_for(request.user, found)
        if membership is None:
            raise Http404("No such partnership.")
        request.partnership = found
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapped


def scoped(request, queryset):
    """`queryset` (of a partnership-scoped model) narrowed to what request.user may see of
    request.partnership."""
    return queryset.visible_to(request.user).for_partnership(request.partnership)


def url_in(request, name: str, *args) -> str:
    """The URL of a named page of request.partnership."""
    return reverse(name, args=[request.partnership.slug, *args])
