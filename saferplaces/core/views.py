"""Views with no domain: the landing page and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render

from saferplaces.partnership.models import Partnership


def home(request):
    """Send a member of one partnership to its dashboard; list the choices otherwise.

    Template core/home.html; context: partnerships.
    """
    if request.user.is_superuser:
        partnerships = Partnership.objects.all()
    else:
        partnerships = Partnership.objects.filter(memberships__user=request.user)
    partnerships = list(partnerships)
    if len(partnerships) == 1:
        return redirect("dashboard", partnership=partnerships[0].slug)
    return render(request, "core/home.html", {"partnerships": partnerships})


@login_not_required
def health(request):
    """Liveness check for load balancers: no database access, no login."""
    return JsonResponse({"status": "ok"})
