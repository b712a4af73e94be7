"""Reading and validating geography files, with no database access.

Each `parse_*` function takes the file's bytes and a file name (used only in messages) and
returns a `Parsed` result: the records it read, the problems that refuse the file (each one
names the feature or line) and warnings. A caller writes nothing unless `Parsed.ok`.
The `check_*` functions compare parsed codes with sets of codes that already exist, so the
importers can finish validation before they write anything (see `importers.py`).

Features are numbered from 1 in file order; CSV lines are physical line numbers, the header
being line 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from saferplaces.areas.gss import GSS_HINT, is_gss_code
from saferplaces.core.csv_records import (
    MAX_WHOLE,
    CsvFileError,
    CsvTable,
    LineError,
    decode,
    parse_number,
    parse_whole,
    read_table,
)

T = TypeVar("T")

#: Area levels, as in `models.AreaLevel` (kept here so this module needs no Django setup).
LEVELS = ("lsoa", "msoa", "ward", "lad", "csp", "pfa", "country")

#: Short forms used in ONS property and column names (WD23CD, LSOA11CD, LAD22CD...).
LEVEL_ABBREVIATIONS = {"lsoa": "LSOA", "msoa": "MSOA", "ward": "WD", "lad": "LAD",
                       "csp": "CSP", "pfa": "PFA", "country": "CTRY"}

#: Property-name stems that may hold a level's code/name (LA24CD and LTLA21CD are LADs too).
LEVEL_STEMS = {"lsoa": ("LSOA",), "msoa": ("MSOA",), "ward": ("WD",),
               "lad": ("LAD", "LA", "LTLA"), "csp": ("CSP",), "pfa": ("PFA",),
               "country": ("CTRY",)}

#: Deprivation domains: the overall IMD, its seven domains and the two supplementary indices.
DOMAINS = ("imd", "income", "employment", "education", "health", "crime", "housing",
           "living_environment", "idaci", "idaopi")

#: IoD2019 File 2 column labels (before " Rank" / " Decile") for each domain.
IOD2019_FILE2_DOMAINS = {
    "imd": "Index of Multiple Deprivation (IMD)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing": "Barriers to Housing and Services",
    "living_environment": "Living Environment",
}
IOD2019_FILE2_CODE_COLUMN = "LSOA code (2011)"


class UsageError(ValueError):
    """Options that cannot work together (a usage error, exit code 2 on the command line)."""


@dataclass
class Parsed(Generic[T]):
    """What a parse function read: records, problems (any one refuses the file), warnings."""

    filename: str
    records: list[T] = field(default_factory=list)
    problems: list[LineError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing refuses the file."""
        return not self.problems

    def refuse_line(self, line: int, reason: str, column: str = "") -> None:
        """Record a problem on a line of a CSV file (0: the whole file)."""
        self.problems.append(LineError(self.filename, line, column, reason))

    def refuse(self, where: str, reason: str) -> None:
        """Record a problem with something that is not a line, e.g. "feature 3 (E05...)"."""
        self.problems.append(LineError(self.filename, 0, "",
                                       f"{where}: {reason}" if where else reason))

    def warn(self, where: str, reason: str) -> None:
        """Record a warning (printed, but it does not stop the import)."""
        self.warnings.append(str(LineError(self.filename, 0, "",
                                           f"{where}: {reason}" if where else reason)))


# --- CSV tables (read by core.csv_records) ---------------------------------------------

#: The header pandas writes over its unnamed row index (column 1).
_PANDAS_INDEX_NAMES = ("", "Unnamed: 0")


def _positions(table: CsvTable, name: str) -> list[int]:
    """0-based positions of the columns called `name` (exact after trimming spaces, else
    case-insensitive)."""
    wanted = name.strip()
    exact = [i for i, h in enumerate(table.header) if h.strip() == wanted]
    if exact or not wanted:
        return exact
    return [i for i, h in enumerate(table.header) if h.strip().lower() == wanted.lower()]


