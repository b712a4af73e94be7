"""Start-up of a 1,000-row `saferplaces crime import` (issue 7 point 10: under 0.5 s as a
whole process), with what it stands on, measured in the same run and interleaved:

- `python -c "import django"`: the interpreter and Django's package, the bare floor;
- `saferplaces --help`: the console script without Django set up;
- `saferplaces crime import` of the first 1,000 rows of the real West Yorkshire July 2017
  street file into a fresh copy of a migrated SQLite database (copied before each run, so no
  run includes migrations or replaces an earlier import).

Prints the median and worst wall clock of each, and CPU seconds (user + system: less
disturbed when other processes share the machine), with the load average.

    .venv/bin/python bench/small_import.py [--runs 7] [--rows 1000]
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STREET = ROOT.parent / "shared" / "data" / "policeuk" / "2017-07-west-yorkshire-street.csv.gz"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one whole process; exits the benchmark if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def first_rows(target: Path, rows: int) -> None:
    with gzip.open(STREET, "rt", encoding="utf-8", newline="") as source, \
            target.open("w", encoding="utf-8", newline="") as out:
        for _ in range(rows + 1):
            out.write(source.readline())


def fresh_database(template: Path, target: Path, env: dict[str, str]) -> dict[str, str]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return {**env, "DATABASE_URL": f"sqlite:///{target}"}


def report(name: str, results: list[tuple[float, float]]) -> None:
    walls = [w for w, _ in results]
    cpus = [c for _, c in results]
    target = "" if name.startswith("python") else (
        "  target < 0.5 s: " + ("MET" if max(walls) < 0.5 else
                                "median MET" if statistics.median(walls) < 0.5 else "NOT MET"))
    print(f"{name:<34} wall median {statistics.median(walls):.3f} s, worst {max(walls):.3f} s;"
          f" CPU median {statistics.median(cpus):.3f} s{target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    env = {**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench"), "DEBUG": "false"}
    work = Path(tempfile.mkdtemp(prefix="saferplaces-small-"))
    try:
        small = work / "street.csv"
        first_rows(small, args.rows)
        template = work / "template.sqlite3"
        # Byte-compiled first, as an installed package is (a PYTHONDONTWRITEBYTECODE shell
        # would otherwise time the compiler on every run).
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "saferplaces")],
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "saferplaces"), "migrate", "-v0"], check=True, cwd=ROOT,
                       env={**env, "DATABASE_URL": f"sqlite:///{template}"})
        runs: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for name, argv, run_env in (
                    ('python -c "import django"', [sys.executable, "-c", "import django"], env),
                    ("saferplaces --help", [str(BIN / "saferplaces"), "--help"], env),
                    (f"crime import, {args.rows:,} rows",
                     [str(BIN / "saferplaces"), "crime", "import", str(small)],
                     fresh_database(template, work / "run.sqlite3", env))):
                runs.setdefault(name, []).append(timed(argv, run_env))
        print(f"{args.runs} interleaved runs; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} CPUs")
        for name, results in runs.items():
            report(name, results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
