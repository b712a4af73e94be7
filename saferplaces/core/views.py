"""Views with no domain: the health check."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse


@login_not_required
def health(request):
    """Liveness check for load balancers: no database access, no login."""
    return JsonResponse({"status": "ok"})