def _has_pandas_index(table: CsvTable) -> bool:
    """Whether column 1 is the unnamed row index pandas writes (header "" or "Unnamed: 0")."""
    return (table.header[0].strip() in _PANDAS_INDEX_NAMES and len(table.header) > 1
            and all(row.cells[0].strip().isdigit() for row in table.rows))


def _describe(table: CsvTable) -> str:
    """The columns, for an error message: names, with blank ones shown by position."""
    names = []
    for i, h in enumerate(table.header):
        if i == 0 and _has_pandas_index(table):
            names.append("(column 1: pandas row index)")
        elif not h.strip():
            names.append(f"(column {i + 1}: no name)")
        else:
            names.append(repr(h.strip()))
    return ", ".join(names)


def _read_csv(data: bytes, parsed: Parsed[Any]) -> CsvTable | None:
    """The file's table by the rules of core.csv_records; problems go into `parsed`. None
    when the file cannot be read at all."""
    try:
        table = read_table(data, parsed.filename)
    except CsvFileError as exc:
        parsed.problems.append(exc.error)
        return None
    parsed.problems.extend(table.errors)
    return table


def _column(table: CsvTable, parsed: Parsed[Any], name: str | None, option: str
            ) -> int | None:
    """Resolve a named column, refusing the file at line 1 if it is missing."""
    if name is None:
        return None
    found = _positions(table, name)
    if found == [0] and _has_pandas_index(table):
        found = []
    if not found:
        parsed.refuse_line(1, f"no column {name!r} ({option}); the columns are: "
                           f"{_describe(table)}")
        return None
    if len(found) > 1:
        where = ", ".join(str(i + 1) for i in found)
        parsed.warn("line 1", f"{len(found)} columns are called {name!r} (columns {where}); "
                    f"using the first, column {found[0] + 1}")
    return found[0]


def _column_at(table: CsvTable, parsed: Parsed[Any], position: int, option: str
               ) -> int | None:
    """Resolve a column by its 1-based position in the header row."""
    if not 1 <= position <= len(table.header):
        parsed.refuse_line(1, f"there is no column {position} ({option}); the file has "
                           f"{len(table.header)} columns: {_describe(table)}")
        return None
    return position - 1


def _code(parsed: Parsed[Any], line: int, value: str, what: str) -> str | None:
    code = value.strip()
    if not code:
        parsed.refuse_line(line, f"{what} code is empty")
        return None
    if not is_gss_code(code):
        parsed.refuse_line(line, f"{what} code {code!r} is not a GSS code ({GSS_HINT})")
        return None
    return code


# --- boundaries ------------------------------------------------------------------------


@dataclass(frozen=True)
class BoundaryFeature:
    """One validated boundary: code, name, GeoJSON geometry (6 dp) and centroid."""

    number: int
    code: str
    name: str
    geometry: dict[str, Any]
    centroid_lon: float
    centroid_lat: float
    #: False when the centroid fell outside the polygon and a representative point was used.
    true_centroid: bool = True
    #: True when the geometry was invalid and repaired with shapely.make_valid.
    repaired: bool = False


_YEAR_IN_PROPERTY = re.compile(r"(\d{2}|\d{4})(CD|NM)$", re.IGNORECASE)


def guess_property(keys: Iterable[str], level: str, suffix: str,
                   like: str | None = None) -> tuple[str | None, list[str]]:
    """Guess which property holds a level's code (suffix "CD") or name ("NM").

    Matches names such as WD23CD, LSOA11NM, lad25cd (stem for the level, optional 2- or 4-digit
    year, then the suffix), case-insensitively. `like` is the code property already chosen:
    its twin (WD23CD → WD23NM) wins. Returns (the property or None, all candidates).
    """
    stems = "|".join(LEVEL_STEMS[level])
    pattern = re.compile(rf"^({stems})(\d{{2}}|\d{{4}})?{suffix}$", re.IGNORECASE)
    keys = list(dict.fromkeys(keys))
    candidates = [k for k in keys if pattern.match(k)]
    if like is not None and like[-2:].upper() == "CD":
        twin = [k for k in candidates if k[:-2].lower() == like[:-2].lower()]
        if twin:
            return twin[0], candidates
    if len(candidates) == 1:
        return candidates[0], candidates
    return None, candidates


