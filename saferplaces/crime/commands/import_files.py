"""saferplaces crime import: police.uk CSVs, monthly archive zips, or folders of them."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth import get_user_model

from saferplaces.crime import ingest
from saferplaces.crime.forces import UnknownForce, resolve_force
from saferplaces.crime.locate import lazy_locator, partnership_lsoa_codes
from saferplaces.crime.signals import ImportedBatch, crime_imported

help = ("Import police.uk street-level, outcomes and stop-and-search CSVs (plain or .gz), "
        "police.uk monthly archive zips (their YYYY-MM/ folders), or folders of them.")
epilog = (
    "Each file's kind is detected from its header. Every row is checked before anything is "
    "written; a file with a wrong header or a bad row is refused (file and line named) and "
    "other files go on. Crime types must be police.uk's categories (today's, or the two "
    "used before May 2013). Re-importing a (force, month, kind) replaces it, unless the new "
    "file has fewer than half the rows stored. A file that finds the database locked by "
    "another writer for longer than the busy timeout is reported and the others go on. "
    "Rows without a "
    "location and ASB rows without a Crime ID are kept. Individual crimes are kept only for "
    "LSOAs inside a partnership's area; everywhere else is stored as monthly counts. Exit "
    "code: 0 all imported, 1 some file refused or not imported (database busy), 2 nothing to "
    "import."
)


def add_arguments(parser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="Files, zips or folders.")
    parser.add_argument("--dry-run", action="store_true", help="Validate only; write nothing.")
    parser.add_argument("--force", help="Police force for files that do not name it (API "
                        "files; stop-and-search files not named as police.uk names them), "
                        "e.g. 'West Midlands Police' or west-midlands.")
    parser.add_argument("--user", help="Login name recorded as the importer.")
    add_guard_arguments(parser)


def add_guard_arguments(parser) -> None:
    """The options that lift the import's guards (also offered by `crime fetch`)."""
    parser.add_argument("--allow-new-types", action="store_true",
                        help="Accept crime types that are not police.uk's published "
                        "categories (refused by default, with their lines).")
    parser.add_argument("--replace", action="store_true",
                        help="Replace a stored (force, month, kind) even by a file with fewer "
                        "than half its rows (refused by default).")


def run(options, out, err) -> int:
    force = None
    if options.get("force"):
        try:
            force = resolve_force(options["force"])
        except UnknownForce as exc:
            err.write(str(exc))
            return 2
    user = None
    if options.get("user"):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            err.write(f"No login called {options['user']!r}.")
            return 2
    return import_paths(options["paths"], out, err, dry_run=options["dry_run"], force=force,
                        user=user, allow_new_types=options.get("allow_new_types", False),
                        replace=options.get("replace", False))


def _progress_bar(sources: list) -> Any:
    """A progress bar over several files on a terminal (tqdm, imported only then); None for
    one file, which needs none and starts faster without it."""
    if len(sources) < 2:
        return None
    from tqdm import tqdm

    return tqdm(sources, unit="file", disable=None, file=sys.stderr, leave=False)


def import_paths(paths, out, err, *, dry_run=False, force=None, user=None,
                 simulated=False, progress_to=None, allow_new_types=False,
                 replace=False) -> int:
    """Import files, zips or folders, writing a line per file and a final summary to out/err;
    returns the exit code. Used by `crime import` and `crime fetch`, and by the web's import
    jobs, whose `progress_to(done, total)` is told after each file."""
    sources, problems = ingest.discover(paths)
    for problem in problems:
        err.write(problem)
    if not sources:
        err.write("Nothing to import.")
        return 2
    point_lsoas = partnership_lsoa_codes()
    locator = lazy_locator()
    reports = []
    progress = _progress_bar(sources)
    for source in progress if progress is not None else sources:
        if progress is not None:
            progress.set_description(source.name.rsplit("/", 1)[-1][:40])
        report = ingest.import_source(source, dry_run=dry_run, force=force,
                                      point_lsoas=point_lsoas, locate_lsoa=locator, user=user,
                                      simulated=simulated, allow_new_types=allow_new_types,
                                      replace=replace)
        reports.append(report)
        if progress_to:
            progress_to(len(reports), len(sources))
        (err if report.refused else out).write(report.summary(dry_run))
        for extra in report.errors[1:]:
            err.write(f"{source.name}: {extra}")
    code = _final_summary(reports, problems, dry_run, out)
    if not dry_run:
        _announce(reports, out)
    return code


def _announce(reports, out) -> None:
    """Tell the apps that follow crime data (performance's computed indicators) what was
    imported; each receiver may answer with a line for the output."""
    batches = [ImportedBatch(b.force, b.month, b.kind)
               for report in reports if not report.refused for b in report.batches]
    if not batches:
        return
    for _receiver, answer in crime_imported.send(sender=ImportedBatch, batches=batches):
        if answer:
            out.write(answer)


def _final_summary(reports, problems, dry_run, out) -> int:
    refused = [r for r in reports if r.refused and not r.busy]
    busy = [r for r in reports if r.busy]
    good = [r for r in reports if not r.refused]
    rows = sum(r.rows for r in good)
    verb = "valid" if dry_run else "imported"
    out.write(f"{len(good)} file(s) {verb} ({rows:,} rows), {len(refused)} refused"
              + (f", {len(busy)} not imported (database busy)" if busy else "")
              + (f", {len(problems)} path(s) not usable" if problems else "") + ".")
    return 1 if refused or busy or problems else 0
