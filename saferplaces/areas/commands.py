"""saferplaces geo SUBCOMMAND: import boundaries, lookups, population and deprivation.

The sub-commands of `saferplaces geo` (see `saferplaces.core.commands`): each reads its file
and hands it to a function in `saferplaces.areas.importers`, then prints the problems,
warnings and a one-line summary. Exit codes: 0 done, 1 input refused (nothing written),
2 usage error (options that cannot work together, a file that cannot be read).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from saferplaces.areas.parsing import DOMAINS, IOD2019_FILE2_DOMAINS, LEVELS, UsageError
from saferplaces.core.commands import USAGE_ERROR, read_input, report_import
from saferplaces.core.commands import UsageError as BadArgument

COMMON_EPILOG = """\
Every feature or row is checked before anything is written; one problem and nothing is
written. Problems are printed as "FILE: feature N (CODE): reason" or "FILE: line N: reason"
(features count from 1; line 1 is the header). Exit codes: 0 done, 1 input refused,
2 usage error. Files must be UTF-8 (a byte order mark is fine; any other byte or a NUL is
refused with its line); CSV files may have the unnamed index column pandas writes. See
docs/geo.md."""

BOUNDARIES = """\
Import area boundaries from a GeoJSON FeatureCollection in WGS84 longitude/latitude
(EPSG:4326 / CRS84). A TopoJSON topology is also read (polygons of its only object, or of
--topojson-object); anything else must be converted to GeoJSON first, e.g. with
`ogr2ogr -t_srs EPSG:4326 out.geojson in.shp` or `mapshaper in.json -o format=geojson`.

Each feature needs:
  geometry     Polygon or MultiPolygon, valid by shapely (invalid ones are refused with
               the reason; --fix-invalid repairs them with shapely.make_valid instead)
  code         a GSS code ([EWSNK] + 8 digits), unique in the file; by default the property
               named like the level + year + CD, e.g. LSOA11CD, MSOA11CD, WD23CD, LAD22CD,
               CSP22CD, PFA22CD, CTRY22CD (case-insensitive)
  name         by default the matching ...NM property (LSOA11NM, WD23NM...)

Areas are created or updated by (level, code, vintage). Coordinates are stored rounded to
6 decimal places, with the polygon's centroid (or, if the centroid falls outside the
polygon, a representative point inside it, with a warning)."""

LOOKUP = """\
Import child -> parent links (e.g. LAD -> CSP, ward -> LAD) from a CSV file with a header.

Columns (named with the options; other columns are ignored):
  --child-column        the child area's GSS code (required)
  --parent-column       the parent area's GSS code (required)
  --child-name-column   the child's name (only used with --create-missing)
  --parent-name-column  the parent's name (only used with --create-missing)

Both areas must already exist at the given level and vintage, unless --create-missing
(which then creates them, without boundaries, named from the name columns). Repeated
child -> parent rows are fine; a child with two different parents is refused. Importing the
same --lookup-vintage again replaces that lookup's links for these children."""

DERIVE = """\
Derive a child -> parent lookup from boundaries already imported: each child area's
centroid is placed in the parent polygon that contains it (a shapely STRtree search), and
the link is recorded with method "best fit by centroid". Children whose centroid is in no
parent are listed and skipped (exit 0), or refuse the whole run with --strict (exit 1).
This is how the demo links 2011 LSOAs to the 2023 wards. Running it again replaces the
links of this lookup vintage for these children."""

POPULATION = """\
Import residents per area from a CSV file with a header.

Columns:
  --code-column         the area's GSS code
  --value-column        residents: a whole number, thousands separators allowed ("1,563")
  --value-column-index  the value column by position (1 = first column, counting every
                        column in the header, blank-named ones too): for files that repeat
                        a column name. By name, the first column of that name is used.
  --name-column         the area's name (only used with --create-missing)

Census 2011 PHP01 (census2011_lsoa11_population_households_*.csv) has three columns named
"Persons" (usual residents, household residents, communal residents, columns 10 to 12):
--value-column Persons takes the first, all usual residents.
Rows are created or updated by (area, year, source)."""

