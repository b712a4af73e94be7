"""Ingestion benchmark: `python bench/ingest.py` (or `make bench`). Prints its figures.

1. Builds a police.uk-format street-level file of 1,000,000 rows by resampling the real West
   Yorkshire rows (tests/data/policeuk) across many forces' names and LSOA codes, so that the
   partnership's own area (Wolverhampton's 158 LSOAs, from the demo data) is a small share.
2. Times WHOLE PROCESSES (subprocess, wall clock), interleaved in each of --repeat rounds so
   that the ratios compare runs made at the same moment:
   (a) `saferplaces crime import` of the file into a fresh SQLite database (a copy of one
       migrated before any timing);
   (b) a plain pandas script: `pd.read_csv(path, dtype=str)` then `df.to_sql(...)` into a
       fresh SQLite database, no chunksize (what an analyst writes);
   (c) DuckDB reading the same file and grouping it by LSOA, month and crime type.
   Targets: (a) at least 3x faster than (b), and within 3x of (c). Medians and the worst
   round are printed.
3. PostgreSQL: when BENCH_DATABASE_URL names a PostgreSQL database (it is flushed!), times the
   same import there (COPY), after flushing and migrating outside the timing.
4. Start-up: `saferplaces --help` and a 1,000-row `crime import`, whole processes, as
   bench/small_import.py measures them; target under 0.5 s each.
5. With --files N (default 0): loads N such files and times `crime summary` for one CSP over
   36 months in-process (target: under 200 ms, median of 7 runs).

Timings are wall-clock on this machine and vary with its load; compare ratios within a run.
Tests never assert timings.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from processes import BIN, ROOT, fresh_copy, migrate, run_django, timed
from small_import import startup_figures

REAL = ROOT / "tests" / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"
WOLVERHAMPTON_LSOAS = ROOT / "saferplaces" / "demo" / "data" / "lsoa11_wolverhampton.geojson"
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")

PANDAS_SCRIPT = """
import sqlite3, sys
import pandas as pd
frame = pd.read_csv(sys.argv[1], dtype=str)
with sqlite3.connect(sys.argv[2]) as conn:
    frame.to_sql("street", conn, index=False)
"""

DUCKDB_SCRIPT = """
import sys
import duckdb
conn = duckdb.connect()
conn.execute("SET enable_progress_bar = false")
conn.execute('SELECT "LSOA code", "Month", "Crime type", count(*) FROM read_csv(?, '
             'header=true, all_varchar=true) GROUP BY ALL', [sys.argv[1]]).fetchall()
"""


def wolverhampton_lsoas() -> list[str]:
    if WOLVERHAMPTON_LSOAS.exists():
        data = json.loads(WOLVERHAMPTON_LSOAS.read_text())
        return sorted(f["properties"]["LSOA11CD"] for f in data["features"])
    return [f"E0101{n:04d}" for n in range(410, 568)]  # Wolverhampton's 2011 LSOA code range


def build_file(path: Path, rows: int, months: list[str], own: list[str], seed: int) -> None:
    """Resample the real rows as if they came from every force: each force gets its own block
    of about 750 LSOA codes (34,000 in all, like England and Wales), and a real row's LSOA is
    mapped into the block, so crimes cluster in LSOAs as they do in real data. About 1% of rows
    are West Midlands Police crimes in the partnership's own LSOAs. Rows are spread over
    `months`; Crime IDs are made unique."""
    from saferplaces.crime.formats import FORCES

    rng = random.Random(seed)
    with gzip.open(REAL, "rt", encoding="utf-8", newline="") as handle:
        real = list(csv.reader(handle))[1:]
    forces = sorted(f for f in FORCES.values() if f != "West Midlands Police")
    block = 34000 // len(forces)
    real_lsoas = sorted({r[7] for r in real if r[7]})
    slot = {code: i for i, code in enumerate(real_lsoas)}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADER.split(","))
        for i in range(rows):
            cells = list(real[rng.randrange(len(real))])
            own_area = rng.random() < 0.01
            force_index = rng.randrange(len(forces))
            force = "West Midlands Police" if own_area else forces[force_index]
            cells[1] = months[i % len(months)]
            cells[2] = cells[3] = force
            if cells[7]:
                if own_area:
                    code = own[slot[cells[7]] % len(own)]
                else:
                    code = f"E01{force_index * block + slot[cells[7]] % block:06d}"
                cells[7], cells[8] = code, f"Area {code[-5:]}"
            if cells[0]:
                cells[0] = f"{rng.getrandbits(128):032x}"
            writer.writerow(cells)



SETUP_PARTNERSHIP = """
from saferplaces.areas.models import Area, AreaLink
from saferplaces.partnership.models import Partnership
codes = json.loads(os.environ['BENCH_OWN'])
lad = Area.objects.create(level='lad', code='E08000031', name='Wolverhampton', vintage='2021')
for code in codes:
    lsoa = Area.objects.create(level='lsoa', code=code, name=code, vintage='2011')
    AreaLink.objects.create(child=lsoa, parent=lad, vintage='bench')
Partnership.objects.create(name='Bench', short_name='B', slug='b', area=lad,
                           police_force='West Midlands Police')
print(json.dumps({}))
"""

COUNTS = """
from saferplaces.crime.models import CrimeCount, CrimeRecord
print(json.dumps({'counts': CrimeCount.objects.count(), 'points': CrimeRecord.objects.count()}))
"""

SUMMARY = """
from saferplaces.crime.analytics import Scope, summarise
times = []
for _ in range(7):
    start = time.perf_counter()
    s = summarise(Scope.build(os.environ['BENCH_FROM'], os.environ['BENCH_TO'],
                              area_code='E08000031'), 'crime-type')
    times.append(time.perf_counter() - start)