def _load_features(text: str, parsed: Parsed[Any], topojson_object: str | None
                   ) -> list[Any] | None:
    from saferplaces.areas import geometry as geo  # shapely: only boundary files need it

    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        parsed.refuse("", f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}")
        return None
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "Topology":
        try:
            return geo.topojson_features(document, topojson_object)
        except geo.TopoJSONError as exc:
            parsed.refuse("", f"TopoJSON: {exc} (or convert the file to GeoJSON, e.g. with "
                          "mapshaper -o format=geojson)")
            return None
    if kind != "FeatureCollection":
        parsed.refuse("", f"not a GeoJSON FeatureCollection (its type is {kind!r}); a "
                      "FeatureCollection of Polygon/MultiPolygon features is needed")
        return None
    crs = (((document.get("crs") or {}).get("properties") or {}).get("name") or "")
    if crs and not re.search(r"CRS84|4326", crs):
        parsed.refuse("", f"coordinates are in {crs}; convert the file to WGS84 longitude/"
                      "latitude (EPSG:4326), e.g. ogr2ogr -t_srs EPSG:4326")
        return None
    features = document.get("features")
    if not isinstance(features, list):
        parsed.refuse("", "the FeatureCollection has no list of features")
        return None
    return features


def _chosen_property(parsed, keys: list[str], level: str, what: str, given: str | None,
                     like: str | None = None) -> str | None:
    """The feature property holding the areas' code or name (`what`): the one given (with
    --code-property or --name-property), else the one guess_property finds; None, with the
    file refused saying why and which properties there are, when neither works."""
    option = f"--{what}-property"
    available = ", ".join(keys) or "none"
    if given is not None:
        if given in keys:
            return given
        parsed.refuse("", f"no property {given!r} ({option}); properties: {available}")
        return None
    suffix = "CD" if what == "code" else "NM"
    found, candidates = guess_property(keys, level, suffix, like=like)
    if found is None:
        why = ("several could be: " + ", ".join(candidates)) if candidates else \
            f"none looks like {LEVEL_ABBREVIATIONS[level]}..{suffix}"
        parsed.refuse("", f"cannot tell which property holds the {level} {what} ({why}); "
                      f"pass {option}. Properties: {available}")
    return found


