"""Evidence figures remembered until the crime data or the area behind them changes.

The evidence overview runs about a hundred exact Poisson tests and builds two chart specs:
about 0.2 s of CPU, the same answer for every visitor until crime data is imported again.
Its figures, and the months with data that every evidence page starts from (a scan of the
area's crime counts), are kept in Django's cache under a key made of everything they are
computed from (the partnership's area, its LSOAs and force...) and the crime data version
below. An import, a replacement or a deletion changes the version, so the next page
computes afresh; nothing has to be told to forget, and each server process (the cache is per
process) keeps its own copy safely.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.db.models import Count, Max

from saferplaces.crime.models import CrimeImport

T = TypeVar("T")
KEEP_SECONDS = 24 * 3600


def data_version() -> str:
    """Changes whenever any crime data is imported, replaced, deleted or edited.

    Every import writes CrimeImport rows (a replaced month's row is deleted and created anew,
    so it gets a new primary key, and primary keys are never reused); a deletion lowers the
    count; an edit (e.g. the simulated flag in the admin) moves `imported_at`, which is
    saved with every change."""
    found = CrimeImport.objects.aggregate(n=Count("pk"), last=Max("pk"),
                                          changed=Max("imported_at"))
    changed = found["changed"].isoformat() if found["changed"] else ""
    return f"{found['n']}:{found['last']}:{changed}"


def cache_key(name: str, depends_on: list) -> str:
    """The key of figures `name` computed from `depends_on` (plain values) and crime data."""
    digest = hashlib.sha256(repr([*depends_on, data_version()]).encode()).hexdigest()
    return f"evidence:{name}:{digest}"


def remembered(name: str, depends_on: list, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned before for the same `depends_on` and crime data."""
    from django.core.cache import cache

    key = cache_key(name, depends_on)
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=KEEP_SECONDS)
    return found


def place_depends_on(place) -> list:
    """What a Place's figures are computed from, besides crime data: the partnership, its
    area, force and LSOAs, and the months with data."""
    return [place.partnership.pk, place.area.pk, place.force, place.first, place.last,
            sorted(place.lsoa_codes)]
