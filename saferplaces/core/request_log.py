"""Refused requests (403) logged as one line instead of Django's traceback."""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    """Rewrite a 403 record of the ``django.request`` logger as one line.

    Django logs a refused request with the PermissionDenied traceback, which buries the few
    facts an operator needs. The record keeps its level and logger and becomes
    "Refused <method> <path> user=<username> reason=<reason>" with no exception attached.
    Every other record passes unchanged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        record.msg = "Refused %s %s user=%s reason=%s"
        record.args = (
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            _username(request),
            _reason(record),
        )
        record.exc_info = None
        record.exc_text = None
        return True


def _username(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return user.get_username()


def _reason(record: logging.LogRecord) -> str:
    """The refusal's own message, else Django's (e.g. "Forbidden (CSRF token missing.)")."""
    if record.exc_info and record.exc_info[1] is not None and str(record.exc_info[1]):
        return str(record.exc_info[1])
    return record.getMessage()
