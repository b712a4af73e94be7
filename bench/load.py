"""Load figures (issue 9, point 12): `python bench/load.py`. Prints figures; asserts nothing.

For each database asked for (SQLite, and PostgreSQL: a throwaway cluster started here, or the
empty database named by --database-url), it:

1. loads the demo (with its evidence) into a fresh database and adds 55 bench logins: 50
   readers (administrators, officers of several organisations and board members) and 5
   writers (officers of the council and the police, who lead actions and own indicators);
2. starts `saferplaces serve` (gunicorn) on a free loopback port;
3. logs every user in through the real login form (CSRF token and cookie, as a browser does;
   each login once, with the right password, so login throttling never triggers);
4. for --duration seconds, the 50 readers browse the dashboard, the action plan, an action,
   the scorecard, the evidence page and the ward map with the GeoJSON its script fetches (the
   charts' Vega-Lite specs are inside the pages), each waiting a think time between pages;
   the 5 writers post action updates and submit indicator values through the forms;
5. prints p50/p95/max per page, the errors, and the updates and values stored (counted in the
   database afterwards) against the number sent; beside them, from the Server-Timing header
   the server sends (SERVER_TIMING on), the time inside Django, its CPU and database time, and
   the time spent outside it (gunicorn's queue, waiting for a CPU), then the CPU all requests
   used and the machine's load average: on a shared machine, compare within one run.

The client is threads with `http.client`, one thread per user: 55 users need no more, the
standard library has all it needs, and it times each request from send to last byte. (Locust
would add gevent and a web UI for the same numbers.) Targets: p95 under 500 ms per page, zero
errors, stored == sent.

    python bench/load.py [--databases sqlite,postgresql] [--database-url URL]
                         [--duration 120] [--readers 50] [--writers 5] [--workers 4]
                         [--think 5-15] [--code DIR]

Think time: each user reads a page for 5 to 15 seconds (uniformly) before the next, as people
do; 50 users then ask for about 5 pages a second, already the traffic of a partnership's
whole staff at once. `--think 1-3` (25 pages a second) is a stress test of the same server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-load-password-1"
MARKER = "bench-load"
TARGET_P95_MS = 500
PAGES = ["dashboard", "plan", "action", "scorecard", "evidence", "map", "map geojson"]

SETUP = """
import json, os, django
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'saferplaces.settings')
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from saferplaces.partnership.models import Membership, Organisation, Partnership
from saferplaces.performance.models import Indicator
from saferplaces.strategy.models import Action, ActionPlan

readers, writers = int(os.environ['BENCH_READERS']), int(os.environ['BENCH_WRITERS'])
partnership = Partnership.objects.get(slug='swp')
organisations = {o.short_name: o for o in Organisation.objects.filter(partnership=partnership)}
password = make_password(os.environ['BENCH_PASSWORD'])  # hashed once for every login
User = get_user_model()

def login(name, role, organisation=None):
    user, _ = User.objects.update_or_create(username=name, defaults={'password': password})
    Membership.objects.update_or_create(user=user, partnership=partnership, defaults={
        'role': role, 'organisation': organisations.get(organisation)})
    return name

reader_kinds = [('admin', 'CWC'), ('officer', 'CWC'), ('officer', 'WMP'), ('officer', 'WMFS'),
                ('board', None)]
reader_names = [login(f'bench-reader-{i:02d}', *reader_kinds[i % len(reader_kinds)])
                for i in range(readers)]
plan = ActionPlan.objects.get(strategy__partnership=partnership, year=2020)
writer_list = []
for i in range(writers):
    organisation = ['CWC', 'WMP'][i % 2]
    org = organisations[organisation]
    writer_list.append({
        'username': login(f'bench-writer-{i}', 'officer', organisation),
        'actions': list(Action.objects.filter(plan=plan, lead_organisation=org)
                        .exclude(status='complete').values_list('pk', flat=True)),
        'indicators': list(Indicator.objects.filter(partnership=partnership, owner=org,
                                                    source='submitted')
                           .values_list('code', flat=True)),
        'period': f'{2010 + i}-Q1'})
