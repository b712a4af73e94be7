"""Strategic assessment benchmark: `python bench/assessment.py` (or `make bench`). Prints figures.

Loads the demo into a fresh SQLite database (not timed), then times one new process that
builds the demo's 2019/20 strategic assessment end to end: Django set-up and imports, the
snapshot (every section's figures), the HTML with charts as SVG, the PDF (WeasyPrint) and
the Word document (python-docx). The whole process's wall time is the figure judged.
Target: under 10 s. The PDF is left in the working directory to be looked at
(pdftoppm -png -r 45).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0

BUILD = """
import json, os, time, django
started = time.perf_counter()
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'saferplaces.settings')
django.setup()
from saferplaces.assessment import report
from saferplaces.assessment.models import Assessment
assessment = Assessment.objects.get(partnership__slug='swp', period='2019/20', version=1)
steps = {'setup': time.perf_counter() - started}
mark = time.perf_counter()
snapshot = report.build_snapshot(assessment)
steps['snapshot'] = time.perf_counter() - mark; mark = time.perf_counter()
html = report.render_html(snapshot)
steps['html'] = time.perf_counter() - mark; mark = time.perf_counter()
pdf = report.render_pdf(html)
steps['pdf'] = time.perf_counter() - mark; mark = time.perf_counter()
docx = report.render_docx(snapshot)
steps['docx'] = time.perf_counter() - mark
open(os.environ['BENCH_PDF'], 'wb').write(pdf)
print(json.dumps({'steps': steps, 'pdf_bytes': len(pdf), 'docx_bytes': len(docx),
                  'html_bytes': len(html)}))
"""


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="saferplaces-bench-assessment-"))
    env = {**os.environ, "SECRET_KEY": "bench", "DEBUG": "false",
           "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
           "BENCH_PDF": str(workdir / "assessment-2019-20.pdf")}
    keep = os.environ.get("BENCH_KEEP")
    try:
        print("Loading the demo into a fresh database (not timed)...")
        run([sys.executable, "-m", "saferplaces.cli", "demo", "--password", "bench-password"],
            env)
        started = time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = run([sys.executable, "-c", BUILD], env)
        whole = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime
                                                            - cpu_before.ru_stime)
        result = json.loads(done.stdout.splitlines()[-1])
        steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in
                          result["steps"].items())
        verdict = "meets" if whole < TARGET_SECONDS else "MISSES"
        print(f"Demo strategic assessment 2019/20 (snapshot + HTML + PDF + DOCX), whole "
              f"process: {whole:.2f} s ({verdict} the {TARGET_SECONDS:.0f} s target)")
        print(f"  CPU time of that process: {cpu:.2f} s; load average now "
              f"{os.getloadavg()[0]:.1f} (a shared machine stretches the wall time)")
        print(f"  steps: {steps}")
        print(f"  sizes: HTML {result['html_bytes']:,} bytes, PDF {result['pdf_bytes']:,}, "
              f"DOCX {result['docx_bytes']:,}")
        if keep:
            print(f"  PDF kept: {env['BENCH_PDF']}")
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
