"""Which polygons to ask the police.uk API for: the areas' boundaries read from the database
(`query_areas`), and the polygon arithmetic the API needs (`boundary_polygons`: GeoJSON →
shapely; `simplify_for_query`: at most ~100 points, still covering the boundary; `poly_param`:
the API's "lat,lng:lat,lng" form; `split_polygon`: halve the bounding box when the API answers
503, more than 10,000 crimes)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapely import make_valid
from shapely.geometry import Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from saferplaces.crime import formats

MAX_POLY_POINTS = 100  # points in one `poly` parameter


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    """The polygons in any geometry (a Polygon, MultiPolygon or collection), empty dropped."""
    if geometry.is_empty:
        return []
    if isinstance(geometry, Polygon):
        return [geometry] if geometry.area > 0 else []
    return [p for part in getattr(geometry, "geoms", []) for p in _polygons(part)]


def boundary_polygons(geojson: dict) -> list[Polygon]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon (WGS84 lon/lat), one polygon each.

    Holes are dropped: the API's `poly` cannot express them, so an area with an enclave also
    asks for the enclave's crimes.
    """
    geometry = shape(geojson)
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    return [Polygon(p.exterior) for p in _polygons(geometry)]


def _point_count(polygon: Polygon) -> int:
    return len(polygon.exterior.coords) - 1


def simplify_for_query(polygon: Polygon, max_points: int = MAX_POLY_POINTS) -> Polygon:
    """A polygon of at most `max_points` points that still covers `polygon`.

    Douglas-Peucker (shapely `simplify`) with a tolerance that doubles until few enough points
    remain; the result is then grown outward by that tolerance (mitred corners), so nothing
    inside the original falls outside it. Crimes just outside may be returned too: neighbouring
    areas overlap a little, and the importer drops the duplicate API ids.
    """
    ring = Polygon(polygon.exterior)
    if _point_count(ring) <= max_points:
        return ring
    minx, miny, maxx, maxy = ring.bounds
    tolerance = max(maxx - minx, maxy - miny) / 2000 or 1e-6
    for _ in range(30):
        simple = ring.simplify(tolerance, preserve_topology=True)
        grown = _polygons(simple.buffer(tolerance, join_style="mitre", mitre_limit=2.0))
        if len(grown) == 1:
            candidate = Polygon(grown[0].exterior)
            if _point_count(candidate) <= max_points:
                return candidate
        tolerance *= 2
    return Polygon(box(*ring.bounds).exterior)


def poly_param(polygon: Polygon) -> str:
    """The API's `poly` value: 'lat,lng:lat,lng:...' (the ring's closing point left out)."""
    coords = list(polygon.exterior.coords)[:-1]
    return ":".join(f"{lat:.6f},{lon:.6f}" for lon, lat in coords)


def split_polygon(polygon: Polygon) -> list[Polygon]:
    """Halve the polygon's bounding box across its longer side (in ground distance) and
    intersect: the pieces of each half (usually one each; more for a ragged boundary)."""
    minx, miny, maxx, maxy = polygon.bounds
    width = (maxx - minx) * math.cos(math.radians((miny + maxy) / 2))
    if width >= maxy - miny:
        middle = (minx + maxx) / 2
        halves = (box(minx, miny, middle, maxy), box(middle, miny, maxx, maxy))
    else:
        middle = (miny + maxy) / 2
        halves = (box(minx, miny, maxx, middle), box(minx, middle, maxx, maxy))
    return [piece for half in halves for piece in _polygons(polygon.intersection(half))]


@dataclass(frozen=True)
class QueryArea:
    """An area whose crimes are asked for by polygon: code and name go into ward_code and
    ward_name of every crime found in it."""

    code: str
    name: str
    level: str
    polygons: tuple[Polygon, ...]


class AreaLookupError(Exception):
    """No area, or no boundaries, to ask the API for: a usage error."""


def query_areas(force_name: str, area_code: str | None = None) -> tuple[list[QueryArea], str]:
    """The polygons to ask the API for, and a description of where they came from.

    The area is `area_code`, else the area of each partnership whose police force is
    `force_name`. Its descendant wards with boundaries are used (the newest vintage if several
    are linked); if there are none, its LSOAs; if none, the area's own boundary.
    """
    from saferplaces.areas.models import Area, AreaLevel, AreaLink
    from saferplaces.areas.queries import find_area
    from saferplaces.partnership.models import Partnership

    if area_code:
        area = find_area(area_code)
        if area is None:
            raise AreaLookupError(f"No area with code {area_code!r}; load the geography first "
                                  "(saferplaces geo).")
        roots, description = [area], f"{area.name} ({area.code})"
    else:
        partnerships = [p for p in Partnership.objects.exclude(area=None).select_related("area")
                        if formats.force_by_name_or_slug(p.police_force or "") == force_name]
        if not partnerships:
            raise AreaLookupError(f"No partnership with an area has police force {force_name!r}; "
                                  "give --area CODE (e.g. a local authority district code).")
        roots = list({p.area.pk: p.area for p in partnerships}.values())
        description = ", ".join(f"{p.name}'s area {p.area.name} ({p.area.code})"
                                for p in partnerships)
    descendants: dict[int, Area] = {}
    frontier = [root.pk for root in roots]
    seen = set(frontier)
    while frontier:
        links = AreaLink.objects.filter(parent_id__in=frontier).select_related("child")
        frontier = []
        for link in links:
            if link.child.pk not in seen:
                seen.add(link.child.pk)
                descendants[link.child.pk] = link.child
                frontier.append(link.child.pk)
    for level in (AreaLevel.WARD, AreaLevel.LSOA):
        candidates = [a for a in descendants.values() if a.level == level and a.boundary]
        if candidates:
            newest = max(a.vintage for a in candidates)
            chosen = sorted((a for a in candidates if a.vintage == newest), key=lambda a: a.code)
            break
    else:
        chosen = [root for root in roots if root.boundary]
    areas = []
    for area in chosen:
        polygons = tuple(boundary_polygons(area.boundary))
        if polygons:
            areas.append(QueryArea(area.code, area.name, area.get_level_display().lower()
                                   if area.level != AreaLevel.LSOA else "LSOA", polygons))
    if not areas:
        raise AreaLookupError(f"No ward, LSOA or area boundaries for {description}; load the "
                              "geography first (saferplaces geo) or give another --area.")
    return areas, description