def parse_boundaries(data: bytes, filename: str, level: str, *,
                     code_property: str | None = None, name_property: str | None = None,
                     vintage: str | None = None, fix_invalid: bool = False,
                     topojson_object: str | None = None,
                     progress: Callable[[int, int], None] | None = None
                     ) -> Parsed[BoundaryFeature]:
    """Validate every feature of a GeoJSON FeatureCollection (or TopoJSON topology).

    Each feature needs a Polygon or MultiPolygon geometry in longitude/latitude that is valid
    by shapely (invalid ones are refused unless `fix_invalid`, which applies
    `shapely.make_valid` and warns), a GSS code and a name; codes must be unique. The code
    and name properties are guessed from the level when not given (see `guess_property`).
    `vintage`, if given, is only used to warn when a property's year disagrees with it.
    `progress(done, total)` is called as features are checked.
    """
    if level not in LEVELS:
        raise UsageError(f"unknown level {level!r}; levels are {', '.join(LEVELS)}")
    parsed: Parsed[BoundaryFeature] = Parsed(filename)
    try:
        text = decode(data, filename)
    except CsvFileError as exc:
        parsed.problems.append(exc.error)
        return parsed
    features = _load_features(text, parsed, topojson_object)
    if features is None:
        return parsed
    if not features:
        parsed.refuse("", "the FeatureCollection has no features")
        return parsed
    keys: list[str] = []
    for feature in features:
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
            keys.extend(feature["properties"])
    keys = list(dict.fromkeys(keys))
    code_property = _chosen_property(parsed, keys, level, "code", code_property)
    name_property = _chosen_property(parsed, keys, level, "name", name_property,
                                     like=code_property)
    if not parsed.ok or code_property is None or name_property is None:
        return parsed
    year = _YEAR_IN_PROPERTY.search(code_property)
    if vintage and year and not vintage.endswith(year.group(1)):
        parsed.warn("", f"the code property {code_property} suggests vintage "
                    f"{year.group(1)}, but the vintage given is {vintage}")

    seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        record = _check_feature(parsed, number, feature, code_property, name_property,
                                fix_invalid)
        if record is not None:
            if record.code in seen:
                parsed.refuse(f"feature {number} ({record.code})",
                              f"duplicate code: also feature {seen[record.code]}")
            else:
                seen[record.code] = number
                parsed.records.append(record)
        if progress is not None:
            progress(number, len(features))
    return parsed


def _check_feature(parsed: Parsed[BoundaryFeature], number: int, feature: Any,
                   code_property: str, name_property: str, fix_invalid: bool
                   ) -> BoundaryFeature | None:
    from shapely.geometry import shape

    from saferplaces.areas import geometry as geo

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        parsed.refuse(f"feature {number}", "not a GeoJSON Feature")
        return None
    properties = feature.get("properties") or {}
    raw_code = properties.get(code_property)
    code = "" if raw_code is None else str(raw_code).strip()
    where = f"feature {number} ({code})" if code else f"feature {number}"
    ok = True
    if not code:
        parsed.refuse(where, f"no code (property {code_property} is missing or empty)")
        ok = False
    elif not is_gss_code(code):
        parsed.refuse(where, f"code {code!r} is not a GSS code ({GSS_HINT})")
        ok = False
    raw_name = properties.get(name_property)
    name = "" if raw_name is None else str(raw_name).strip()
    if not name:
        parsed.refuse(where, f"no name (property {name_property} is missing or empty)")
        ok = False
    elif len(name) > 200:
        parsed.refuse(where, "name is longer than 200 characters")
        ok = False
    checked = _check_geometry(parsed, where, feature.get("geometry"), fix_invalid)
    if not ok or checked is None:
        return None
    geometry, repaired = checked
    lon, lat, true_centroid = geo.centroid_of(shape(geometry))
    return BoundaryFeature(number=number, code=code, name=name, geometry=geometry,
                           centroid_lon=lon, centroid_lat=lat, true_centroid=true_centroid,
                           repaired=repaired)


def _check_geometry(parsed: Parsed[BoundaryFeature], where: str, raw: Any, fix_invalid: bool
                    ) -> tuple[dict[str, Any], bool] | None:
    import shapely
    from shapely.geometry import shape

    from saferplaces.areas import geometry as geo

    if not isinstance(raw, dict):
        parsed.refuse(where, "no geometry")
        return None
    kind = raw.get("type")
    if kind not in geo.POLYGONAL:
        parsed.refuse(where, f"geometry is {kind}, not Polygon or MultiPolygon")
        return None
    try:
        shaped = shape(raw)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        parsed.refuse(where, f"malformed {kind} coordinates ({exc})")
        return None
    if shaped.is_empty:
        parsed.refuse(where, "geometry is empty")
        return None
    if not geo.looks_like_lon_lat(shaped):
        parsed.refuse(where, "coordinates are not longitude/latitude (projected, e.g. British "
                      "National Grid?); convert the file to WGS84 (EPSG:4326)")
        return None
    repaired = False
    if not shaped.is_valid:
        reason = shapely.is_valid_reason(shaped)
        if not fix_invalid:
            parsed.refuse(where, f"invalid geometry: {reason} (--fix-invalid repairs it with "
                          "shapely.make_valid)")
            return None
        fixed = geo.repair(shaped)
        if fixed is None:
            parsed.refuse(where, f"invalid geometry: {reason}; make_valid left no polygon")
            return None
        parsed.warn(where, f"invalid geometry ({reason}) repaired with shapely.make_valid")
        shaped, repaired = fixed, True
    rounded = geo.to_geojson(shaped)
    if not shape(rounded).is_valid:
        snapped = geo.polygonal_part(shapely.set_precision(shaped, 10 ** -geo.COORDINATE_PLACES))
        rounded = geo.to_geojson(snapped) if snapped is not None else rounded
        if snapped is None or not shape(rounded).is_valid:
            parsed.refuse(where, "geometry becomes invalid when rounded to "
                          f"{geo.COORDINATE_PLACES} decimal places")
            return None
    return rounded, repaired