print(json.dumps({'times': times, 'total': s.total.count}))
"""



def migrated_template(workdir: Path, env: dict) -> Path:
    """A SQLite database with every migration applied and the bench partnership: copied
    before each timed import, so that no timing includes migrations."""
    db = workdir / "template.sqlite3"
    db_env = {**env, "DATABASE_URL": f"sqlite:///{db}"}
    migrate(db_env)
    run_django(SETUP_PARTNERSHIP, db_env)
    return db



def import_command(path: Path) -> list[str]:
    return [str(BIN / "saferplaces"), "crime", "import", str(path)]


def spread(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s"


def bench_big(big: Path, template: Path, workdir: Path, env: dict, repeat: int) -> None:
    rounds = []
    for _ in range(repeat):
        db_env = fresh_copy(template, workdir / "import.sqlite3", env)
        a = timed(import_command(big), db_env)[0]
        counts = run_django(COUNTS, db_env)
        pandas_db = workdir / "pandas.sqlite3"
        pandas_db.unlink(missing_ok=True)
        b = timed([sys.executable, "-c", PANDAS_SCRIPT, str(big), str(pandas_db)])[0]
        c = timed([sys.executable, "-c", DUCKDB_SCRIPT, str(big)])[0]
        rounds.append((a, b, c))
        print(f"  round: import {a:.2f} s, pandas {b:.2f} s, DuckDB {c:.2f} s "
              f"(pandas/import {b / a:.1f}x, import/DuckDB {a / c:.1f}x)")
    imports, pandas, duck = ([r[i] for r in rounds] for i in range(3))
    faster = [b / a for a, b, _ in rounds]
    slower = [a / c for a, _, c in rounds]
    print(f"Whole processes, {repeat} rounds:")
    print(f"(a) saferplaces crime import: {spread(imports)}; {counts['counts']:,} count rows "
          f"and {counts['points']:,} points stored")
    print(f"(b) pandas read_csv + to_sql: {spread(pandas)}; import faster by median "
          f"{statistics.median(faster):.1f}x, worst round {min(faster):.1f}x (target >= 3x): "
          f"{verdict(faster, lambda r: r >= 3)}")
    print(f"(c) DuckDB read + group by:   {spread(duck)}; import takes median "
          f"{statistics.median(slower):.1f}x DuckDB, worst round {max(slower):.1f}x "
          f"(target <= 3x): {verdict(slower, lambda r: r <= 3)}")


def verdict(figures: list[float], meets) -> str:
    """MET when every round meets the target, 'median MET' when only the median does."""
    if all(meets(f) for f in figures):
        return "MET"
    return "median MET, not every round" if meets(statistics.median(figures)) else "NOT MET"


def bench_postgresql(big: Path, env: dict, repeat: int) -> None:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("PostgreSQL COPY: skipped (set BENCH_DATABASE_URL to a PostgreSQL database that "
              "may be flushed)")
        return
    pg_env = {**env, "DATABASE_URL": url}
    migrate(pg_env)
    times = []
    for _ in range(repeat):
        subprocess.run([str(BIN / "saferplaces"), "flush", "--no-input", "-v0"], env=pg_env,
                       check=True, cwd=ROOT)
        run_django(SETUP_PARTNERSHIP, pg_env)
        times.append(timed(import_command(big), pg_env)[0])
    print(f"PostgreSQL crime import (COPY), whole process: {spread(times)}")



def bench_summary(files: int, rows: int, own: list[str], template: Path, workdir: Path,
                  env: dict) -> None:
    print(f"Loading {files} x {rows:,} rows for the summary test...")
    paths = []
    for n in range(files):
        start_month = 2016 * 12 + n * 4
        span = [f"{(start_month + k) // 12}-{(start_month + k) % 12 + 1:02d}"
                for k in range(4)]
        path = workdir / f"street-{n}.csv"
        build_file(path, rows, span, own, seed=100 + n)
        paths.append(str(path))
    db_env = fresh_copy(template, workdir / "many.sqlite3", env)
    loaded = timed([*import_command(Path(paths[0]))[:-1], *paths], db_env)[0]
    print(f"  imported {files * rows:,} rows in {loaded:.1f} s (whole process)")
    timing = run_django(SUMMARY, {**db_env, "BENCH_FROM": "2016-07", "BENCH_TO": "2019-06"})
    median = statistics.median(timing["times"]) * 1000
    print(f"crime summary, one CSP (158 LSOAs), 36 months, by crime type: median "
          f"{median:.0f} ms over 7 runs (first {timing['times'][0] * 1000:.0f} ms) "
          f"(target < 200 ms): {'MET' if median < 200 else 'NOT MET'}; "
          f"{timing['total']:,} crimes summed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each timing")
    parser.add_argument("--files", type=int, default=0,
                        help="files of --rows rows for the summary test (0: skip it)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="saferplaces-bench-"))
    env = {**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"), "DEBUG": "false"}
    own = wolverhampton_lsoas()
    env["BENCH_OWN"] = json.dumps(own)
    try:
        print(f"Building a {args.rows:,}-row street file from the real West Yorkshire rows...")
        big = workdir / "street.csv"
        build_file(big, args.rows, ["2019-01", "2019-02"], own, seed=1)
        print(f"  {big.stat().st_size / 1e6:.0f} MB, 2 months, {len(own)} own LSOAs")
        template = migrated_template(workdir, env)
        bench_big(big, template, workdir, env, args.repeat)
        bench_postgresql(big, env, args.repeat)
        print("Start-up (bench/small_import.py):")
        print("\n".join(startup_figures(max(args.repeat, 5))))
        if args.files:
            bench_summary(args.files, args.rows, own, template, workdir, env)
    finally:
        if args.keep:
            print(f"Work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
