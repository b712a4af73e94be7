"""Database writes for geography files: boundaries, lookups, population and deprivation.

Each `import_*` function validates the whole input first (with `parsing.py`, then against
the areas already in the database) and writes only when nothing is wrong, inside one
`transaction.atomic()`. It returns the shared `core.imports.ImportResult`: errors (any one
means nothing was written), warnings, counts and a one-line `summary()`. Re-importing the
same file writes nothing: rows are saved only when a value differs.

These functions are what `saferplaces geo ...` calls; the demo loader can call them too:

    from saferplaces.areas import importers
    result = importers.import_boundaries(path.read_bytes(), str(path), level="ward",
                                         vintage="2023")
    if not result.ok:
        raise RuntimeError("\\n".join(map(str, result.errors)))
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from shapely.geometry import shape

from saferplaces.areas import geometry as geo
from saferplaces.areas import parsing
from saferplaces.areas.models import Area, AreaLink, Deprivation, Population
from saferplaces.areas.parsing import (
    LEVEL_ABBREVIATIONS,
    LEVELS,
    Parsed,
    UsageError,
)
from saferplaces.core.imports import ImportResult

BEST_FIT_METHOD = "best fit by centroid"


def _refused(parsed: Parsed[Any]) -> ImportResult:
    """The result for input refused by validation, problems in line order."""
    result = ImportResult(file=parsed.filename, warnings=list(parsed.warnings))
    return result.refuse(parsed.problems)


def _done(file: str, warnings: list[str], counts: dict[str, int], summary: str
          ) -> ImportResult:
    """The result of an accepted import: `summary` follows the file's name."""
    return ImportResult(file=file, warnings=warnings, counts=counts, description=summary)


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise UsageError(f"unknown level {level!r}; levels are {', '.join(LEVELS)}")


