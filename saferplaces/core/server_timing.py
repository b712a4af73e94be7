"""Where a request's time went, as a `Server-Timing` header (on when SERVER_TIMING is).

`Server-Timing: app;dur=212.4, cpu;dur=198.0, db;dur=9.1;desc="14 queries"` says the request
took 212 ms inside Django (all middleware and the view), of which this thread had the CPU for
198 ms, and 9 ms was spent in 14 database queries. A client that measured 900 ms for the same
request waited about 690 ms outside Django: in gunicorn's queue, or for a CPU. Browsers show
the header in their network panel; `bench/load.py` reads it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.http import HttpRequest, HttpResponse


@dataclass
class QueryTimer:
    """A database execute wrapper that adds up the time and number of queries run."""

    seconds: float = 0.0
    queries: int = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def header_value(app_seconds: float, cpu_seconds: float, timer: QueryTimer) -> str:
    """The Server-Timing header for these measurements (milliseconds, one decimal)."""
    return (f"app;dur={app_seconds * 1000:.1f}, cpu;dur={cpu_seconds * 1000:.1f}, "
            f'db;dur={timer.seconds * 1000:.1f};desc="{timer.queries} queries"')


class ServerTimingMiddleware:
    """Adds the Server-Timing header to every response; first in MIDDLEWARE so that it
    counts the other middleware (sessions, authentication) too. Not used unless the
    SERVER_TIMING setting is on: the header tells any visitor how long pages take."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.SERVER_TIMING:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timer = QueryTimer()
        started, cpu_started = time.perf_counter(), time.thread_time()
        with _wrapped(timer):
            response = self.get_response(request)
        response["Server-Timing"] = header_value(time.perf_counter() - started,
                                                 time.thread_time() - cpu_started, timer)
        return response


def _wrapped(timer: QueryTimer) -> ExitStack:
    """`timer` installed on every configured database connection of this thread."""
    stack = ExitStack()
    for alias in settings.DATABASES:
        stack.enter_context(connections[alias].execute_wrapper(timer))
    return stack
