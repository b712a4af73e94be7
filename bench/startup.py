"""Start-up time of the `saferplaces` console script: `saferplaces --help` and each command's and
sub-command's `--help`, as whole processes. Prints the worst of N runs, wall clock and CPU
(user + system; less disturbed than the wall clock when the machine is busy), next to a
process that only imports Django's management package, the floor every command stands on.

    .venv/bin/python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import sys

from processes import BIN, timed

COMMANDS = [
    ["--help"], ["demo", "--help"], ["serve", "--help"], ["migrate", "--help"],
    ["createadmin", "--help"], ["actions", "--help"], ["actions", "import", "--help"],
    ["geo", "--help"], ["geo", "import-boundaries", "--help"], ["crime", "--help"],
    ["crime", "summary", "--help"], ["crime", "hotspots", "--help"],
    ["crime", "weights", "--help"], ["indicators", "--help"],
    ["indicators", "import-values", "--help"], ["report", "--help"],
    ["report", "board", "--help"], ["reminders", "--help"],
]



def worst(argv: list[str], runs: int, env: dict[str, str]) -> tuple[float, float]:
    results = [timed(argv, env) for _ in range(runs)]
    return max(w for w, _ in results), max(c for _, c in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    env = {**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY", "bench")}
    print(f"worst of {runs} runs; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    floor = worst([sys.executable, "-c", "import django.core.management"], runs, env)
    show("python -c 'import django.core.management'", *floor)
    for args in COMMANDS:
        show("saferplaces " + " ".join(args), *worst([str(BIN / "saferplaces"), *args], runs, env))


def show(label: str, wall: float, cpu: float) -> None:
    print(f"{label:44} wall {wall:5.2f} s  cpu {cpu:5.2f} s")


if __name__ == "__main__":
    main()