IMD = """\
Import one deprivation domain (the overall IMD, or one of its domains) for each area from a
CSV file with a header.

Columns:
  --code-column    the area's GSS code (required)
  --rank-column    rank, 1 = most deprived; thousands separators allowed ("29,199")
  --decile-column  decile, 1 to 10 (1 = most deprived 10%)
  --score-column   score, a decimal number
At least one of rank, decile, score. Rows are created or updated by (area, edition,
domain); only the measures given are changed, so scores can be added to ranks imported
earlier. Every area must already exist."""

IOD2019 = """\
Import the MHCLG English Indices of Deprivation 2019 File 2 ("domains of deprivation") in
one go: ranks and deciles of the IMD and all seven domains for each LSOA 2011, stored as
domains """ + ", ".join(IOD2019_FILE2_DOMAINS) + """.

Columns used (the official headers; others such as the LAD columns are ignored):
  "LSOA code (2011)", and for each domain "<Domain> Rank (where 1 is most deprived)" and
  "<Domain> Decile (where 1 is most deprived 10% of LSOAs)", where <Domain> is one of:
""" + textwrap.fill("; ".join(IOD2019_FILE2_DOMAINS.values()) + ".", width=88,
                    initial_indent="  ", subsequent_indent="  ") + """
Every LSOA must already exist."""


def iso_date(text: str) -> datetime.date:
    """argparse type for YYYY-MM-DD dates."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") \
            from None


def year(text: str) -> int:
    """argparse type for a four-digit year."""
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} is not a four-digit year")
    return int(text)


def positive(text: str) -> int:
    """argparse type for a column position counted from 1."""
    if not (text.isdigit() and int(text) >= 1):
        raise argparse.ArgumentTypeError(f"{text!r} is not a column position (1, 2, ...)")
    return int(text)


def level_options(parser: Any, prefix: str = "", required: bool = True,
                  vintage_default: str | None = None) -> None:
    dash = f"--{prefix}-" if prefix else "--"
    what = f"{prefix} areas" if prefix else "areas"
    parser.add_argument(f"{dash}level", choices=LEVELS, required=required,
                        help=f"Level of the {what}.")
    parser.add_argument(f"{dash}vintage", required=vintage_default is None,
                        default=vintage_default,
                        help=f"Vintage of the {what}, e.g. 2011 for LSOAs, 2023 for "
                        "wards" + (f" (default {vintage_default})." if vintage_default else "."))


def dry_run_option(parser: Any) -> None:
    parser.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")


def progress(label: str) -> Callable[[int, int], None] | None:
    """A tqdm progress bar on a terminal; nothing when output is not a terminal."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(desc=label, unit=" areas", file=sys.stderr, leave=False, mininterval=0.5)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update


def report(name: str, work: Callable[[], Any], out: Any, err: Any) -> int:
    """Run an import, print what it found and return the exit code."""
    try:
        result = work()
    except (UsageError, BadArgument) as exc:
        err.write(f"saferplaces geo {name}: error: {exc}")
        return USAGE_ERROR
    for warning in result.warnings:
        err.write(f"warning: {warning}")
    return report_import(result, out, err)


class GeoSubcommand:
    """What the geo sub-commands share: preformatted descriptions and the common epilog."""

    epilog = COMMON_EPILOG
    formatter_class = argparse.RawDescriptionHelpFormatter


