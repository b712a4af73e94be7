"""Middleware with no domain: keeping logged-in pages out of shared and browser caches."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class PrivatePagesMiddleware:
    """Every response to a logged-in user carries ``Cache-Control: private, no-store``.

    Pages, CSV and PDF downloads for a logged-in user hold partnership data: no proxy may keep
    them, and the browser may not keep them on disk (or show them from its back button after
    logging out). Public pages and static files keep their own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
