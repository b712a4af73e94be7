"""saferplaces crime hotspots: Getis-Ord Gi* over an area's LSOAs."""

from __future__ import annotations

from saferplaces.crime.commands.output import render

help = "Find hot and cold spots of crime among an area's LSOAs (Getis-Ord Gi*, queen contiguity)."
epilog = ("Bins follow ArcGIS: 3 = hot spot at 99% confidence, 2 = 95%, 1 = 90%, negative for "
          "cold spots. Neighbours are LSOAs whose boundaries touch (within 1e-6 degrees). "
          "police.uk points are snapped to anonymised map points, so treat results as indicative.")


def add_arguments(parser) -> None:
    parser.add_argument("--area", required=True, help="Area code (LAD, CSP or ward).")
    parser.add_argument("--force", help="Police force as police.uk names it.")
    parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM")
    parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM")
    parser.add_argument("--crime-type", help="Only this police.uk crime type.")
    parser.add_argument("--measure", default="count", choices=("count", "rate", "harm"))
    parser.add_argument("--all", action="store_true",
                        help="List every LSOA, not only significant ones.")
    parser.add_argument("--format", default="table", choices=("table", "csv", "json"))


def run(options, out, err) -> int:
    from saferplaces.crime.analytics import AnalyticsError, Scope, hotspots

    try:
        scope = Scope.build(options["start"], options["end"], options.get("force"),
                            options["area"])
        found = hotspots(scope, options.get("crime_type"), options["measure"])
    except (AnalyticsError, ValueError) as exc:
        err.write(str(exc))
        return 2
    rows = hotspot_rows(found, options["all"])
    notes = []
    if found.islands:
        notes.append(f"{len(found.islands)} LSOA(s) have no neighbours: "
                     + ", ".join(found.islands))
    if found.simulated_months:
        notes.insert(0, "Includes SIMULATED demonstration data for some months.")
    if not rows:
        notes.append("No LSOA is a significant hot or cold spot at 90% or more.")
    meta = {"scope": scope.describe(), "measure": found.measure,
            "crime_type": found.crime_type or "all"}
    out.write(render(HOTSPOT_COLUMNS, rows, options["format"], meta, notes))
    return 0


HOTSPOT_COLUMNS = ["lsoa_code", "lsoa_name", "value", "z", "p", "bin", "note"]


def hotspot_rows(found, every: bool = False) -> list[list]:
    """The command's rows for an ``analytics.hotspots`` result, hottest first: significant
    LSOAs only unless ``every``; the strategic assessment shows the same rows."""
    rows = []
    for row in sorted(found.result.rows, key=lambda r: (-(r.z or 0), r.code)):
        if row.bin == 0 and not every:
            continue
        rows.append([row.code, found.names.get(row.code, ""), round(row.value, 3),
                     None if row.z is None else round(row.z, 3),
                     None if row.p is None else round(row.p, 4), row.bin, row.note])
    return rows
