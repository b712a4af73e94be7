"""Start-up (issue 7 point 10: under 0.5 s as a whole process): a 1,000-row
`saferplaces crime import` and `saferplaces --help`, with the floor they stand on, measured in
the same run and interleaved:

- `python -c "import django"`: the interpreter and Django's package, the bare floor;
- `saferplaces --help`: the console script without Django set up;
- `saferplaces crime import` of the first 1,000 rows of the real West Yorkshire July 2017
  street file into a fresh copy of a migrated SQLite database that hosts a Bradford
  partnership whose area holds those rows' LSOAs, so the import keeps them as points as well
  as counting them (copied before each run: no run includes migrations or replaces an earlier
  import).

Prints the median and worst wall clock of each, and CPU seconds (user + system: less
disturbed when other processes share the machine), with the load average. `bench/ingest.py`
prints the same figures at its end.

    .venv/bin/python bench/small_import.py [--runs 9] [--rows 1000]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from processes import BIN, ROOT, byte_compile, fresh_copy, migrate, run_django, timed

STREET = ROOT / "tests" / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"

SETUP_PARTNERSHIP = """
from saferplaces.areas.models import Area, AreaLink
from saferplaces.partnership.models import Partnership
lad = Area.objects.create(level='lad', code='E08000032', name='Bradford', vintage='2021')
for code in json.loads(os.environ['BENCH_OWN']):
    lsoa = Area.objects.create(level='lsoa', code=code, name=code, vintage='2011')
    AreaLink.objects.create(child=lsoa, parent=lad, vintage='bench')
Partnership.objects.create(name='Bench Bradford', short_name='BB', slug='bb', area=lad,
                           police_force='West Yorkshire Police')
print(json.dumps({}))
"""


def first_rows(target: Path, rows: int) -> list[str]:
    """Write the file's header and first `rows` rows to `target`; the Bradford LSOA codes
    among them."""
    with gzip.open(STREET, "rt", encoding="utf-8", newline="") as source, \
            target.open("w", encoding="utf-8", newline="") as out:
        lines = [source.readline() for _ in range(rows + 1)]
        out.writelines(lines)
    return sorted({row["LSOA code"] for row in csv.DictReader(lines)
                   if row["LSOA name"].startswith("Bradford ")})


def summary(name: str, results: list[tuple[float, float]], target: bool) -> str:
    walls = [w for w, _ in results]
    cpus = [c for _, c in results]
    verdict = ""
    if target:
        verdict = "  target < 0.5 s: " + (
            "MET" if max(walls) < 0.5 else
            "median MET, not every run" if statistics.median(walls) < 0.5 else "NOT MET")
    return (f"{name:<34} wall median {statistics.median(walls):.3f} s, worst {max(walls):.3f} s;"
            f" CPU median {statistics.median(cpus):.3f} s{verdict}")


def startup_figures(runs: int, rows: int = 1000) -> list[str]:
    """The benchmark's lines: one per process timed, after a line on the load."""
    env = {**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"), "DEBUG": "false"}
    work = Path(tempfile.mkdtemp(prefix="saferplaces-small-"))
    try:
        small = work / "street.csv"
        own = first_rows(small, rows)
        template = work / "template.sqlite3"
        byte_compile()
        template_env = {**env, "DATABASE_URL": f"sqlite:///{template}"}
        migrate(template_env)
        run_django(SETUP_PARTNERSHIP, {**template_env, "BENCH_OWN": json.dumps(own)})
        timings: dict[str, list[tuple[float, float]]] = {}
        for _ in range(runs):
            for name, argv, run_env in (
                    ('python -c "import django"', [sys.executable, "-c", "import django"], env),
                    ("saferplaces --help", [str(BIN / "saferplaces"), "--help"], env),
                    (f"crime import, {rows:,} rows",
                     [str(BIN / "saferplaces"), "crime", "import", str(small)],
                     fresh_copy(template, work / "run.sqlite3", env))):
                timings.setdefault(name, []).append(timed(argv, run_env))
        lines = [f"{runs} interleaved runs; load average {os.getloadavg()[0]:.1f} on "
                 f"{os.cpu_count()} CPUs; {len(own)} of the rows' LSOAs are the partnership's"]
        lines += [summary(name, results, target=not name.startswith("python"))
                  for name, results in timings.items()]
        return lines
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    print("\n".join(startup_figures(args.runs, args.rows)))


if __name__ == "__main__":
    main()
