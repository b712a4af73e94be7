"""The per-client limit on public survey responses, counted in the database so that every
gunicorn worker (and every server sharing the database) sees one count.

The client is `core.client_ip` (the address the trusted proxies say, else the connection's),
stored only as a keyed hash. Counts are per fixed hour; rows of earlier hours are deleted
when a new hour's count starts.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from saferplaces.consultation.models import ResponseRate
from saferplaces.core.client_ip import client_ip

WINDOW_SECONDS = 3600


def client_key(request: HttpRequest) -> str:
    return salted_hmac("consultation-rate", client_ip(request) or "").hexdigest()


def _window() -> int:
    return int(timezone.now().timestamp()) // WINDOW_SECONDS


def over_limit(request: HttpRequest, limit: int) -> bool:
    """Whether the client has sent `limit` responses or more this hour."""
    count = (ResponseRate.objects.filter(client=client_key(request), window=_window())
             .values_list("count", flat=True).first())
    return (count or 0) >= limit


def count_response(request: HttpRequest) -> None:
    """Add one to the client's count for this hour (safe when workers count at once)."""
    client, window = client_key(request), _window()
    rows = ResponseRate.objects.filter(client=client, window=window)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ResponseRate.objects.create(client=client, window=window, count=1)
    except IntegrityError:  # another worker created this hour's row first
        rows.update(count=F("count") + 1)
        return
    ResponseRate.objects.filter(window__lt=window).delete()