def _check_length(value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        raise UsageError(f"{what} is longer than {limit} characters: {value!r}")


def default_source(filename: str) -> str:
    """The source recorded when none is given: the file's base name."""
    return os.path.basename(filename)[:300]


def default_lookup_vintage(child_level: str, child_vintage: str, parent_level: str,
                           parent_vintage: str, method: str = "") -> str:
    """A lookup vintage such as "LSOA11-WD23 best fit by centroid" or "LAD22-CSP22"."""

    def short(level: str, vintage: str) -> str:
        year = vintage[-2:] if len(vintage) == 4 and vintage.isdigit() else vintage
        return f"{LEVEL_ABBREVIATIONS[level]}{year}"

    name = f"{short(child_level, child_vintage)}-{short(parent_level, parent_vintage)}"
    if method and len(name) + 1 + len(method) <= 40:
        name = f"{name} {method}"
    return name[:40]


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _counted(counts: dict[str, int], *keys: str) -> str:
    return ", ".join(f"{counts.get(k, 0):,} {k}" for k in keys)


# --- boundaries --------------------------------------------------------------------------


def import_boundaries(data: bytes, filename: str, *, level: str, vintage: str,
                      code_property: str | None = None, name_property: str | None = None,
                      valid_from: datetime.date | None = None,
                      valid_to: datetime.date | None = None, source: str | None = None,
                      fix_invalid: bool = False, topojson_object: str | None = None,
                      dry_run: bool = False,
                      progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Validate a GeoJSON (or TopoJSON) boundary file and upsert its areas.

    Areas are keyed by (level, code, vintage); name, boundary, centroid and source are set,
    and `valid_from`/`valid_to` only when given. See `parsing.parse_boundaries` for what is
    checked. Counts: created, updated, unchanged.
    """
    _check_level(level)
    _check_length(vintage, 20, "the vintage")
    if valid_from and valid_to and valid_to < valid_from:
        raise UsageError("--valid-to is before --valid-from")
    source = default_source(filename) if source is None else source
    _check_length(source, 300, "the source")
    parsed = parsing.parse_boundaries(data, filename, level, code_property=code_property,
                                      name_property=name_property, vintage=vintage,
                                      fix_invalid=fix_invalid,
                                      topojson_object=topojson_object, progress=progress)
    existing = {a.code: a for a in Area.objects.filter(level=level, vintage=vintage)}
    for feature in parsed.records:
        area = existing.get(feature.code)
        start = valid_from or (area.valid_from if area else None)
        end = valid_to or (area.valid_to if area else None)
        if start and end and end < start:
            parsed.refuse(f"feature {feature.number} ({feature.code})",
                          f"the area's validity would end ({end}) before it starts ({start})")
    if not parsed.ok:
        return _refused(parsed)

    to_create: list[Area] = []
    to_update: list[Area] = []
    changed_fields: set[str] = set()
    for feature in parsed.records:
        values: dict[str, Any] = {
            "name": feature.name, "boundary": feature.geometry,
            "centroid_lon": feature.centroid_lon, "centroid_lat": feature.centroid_lat,
            "source": source}
        if valid_from is not None:
            values["valid_from"] = valid_from
        if valid_to is not None:
            values["valid_to"] = valid_to
        area = existing.get(feature.code)
        if area is None:
            to_create.append(Area(level=level, code=feature.code, vintage=vintage, **values))
            continue
        changed = [k for k, v in values.items() if getattr(area, k) != v]
        if changed:
            for key in changed:
                setattr(area, key, values[key])
            changed_fields.update(changed)
            to_update.append(area)
    if not dry_run:
        with transaction.atomic():
            Area.objects.bulk_create(to_create, batch_size=500)
            if to_update:
                Area.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    counts = {"created": len(to_create), "updated": len(to_update),
              "unchanged": len(parsed.records) - len(to_create) - len(to_update)}
    count = len(parsed.records)
    what = f"{count:,} {level} boundar{'y' if count == 1 else 'ies'} (vintage {vintage})"
    summary = (f"{what}: {_counted(counts, 'created', 'updated', 'unchanged')}"
               + ("; dry run, nothing written." if dry_run else "."))
    not_centroids = [f.code for f in parsed.records if not f.true_centroid]
    warnings = list(parsed.warnings)
    if not_centroids:
        warnings.append(f"{filename}: {len(not_centroids)} area(s) whose centroid lies "
                        "outside the polygon got a representative point instead: "
                        + ", ".join(not_centroids))
    return _done(filename, warnings, counts, summary)


# --- links ------------------------------------------------------------------------------


def _areas(level: str, vintage: str) -> dict[str, Area]:
    """Every area of a level and vintage by code (one query, no long IN lists, so a national
    file works on SQLite too)."""
    return {a.code: a for a in Area.objects.filter(level=level, vintage=vintage)
            .defer("boundary")}


def _replace_links(pairs: dict[int, int], child_ids: Iterable[int], *, lookup_vintage: str,
                   child_level: str, child_vintage: str, parent_level: str,
                   parent_vintage: str, method: str, source: str) -> dict[str, int]:
    """Make the links of `lookup_vintage` from `child_ids` to parents of that level and
    vintage exactly `pairs` (child id → parent id): keep equal ones, update method/source,
    delete stale ones and create the missing. Call inside a transaction."""
    children = set(child_ids)
    existing = AreaLink.objects.filter(vintage=lookup_vintage, child__level=child_level,
                                       child__vintage=child_vintage,
                                       parent__level=parent_level,
                                       parent__vintage=parent_vintage)
    kept: set[int] = set()
    stale: list[int] = []
    to_update: list[AreaLink] = []
    for link in existing:
        if link.child_id not in children:
            continue
        if pairs.get(link.child_id) == link.parent_id and link.child_id not in kept:
            kept.add(link.child_id)
            if link.method != method or link.source != source:
                link.method, link.source = method, source
                to_update.append(link)
        else:
            stale.append(link.pk)
    for start in range(0, len(stale), 500):
        AreaLink.objects.filter(pk__in=stale[start:start + 500]).delete()
    if to_update:
        AreaLink.objects.bulk_update(to_update, ["method", "source"], batch_size=500)
    new = [AreaLink(child_id=c, parent_id=p, vintage=lookup_vintage, method=method,
                    source=source) for c, p in pairs.items() if c not in kept]
    AreaLink.objects.bulk_create(new, batch_size=500)
    return {"created": len(new), "updated": len(to_update), "removed": len(stale),
            "unchanged": len(kept) - len(to_update)}


def _create_areas(level: str, vintage: str, names: dict[str, str], source: str
                  ) -> dict[str, Area]:
    """Create the areas named in `names` (code → name) that do not exist yet."""
    existing = set(Area.objects.filter(level=level, vintage=vintage)
                   .values_list("code", flat=True))
    Area.objects.bulk_create([Area(level=level, vintage=vintage, code=code, name=name[:200],
                                   source=source)
                              for code, name in names.items() if code not in existing],
                             batch_size=500)
    return {code: area for code, area in _areas(level, vintage).items() if code in names}


def import_lookup(data: bytes, filename: str, *, child_level: str, child_vintage: str,
                  parent_level: str, parent_vintage: str, child_column: str,
                  parent_column: str, child_name_column: str | None = None,
                  parent_name_column: str | None = None, lookup_vintage: str | None = None,
                  method: str = "", source: str | None = None, create_missing: bool = False,
                  dry_run: bool = False) -> ImportResult:
    """Validate a lookup CSV and write its child → parent links (AreaLink rows).

    Child and parent areas must exist unless `create_missing`, which creates them with names
    from the name columns. Re-importing the same `lookup_vintage` replaces that lookup's links
    from these children to parents of this level and vintage, so nothing is duplicated.
    Counts: links created, updated, removed, unchanged; areas created.
    """
    for level in (child_level, parent_level):
        _check_level(level)
    if (child_level, child_vintage) == (parent_level, parent_vintage):
        raise UsageError("the child and parent areas are the same level and vintage")
    if create_missing and child_name_column is None and parent_name_column is None:
        raise UsageError("--create-missing needs --child-name-column and/or "
                         "--parent-name-column to name the areas it creates")
    lookup_vintage = lookup_vintage or default_lookup_vintage(
        child_level, child_vintage, parent_level, parent_vintage)
    source = default_source(filename) if source is None else source
    _check_length(lookup_vintage, 40, "the lookup vintage")
    _check_length(method, 100, "the method")
    _check_length(source, 300, "the source")
    parsed = parsing.parse_lookup(data, filename, child_column=child_column,
                                  parent_column=parent_column,
                                  child_name_column=child_name_column,
                                  parent_name_column=parent_name_column)
    children = _areas(child_level, child_vintage)
    parents = _areas(parent_level, parent_vintage)
    parsing.check_lookup_areas(parsed, existing_children=children, existing_parents=parents,
                               child_label=f"{child_level} {child_vintage}",
                               parent_label=f"{parent_level} {parent_vintage}",
                               create_missing=create_missing)
    if not parsed.ok:
        return _refused(parsed)
    child_names, parent_names = parsing.lookup_names(parsed)
    missing_children = {c: n for c, n in child_names.items() if c not in children}
    missing_parents = {c: n for c, n in parent_names.items() if c not in parents}
    counts = {"areas created": len(missing_children) + len(missing_parents)}
    if not dry_run:
        with transaction.atomic():
            if missing_children:
                children.update(_create_areas(child_level, child_vintage, missing_children,
                                              source))
            if missing_parents:
                parents.update(_create_areas(parent_level, parent_vintage, missing_parents,
                                             source))
            pairs = {children[r.child_code].pk: parents[r.parent_code].pk
                     for r in parsed.records}
            counts |= _replace_links(pairs, pairs.keys(), lookup_vintage=lookup_vintage,
                                     child_level=child_level, child_vintage=child_vintage,
                                     parent_level=parent_level,
                                     parent_vintage=parent_vintage, method=method,
                                     source=source)
    links = _plural(len(parsed.records), "link")
    summary = (f"{links} {child_level} {child_vintage} → {parent_level} "
               f"{parent_vintage} ({lookup_vintage!r}): "
               + ("dry run, nothing written." if dry_run else
                  _counted(counts, "created", "updated", "removed", "unchanged")
                  + f"; {_plural(counts['areas created'], 'area')} created."))
    return _done(filename, parsed.warnings, counts, summary)


def derive_lookup(*, child_level: str, child_vintage: str, parent_level: str,
                  parent_vintage: str, lookup_vintage: str | None = None,
                  strict: bool = False, dry_run: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Link each child area to the parent polygon containing its centroid ("best fit by
    centroid"), e.g. LSOA 2011 → ward 2023.

    Children with no centroid, or whose centroid lies in no parent, are warned about and
    skipped; with `strict` they refuse the whole run. Re-running replaces this lookup
    vintage's links for these children. Counts: linked, unmatched, and link changes.
    """
    for level in (child_level, parent_level):
        _check_level(level)
    if (child_level, child_vintage) == (parent_level, parent_vintage):
        raise UsageError("the child and parent areas are the same level and vintage")
    lookup_vintage = lookup_vintage or default_lookup_vintage(
        child_level, child_vintage, parent_level, parent_vintage, BEST_FIT_METHOD)
    _check_length(lookup_vintage, 40, "the lookup vintage")
    label = (f"derive-lookup {child_level} {child_vintage} → {parent_level} "
             f"{parent_vintage}")
    parsed: Parsed[Any] = Parsed(label)
    children = list(Area.objects.filter(level=child_level, vintage=child_vintage)
                    .order_by("code"))
    parents = list(Area.objects.filter(level=parent_level, vintage=parent_vintage)
                   .exclude(boundary=None).order_by("code"))
    if not children:
        parsed.refuse("", f"there are no {child_level} areas of vintage {child_vintage}; "
                      "import their boundaries first")
    if not parents:
        parsed.refuse("", f"there are no {parent_level} areas of vintage {parent_vintage} "
                      "with a boundary; import their boundaries first")
    if not parsed.ok:
        return _refused(parsed)
    points = []
    for area in children:
        if area.centroid_lon is not None and area.centroid_lat is not None:
            points.append((area.code, area.centroid_lon, area.centroid_lat))
        elif area.boundary:
            lon, lat, _ = geo.centroid_of(shape(area.boundary))
            points.append((area.code, lon, lat))
        else:
            reason = "has no centroid or boundary"
            (parsed.refuse if strict else parsed.warn)(f"{area.code} ({area.name})", reason)
    fit = geo.best_fit_by_centroid(
        points, ((p.code, p.boundary) for p in parents),
        progress=(lambda done: progress(done, len(points))) if progress else None)
    by_code = {a.code: a for a in children}
    for code, lon, lat in points:
        if code not in fit.matches:
            reason = (f"centroid ({lon}, {lat}) is in no {parent_level} of vintage "
                      f"{parent_vintage}")
            (parsed.refuse if strict else parsed.warn)(f"{code} ({by_code[code].name})",
                                                       reason)
    for code in fit.ambiguous:
        parsed.warn(f"{code} ({by_code[code].name})", f"centroid is on a {parent_level} "
                    f"boundary; linked to {fit.matches[code]}")
    if not parsed.ok:
        return _refused(parsed)
    parent_ids = {p.code: p.pk for p in parents}
    pairs = {by_code[c].pk: parent_ids[p] for c, p in fit.matches.items()}
    unmatched = len(children) - len(pairs)
    counts = {"linked": len(pairs), "unmatched": unmatched}
    if not dry_run:
        with transaction.atomic():
            counts |= _replace_links(
                pairs, [a.pk for a in children], lookup_vintage=lookup_vintage,
                child_level=child_level, child_vintage=child_vintage,
                parent_level=parent_level, parent_vintage=parent_vintage,
                method=BEST_FIT_METHOD,
                source=f"centroids of {child_level} {child_vintage} in {parent_level} "
                       f"{parent_vintage} boundaries")
    summary = (f"lookup {lookup_vintage!r}: {_plural(len(pairs), 'area')} linked"
               + (f", {unmatched:,} in no {parent_level} (see warnings)" if unmatched else "")
               + ("; dry run, nothing written." if dry_run else
                  "; links " + _counted(counts, "created", "updated", "removed", "unchanged")
                  + "."))
    return _done(label, parsed.warnings, counts, summary)


# --- population -----------------------------------------------------------------------


def import_population(data: bytes, filename: str, *, level: str, vintage: str,
                      code_column: str, year: int, source: str,
                      value_column: str | None = None, value_column_index: int | None = None,
                      name_column: str | None = None, create_missing: bool = False,
                      dry_run: bool = False) -> ImportResult:
    """Validate a population CSV and upsert Population rows keyed by (area, year, source).

    Areas must exist at this level and vintage unless `create_missing` (which needs
    `name_column`). See `parsing.parse_population` for the value column options.
    Counts: created, updated, unchanged; areas created; total residents.
    """
    _check_level(level)
    if create_missing and name_column is None:
        raise UsageError("--create-missing needs --name-column to name the areas it creates")
    if not 1000 <= year <= 9999:
        raise UsageError(f"the year {year} is not a four-digit year")
    _check_length(source, 200, "the source")
    if not source.strip():
        raise UsageError("the source must not be empty")
    parsed = parsing.parse_population(data, filename, code_column=code_column,
                                      value_column=value_column,
                                      value_column_index=value_column_index,
                                      name_column=name_column)
    areas = _areas(level, vintage)
    parsing.check_known_codes(parsed, areas, f"{level} {vintage}",
                              create_missing=create_missing)
    if not parsed.ok:
        return _refused(parsed)
    missing = {r.code: r.name for r in parsed.records if r.code not in areas}
    counts = {"created": 0, "updated": 0, "unchanged": 0, "areas created": len(missing)}
    if not dry_run:
        with transaction.atomic():
            if missing:
                areas.update(_create_areas(level, vintage, missing, default_source(filename)))
            existing = {p.area_id: p for p in Population.objects.filter(
                area__level=level, area__vintage=vintage, year=year, source=source)}
            to_create, to_update = [], []
            for row in parsed.records:
                area = areas[row.code]
                found = existing.get(area.pk)
                if found is None:
                    to_create.append(Population(area=area, year=year, value=row.value,
                                                source=source))
                elif found.value != row.value:
                    found.value = row.value
                    to_update.append(found)
            Population.objects.bulk_create(to_create, batch_size=500)
            Population.objects.bulk_update(to_update, ["value"], batch_size=500)
            counts.update(created=len(to_create), updated=len(to_update),
                          unchanged=len(parsed.records) - len(to_create) - len(to_update))
    total = sum(r.value for r in parsed.records)
    counts["total"] = total
    summary = (f"{_plural(len(parsed.records), 'area')} ({level} {vintage}), "
               f"{total:,} residents in {year} ({source!r}): "
               + ("dry run, nothing written." if dry_run else
                  _counted(counts, "created", "updated", "unchanged")
                  + f"; {_plural(counts['areas created'], 'area')} created."))
    return _done(filename, parsed.warnings, counts, summary)


# --- deprivation -----------------------------------------------------------------------


def _write_deprivation(parsed: Parsed[parsing.DeprivationRow], *, level: str, vintage: str,
                       edition: str, source: str, dry_run: bool) -> ImportResult:
    areas = _areas(level, vintage)
    parsing.check_known_codes(parsed, areas, f"{level} {vintage}")
    if not parsed.ok:
        return _refused(parsed)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    if not dry_run:
        with transaction.atomic():
            existing = {(d.area_id, d.domain): d for d in Deprivation.objects.filter(
                area__level=level, area__vintage=vintage, edition=edition)}
            to_create, to_update, fields = [], [], set()
            for row in parsed.records:
                area = areas[row.code]
                values: dict[str, Any] = {"source": source}
                for measure in ("rank", "decile", "score"):
                    if getattr(row, measure) is not None:
                        values[measure] = getattr(row, measure)
                found = existing.get((area.pk, row.domain))
                if found is None:
                    to_create.append(Deprivation(area=area, edition=edition,
                                                 domain=row.domain, **values))
                    continue
                changed = [k for k, v in values.items() if getattr(found, k) != v]
                if changed:
                    for key in changed:
                        setattr(found, key, values[key])
                    fields.update(changed)
                    to_update.append(found)
            Deprivation.objects.bulk_create(to_create, batch_size=500)
            if to_update:
                Deprivation.objects.bulk_update(to_update, sorted(fields), batch_size=500)
            counts.update(created=len(to_create), updated=len(to_update),
                          unchanged=len(parsed.records) - len(to_create) - len(to_update))
    domains = list(dict.fromkeys(r.domain for r in parsed.records))
    area_count = len({r.code for r in parsed.records})
    summary = (f"{edition}, {_plural(len(domains), 'domain')} "
               f"({', '.join(domains)}) for {_plural(area_count, 'area')} "
               f"({level} {vintage}): "
               + ("dry run, nothing written." if dry_run else
                  _counted(counts, "created", "updated", "unchanged") + " figures."))
    return _done(parsed.filename, parsed.warnings, counts, summary)


def import_deprivation(data: bytes, filename: str, *, level: str, vintage: str,
                       edition: str, domain: str, code_column: str,
                       rank_column: str | None = None, decile_column: str | None = None,
                       score_column: str | None = None, source: str | None = None,
                       dry_run: bool = False) -> ImportResult:
    """Validate one deprivation domain from a CSV and upsert Deprivation rows keyed by
    (area, edition, domain). Only the measures given (rank, decile, score) are set, so a
    score file can add scores to ranks imported earlier. Every area must exist."""
    _check_level(level)
    _check_length(edition, 20, "the edition")
    source = default_source(filename) if source is None else source
    _check_length(source, 300, "the source")
    parsed = parsing.parse_deprivation(data, filename, code_column=code_column, domain=domain,
                                       rank_column=rank_column, decile_column=decile_column,
                                       score_column=score_column)
    return _write_deprivation(parsed, level=level, vintage=vintage, edition=edition,
                              source=source, dry_run=dry_run)


def import_iod2019_file2(data: bytes, filename: str, *, level: str = "lsoa",
                         vintage: str = "2011", edition: str = "IMD 2019",
                         source: str | None = None, dry_run: bool = False) -> ImportResult:
    """Validate an IoD2019 File 2 CSV and upsert ranks and deciles of the IMD and its seven
    domains (eight Deprivation rows per LSOA 2011). Every LSOA must exist."""
    _check_level(level)
    _check_length(edition, 20, "the edition")
    source = default_source(filename) if source is None else source
    _check_length(source, 300, "the source")
    parsed = parsing.parse_iod2019_file2(data, filename)
    return _write_deprivation(parsed, level=level, vintage=vintage, edition=edition,
                              source=source, dry_run=dry_run)