print(json.dumps({'slug': partnership.slug, 'plan': plan.pk,
                  'actions': list(plan.actions.values_list('pk', flat=True)),
                  'readers': reader_names, 'writers': writer_list}))
"""

COUNT_STORED = """
import json, os, django
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'saferplaces.settings')
django.setup()
from saferplaces.performance.models import IndicatorValue
from saferplaces.strategy.models import ActionUpdate
marker = os.environ['BENCH_MARKER']
print(json.dumps({
    'updates': ActionUpdate.objects.filter(narrative__startswith=marker).count(),
    'values': IndicatorValue.history.filter(commentary__startswith=marker).count()}))
"""


# --------------------------------------------------------------------------------------------
# A logged-in browser, minus the browser


class Failed(Exception):
    """A request that did not answer as a browser user expects."""


class Client:
    """One user: cookies (session and CSRF) kept across requests; one connection per request
    (gunicorn's sync workers close the connection after each response)."""

    def __init__(self, host: str, port: int, timeout: float = 60) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.server_timing: dict[str, float] = {}  # of the last response

    def request(self, method: str, path: str, form: dict | None = None,
                expect: int = 200) -> bytes:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "saferplaces-bench-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        except OSError as exc:
            raise Failed(f"{method} {path}: {exc}") from exc
        finally:
            connection.close()
        self.server_timing = parse_server_timing(response.headers.get("Server-Timing", ""))
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status != expect:
            raise Failed(f"{method} {path}: {response.status} (expected {expect})")
        return data

    def csrf_form(self, path: str, fields: dict) -> dict:
        """`fields` with the CSRF token of the form on the page at `path`."""
        page = self.request("GET", path).decode()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if match is None:
            raise Failed(f"GET {path}: no form with a CSRF token")
        return {"csrfmiddlewaretoken": match.group(1), **fields}

    def log_in(self, username: str) -> None:
        form = self.csrf_form("/accounts/login/", {"username": username,
                                                   "password": PASSWORD})
        self.request("POST", "/accounts/login/", form, expect=302)
        if "sessionid" not in self.cookies:
            raise Failed(f"login of {username} refused")


def parse_server_timing(header: str) -> dict[str, float]:
    """{"app": 212.4, "cpu": 198.0, "db": 9.1} (milliseconds) from a Server-Timing header."""
    found = {}
    for metric in header.split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        for param in params:
            if param.startswith("dur="):
                found[name] = float(param[4:])
    return found


# --------------------------------------------------------------------------------------------
# The load


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    # Server-Timing of the same requests: page -> "app"/"cpu"/"db" -> milliseconds
    server: dict[str, dict[str, list[float]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    errors: list[str] = field(default_factory=list)
    warm_up_errors: list[str] = field(default_factory=list)
    updates_sent: int = 0
    values_sent: int = 0
    client_cpu: float = 0.0  # seconds of CPU this process used while loading
    load_average: tuple[float, float] = (0.0, 0.0)  # the machine's, at start and end
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)

    def timed(self, page: str, client: Client, *request, **options) -> bytes | None:
        """The body of `client.request(*request, **options)`, timed under `page`; None (and
        an error recorded) if it failed."""
        started = time.perf_counter()
        try:
            data = client.request(*request, **options)
        except Failed as exc:
            self.error(f"{page}: {exc}")
            return None
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[page].append(elapsed)
            for name, milliseconds in client.server_timing.items():
                self.server[page][name].append(milliseconds)
            if "app" in client.server_timing:
                self.server[page]["outside"].append(elapsed * 1000
                                                    - client.server_timing["app"])
        return data


def reader_paths(world: dict) -> dict[str, callable]:
    base = f"/p/{world['slug']}"
    return {
        "dashboard": lambda: f"{base}/",
        "plan": lambda: f"{base}/plans/{world['plan']}/",
        "action": lambda: f"{base}/actions/{random.choice(world['actions'])}/",
        "scorecard": lambda: f"{base}/performance/",
        "evidence": lambda: f"{base}/evidence/",
        "map": lambda: f"{base}/evidence/map/",
    }


def geojson_path(page: bytes) -> str:
    match = re.search(rb'data-geojson="([^"]+)"', page)
    if match is None:
        raise Failed("the ward map page has no data-geojson link")
    return match.group(1).decode().replace("&amp;", "&")


def arrive(think: tuple[float, float]) -> None:
    """Wait a random part of a think time before the first page, so that the users' requests
    are spread out from the start as they are later (people do not click in step); without
    it all 55 first requests reach the server in the same millisecond, a burst that never
    recurs and that alone set the p95 of a 60 s run."""
    time.sleep(random.uniform(0, think[1]))


def read_pages(client: Client, world: dict, results: Results, stop: float,
               think: tuple[float, float]) -> None:
    paths = reader_paths(world)
    order = list(paths)
    random.shuffle(order)
    arrive(think)
    while time.monotonic() < stop:
        for page in order:
            if time.monotonic() >= stop:
                return
            path = paths[page]()
            data = results.timed(page, client, "GET", path)
            if page == "map" and data is not None:
                try:
                    url = geojson_path(data)
                except Failed as exc:
                    results.error(f"map: {exc}")
                else:
                    results.timed("map geojson", client, "GET", url)
            time.sleep(random.uniform(*think))


def write(client: Client, world: dict, writer: dict, results: Results, stop: float,
          think: tuple[float, float]) -> None:
    base = f"/p/{world['slug']}"
    number = 0
    arrive(think)
    while time.monotonic() < stop:
        number += 1
        action = random.choice(writer["actions"])
        narrative = f"{MARKER} {writer['username']} #{number}"
        form = None
        try:
            form = client.csrf_form(f"{base}/actions/{action}/", {
                "date": "2021-02-01", "status": "on_track", "progress": "",
                "narrative": narrative})
        except Failed as exc:
            results.error(f"post update (form): {exc}")
        if form is not None:
            with results.lock:
                results.updates_sent += 1
            results.timed("post update", client, "POST", f"{base}/actions/{action}/updates/",
                          form, expect=302)
        time.sleep(random.uniform(*think))
        code = random.choice(writer["indicators"])
        form = None
        try:
            form = client.csrf_form(f"{base}/performance/indicators/{code}/", {
                "period": writer["period"], "value": str(100 + number),
                "numerator": "", "denominator": "", "commentary": narrative})
        except Failed as exc:
            results.error(f"submit value (form): {exc}")
        if form is not None:
            with results.lock:
                results.values_sent += 1
            results.timed("submit value", client, "POST",
                          f"{base}/performance/indicators/{code}/submit/", form, expect=302)
        time.sleep(random.uniform(*think))


def warm_up(clients: list[Client], world: dict, results: Results) -> None:
    """Each page once from as many users at once as there are workers, untimed: a worker's
    first evidence page imports the statistics and chart libraries (seconds of CPU), which
    is start-up, not load. Failures are counted apart."""
    for page, path in reader_paths(world).items():
        threads = []
        for client in clients:
            warm = Client(client.host, client.port, timeout=300)
            warm.cookies = client.cookies
            threads.append(threading.Thread(target=_warm, args=(warm, page, path(), results)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def _warm(client: Client, page: str, path: str, results: Results) -> None:
    try:
        data = client.request("GET", path)
        if page == "map":
            client.request("GET", geojson_path(data))
    except Failed as exc:
        with results.lock:
            results.warm_up_errors.append(f"{page}: {exc}")


def drive(host: str, port: int, world: dict, duration: float,
          think: tuple[float, float], workers: int) -> Results:
    results = Results()
    readers = [Client(host, port) for _ in world["readers"]]
    writers = [Client(host, port) for _ in world["writers"]]
    names = world["readers"] + [w["username"] for w in world["writers"]]
    with ThreadPoolExecutor(max_workers=4) as pool:  # each login hashes a password: CPU
        list(pool.map(Client.log_in, readers + writers, names))
    print(f"  logged in {len(readers)} readers and {len(writers)} writers; warming up...",
          flush=True)
    warm_up(readers[:workers], world, results)
    print(f"  loading for {duration:.0f} s...", flush=True)
    cpu_before, load_before = time.process_time(), os.getloadavg()[0]
    stop = time.monotonic() + duration
    threads = [threading.Thread(target=read_pages, args=(c, world, results, stop, think))
               for c in readers]
    threads += [threading.Thread(target=write, args=(c, world, w, results, stop, think))
                for c, w in zip(writers, world["writers"], strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.client_cpu = time.process_time() - cpu_before
    results.load_average = (load_before, os.getloadavg()[0])
    return results


# --------------------------------------------------------------------------------------------
# Databases and the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict, code: Path = ROOT) -> str:
    done = subprocess.run(args, env=env, cwd=code, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:4])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, as /tmp/pgtest.sh and .ci/run start one
    (as the postgres system user when run as root, since initdb refuses root)."""

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
        if not bins:
            raise SystemExit("PostgreSQL is not installed (/usr/lib/postgresql/*/bin): give "
                             "--database-url or --databases sqlite")
        self.bin = bins[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="saferplaces-load-pg-"))
        self.port = free_port()
        self.as_user: list[str] = []
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._pg("initdb", "-D", f"{self.dir}/data", "-U", "saferplaces", "--auth=trust",
                 "-E", "UTF8")
        self._pg("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                 "-c max_connections=200", "start")
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "saferplaces",
                 "saferplaces")
        self.url = f"postgres://saferplaces@127.0.0.1:{self.port}/saferplaces"

    def _pg(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bin / tool), *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", f"{self.dir}/data",
                        "-m", "fast", "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_for(port: int, server: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("the server stopped:\n" + log.read_text()[-3000:])
        try:
            Client("127.0.0.1", port).request("GET", "/health/")
            return
        except Failed:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def bench_one(label: str, database_url: str, options: argparse.Namespace,
              workdir: Path) -> dict:
    env = {**os.environ, "SECRET_KEY": "bench-load", "DEBUG": "false", "SERVER_TIMING": "true",
           "DATABASE_URL": database_url, "STATIC_ROOT": str(workdir / "static"),
           "BENCH_PASSWORD": PASSWORD, "BENCH_MARKER": MARKER,
           "BENCH_READERS": str(options.readers), "BENCH_WRITERS": str(options.writers)}
    print(f"{label}: loading the demo into a fresh database...", flush=True)
    code = options.code
    run([sys.executable, "-m", "saferplaces.cli", "demo", "--password", PASSWORD], env, code)
    world = json.loads(run([sys.executable, "-c", SETUP], env, code).splitlines()[-1])
    port = free_port()
    log = workdir / f"serve-{label}.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "saferplaces.cli", "serve", "--port", str(port),
             "--workers", str(options.workers)],
            env=env, cwd=code, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        wait_for(port, server, log)
        results = drive("127.0.0.1", port, world, options.duration, options.think,
                        options.workers)
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # serve and the gunicorn it started
        server.wait(timeout=30)
    stored = json.loads(run([sys.executable, "-c", COUNT_STORED], env, code).splitlines()[-1])
    return {"label": label, "results": results, "stored": stored,
            "server_errors": server_errors(log.read_text())}


def server_errors(log: str) -> list[str]:
    """The last line of each traceback in the server's log: what a 500 was."""
    errors, in_traceback = [], False
    for line in log.splitlines():
        if line.startswith("Traceback"):
            in_traceback = True
        elif in_traceback and not line.startswith(" "):
            errors.append(line)
            in_traceback = False
    return errors


# --------------------------------------------------------------------------------------------
# Figures


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of an already sorted list."""
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def print_figures(run_: dict, options: argparse.Namespace) -> None:
    results: Results = run_["results"]
    print(f"\n{run_['label']}: {options.readers} readers + {options.writers} writers, "
          f"{options.duration:.0f} s, think {options.think[0]:.1f}-{options.think[1]:.1f} s, "
          f"gunicorn {options.workers} workers"
          + ("" if options.code == ROOT else f", serving {options.code}"))
    print(f"  {'':<14} {'':>8} {'as the client saw it (ms)':^27}          "
          f"{'inside Django (ms, Server-Timing)':^38}")
    print(f"  {'page':<14} {'requests':>8} {'p50':>8} {'p95':>8} {'max':>8}  {'target':<7}  "
          f"{'app p50':>8} {'app p95':>8} {'cpu p50':>8} {'db p50':>7} {'outside p95':>11}")
    total = 0
    for page in [*PAGES, "post update", "submit value"]:
        times = sorted(results.latencies.get(page, []))
        if not times:
            print(f"  {page:<14} {0:>8}")
            continue
        total += len(times)
        p95 = percentile(times, 0.95) * 1000
        print(f"  {page:<14} {len(times):>8} {statistics.median(times) * 1000:>8.0f} "
              f"{p95:>8.0f} {times[-1] * 1000:>8.0f}  "
              f"{'met' if p95 < TARGET_P95_MS else 'NOT MET':<7}  "
              + server_columns(results.server.get(page, {})))
    print(f"  {total} requests, {total / options.duration:.1f} per second; "
          f"errors: {len(results.errors)}")
    print("  app: time inside Django; cpu: of which the worker had a CPU; outside: the client's "
          "time less app (gunicorn's queue, the network, waiting for a CPU).")
    server_cpu = sum(sum(by_name.get("cpu", [])) for by_name in results.server.values()) / 1000
    print(f"  CPU over the {options.duration:.0f} s: the server's requests {server_cpu:.1f} s "
          f"({server_cpu / options.duration:.2f} of a core), this client "
          f"{results.client_cpu:.1f} s; the machine's load average "
          f"{results.load_average[0]:.1f} at the start, {results.load_average[1]:.1f} at the end "
          f"on {os.cpu_count()} cores.")
    if results.warm_up_errors:
        print(f"  warm-up errors (not counted above): {len(results.warm_up_errors)}, e.g. "
              f"{results.warm_up_errors[0]}")
    for error in results.errors[:10]:
        print(f"    {error}")
    for error in sorted(set(run_["server_errors"])):
        print(f"    server log: {error}")
    stored = run_["stored"]
    for what, sent in [("updates", results.updates_sent), ("values", results.values_sent)]:
        print(f"  {what} posted: {sent}, stored: {stored[what]} "
              f"({'equal' if sent == stored[what] else 'NOT EQUAL'})")


def server_columns(server: dict[str, list[float]]) -> str:
    """app p50/p95, cpu p50, db p50 and outside p95 (ms) of one page's Server-Timing."""
    if not server.get("app"):
        return "(no Server-Timing header)"
    app, outside = sorted(server["app"]), sorted(server["outside"])
    return (f"{statistics.median(app):>8.0f} {percentile(app, 0.95):>8.0f} "
            f"{statistics.median(server['cpu']):>8.0f} {statistics.median(server['db']):>7.0f} "
            f"{percentile(outside, 0.95):>11.0f}")


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="Which to bench, comma-separated (sqlite,postgresql).")
    parser.add_argument("--database-url", help="An empty PostgreSQL database to use instead "
                        "of starting a throwaway cluster.")
    parser.add_argument("--duration", type=float, default=120,
                        help="Seconds of load (120).")
    parser.add_argument("--readers", type=int, default=50, help="Browsing users (50).")
    parser.add_argument("--writers", type=int, default=5, help="Users posting (5).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4).")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="Serve the saferplaces checkout in this directory instead of "
                             "this one (e.g. an earlier commit from 'git archive'), to compare "
                             "before and after with the same client.")
    parser.add_argument("--think", type=think_range, default=(5.0, 15.0),
                        help="Seconds each user reads a page before the next, LOW-HIGH "
                             "(5-15; 1-3 is a stress test).")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="saferplaces-load-"))
    postgres = None
    runs = []
    try:
        for name in options.databases.split(","):
            if name == "sqlite":
                runs.append(bench_one("SQLite", f"sqlite:///{workdir / 'demo.sqlite3'}",
                                      options, workdir))
            elif name == "postgresql":
                url = options.database_url
                if not url:
                    postgres = ThrowawayPostgres()
                    url = postgres.url
                runs.append(bench_one("PostgreSQL", url, options, workdir))
            else:
                raise SystemExit(f"unknown database {name!r}: sqlite or postgresql")
    finally:
        if postgres is not None:
            postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    for run_ in runs:
        print_figures(run_, options)


if __name__ == "__main__":
    main()
