"""Questions about geography that other apps ask: which LSOAs make up an area, and the
newest area with a code. (Which LSOAs the hosted partnerships cover is
`crime.locate.partnership_lsoa_codes()`: areas knows nothing of partnerships.)"""

from __future__ import annotations

from saferplaces.areas.models import Area, AreaLevel, AreaLink


def descendant_lsoas(area: Area) -> list[Area]:
    """LSOAs inside `area`, following lookup links down through any levels (ward, LAD...)."""
    if area.level == AreaLevel.LSOA:
        return [area]
    found: dict[int, Area] = {}
    frontier = [area.pk]
    seen = set(frontier)
    while frontier:
        links = AreaLink.objects.filter(parent_id__in=frontier).select_related("child")
        frontier = []
        for link in links:
            child = link.child
            if child.pk in seen:
                continue
            seen.add(child.pk)
            if child.level == AreaLevel.LSOA:
                found[child.pk] = child
            else:
                frontier.append(child.pk)
    return sorted(found.values(), key=lambda a: a.code)


def descendant_lsoa_codes(area: Area) -> list[str]:
    """The codes of `descendant_lsoas(area)`, sorted, without loading any area's boundary
    (a page that needs only the codes spent most of its geography time parsing them)."""
    if area.level == AreaLevel.LSOA:
        return [area.code]
    codes: set[str] = set()
    frontier = [area.pk]
    seen = set(frontier)
    while frontier:
        links = AreaLink.objects.filter(parent_id__in=frontier).values_list(
            "child_id", "child__code", "child__level")
        frontier = []
        for child_id, code, level in links:
            if child_id in seen:
                continue
            seen.add(child_id)
            if level == AreaLevel.LSOA:
                codes.add(code)
            else:
                frontier.append(child_id)
    return sorted(codes)


def lsoa_codes_for_area(area: Area) -> set[str]:
    return set(descendant_lsoa_codes(area))


def find_area(code: str, level: str | None = None) -> Area | None:
    """The newest-vintage area with this code (optionally at this level)."""
    areas = Area.objects.filter(code=code)
    if level:
        areas = areas.filter(level=level)
    return areas.order_by("-vintage").first()
