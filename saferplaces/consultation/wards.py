"""The partnership's wards (for ward questions and the reach table) and their populations."""

from __future__ import annotations

import datetime

from saferplaces.areas.models import Area, AreaLevel, AreaLink, Population
from saferplaces.partnership.models import Partnership


def partnership_wards(partnership: Partnership, on: datetime.date | None = None) -> list[Area]:
    """Wards lying in the partnership's area (directly, or in a district inside a CSP area),
    those valid on `on` when given and any are; by name."""
    if partnership.area_id is None:
        return []
    parents = {partnership.area_id, *AreaLink.objects.filter(
        parent_id=partnership.area_id).values_list("child_id", flat=True)}
    wards = Area.objects.filter(level=AreaLevel.WARD,
                                parent_links__parent_id__in=parents).distinct()
    if on is not None and wards.valid_on(on).exists():
        wards = wards.valid_on(on)
    return list(wards.order_by("name"))


def ward_choices(partnership: Partnership, on: datetime.date | None = None
                 ) -> list[tuple[str, str]]:
    return [(w.code, w.name) for w in partnership_wards(partnership, on)]


def ward_populations(wards: list[Area]) -> dict[str, int]:
    """Ward code -> usual residents in the latest year loaded (Census 2021 TS001 in the
    demo); wards with no figure are left out."""
    rows = (Population.objects.filter(area__in=wards)
            .order_by("area__code", "-year").values_list("area__code", "value"))
    found: dict[str, int] = {}
    for code, value in rows:
        found.setdefault(code, value)
    return found
