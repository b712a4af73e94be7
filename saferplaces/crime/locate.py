"""Placing points in LSOAs by their boundaries (for API data, which has no LSOA code).

numpy and shapely are imported when boundaries are first needed: police.uk's CSVs carry their
LSOA codes, so a plain `crime import` never loads them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from saferplaces.areas.models import Area, AreaLevel
from saferplaces.areas.queries import lsoa_codes_for_area
from saferplaces.partnership.models import Partnership


def partnership_lsoa_codes() -> set[str]:
    """LSOA codes inside any hosted partnership's area: where crime points are kept."""
    codes: set[str] = set()
    for partnership in Partnership.objects.exclude(area=None).select_related("area"):
        codes |= lsoa_codes_for_area(partnership.area)
    return codes

Locate = Callable[[list, list, list], list]


class LsoaLocator:
    """Finds the LSOA containing each point, choosing boundaries valid in the point's month."""

    def __init__(self, areas: list[Area]):
        import shapely
        from shapely.geometry import shape

        self.vintages: list[tuple[datetime.date | None, datetime.date | None, list[str],
                                  shapely.STRtree]] = []
        by_validity: dict[tuple, list[Area]] = {}
        for area in areas:
            by_validity.setdefault((area.valid_from, area.valid_to), []).append(area)
        for (start, end), group in by_validity.items():
            geoms = [shape(a.boundary) for a in group]
            self.vintages.append((start, end, [a.code for a in group], shapely.STRtree(geoms)))

    @classmethod
    def from_database(cls) -> LsoaLocator:
        areas = list(Area.objects.filter(level=AreaLevel.LSOA).exclude(boundary=None)
                     .only("code", "boundary", "valid_from", "valid_to"))
        return cls(areas)

    def _tree_for(self, month: datetime.date):
        for start, end, codes, tree in self.vintages:
            if (start is None or start <= month) and (end is None or month <= end):
                return codes, tree
        return None, None

    def __call__(self, lons: list, lats: list, months: list[str]) -> list[str | None]:
        import numpy as np
        import shapely

        result: list[str | None] = [None] * len(lons)
        by_month: dict[str, list[int]] = {}
        for index, month in enumerate(months):
            if lons[index] is not None and lats[index] is not None:
                by_month.setdefault(month, []).append(index)
        for month_text, indices in by_month.items():
            month = datetime.date(int(month_text[:4]), int(month_text[5:7]), 1)
            codes, tree = self._tree_for(month)
            if tree is None:
                continue
            points = shapely.points(np.array([lons[i] for i in indices]),
                                    np.array([lats[i] for i in indices]))
            point_idx, area_idx = tree.query(points, predicate="within")
            for p, a in zip(point_idx.tolist(), area_idx.tolist(), strict=True):
                if result[indices[p]] is None:
                    result[indices[p]] = codes[a]
        return result


def lazy_locator() -> Locate:
    """A locate function that reads the LSOA boundaries from the database on its first call,
    and reuses them after that."""
    loaded: list[LsoaLocator] = []

    def locate(lons: list, lats: list, months: list) -> list[str | None]:
        if not loaded:
            loaded.append(LsoaLocator.from_database())
        return loaded[0](lons, lats, months)

    return locate
