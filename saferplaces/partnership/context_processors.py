"""The partnership a page is about, the user's role in it and the partnership's today (its
clock, core/clock.py), for every template."""

from saferplaces.core import clock
from saferplaces.partnership.permissions import is_admin


def partnership(request):
    membership = getattr(request, "membership", None)
    partnership = getattr(request, "partnership", None)
    return {
        "partnership": partnership,
        "membership": membership,
        "is_partnership_admin": is_admin(membership),
        "today": clock.today(partnership),
    }
