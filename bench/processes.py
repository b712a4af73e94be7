"""What the benchmarks share: timing whole processes, fresh database copies, running a snippet
with Django set up, and byte-compiling the package before timing it."""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(argv: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system: less disturbed when other processes share the
    machine) of one whole process; exits the benchmark, with its stderr, if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fresh_copy(template: Path, target: Path, env: dict) -> dict:
    """`env` pointed at a new copy of the SQLite database `template` (no -wal or -shm left)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, target)
    return {**env, "DATABASE_URL": f"sqlite:///{target}"}


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


def migrate(database_env: dict) -> None:
    subprocess.run([str(BIN / "saferplaces"), "migrate", "-v0"], env=database_env, check=True,
                   cwd=ROOT)


def byte_compile() -> None:
    """Byte-compile the package, as an installed one is: a PYTHONDONTWRITEBYTECODE shell would
    otherwise time the compiler on every run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "saferplaces")],
                   check=True, capture_output=True)
