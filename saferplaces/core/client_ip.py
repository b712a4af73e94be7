"""The client's IP address, as seen through the reverse proxies the settings say are there."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from.

    With PROXY_COUNT proxies in front, each appends the address it was reached from to
    X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right; entries further
    left were written by the client and cannot be trusted. With no proxy (or a header shorter
    than expected) it is the connection's own address.
    """
    count = settings.SAFERPLACES_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