# --- lookups ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LookupRow:
    """One child → parent row of a lookup file."""

    line: int
    child_code: str
    parent_code: str
    child_name: str = ""
    parent_name: str = ""


def parse_lookup(data: bytes, filename: str, *, child_column: str, parent_column: str,
                 child_name_column: str | None = None, parent_name_column: str | None = None
                 ) -> Parsed[LookupRow]:
    """Validate a child → parent lookup CSV (header row; any extra columns are ignored).

    Codes must be present and GSS-like. A row repeating an earlier child → parent pair is
    dropped (LAD → CSP files repeat a CSP for each LAD); the same child with a different
    parent is refused, naming both lines.
    """
    parsed: Parsed[LookupRow] = Parsed(filename)
    table = _read_csv(data, parsed)
    if table is None:
        return parsed
    child = _column(table, parsed, child_column, "--child-column")
    parent = _column(table, parsed, parent_column, "--parent-column")
    child_name = _column(table, parsed, child_name_column, "--child-name-column")
    parent_name = _column(table, parsed, parent_name_column, "--parent-name-column")
    if not parsed.ok or child is None or parent is None:
        return parsed
    first: dict[str, LookupRow] = {}
    for csv_row in table.rows:
        line, row = csv_row.line, csv_row.cells
        child_code = _code(parsed, line, row[child], "child")
        parent_code = _code(parsed, line, row[parent], "parent")
        if child_code is None or parent_code is None:
            continue
        record = LookupRow(
            line=line, child_code=child_code, parent_code=parent_code,
            child_name=row[child_name].strip() if child_name is not None else "",
            parent_name=row[parent_name].strip() if parent_name is not None else "")
        earlier = first.get(child_code)
        if earlier is None:
            first[child_code] = record
            parsed.records.append(record)
        elif earlier.parent_code != parent_code:
            parsed.refuse_line(line, f"child {child_code} is linked to parent "
                               f"{parent_code} here but to {earlier.parent_code} on line "
                               f"{earlier.line}")
    if not table.rows:
        parsed.refuse("", "the file has a header but no rows")
    return parsed


def lookup_names(parsed: Parsed[LookupRow]) -> tuple[dict[str, str], dict[str, str]]:
    """Names for the child codes and the parent codes of a lookup (first non-empty wins)."""
    children: dict[str, str] = {}
    parents: dict[str, str] = {}
    for row in parsed.records:
        if row.child_name:
            children.setdefault(row.child_code, row.child_name)
        if row.parent_name:
            parents.setdefault(row.parent_code, row.parent_name)
    return children, parents


