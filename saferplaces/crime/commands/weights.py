"""saferplaces crime weights list|derive|load-cchi|import|set-default: harm weight tables."""

from __future__ import annotations

import argparse

from saferplaces.core.commands import (
    USAGE_ERROR,
    handles_usage_errors,
    read_input,
    report_import,
    write_output,
)
from saferplaces.crime import harm, harm_store
from saferplaces.crime.models import HarmWeightTable

help = ("Harm weight tables per police.uk crime type: list them, derive and load the Cambridge "
        "Crime Harm Index 2020 table, import another table (e.g. ONS Crime Severity Score) "
        "from CSV, and choose the default.")
epilog = ("'saferplaces crime weights ACTION --help' for each action. Only one table is the "
          "default for harm measures. The CCHI rule, citation and caveats are in "
          "docs/harm-weights.md.")

FILE_FORMAT = f"""\
File format (CSV, UTF-8, header row required):
  crime_type  a police.uk crime type, any letter case; each at most once:
              {", ".join(harm.POLICE_UK_CRIME_TYPES[:5])},
              {", ".join(harm.POLICE_UK_CRIME_TYPES[5:10])},
              {", ".join(harm.POLICE_UK_CRIME_TYPES[10:])}
  weight      a number, zero or more, in the table's unit
  note        optional: how the weight was derived (at most {harm.NOTE_MAX_LENGTH} characters)
Crime types the file leaves out have no weight: harm totals report them as unweighted.
Import is all-or-nothing: every error is reported with its line, and one error means nothing
is written (exit code 1). Importing a name that exists replaces that table's weights."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="weights_action", required=True,
                                metavar="{list,derive,load-cchi,import,set-default}")
    raw = argparse.RawDescriptionHelpFormatter

    lst = sub.add_parser("list", help="Show the tables and their weights.",
                         description="Show every harm weight table (or one) with its weights.")
    lst.add_argument("name", nargs="?", help="Only this table.")

    derive = sub.add_parser(
        "derive", formatter_class=raw,
        help="Derive the CCHI 2020 weights from the bundled workbook and print them as CSV.",
        description="Derive one weight per police.uk crime type from the bundled CCHI 2020 "
                    "workbook (see docs/harm-weights.md for the rule) and write them as CSV, "
                    "with what was left out. Writes nothing to the database.")
    derive.add_argument("--output", "-o", default="-",
                        help="File to write (default: standard output). The bundled copy is "
                             f"{harm.CCHI_WEIGHTS_CSV.name} in saferplaces/crime/data.")

    load = sub.add_parser(
        "load-cchi", help="Derive the CCHI 2020 weights and store them as a table.",
        description="Derive one weight per police.uk crime type from the bundled CCHI 2020 "
                    "workbook and store them, with the citation, as a harm weight table. "
                    "Running it again replaces that table's weights in one transaction.")
    load.add_argument("--name", default=harm.CCHI_2020_TABLE_NAME,
                      help=f"Table name (default: {harm.CCHI_2020_TABLE_NAME!r}).")
    load.add_argument("--default", dest="make_default", action="store_true",
                      help="Make it the default table for harm measures.")

    imp = sub.add_parser(
        "import", formatter_class=raw, epilog=FILE_FORMAT,
        help="Import a weight table (e.g. ONS Crime Severity Score) from a CSV file.",
        description="Import a harm weight table from a CSV file with the columns "
                    "crime_type,weight[,note].")
    imp.add_argument("file", help="CSV file to read.")
    imp.add_argument("--name", required=True, help="Table name, e.g. 'ONS CSS 2020'.")
    imp.add_argument("--unit", help="What one unit of weight means (default for a new table: "
                                    "'days of imprisonment').")
    imp.add_argument("--citation", help="Source and citation of the weights.")
    imp.add_argument("--description", help="What the table is.")
    imp.add_argument("--default", dest="make_default", action="store_true",
                     help="Make it the default table for harm measures.")
    imp.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")

    default = sub.add_parser(
        "set-default", help="Choose the default table for harm measures.",
        description="Make one table the default for harm measures (and no other).")
    default.add_argument("name", help="Table name.")


@handles_usage_errors
def run(options: dict, out, err) -> int:
    action = options["weights_action"]
    if action == "list":
        return _list(options.get("name"), out, err)
    if action == "derive":
        return _derive(options["output"], out, err)
    if action == "load-cchi":
        return _load_cchi(options["name"], options["make_default"], out, err)
    if action == "import":
        return _import(options, out, err)
    return _set_default(options["name"], out, err)


def _list(name: str | None, out, err) -> int:
    tables = HarmWeightTable.objects.prefetch_related("weights").order_by("name")
    if name is not None:
        tables = tables.filter(name=name)
        if not tables:
            err.write(str(harm_store.UnknownTable(name)))
            return USAGE_ERROR
    if not tables:
        out.write("No harm weight tables. Load the CCHI 2020 table with "
                  "'saferplaces crime weights load-cchi'.")
        return 0
    for table in tables:
        flag = "  [default]" if table.is_default else ""
        weights = list(table.weights.all())
        out.write(f"{table.name}{flag}")
        out.write(f"  unit: {table.unit}; {len(weights)} weight(s); loaded "
                  f"{table.created_at:%Y-%m-%d %H:%M}")
        width = max((len(w.crime_type) for w in weights), default=0)
        for weight in weights:
            value = harm.format_weight(weight.weight)
            out.write(f"  {weight.crime_type.ljust(width)}  {value:>10}")
        absent = [t for t in harm.POLICE_UK_CRIME_TYPES
                  if t not in {w.crime_type for w in weights}]
        if absent:
            out.write("  no weight for: " + ", ".join(absent))
        if table.citation:
            out.write(f"  source: {table.citation}")
        out.write("")
    return 0


def _write_derivation(derivation: harm.Derivation, out) -> None:
    width = max(len(row.crime_type) for row in derivation.rows)
    for row in derivation.rows:
        out.write(f"  {row.crime_type.ljust(width)}  {harm.format_weight(row.weight):>10}  "
                  f"{row.note}")
    if derivation.warnings:
        out.write(f"Left out of the derivation ({len(derivation.warnings)}):")
        for warning in derivation.warnings:
            out.write(f"  - {warning}")


def _derive(output: str, out, err) -> int:
    err.write(f"Deriving CCHI 2020 weights from {harm.CCHI_WORKBOOK.name} ...")
    derivation = harm.derive_cchi2020()
    text = harm.format_weights_csv(derivation.rows)
    if output == "-":
        out.write(text, ending="")
    else:
        if not write_output(output, text.encode("utf-8"), err):
            return 1
        out.write(f"Wrote {len(derivation.rows)} weights to {output}.")
    for warning in derivation.warnings:
        err.write(f"left out: {warning}")
    return 0


def _load_cchi(name: str, make_default: bool, out, err) -> int:
    out.write(f"Deriving CCHI 2020 weights from {harm.CCHI_WORKBOOK.name} ...")
    try:
        result, derivation = harm_store.load_cchi_table(name=name, make_default=make_default)
    except harm.HarmDataError as exc:
        err.write(f"Cannot derive the weights: {exc}")
        return 1
    _write_derivation(derivation, out)
    state = ("created" if result.created else "updated" if result.changed
             else "unchanged (already up to date)")
    suffix = "; it is the default table" if result.table.is_default else ""
    out.write(f"Table {name!r}: {len(derivation.rows)} weights, {state}{suffix}.")
    return 0


def _import(options: dict, out, err) -> int:
    path = options["file"]
    data = read_input(path)
    result = harm_store.import_table(
        data, options["name"], unit=options.get("unit"), citation=options.get("citation"),
        description=options.get("description"), make_default=options["make_default"],
        dry_run=options["dry_run"], file=path)
    for warning in result.warnings:
        out.write(f"{path}: {warning}")
    return report_import(result, out, err)


def _set_default(name: str, out, err) -> int:
    try:
        harm_store.set_default(name)
    except harm_store.UnknownTable as exc:
        err.write(str(exc))
        return USAGE_ERROR
    out.write(f"{name!r} is now the default harm weight table.")
    return 0
