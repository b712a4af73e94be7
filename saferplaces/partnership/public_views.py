"""The front door: what an anonymous visitor sees at ``/``.

Only published material is shown: each partnership's name and area and its current adopted
strategy's priorities and aims. Draft strategies, strategies in consultation, people, actions
and figures stay behind the login.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferplaces.partnership import views as partnership_views
from saferplaces.partnership.models import Partnership

# Strategy.status of a strategy the partnership has adopted (strategy.models.StrategyStatus);
# written out here because the partnership app does not import the strategy app.
ADOPTED = "adopted"


@dataclass(frozen=True)
class PublicPartnership:
    """A partnership as the public sees it: ``strategy`` is its current adopted strategy."""

    partnership: Partnership
    strategy: models.Model | None


@login_not_required
def front_door(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors: what this installation is, its partnerships and their current
    strategies, and a login link. Logged-in users get ``partnership.views.home``.

    Template partnership/front_door.html; context: partnerships [PublicPartnership].
    """
    if request.user.is_authenticated:
        return partnership_views.home(request)
    return render(request, "partnership/front_door.html",
                  {"partnerships": public_partnerships()})


def public_partnerships() -> list[PublicPartnership]:
    """Every hosted partnership with its latest adopted strategy (None when it has none)."""
    return [PublicPartnership(p, current_strategy(p)) for p in Partnership.objects.all()]


def current_strategy(partnership: Partnership) -> models.Model | None:
    """The partnership's adopted strategy with the latest start, priorities and aims loaded."""
    return (partnership.strategies.filter(status=ADOPTED)
            .order_by("-start_date")
            .prefetch_related("priorities__aims")
            .first())