class ImportBoundaries(GeoSubcommand):
    help = "Import area boundaries from GeoJSON."
    description = BOUNDARIES

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("file", help="GeoJSON (or TopoJSON) file.")
        level_options(parser)
        parser.add_argument("--code-property", help="Feature property holding the GSS code "
                            "(default: guessed, e.g. WD23CD).")
        parser.add_argument("--name-property", help="Feature property holding the name "
                            "(default: guessed, e.g. WD23NM).")
        parser.add_argument("--valid-from", type=iso_date, metavar="YYYY-MM-DD",
                            help="First day these boundaries apply (unchanged if not given).")
        parser.add_argument("--valid-to", type=iso_date, metavar="YYYY-MM-DD",
                            help="Last day these boundaries apply (unchanged if not given).")
        parser.add_argument("--source",
                            help="Where the file came from (default: its file name).")
        parser.add_argument("--fix-invalid", action="store_true",
                            help="Repair invalid geometries with shapely.make_valid (each one "
                            "is reported) instead of refusing the file.")
        parser.add_argument("--topojson-object", metavar="NAME",
                            help="Which object of a TopoJSON topology to read (default: the "
                            "only one).")
        dry_run_option(parser)

    @staticmethod
    def run(o: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.areas import importers

        return report("import-boundaries", lambda: importers.import_boundaries(
            read_input(o["file"]), o["file"], level=o["level"], vintage=o["vintage"],
            code_property=o["code_property"], name_property=o["name_property"],
            valid_from=o["valid_from"], valid_to=o["valid_to"], source=o["source"],
            fix_invalid=o["fix_invalid"], topojson_object=o["topojson_object"],
            dry_run=o["dry_run"], progress=progress("checking features")), out, err)


class ImportLookup(GeoSubcommand):
    help = "Import child -> parent links from CSV."
    description = LOOKUP

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("file", help="CSV file with a header row.")
        level_options(parser, "child")
        level_options(parser, "parent")
        parser.add_argument("--child-column", required=True, help="Column of child GSS codes.")
        parser.add_argument("--parent-column", required=True,
                            help="Column of parent GSS codes.")
        parser.add_argument("--child-name-column", help="Column of child names.")
        parser.add_argument("--parent-name-column", help="Column of parent names.")
        parser.add_argument("--lookup-vintage", help="Name of this lookup, at most 40 "
                            "characters (default e.g. 'LAD22-CSP22').")
        parser.add_argument("--method", default="", help="How the lookup was made, e.g. "
                            "'official ONS lookup' or 'best fit by area'.")
        parser.add_argument("--source",
                            help="Where the file came from (default: its file name).")
        parser.add_argument("--create-missing", action="store_true",
                            help="Create areas that do not exist yet, named from the name "
                            "columns.")
        dry_run_option(parser)

    @staticmethod
    def run(o: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.areas import importers

        return report("import-lookup", lambda: importers.import_lookup(
            read_input(o["file"]), o["file"], child_level=o["child_level"],
            child_vintage=o["child_vintage"], parent_level=o["parent_level"],
            parent_vintage=o["parent_vintage"], child_column=o["child_column"],
            parent_column=o["parent_column"], child_name_column=o["child_name_column"],
            parent_name_column=o["parent_name_column"], lookup_vintage=o["lookup_vintage"],
            method=o["method"], source=o["source"], create_missing=o["create_missing"],
            dry_run=o["dry_run"]), out, err)


class DeriveLookup(GeoSubcommand):
    help = "Link areas to the parent polygon containing their centroid."
    description = DERIVE

    @staticmethod
    def add_arguments(parser: Any) -> None:
        level_options(parser, "child")
        level_options(parser, "parent")
        parser.add_argument("--lookup-vintage", help="Name of this lookup, at most 40 "
                            "characters (default e.g. 'LSOA11-WD23 best fit by centroid').")
        parser.add_argument("--strict", action="store_true",
                            help="Refuse (exit 1, write nothing) if any child is in no parent.")
        dry_run_option(parser)

    @staticmethod
    def run(o: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.areas import importers

        return report("derive-lookup", lambda: importers.derive_lookup(
            child_level=o["child_level"], child_vintage=o["child_vintage"],
            parent_level=o["parent_level"], parent_vintage=o["parent_vintage"],
            lookup_vintage=o["lookup_vintage"], strict=o["strict"], dry_run=o["dry_run"],
            progress=progress("placing centroids")), out, err)


class ImportPopulation(GeoSubcommand):
    help = "Import residents per area from CSV."
    description = POPULATION

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("file", help="CSV file with a header row.")
        level_options(parser)
        parser.add_argument("--code-column", required=True, help="Column of area GSS codes.")
        value = parser.add_mutually_exclusive_group(required=True)
        value.add_argument("--value-column", help="Column of residents (by name).")
        value.add_argument("--value-column-index", type=positive, metavar="N",
                           help="Column of residents by position, counting from 1.")
        parser.add_argument("--year", type=year, required=True, help="Year of the figures.")
        parser.add_argument("--source", required=True,
                            help="e.g. 'Census 2011 PHP01 usual residents' (part of the key).")
        parser.add_argument("--create-missing", action="store_true",
                            help="Create areas that do not exist yet (needs --name-column).")
        parser.add_argument("--name-column",
                            help="Column of area names, for --create-missing.")
        dry_run_option(parser)

    @staticmethod
    def run(o: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.areas import importers

        return report("import-population", lambda: importers.import_population(
            read_input(o["file"]), o["file"], level=o["level"], vintage=o["vintage"],
            code_column=o["code_column"], value_column=o["value_column"],
            value_column_index=o["value_column_index"], year=o["year"], source=o["source"],
            name_column=o["name_column"], create_missing=o["create_missing"],
            dry_run=o["dry_run"]), out, err)


class ImportImd(GeoSubcommand):
    help = "Import one deprivation domain from CSV."
    description = IMD

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("file", help="CSV file with a header row.")
        level_options(parser)
        parser.add_argument("--edition", required=True,
                            help="e.g. 'IMD 2019' (at most 20 characters).")
        parser.add_argument("--domain", required=True, choices=DOMAINS,
                            help="Which domain the columns hold (imd is the overall index).")
        parser.add_argument("--code-column", required=True, help="Column of area GSS codes.")
        parser.add_argument("--rank-column", help="Column of ranks (1 = most deprived).")
        parser.add_argument("--decile-column", help="Column of deciles (1 to 10).")
        parser.add_argument("--score-column", help="Column of scores.")
        parser.add_argument("--source",
                            help="Where the file came from (default: its file name).")
        dry_run_option(parser)

    @staticmethod
    def run(o: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.areas import importers

        return report("import-imd", lambda: importers.import_deprivation(
            read_input(o["file"]), o["file"], level=o["level"], vintage=o["vintage"],
            edition=o["edition"], domain=o["domain"], code_column=o["code_column"],
            rank_column=o["rank_column"], decile_column=o["decile_column"],
            score_column=o["score_column"], source=o["source"], dry_run=o["dry_run"]),
            out, err)


class ImportIod2019(GeoSubcommand):
    help = "Import IoD2019 File 2: IMD and seven domains, ranks and deciles."
    description = IOD2019

    @staticmethod
    def add_arguments(parser: Any) -> None:
        parser.add_argument("file", help="IoD2019 File 2 as CSV.")
        parser.add_argument("--level", choices=LEVELS, default="lsoa",
                            help="Level of the areas (default lsoa).")
        parser.add_argument("--vintage", default="2011", help="Vintage of the areas (default "
                            "2011: IoD2019 uses 2011 LSOAs).")
        parser.add_argument("--edition", default="IMD 2019",
                            help="Edition (default 'IMD 2019').")
        parser.add_argument("--source",
                            help="Where the file came from (default: its file name).")
        dry_run_option(parser)

    @staticmethod
    def run(o: dict[str, Any], out: Any, err: Any) -> int:
        from saferplaces.areas import importers

        return report("import-iod2019", lambda: importers.import_iod2019_file2(
            read_input(o["file"]), o["file"], level=o["level"], vintage=o["vintage"],
            edition=o["edition"], source=o["source"], dry_run=o["dry_run"]), out, err)
