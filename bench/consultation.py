"""Public survey benchmark: `python bench/consultation.py` (or `make bench`). Prints figures.

Loads the demo (without the evidence base) into a fresh SQLite database, opens a consultation
with four questions, serves it with gunicorn on 127.0.0.1 (a free port; 4 workers) and lets
100 anonymous respondents answer it concurrently: each fetches the survey, sends it back and
follows the redirect to the confirmation. Two runs:
- paced (judged against the target): the 100 arrive at random over 20 s and each takes 5 to
  20 s to fill the survey in (the product refuses a survey sent in under 5 s, the minimum fill
  time), so all 100 are answering at the same time, as on a busy evening;
- burst (a stress figure, not the target): all 100 fetch at the same instant and send straight
  back (minimum fill time 0), so requests queue behind the 4 workers.
Reports the median and 95th percentile time per page, the errors, and whether every response
sent was stored exactly once (count in the database equal to the responses sent). Targets:
p95 under 300 ms per page, zero errors, counts equal.
The same runs are then made against PostgreSQL: the database BENCH_DATABASE_URL names (it
is flushed), else a throwaway cluster started for the run as /tmp/pgtest.sh and
bench/load.py start one (skipped when PostgreSQL is not installed).

The spam defences are set for the run: all respondents share the loopback address, so the
per-client limit is raised (CONSULTATION_RATE_LIMIT); the minimum fill time is 5 s in the
paced run and 0 in the burst.
All traffic stays on the loopback interface and the request loop is bounded.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reports import free_port, run, wait_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESPONDENTS = 100

SETUP = """
import json, os, datetime, django
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'saferplaces.settings')
django.setup()
from saferplaces.consultation import services
from saferplaces.consultation.models import (Consultation, QuestionOption, SurveyQuestion,
                                             SurveySection)
from saferplaces.partnership.models import Partnership
partnership = Partnership.objects.get(slug='swp')
consultation = Consultation.objects.create(
    partnership=partnership, title='Benchmark survey', purpose='Load test.', subject='Load',
    opens_on=datetime.date(2021, 1, 4), closes_on=datetime.date(2021, 3, 29))
version = services.draft_version(consultation)
section = SurveySection.objects.create(version=version, number=1, title='Views')
for number, (kind, options) in enumerate([
        ('single', ['Yes', 'No']), ('multiple', ['A', 'B', 'C', 'D']),
        ('likert', ['Strongly agree', 'Agree', 'Neither', 'Disagree', 'Strongly disagree']),
        ('text', [])], start=1):
    q = SurveyQuestion.objects.create(section=section, number=number, kind=kind,
                                      text=f'Question {number}', required=kind == 'single')
    QuestionOption.objects.bulk_create(QuestionOption(question=q, number=n, label=label)
                                       for n, label in enumerate(options, start=1))
services.change_status(consultation, 'open')
print(json.dumps({'pk': consultation.pk}))
"""

COUNT = """
import json, os, django
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'saferplaces.settings')
django.setup()
from saferplaces.consultation.models import Response
pk = int(os.environ['BENCH_CONSULTATION'])
responses = Response.objects.filter(consultation_id=pk)
print(json.dumps({'responses': responses.count(),
                  'references': responses.values('reference').distinct().count()}))
