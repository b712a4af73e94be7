"""The partnership a page is about and the user's role in it, for every template."""

from saferplaces.partnership.permissions import is_admin


def partnership(request):
    membership = getattr(request, "membership", None)
    return {
        "partnership": getattr(request, "partnership", None),
        "membership": membership,
        "is_partnership_admin": is_admin(membership),
    }