def check_lookup_areas(parsed: Parsed[LookupRow], *, existing_children: Collection[str],
                       existing_parents: Collection[str], child_label: str,
                       parent_label: str, create_missing: bool = False) -> None:
    """Refuse every row whose child or parent area does not exist; with `create_missing`,
    only those with no name to create the area with. Labels such as "lsoa 2011" appear in
    the messages."""
    child_names, parent_names = lookup_names(parsed)
    for row in parsed.records:
        for code, existing, names, label, option in (
                (row.child_code, existing_children, child_names, child_label,
                 "--child-name-column"),
                (row.parent_code, existing_parents, parent_names, parent_label,
                 "--parent-name-column")):
            if code in existing:
                continue
            if not create_missing:
                parsed.refuse_line(row.line, f"no {label} area {code} (import it first, "
                                   "or use --create-missing with name columns)")
            elif code not in names:
                parsed.refuse_line(row.line, f"{label} area {code} does not exist and "
                                   f"has no name to create it with ({option})")


# --- population ------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationRow:
    """Residents of one area, from one line."""

    line: int
    code: str
    value: int
    name: str = ""


def parse_population(data: bytes, filename: str, *, code_column: str,
                     value_column: str | None = None, value_column_index: int | None = None,
                     name_column: str | None = None) -> Parsed[PopulationRow]:
    """Validate a population CSV: an area code column and a whole-number value column.

    Give the value column by name, or by its 1-based position with `value_column_index`
    (for files with repeated column names: Census 2011 PHP01 has three called "Persons";
    by name the first one wins, with a warning). Values may have thousands separators;
    empty, fractional and negative values are refused, as is an area listed twice.
    """
    if (value_column is None) == (value_column_index is None):
        raise UsageError("give exactly one of --value-column and --value-column-index")
    parsed: Parsed[PopulationRow] = Parsed(filename)
    table = _read_csv(data, parsed)
    if table is None:
        return parsed
    code = _column(table, parsed, code_column, "--code-column")
    if value_column_index is not None:
        value = _column_at(table, parsed, value_column_index, "--value-column-index")
        if value is not None:
            parsed.warn("line 1", f"values from column {value + 1} "
                        f"({table.header[value].strip() or 'no name'!r})")
    else:
        value = _column(table, parsed, value_column, "--value-column")
    name = _column(table, parsed, name_column, "--name-column")
    if not parsed.ok or code is None or value is None:
        return parsed
    first: dict[str, int] = {}
    for csv_row in table.rows:
        line, row = csv_row.line, csv_row.cells
        area = _code(parsed, line, row[code], "area")
        try:
            number = parse_whole(row[value], "population")
        except ValueError as exc:
            parsed.refuse_line(line, str(exc), table.header[value])
            continue
        if area is None:
            continue
        if area in first:
            parsed.refuse_line(line, f"area {area} is also on line {first[area]}")
            continue
        first[area] = line
        parsed.records.append(PopulationRow(line=line, code=area, value=number,
                                            name=row[name].strip() if name is not None
                                            else ""))
    if not table.rows:
        parsed.refuse("", "the file has a header but no rows")
    return parsed


def check_known_codes(parsed: Parsed[Any], known: Collection[str], label: str, *,
                      create_missing: bool = False) -> None:
    """Refuse records (with `.line`, `.code`, optional `.name`) whose area is not in `known`;
    with `create_missing`, only those with no name to create the area with."""
    reported: set[str] = set()
    for record in parsed.records:
        if record.code in known or record.code in reported:
            continue
        if not create_missing:
            parsed.refuse_line(record.line, f"no {label} area {record.code}")
        elif not getattr(record, "name", ""):
            parsed.refuse_line(record.line, f"{label} area {record.code} does not exist "
                               "and has no name to create it with (--name-column)")
        else:
            continue
        reported.add(record.code)


# --- deprivation ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeprivationRow:
    """One area's figure for one domain. Absent measures are None (left unchanged)."""

    line: int
    code: str
    domain: str
    rank: int | None = None
    decile: int | None = None
    score: float | None = None


