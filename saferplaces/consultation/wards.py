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


def ward_populations(wards: list[Area]) -> tuple[dict[str, int], str]:
    """Ward code -> usual residents, and where the figures come from: each ward's own figure
    for the latest year loaded (Census 2021 TS001 when loaded for wards), else the sum of its
    LSOAs' latest figures (the demo loads LSOA populations). Wards with neither are left out."""
    own: dict[str, int] = {}
    sources: set[str] = set()
    for code, value, source in (Population.objects.filter(area__in=wards)
                                .order_by("area__code", "-year")
                                .values_list("area__code", "value", "source")):
        if code not in own:
            own[code] = value
            sources.add(source)
    missing = [w for w in wards if w.code not in own]
    if missing:
        summed, lsoa_sources = _summed_from_lsoas(missing)
        own.update(summed)
        sources |= {f"{s}, summed over each ward's LSOAs" for s in lsoa_sources}
    return own, "; ".join(sorted(sources))


def _summed_from_lsoas(wards: list[Area]) -> tuple[dict[str, int], set[str]]:
    links = list(AreaLink.objects.filter(parent__in=wards, child__level=AreaLevel.LSOA)
                 .values_list("parent__code", "child_id"))
    latest: dict[int, tuple[int, str]] = {}
    for area_id, value, source in (Population.objects.filter(
            area_id__in={child for _, child in links}).order_by("area_id", "-year")
            .values_list("area_id", "value", "source")):
        latest.setdefault(area_id, (value, source))
    totals: dict[str, int] = {}
    sources: set[str] = set()
    for ward_code, child in links:
        if child in latest:
            totals[ward_code] = totals.get(ward_code, 0) + latest[child][0]
            sources.add(latest[child][1])
    return totals, sources
