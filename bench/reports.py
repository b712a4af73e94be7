"""Report and scorecard benchmark: `python bench/reports.py` (or `make bench`). Prints figures.

1. Loads the demo into a fresh SQLite database and times building the demo board report PDF
   for 2020-Q3 (snapshot, HTML with charts as SVG, PDF with WeasyPrint) in-process, median of
   three runs. Target: under 5 s.
2. Serves the demo with gunicorn on 127.0.0.1 (a free port; 4 workers) and sends the
   scorecard page 20 concurrent requests at a time (20 threads, 15 requests each, logged in as
   the demo administrator), then reports the median and 95th percentile latency.
   Target: p95 under 300 ms.

All traffic stays on the loopback interface and the request loop is bounded.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-for-reports"
CLIENTS, REQUESTS_EACH = 20, 15
PERIOD = "2020-Q3"

REPORT = """
import os, json, time, django
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'saferplaces.settings')
django.setup()
from saferplaces.partnership.models import Partnership
from saferplaces.core import periods
from saferplaces.performance import report
partnership = Partnership.objects.get(slug='swp')
period = periods.parse_period(os.environ['BENCH_PERIOD'])
times, size = [], 0
for _ in range(3):
    start = time.perf_counter()
    snapshot = report.build_snapshot(partnership, period)
    pdf = report.render_pdf(report.render_html(snapshot))
    times.append(time.perf_counter() - start)
    size = len(pdf)
print(json.dumps({'times': times, 'bytes': size}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


def logged_in_opener(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": "swp-admin", "password": PASSWORD,
                                   "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data,
                                     headers={"Referer": f"{base}/accounts/login/"})
    opener.open(request, timeout=30).read()
    if not any(c.name == "sessionid" for c in jar):
        sys.exit("could not log in to the benchmark server")
    return opener


def wait_for(base: str, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            sys.exit("gunicorn stopped:\n" + process.stdout.read().decode()[-3000:])
        try:
            urllib.request.urlopen(f"{base}/health/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


def load_scorecard(base: str) -> list[float]:
    """CLIENTS threads, each logged in, each sending REQUESTS_EACH requests back to back."""
    url = f"{base}/p/swp/performance/?period={PERIOD}"
    openers = [logged_in_opener(base) for _ in range(CLIENTS)]
    for opener in openers[:4]:  # warm each worker's imports and caches
        opener.open(url, timeout=30).read()
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start_together = threading.Barrier(CLIENTS)

    def client(opener):
        start_together.wait()
        for _ in range(REQUESTS_EACH):
            started = time.perf_counter()
            try:
                with opener.open(url, timeout=30) as response:
                    body = response.read()
                    ok = response.status == 200 and b"Performance scorecard" in body
            except OSError as exc:
                ok, body = False, str(exc).encode()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    failures.append(body[:200].decode(errors="replace"))

    threads = [threading.Thread(target=client, args=(o,)) for o in openers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"{len(failures)} failed requests, e.g. {failures[0]}")
    return latencies


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="saferplaces-bench-reports-"))
    env = {**os.environ, "SECRET_KEY": "bench", "DEBUG": "false",
           "DATABASE_URL": f"sqlite:///{workdir / 'demo.sqlite3'}",
           "STATIC_ROOT": str(workdir / "static"), "BENCH_PERIOD": PERIOD}
    server = None
    try:
        print("Loading the demo into a fresh database...")
        run([sys.executable, "-m", "saferplaces.cli", "demo", "--password", PASSWORD], env)
        result = json.loads(run([sys.executable, "-c", REPORT], env).stdout.splitlines()[-1])
        median = statistics.median(result["times"])
        print(f"Board report PDF for {PERIOD} (snapshot, SVG charts, WeasyPrint): median "
              f"{median:.2f} s over 3 runs (runs: "
              f"{', '.join(f'{t:.2f}' for t in result['times'])}), {result['bytes']:,} bytes "
              f"(target < 5 s): {'MET' if median < 5 else 'NOT MET'}")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        run([sys.executable, "-m", "saferplaces.cli", "collectstatic", "--noinput", "-v0"], env)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "saferplaces.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "4", "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wait_for(base, server)
        latencies = sorted(load_scorecard(base))
        p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
        print(f"Scorecard page, {CLIENTS} concurrent clients x {REQUESTS_EACH} requests "
              f"against gunicorn (4 workers) on loopback: median "
              f"{statistics.median(latencies) * 1000:.0f} ms, p95 {p95:.0f} ms, max "
              f"{latencies[-1] * 1000:.0f} ms (target p95 < 300 ms): "
              f"{'MET' if p95 < 300 else 'NOT MET'}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
