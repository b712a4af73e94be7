"""Plain geometry helpers for boundaries (no ORM): GeoJSON in and out, centroids, TopoJSON
decoding and the centroid best-fit lookup.

Everything here works in WGS84 longitude/latitude, as GeoJSON (RFC 7946) requires.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

#: Decimal places kept in stored coordinates: 6 dp of a degree is about 0.1 m.
COORDINATE_PLACES = 6

POLYGONAL = ("Polygon", "MultiPolygon")


def round_coordinates(coordinates: Any, places: int = COORDINATE_PLACES) -> Any:
    """Nested GeoJSON coordinates with every number rounded, as lists (never tuples)."""
    if isinstance(coordinates, (int, float)):
        return round(float(coordinates), places)
    return [round_coordinates(item, places) for item in coordinates]


def to_geojson(geometry: BaseGeometry, places: int = COORDINATE_PLACES) -> dict[str, Any]:
    """A shapely geometry as a GeoJSON geometry dict with rounded coordinates."""
    data = mapping(geometry)
    return {"type": data["type"], "coordinates": round_coordinates(data["coordinates"], places)}


def polygonal_part(geometry: BaseGeometry) -> Polygon | MultiPolygon | None:
    """The polygons of a geometry (e.g. what `make_valid` returns), dropping lines and points.

    Returns None when nothing polygonal is left.
    """
    if isinstance(geometry, (Polygon, MultiPolygon)):
        return None if geometry.is_empty else geometry
    polygons: list[Polygon] = []
    for part in getattr(geometry, "geoms", []):
        found = polygonal_part(part)
        if isinstance(found, Polygon):
            polygons.append(found)
        elif isinstance(found, MultiPolygon):
            polygons.extend(found.geoms)
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def repair(geometry: BaseGeometry) -> Polygon | MultiPolygon | None:
    """Apply `shapely.make_valid` (structure method) and keep only the polygonal result."""
    return polygonal_part(shapely.make_valid(geometry, method="structure",
                                             keep_collapsed=False))


def centroid_of(geometry: BaseGeometry) -> tuple[float, float, bool]:
    """(longitude, latitude, is_true_centroid) of a polygonal geometry.

    This is the geometric centroid (centre of mass) of the polygon. A centroid can fall outside
    its own polygon (a crescent or C-shaped area, or a multipolygon made of separate islands);
    only then do we fall back to `representative_point()`, a point guaranteed to lie inside
    the polygon but which is *not* a centroid, and the third value is False so callers can say
    so. Centroids are used to place areas inside larger ones (best fit by centroid), which
    needs a point inside the area.
    """
    centroid = geometry.centroid
    if geometry.contains(centroid):
        return (round(centroid.x, COORDINATE_PLACES), round(centroid.y, COORDINATE_PLACES), True)
    point = geometry.representative_point()
    return (round(point.x, COORDINATE_PLACES), round(point.y, COORDINATE_PLACES), False)


def looks_like_lon_lat(geometry: BaseGeometry) -> bool:
    """Whether the bounds are plausible longitude/latitude (not, say, British National Grid)."""
    min_x, min_y, max_x, max_y = geometry.bounds
    return -180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90


# --- TopoJSON ------------------------------------------------------------------------------


class TopoJSONError(ValueError):
    """A TopoJSON file that cannot be decoded."""


def _decode_arcs(topology: dict[str, Any]) -> list[list[list[float]]]:
    transform = topology.get("transform")
    arcs: list[list[list[float]]] = []
    for arc in topology.get("arcs", []):
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for position in arc:
                x += position[0]
                y += position[1]
                points.append([x * sx + tx, y * sy + ty])
            arcs.append(points)
        else:
            arcs.append([list(position[:2]) for position in arc])
    return arcs


def _ring(indexes: Sequence[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indexes:
        arc = arcs[~index][::-1] if index < 0 else arcs[index]
        points.extend(arc if not points else arc[1:])
    return points


def topojson_features(topology: dict[str, Any], object_name: str | None = None
                      ) -> list[dict[str, Any]]:
    """GeoJSON features decoded from one object of a TopoJSON topology.

    Polygons and multipolygons are decoded (quantised or not); any other geometry type is
    passed through with its type and no coordinates, so validation reports it. Raises
    TopoJSONError when the object cannot be chosen.
    """
    objects = topology.get("objects") or {}
    if object_name is None:
        if len(objects) != 1:
            raise TopoJSONError("the topology has objects " + ", ".join(sorted(objects))
                                + "; say which one to read")
        object_name = next(iter(objects))
    if object_name not in objects:
        raise TopoJSONError(f"no object {object_name!r}; objects are "
                            + ", ".join(sorted(objects)))
    arcs = _decode_arcs(topology)
    root = objects[object_name]
    geometries = root.get("geometries", []) if root.get("type") == "GeometryCollection" \
        else [root]
    features = []
    for item in geometries:
        kind = item.get("type")
        try:
            if kind == "Polygon":
                geometry: dict[str, Any] | None = {
                    "type": kind, "coordinates": [_ring(r, arcs) for r in item["arcs"]]}
            elif kind == "MultiPolygon":
                geometry = {"type": kind, "coordinates": [[_ring(r, arcs) for r in polygon]
                                                          for polygon in item["arcs"]]}
            elif kind is None:
                geometry = None
            else:
                geometry = {"type": kind, "coordinates": []}
        except (IndexError, KeyError, TypeError) as exc:
            raise TopoJSONError(f"object {object_name!r} refers to a missing arc ({exc})") \
                from exc
        features.append({"type": "Feature", "properties": item.get("properties") or {},
                         "geometry": geometry})
    return features


# --- best fit by centroid ---------------------------------------------------------------


@dataclass(frozen=True)
class BestFit:
    """The result of `best_fit_by_centroid`: child code → parent code, and the misses."""

    matches: dict[str, str]
    unmatched: list[str]
    #: Children whose centroid lay on a boundary shared by several parents (the parent with
    #: the lowest code that contains or touches it was chosen).
    ambiguous: list[str]


def best_fit_by_centroid(children: Iterable[tuple[str, float, float]],
                         parents: Iterable[tuple[str, dict[str, Any]]],
                         progress: Callable[[int], None] | None = None) -> BestFit:
    """Place each child (code, lon, lat) in the parent polygon (code, GeoJSON) containing it.

    Uses a shapely STRtree over the parent polygons. A centroid lying exactly on a boundary
    shared by two parents goes to the one that contains it properly, else to the lowest code.
    `progress`, if given, is called with the number of children done so far.
    """
    parent_codes: list[str] = []
    polygons: list[BaseGeometry] = []
    for code, geojson in parents:
        parent_codes.append(code)
        polygons.append(shape(geojson))
    tree = shapely.STRtree(polygons)
    matches: dict[str, str] = {}
    unmatched: list[str] = []
    ambiguous: list[str] = []
    for done, (code, lon, lat) in enumerate(children, start=1):
        point = Point(lon, lat)
        hits = sorted(tree.query(point, predicate="intersects"),
                      key=lambda i: parent_codes[i])
        if not hits:
            unmatched.append(code)
        elif len(hits) == 1:
            matches[code] = parent_codes[hits[0]]
        else:
            inside = [i for i in hits if polygons[i].contains(point)]
            matches[code] = parent_codes[(inside or hits)[0]]
            if len(inside) != 1:
                ambiguous.append(code)
        if progress is not None:
            progress(done)
    return BestFit(matches=matches, unmatched=unmatched, ambiguous=ambiguous)
