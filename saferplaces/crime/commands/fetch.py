"""saferplaces crime fetch: download police.uk data (API or monthly archive) and import it.

The only command that uses the network. The work is in saferplaces/crime/fetch.py (and the
modules it names); this module checks the options, builds the client and passes the files
written to `import_paths`.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from saferplaces.crime import formats
from saferplaces.crime.commands.import_files import add_guard_arguments, import_paths
from saferplaces.crime.forces import UnknownForce, resolve_force
from saferplaces.crime.policeuk_http import (
    DEFAULT_RATE,
    DEFAULT_TIMEOUT,
    RETRY_DELAY,
    PoliceUkClient,
)

help = ("Download police.uk data for one force and a range of months (from the data.police.uk "
        "API or the national monthly archive) and import it. The only command that uses the "
        "network.")
epilog = (
    "--source api (the default) asks for street crimes polygon by polygon: each ward of the "
    "area (else each LSOA), simplified to at most 100 points, split in two when police.uk "
    "answers 503 (more than 10,000 crimes); plus the force's crimes with no location and its "
    "stop and search. The area is the one of the partnership whose police force this is, or "
    "--area. --source archive downloads the national monthly archive zip (the month asked for "
    "and the 35 before it) and extracts the force's street, outcomes and stop-and-search "
    "files. Files are kept under --dest, so a failed import can be re-run with 'saferplaces "
    "crime import'. Requests keep to police.uk's rate limit; HTTP 429, 5xx, timeouts and "
    "dropped connections are retried; a 404 means no data for that month. Exit code: 0 all "
    "fetched and imported, 1 some request or file failed (the others went on), 2 usage error."
)


def add_arguments(parser) -> None:
    parser.add_argument("--force", required=True, metavar="NAME",
                        help="Police force: its police.uk name ('West Midlands Police') or id "
                        "(west-midlands).")
    parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM",
                        help="First month.")
    parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM",
                        help="Last month.")
    parser.add_argument("--source", choices=("api", "archive"), default="api",
                        help="data.police.uk API (default) or the national monthly archive.")
    parser.add_argument("--dest", default="var/policeuk", metavar="DIR",
                        help="Where downloaded files go (default var/policeuk).")
    parser.add_argument("--area", metavar="CODE",
                        help="Area code whose wards (or LSOAs) to ask the API for; default: "
                        "the area of the partnership with this police force.")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--dry-run", action="store_true",
                      help="Download and validate the files, but import nothing.")
    what.add_argument("--no-import", action="store_true", help="Only download.")
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE, metavar="N",
                        help=f"At most N requests a second (default {DEFAULT_RATE:g}; "
                        "police.uk allows 15, with bursts of 30).")
    parser.add_argument("--retry-delay", type=float, default=RETRY_DELAY,
                        metavar="SECONDS",
                        help=f"Wait before the first retry, doubled for each further one "
                        f"(default {RETRY_DELAY:g}).")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        metavar="SECONDS",
                        help=f"Network timeout per request (default {DEFAULT_TIMEOUT:g}).")
    add_guard_arguments(parser)


def run(options, out, err) -> int:
    # Here, not at the top: they load shapely, which `--help` has no use for.
    from saferplaces.crime import fetch
    from saferplaces.crime.fetch_areas import AreaLookupError, query_areas

    try:
        force = resolve_force(options["force"])
    except UnknownForce as exc:
        err.write(str(exc))
        return 2
    slug = next((s for s, name in formats.FORCES.items() if name == force), None)
    if slug is None:
        err.write(f"{force} is not a force police.uk publishes, so it cannot be fetched.")
        return 2
    try:
        months = fetch.month_range(options["start"], options["end"])
    except ValueError as exc:
        err.write(f"{exc}.")
        return 2
    for name in ("rate", "retry_delay", "timeout"):
        if options.get(name) is not None and options[name] < 0:
            err.write(f"--{name.replace('_', '-')} cannot be negative.")
            return 2
    dest = Path(options.get("dest") or "var/policeuk")
    client = PoliceUkClient(settings.POLICE_UK_BASE_URL,
                            rate=_option(options, "rate", DEFAULT_RATE),
                            retry_delay=_option(options, "retry_delay", RETRY_DELAY),
                            timeout=_option(options, "timeout", DEFAULT_TIMEOUT))
    source = options.get("source") or "api"
    if source == "api":
        try:
            areas, where = query_areas(force, options.get("area"))
        except AreaLookupError as exc:
            err.write(str(exc))
            return 2
        out.write(f"Asking data.police.uk for {force} crimes in {len(areas)} area(s) of "
                  f"{where}.")
        report = fetch.fetch_api(client, slug=slug, months=months, areas=areas, dest=dest,
                                 out=out, err=err)
    else:
        if options.get("area"):
            err.write("--area is only used with --source api; ignored.")
        report = fetch.fetch_archive(client, slug=slug, months=months, dest=dest, out=out,
                                     err=err)
    out.write(report.summary(source, force, months))
    code = 1 if report.failures else 0
    if options.get("no_import"):
        return code
    if not report.files:
        out.write("Nothing downloaded, so nothing to import.")
        return code
    imported = import_paths([str(p) for p in report.files], out, err,
                            dry_run=bool(options.get("dry_run")), force=force,
                            allow_new_types=bool(options.get("allow_new_types")),
                            replace=bool(options.get("replace")))
    return max(code, 1 if imported else 0)


def _option(options, name: str, default: float) -> float:
    value = options.get(name)
    return default if value is None else value