"""

FIELD = re.compile(r'name="(q\d+)" value="(\d+)"')


def respondent(base: str, url: str, number: int, latencies: list, failures: list,
               lock: threading.Lock, start_together: threading.Barrier, paced: bool) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    pace = random.Random(number)
    start_together.wait()
    timings = []
    try:
        if paced:
            time.sleep(pace.uniform(0, 20))  # arriving

        started = time.perf_counter()
        page = opener.open(url, timeout=60).read().decode()
        timings.append(time.perf_counter() - started)
        data = {"csrfmiddlewaretoken": re.search(
                    r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1),
                "started": re.search(r'name="started" value="([^"]+)"', page).group(1),
                "consent": "on", "website": ""}
        chosen: dict[str, list[str]] = {}
        for name, value in FIELD.findall(page):
            chosen.setdefault(name, []).append(value)
        for name, values in chosen.items():
            data[name] = values[number % len(values)]
        text_field = re.search(r'<textarea name="(q\d+)"', page)
        if text_field:
            data[text_field.group(1)] = f"Respondent {number}"
        if paced:
            time.sleep(pace.uniform(5, 20))  # filling the survey in
        request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(),
                                         headers={"Referer": url})
        started = time.perf_counter()
        with opener.open(request, timeout=60) as response:  # follows the redirect
            body = response.read().decode()
        timings.append(time.perf_counter() - started)
        ok = "Your reference number is" in body
        problem = "" if ok else body[:300]
    except (OSError, AttributeError) as exc:
        ok, problem = False, str(exc)
    with lock:
        latencies.extend(timings)
        if not ok:
            failures.append(problem)


def load(base: str, pk: int, paced: bool) -> tuple[list[float], list[str]]:
    url = f"{base}/consult/swp/{pk}/"
    for _ in range(4):  # warm each worker's imports
        urllib.request.urlopen(url, timeout=30).read()
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start_together = threading.Barrier(RESPONDENTS)
    threads = [threading.Thread(target=respondent,
                                args=(base, url, n, latencies, failures, lock, start_together,
                                      paced))
               for n in range(RESPONDENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures


def bench(label: str, env: dict, paced: bool) -> None:
    mode = "paced" if paced else "burst"
    env = {**env, "CONSULTATION_MIN_FILL_SECONDS": "5" if paced else "0"}
    server = None
    try:
        print(f"{label}: loading the demo (no evidence) into a fresh database...")
        run([sys.executable, "-m", "saferplaces.cli", "demo", "--skip-evidence", "--password",
             "bench-password-consultation"], env)
        pk = json.loads(run([sys.executable, "-c", SETUP], env).stdout.splitlines()[-1])["pk"]
        run([sys.executable, "-m", "saferplaces.cli", "collectstatic", "--noinput", "-v0"], env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "saferplaces.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "4", "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wait_for(base, server)
        latencies, failures = load(base, pk, paced)
        stored = json.loads(run([sys.executable, "-c", COUNT],
                                {**env, "BENCH_CONSULTATION": str(pk)}).stdout.splitlines()[-1])
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
        sent = RESPONDENTS - len(failures)
        exact = stored["responses"] == sent == stored["references"]
        verdict = ("MET" if p95 < 300 and not failures and exact else "NOT MET") if paced \
            else ("stress figure, no target" if not failures and exact else "ERRORS")
        print(f"{label}, {mode}: {RESPONDENTS} concurrent respondents (survey page, then send "
              f"and confirmation) against gunicorn (4 workers) on loopback: "
              f"{len(latencies)} pages, "
              f"median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95:.0f} ms, max "
              f"{latencies[-1] * 1000:.0f} ms; {len(failures)} errors; {stored['responses']} "
              f"responses stored for {sent} sent (target p95 < 300 ms, 0 errors, equal): "
              f"{verdict}")
        if failures:
            print(f"  first error: {failures[0]}")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:  # a loaded machine: stop it the hard way
                server.kill()
                server.wait()


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="saferplaces-bench-consultation-"))
    base_env = {**os.environ, "SECRET_KEY": "bench", "DEBUG": "false",
                "STATIC_ROOT": str(workdir / "static"),
                "CONSULTATION_RATE_LIMIT": "100000"}
    try:
        for paced in (True, False):
            database = workdir / f"consultation-{'paced' if paced else 'burst'}.sqlite3"
            bench("SQLite", {**base_env, "DATABASE_URL": f"sqlite:///{database}"}, paced)
        bench_postgresql(base_env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def bench_postgresql(base_env: dict) -> None:
    postgres = os.environ.get("BENCH_DATABASE_URL", "")
    throwaway = None
    if not postgres.startswith(("postgres://", "postgresql://")):
        if not list(Path("/usr/lib/postgresql").glob("*/bin")):
            print("PostgreSQL: skipped (not installed; or set BENCH_DATABASE_URL to a "
                  "database that may be flushed)")
            return
        from load import ThrowawayPostgres

        print("PostgreSQL: starting a throwaway cluster...")
        throwaway = ThrowawayPostgres()
        postgres = throwaway.url
    try:
        env = {**base_env, "DATABASE_URL": postgres}
        run([sys.executable, "-m", "saferplaces.cli", "migrate", "-v0"], env)
        for paced in (True, False):
            run([sys.executable, "-m", "saferplaces.cli", "flush", "--noinput"], env)
            bench("PostgreSQL", env, paced)
    finally:
        if throwaway is not None:
            throwaway.stop()


if __name__ == "__main__":
    main()
