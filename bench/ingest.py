"""Ingestion benchmark: `python bench/ingest.py` (or `make bench`). Prints its figures.

1. Builds a police.uk-format street-level file of 1,000,000 rows by resampling the real West
   Yorkshire rows (tests/data/policeuk) across many forces' names and LSOA codes, so that the
   partnership's own area (Wolverhampton's 158 LSOAs, from the demo data) is a small share.
2. Times, in the same run:
   (a) `saferplaces crime import` of it into a fresh SQLite database (in-process, after Django
       and the libraries have been imported, as they are for (b) and (c); the wall time of the
       whole process is printed too);
   (b) pandas `read_csv` + `to_sql` of the same file into another fresh SQLite database;
   (c) DuckDB reading the same file and grouping it by LSOA, month and crime type (the floor
       for parsing).
   Targets: (a) at least 3x faster than (b), and within 4x of (c). Database growth is reported
   in bytes per row.
3. Loads 10 million rows (ten such files, months shifted) and times `crime summary` for one
   CSP over 36 months (target: under 200 ms, median of 7 runs).

Timings are wall-clock on this machine; run it on a quiet machine. Tests never assert timings.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"
WOLVERHAMPTON_LSOAS = ROOT / "saferplaces" / "demo" / "data" / "lsoa11_wolverhampton.geojson"
HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")


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


def run_django(code: str, env: dict) -> dict:
    """Run Python with Django set up against env's database; the code prints a JSON result."""
    script = ("import os, django, json, time\n"
              "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'saferplaces.settings')\n"
              "django.setup()\n" + code)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"benchmark step failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


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

IMPORT = """
import io
from saferplaces.crime.commands.import_files import import_paths
# Library import time is left out of every timing, as for (b) and (c): pyarrow converts Python
# values through its pandas shim, which imports pandas on first use.
import pandas, pyarrow.compute
out, err = io.StringIO(), io.StringIO()
start = time.perf_counter()
code = import_paths(json.loads(os.environ['BENCH_FILES']), out, err)
elapsed = time.perf_counter() - start
from saferplaces.crime.models import CrimeCount, CrimeRecord
print(json.dumps({'seconds': elapsed, 'code': code, 'err': err.getvalue()[-500:],
                  'counts': CrimeCount.objects.count(), 'points': CrimeRecord.objects.count()}))
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


def fresh_db(workdir: Path, name: str, env: dict) -> tuple[Path, dict]:
    db = workdir / f"{name}.sqlite3"
    env = {**env, "DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([sys.executable, "-m", "saferplaces.cli", "migrate", "-v0"], env=env,
                   check=True, cwd=ROOT)
    run_django(SETUP_PARTNERSHIP, env)
    return db, env


def bench_pandas(path: Path, workdir: Path) -> float:
    import pandas as pd

    db = workdir / "pandas.sqlite3"
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    frame = pd.read_csv(path, dtype=str)
    with sqlite3.connect(db) as conn:
        frame.to_sql("street", conn, index=False, chunksize=100_000)
    return time.perf_counter() - start


def bench_duckdb(path: Path) -> float:
    import duckdb

    start = time.perf_counter()
    conn = duckdb.connect()
    conn.execute(
        f"SELECT \"LSOA code\", \"Month\", \"Crime type\", count(*) FROM read_csv('{path}', "
        "header=true, all_varchar=true) GROUP BY ALL").fetchall()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=10, help="files for the summary test")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (median)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="saferplaces-bench-"))
    env = {**os.environ, "SECRET_KEY": "bench", "DEBUG": "false"}
    own = wolverhampton_lsoas()
    env["BENCH_OWN"] = json.dumps(own)
    try:
        print(f"Building a {args.rows:,}-row street file from the real West Yorkshire rows...")
        months = ["2019-01", "2019-02"]
        big = workdir / "street.csv"
        build_file(big, args.rows, months, own, seed=1)
        print(f"  {big.stat().st_size / 1e6:.0f} MB, {len(months)} months, "
              f"{len(own)} own LSOAs")

        runs, walls = [], []
        for attempt in range(args.repeat):
            db, db_env = fresh_db(workdir, f"import-{attempt}", env)
            before = db.stat().st_size + _wal(db)
            wall = time.perf_counter()
            result = run_django(IMPORT, {**db_env, "BENCH_FILES": json.dumps([str(big)])})
            walls.append(time.perf_counter() - wall)
            if result["code"] != 0:
                sys.exit(f"import failed: {result['err']}")
            growth = db.stat().st_size + _wal(db) - before
            runs.append(result["seconds"])
            db.unlink()
        a = statistics.median(runs)
        b = statistics.median(bench_pandas(big, workdir) for _ in range(args.repeat))
        c = statistics.median(bench_duckdb(big) for _ in range(args.repeat))
        print(f"Medians of {args.repeat} runs each:")
        print(f"(a) saferplaces crime import: {a:.2f} s in-process (runs: "
              f"{', '.join(f'{r:.2f}' for r in runs)}; {statistics.median(walls):.2f} s for the "
              f"whole process, including Django start-up); {result['counts']:,} count rows "
              f"and {result['points']:,} points stored")
        print(f"(b) pandas read_csv + to_sql: {b:.2f} s  -> import is {b / a:.1f}x faster "
              f"(target >= 3x): {'MET' if b / a >= 3 else 'NOT MET'}")
        print(f"(c) DuckDB read + group by:   {c:.2f} s  -> import is {a / c:.1f}x DuckDB "
              f"(target <= 4x): {'MET' if a / c <= 4 else 'NOT MET'}")
        print(f"Database growth: {growth:,} bytes, {growth / args.rows:.1f} bytes per "
              "source row")

        print(f"Loading {args.files} x {args.rows:,} rows for the summary test...")
        files = []
        for n in range(args.files):
            start_month = 2016 * 12 + n * 4
            span = [f"{(start_month + k) // 12}-{(start_month + k) % 12 + 1:02d}"
                    for k in range(4)]
            path = workdir / f"street-{n}.csv"
            build_file(path, args.rows, span, own, seed=100 + n)
            files.append(str(path))
        db2, env2 = fresh_db(workdir, "ten-million", env)
        loaded = run_django(IMPORT, {**env2, "BENCH_FILES": json.dumps(files)})
        print(f"  imported {args.files * args.rows:,} rows in {loaded['seconds']:.1f} s "
              f"({loaded['counts']:,} count rows)")
        timing = run_django(SUMMARY, {**env2, "BENCH_FROM": "2016-07", "BENCH_TO": "2019-06"})
        median = statistics.median(timing["times"]) * 1000
        print(f"crime summary, one CSP (158 LSOAs), 36 months, by crime type: median "
              f"{median:.0f} ms over 7 runs (first {timing['times'][0] * 1000:.0f} ms) "
              f"(target < 200 ms): {'MET' if median < 200 else 'NOT MET'}; "
              f"{timing['total']:,} crimes summed")
    finally:
        if args.keep:
            print(f"Work folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _wal(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


if __name__ == "__main__":
    main()
