"""Template context available on every page."""

from saferplaces import __version__
from saferplaces.core import permissions


def site(request):
    membership = getattr(request, "membership", None)
    return {
        "saferplaces_version": __version__,
        "partnership": getattr(request, "partnership", None),
        "membership": membership,
        "is_partnership_admin": permissions.is_admin(membership),
    }