def _parse_measure(measure: str, text: str, label: str) -> float | int:
    """A rank (whole, from 1), a decile (1 to 10) or a score (any number)."""
    if measure == "score":
        return parse_number(text, label)
    return parse_whole(text, label, minimum=1, maximum=10 if measure == "decile" else MAX_WHOLE)


def _deprivation_rows(parsed: Parsed[DeprivationRow], table: CsvTable, code: int,
                      columns: list[tuple[str, int | None, int | None, int | None]]) -> None:
    first: dict[str, int] = {}
    for csv_row in table.rows:
        line, row = csv_row.line, csv_row.cells
        area = _code(parsed, line, row[code], "area")
        records = []
        for domain, rank_at, decile_at, score_at in columns:
            values: dict[str, Any] = {}
            for measure, at in (("rank", rank_at), ("decile", decile_at), ("score", score_at)):
                if at is None:
                    continue
                try:
                    values[measure] = _parse_measure(measure, row[at], f"{domain} {measure}")
                except ValueError as exc:
                    parsed.refuse_line(line, str(exc), table.header[at])
            if area is not None:
                records.append(DeprivationRow(line=line, code=area, domain=domain, **values))
        if area is None:
            continue
        if area in first:
            parsed.refuse_line(line, f"area {area} is also on line {first[area]}")
            continue
        first[area] = line
        parsed.records.extend(records)
    if not table.rows:
        parsed.refuse("", "the file has a header but no rows")


def parse_deprivation(data: bytes, filename: str, *, code_column: str, domain: str,
                      rank_column: str | None = None, decile_column: str | None = None,
                      score_column: str | None = None) -> Parsed[DeprivationRow]:
    """Validate one deprivation domain from a CSV: area codes with a rank (whole number from
    1, thousands separators allowed), a decile (1 to 10) and/or a score (decimal)."""
    if domain not in DOMAINS:
        raise UsageError(f"unknown domain {domain!r}; domains are {', '.join(DOMAINS)}")
    if rank_column is None and decile_column is None and score_column is None:
        raise UsageError("give at least one of --rank-column, --decile-column, --score-column")
    parsed: Parsed[DeprivationRow] = Parsed(filename)
    table = _read_csv(data, parsed)
    if table is None:
        return parsed
    code = _column(table, parsed, code_column, "--code-column")
    rank = _column(table, parsed, rank_column, "--rank-column")
    decile = _column(table, parsed, decile_column, "--decile-column")
    score = _column(table, parsed, score_column, "--score-column")
    if parsed.ok and code is not None:
        _deprivation_rows(parsed, table, code, [(domain, rank, decile, score)])
    return parsed


def parse_iod2019_file2(data: bytes, filename: str) -> Parsed[DeprivationRow]:
    """Validate an MHCLG IoD2019 File 2 CSV ("domains of deprivation": rank and decile of the
    IMD and its seven domains for each LSOA 2011), giving eight records per LSOA."""
    parsed: Parsed[DeprivationRow] = Parsed(filename)
    table = _read_csv(data, parsed)
    if table is None:
        return parsed
    code = _column(table, parsed, IOD2019_FILE2_CODE_COLUMN, "IoD2019 File 2 layout")
    columns: list[tuple[str, int | None, int | None, int | None]] = []
    missing = []
    for domain, label in IOD2019_FILE2_DOMAINS.items():
        found = []
        for measure in ("Rank", "Decile"):
            prefix = f"{label} {measure}".lower()
            at = [i for i, h in enumerate(table.header) if h.strip().lower().startswith(prefix)]
            if not at:
                missing.append(f"{label} {measure} ...")
            found.append(at[0] if at else None)
        columns.append((domain, found[0], found[1], None))
    if missing:
        parsed.refuse_line(1, "not the IoD2019 File 2 layout: no column "
                      + "; no column ".join(repr(m) for m in missing)
                      + f". The columns are: {_describe(table)}")
    if parsed.ok and code is not None:
        _deprivation_rows(parsed, table, code, columns)
    return parsed
